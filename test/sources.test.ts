import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, categoricalCrossEntropy, crossEntropy, entropy, mse, sse } from '../src';

/**
 * The worked numbers of the source documents (/work/shared/seeds/*.txt), computed by losslab at
 * run time and compared with the value as the source printed it, to the precision printed
 * (half a unit in its last digit; for full-length doubles, a few ulps, since numpy sums in
 * another order).
 */
function expectPrinted(actual: unknown, printed: string): void {
  const decimals = printed.split('.')[1]?.length ?? 0;
  const value = Number(printed);
  const tol = Math.max(0.5 * 10 ** -decimals, 4 * Number.EPSILON * Math.abs(value));
  expect(typeof actual, `a number to compare with ${printed}`).toBe('number');
  const diff = Math.abs((actual as number) - value);
  if (!(diff <= tol)) expect.fail(`got ${actual as number}, the source printed ${printed} (|diff| ${diff} > ${tol})`);
}

function expectAllPrinted(actual: ArrayLike<number>, printed: string[]): void {
  expect(actual.length).toBe(printed.length);
  printed.forEach((p, i) => expectPrinted(actual[i], p));
}

describe('seed 000 (Surf in Data): MSE, softmax CEE, sigmoid CEE', () => {
  const y = [1, 3, 5, 6, 7];
  const yHat = [3, 2, 7, 5, 8];

  it("its 'mse' is half the sum of squared errors, 5.5, while the mean squared error is 2.2", () => {
    expectPrinted(sse(y, yHat, { half: true }), '5.5');
    expectPrinted(mse(y, yHat), '2.2');
    expect(mse(y, yHat)).toBe((4 + 1 + 4 + 1 + 1) / 5);
  });

  const onehot = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];

  it('softmax CEE per sample is 1.2039728043259361, 0.6931471805599453, 0.6931471805599453, mean 0.8634223884819422', () => {
    const predicted = [
      [0.3, 0.1, 0.6],
      [0.3, 0.5, 0.2],
      [0.4, 0.1, 0.5],
    ];
    expectAllPrinted(categoricalCrossEntropy(predicted, onehot, { reduction: 'none' }), ['1.2039728043259361', '0.6931471805599453', '0.6931471805599453']);
    expectPrinted(categoricalCrossEntropy(predicted, onehot), '0.8634223884819422');
  });

  it('the better prediction has the lower CEE, 0.6323733282952938', () => {
    const better = [
      [0.6, 0.1, 0.3],
      [0.3, 0.5, 0.2],
      [0.4, 0.1, 0.5],
    ];
    expectAllPrinted(categoricalCrossEntropy(better, onehot, { reduction: 'none' }), ['0.5108256237659907', '0.6931471805599453', '0.6931471805599453']);
    expectPrinted(categoricalCrossEntropy(better, onehot), '0.6323733282952938');
  });

  it('one sample whose second class is predicted 0.9 has CEE -log(0.9) = 0.105', () => {
    expectPrinted(categoricalCrossEntropy([0.05, 0.9, 0.05], [0, 1, 0]), '0.105');
    expectPrinted(categoricalCrossEntropy([0.05, 0.9, 0.05], [0, 1, 0]), '0.10536051565782628');
  });

  it('sigmoid CEE per sample is 0.6931471805599453, 0.35667494393873245 (x3), 0.2231435513142097, 0.10536051565782628, mean 0.34861267989136313', () => {
    const p = [0.5, 0.7, 0.3, 0.2, 0.7, 0.9];
    const t = [0, 1, 0, 0, 1, 1];
    expectAllPrinted(binaryCrossEntropy(p, t, { reduction: 'none' }), [
      '0.6931471805599453',
      '0.35667494393873245',
      '0.35667494393873245',
      '0.2231435513142097',
      '0.35667494393873245',
      '0.10536051565782628',
    ]);
    expectPrinted(binaryCrossEntropy(p, t), '0.34861267989136313');
  });
});

describe('seed 003: entropy and cross-entropy of dice', () => {
  const fair = [1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6];
  const biased = [1 / 2, 1 / 10, 1 / 10, 1 / 10, 1 / 10, 1 / 10];

  it("a fair die's entropy is 1.7918", () => {
    expectPrinted(entropy(fair), '1.7918');
  });

  it('the cross-entropy of the fair die against the biased die is 2.0343', () => {
    // H(P, Q) = -sum P log Q with P fair, Q biased; Q sums to 1 and lies in [1e-7, 1 - 1e-7], so Keras's clip leaves it alone.
    expectPrinted(categoricalCrossEntropy(biased, fair), '2.0343');
    expectPrinted(crossEntropy(biased.map(Math.log), fair), '2.0343');
  });
});
