import { describe, expect, it } from 'vitest';
import { squaredHinge } from '../../src';
import { expectClose } from '../helpers/close';

describe('squaredHinge', () => {
  it('averages max(0, 1 - y x)^2 over the last axis', () => {
    expectClose(squaredHinge([0.3, -0.8, 2], [1, -1, 1]), (0.7 ** 2 + 0.2 ** 2 + 0) / 3);
  });

  it('reads labels 0/1 as -1/1 and reduces per sample like hinge', () => {
    const x = [
      [0.3, -0.8],
      [2, 0.5],
    ];
    const perSample = [(0.7 ** 2 + 0.2 ** 2) / 2, (0 + 1.5 ** 2) / 2];
    expectClose(
      squaredHinge(
        x,
        [
          [1, 0],
          [1, 0],
        ],
        { reduction: 'none' },
      ),
      perSample,
    );
    expectClose(
      squaredHinge(x, [
        [1, 0],
        [1, 0],
      ]),
      (perSample[0]! + perSample[1]!) / 2,
    );
    expectClose(
      squaredHinge(
        x,
        [
          [1, -1],
          [1, -1],
        ],
        { reduction: 'sum' },
      ),
      perSample[0]! + perSample[1]!,
    );
  });

  it('has gradient -2 y max(0, 1 - y x)/(C N), continuous at the kink', () => {
    expectClose(squaredHinge.grad([0.5, 2], [1, 1]), [(-2 * 0.5) / 2, 0]);
    expectClose(squaredHinge.grad([[0.5], [-0.5]], [[1], [-1]], { reduction: 'sum' }), [[-2 * 0.5], [2 * 0.5]]);
    expect(squaredHinge.grad([1], [1])).toEqual([0]);
  });

  it('names itself when a label is invalid', () => {
    expect(() => squaredHinge([1], [0.5])).toThrow('squaredHinge: target[0] must be a label -1 or 1 (or all labels 0 or 1), got 0.5');
  });
});
