import { describe, expect, it } from 'vitest';
import { hinge } from '../../src';
import { expectClose } from '../helpers/close';

describe('hinge', () => {
  it('averages max(0, 1 - y x) over the last axis of one sample', () => {
    expectClose(hinge([0.3, -0.8, 2], [1, -1, 1]), (0.7 + 0.2 + 0) / 3);
  });

  it('reads labels 0/1 as -1/1, as Keras does', () => {
    expectClose(hinge([0.3, -0.8, 2], [1, 0, 1]), hinge([0.3, -0.8, 2], [1, -1, 1]));
    // all zeros are all -1: 1 - (-1)(0.5) = 1.5
    expectClose(hinge([0.5], [0]), 1.5);
  });

  it('averages per sample over the last axis, then over samples', () => {
    const x = [
      [0.3, -0.8],
      [2, 0.5],
    ];
    const y = [
      [1, -1],
      [1, -1],
    ];
    const perSample = [(0.7 + 0.2) / 2, (0 + 1.5) / 2];
    expectClose(hinge(x, y, { reduction: 'none' }), perSample);
    expectClose(hinge(x, y), (perSample[0]! + perSample[1]!) / 2);
    expectClose(hinge(x, y, { reduction: 'sum' }), perSample[0]! + perSample[1]!);
  });

  it('gives one value for a 1-D input with reduction none, since it is one sample', () => {
    expectClose(hinge([0.3, 2], [1, 1], { reduction: 'none' }), [(0.7 + 0) / 2]);
  });

  it('has gradient -y/(C N) where the margin is violated, 0 elsewhere and at the kink', () => {
    // y x = 1 at [0][1] (the kink) and 2 at [1][0]: both get 0
    expect(
      hinge.grad(
        [
          [0.3, -1],
          [2, 0.5],
        ],
        [
          [1, -1],
          [1, -1],
        ],
      ),
    ).toEqual([
      [-1 / 4, 0],
      [0, 1 / 4],
    ]);
    expect(hinge.grad([0.3, 2], [1, 1], { reduction: 'sum' })).toEqual([-1 / 2, 0]);
  });

  it('rejects labels outside {-1, 0, 1} and targets mixing -1 with 0', () => {
    expect(() => hinge([1, 2], [1, 2])).toThrow('hinge: target[1] must be a label -1 or 1 (or all labels 0 or 1), got 2');
    expect(() => hinge([1, 2, 3], [-1, 1, 0])).toThrow('hinge: target[2] must be a label -1 or 1, since other labels are -1, got 0');
  });

  it('checks the target has the input shape', () => {
    expect(() => hinge([[1, 2]], [1, 1])).toThrow('hinge: target must be of shape [1,2] like input, got shape [2]');
  });
});
