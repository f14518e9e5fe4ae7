import { describe, expect, it } from 'vitest';
import { categoricalHinge } from '../../src';
import { expectClose } from '../helpers/close';

describe('categoricalHinge', () => {
  it('is max(0, best wrong score - true score + 1) per sample, averaged', () => {
    const x = [
      [0.2, 1.5, -0.3],
      [2, 0.1, 0.4],
    ];
    const y = [
      [0, 1, 0],
      [0, 0, 1],
    ];
    const perSample = [Math.max(0, 0.2 - 1.5 + 1), 2 - 0.4 + 1];
    expectClose(categoricalHinge(x, y, { reduction: 'none' }), perSample);
    expectClose(categoricalHinge(x, y), (perSample[0]! + perSample[1]!) / 2);
    expectClose(categoricalHinge(x, y, { reduction: 'sum' }), perSample[0]! + perSample[1]!);
  });

  it("counts the true class as 0 in the max, as Keras's (1 - y) * x does", () => {
    // every wrong score is negative, so neg = 0 and the loss is 1 - 0.4
    expectClose(categoricalHinge([-1, 0.4, -2], [0, 1, 0]), 0 - 0.4 + 1);
  });

  it('has gradient -1 on the true class and +1 on the best wrong class while the margin is violated', () => {
    expect(categoricalHinge.grad([0.2, 0.9, 0.5], [0, 1, 0])).toEqual([0, -1, 1]);
    expect(
      categoricalHinge.grad(
        [
          [0.2, 0.9, 0.5],
          [0, 3, 0],
        ],
        [
          [0, 1, 0],
          [0, 1, 0],
        ],
      ),
    ).toEqual([
      [0, -1 / 2, 1 / 2],
      [0, 0, 0],
    ]);
  });

  it('splits the gradient evenly among tied wrong classes, as TensorFlow reduce_max does', () => {
    expect(categoricalHinge.grad([0.7, 0.1, 0.7], [0, 1, 0])).toEqual([1 / 2, -1, 1 / 2]);
  });

  it('has gradient 0 at the kink, where neg - pos + 1 = 0', () => {
    expect(categoricalHinge([0.5, 1.5], [0, 1])).toBe(0);
    expect(categoricalHinge.grad([0.5, 1.5], [0, 1])).toEqual([0, 0]);
  });

  it('requires a one-hot target', () => {
    expect(() => categoricalHinge([[1, 2]], [[0.5, 0.5]])).toThrow('categoricalHinge: target[0] must be one-hot (0 or 1), got 0.5');
    expect(() =>
      categoricalHinge(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [0, 1],
          [1, 1],
        ],
      ),
    ).toThrow('categoricalHinge: target row 1 must be one-hot (a single 1), got 2 ones');
  });
});

describe('categoricalHinge margins', () => {
  it('takes neg - pos + 1 with one rounding: neg 0.1, pos fl(1.1) - 1 ulp gives 2^-53 + 2^-55 exactly', () => {
    // 0.1 + 1 - 1.0999999999999999 in exact arithmetic of the two doubles
    expect(categoricalHinge([[0.1, 1.0999999999999999, -1]], [[0, 1, 0]])).toBe(2 ** -53 + 2 ** -55);
  });
});
