import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/node/notebook/png';
import { grayBytes, gridLayout } from '../../src/node/notebook/pixels';

describe('gray levels', () => {
  it('clamp to [0, max], scale to 0..255 and upscale by nearest neighbour', () => {
    const g = grayBytes([0, 0.5, 1, 2], 2, 2, { max: 1, scale: 2 });
    expect([g.width, g.height]).toEqual([4, 4]);
    expect(Array.from(g.data.subarray(0, 8))).toEqual([0, 0, 128, 128, 0, 0, 128, 128]);
    expect(Array.from(g.data.subarray(8, 12))).toEqual([255, 255, 255, 255]);
    expect(grayBytes([-3], 1, 1).data[0]).toBe(0);
  });

  it('reject a size that does not fit and a fractional scale, naming encodePng', () => {
    expect(() => grayBytes([1, 2, 3], 2, 2)).toThrow('encodePng: pixels must have width * height = 4 values, got 3');
    expect(() => grayBytes([1], 1, 1, { scale: 1.5 })).toThrow('encodePng: scale must be a positive integer, got 1.5');
  });

  it('are what the PNG holds: encodePng is deterministic', () => {
    const a = encodePng([0, 64, 128, 255], 2, 2);
    expect(a.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(encodePng([0, 64, 128, 255], 2, 2).equals(a)).toBe(true);
  });
});

describe('a grid of images', () => {
  it('puts images side by side with a 1 px gap, row by row, and the labels under each row', () => {
    const one = [1, 1, 1, 1];
    const grid = gridLayout([one, one, one], { width: 2, height: 2, cols: 2, labels: [7, 8, 9] });
    expect([grid.width, grid.height]).toEqual([5, 5]);
    expect(Array.from(grid.pixels.subarray(0, 5))).toEqual([1, 1, 0, 1, 1]);
    expect(Array.from(grid.pixels.subarray(10, 15))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(grid.pixels.subarray(15, 20))).toEqual([1, 1, 0, 0, 0]);
    expect(grid.labels).toBe('7 8\n9');
    expect(grid.png.max).toBe(255);
  });

  it('rejects an image of the wrong size, naming digitGrid and the image', () => {
    expect(() => gridLayout([[1, 2, 3, 4], [1]], { width: 2, height: 2 })).toThrow('digitGrid: image 1 must have 4 values, got 1');
  });
});
