import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as losslab from '../../src';
import { expectClose } from '../helpers/close';

/** Mathematical properties of the losses, on random batches from fast-check. */

type Fn = ((input: unknown, target?: unknown, options?: object) => number | Float64Array | number[] | number[][]) & {
  grad?: (input: unknown, target: unknown, options?: object) => unknown;
};

function fn(name: string): Fn {
  const f = (losslab as Record<string, unknown>)[name];
  expect(typeof f, `losslab export "${name}"`).toBe('function');
  return f as Fn;
}

const num = (v: unknown) => v as number;
const items = (v: unknown) => Array.from(v as ArrayLike<number>);
const total = (v: unknown) => items(v).reduce((a, b) => a + b, 0);

const double = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const rowsOf = <T>(n: number, c: number, arb: fc.Arbitrary<T>) => fc.array(fc.array(arb, { minLength: c, maxLength: c }), { minLength: n, maxLength: n });
const dims = fc.record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 5 }) });

const normalise = (rows: number[][]) => rows.map((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
const oneHot = (labels: number[], c: number) => labels.map((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)));

/** A batch: n x c inputs of the given range, targets of every kind a loss may take. */
interface Batch {
  n: number;
  c: number;
  x: number[][];
  probs: number[][];
  dist: number[][];
  binary: number[][];
  signs: number[][];
  labels: number[];
}

const batch = (lo = -3, hi = 3) =>
  dims.chain(({ n, c }) =>
    fc.record({
      n: fc.constant(n),
      c: fc.constant(c),
      x: rowsOf(n, c, double(lo, hi)),
      probs: rowsOf(n, c, double(0.001, 0.999)),
      dist: rowsOf(n, c, double(0.01, 1)).map(normalise),
      binary: rowsOf(n, c, fc.constantFrom(0, 1)),
      signs: rowsOf(n, c, fc.constantFrom(-1, 1)),
      labels: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
    }),
  );

/** Each loss with its arguments drawn from a batch, and how many items 'mean' divides by. */
interface Entry {
  loss: string;
  args: (b: Batch) => [unknown, unknown];
  count: (b: Batch) => number;
  options?: object;
}

const elements = (b: Batch) => b.n * b.c;
const samples = (b: Batch) => b.n;

const losses: Entry[] = [
  { loss: 'mse', args: (b) => [b.x, b.probs], count: elements },
  { loss: 'mae', args: (b) => [b.x, b.probs], count: elements },
  { loss: 'huber', args: (b) => [b.x, b.probs], count: elements },
  { loss: 'huber', args: (b) => [b.x, b.probs], count: elements, options: { delta: 0.3 } },
  { loss: 'binaryCrossEntropy', args: (b) => [b.probs, b.binary], count: elements },
  { loss: 'binaryCrossEntropy', args: (b) => [b.probs, b.probs.map((r) => r.map((v) => 1 - v))], count: elements, options: { labelSmoothing: 0.1 } },
  { loss: 'binaryCrossEntropyWithLogits', args: (b) => [b.x, b.binary], count: elements },
  { loss: 'crossEntropy', args: (b) => [b.x, b.labels], count: samples },
  { loss: 'crossEntropy', args: (b) => [b.x, b.dist], count: samples, options: { labelSmoothing: 0.1 } },
  { loss: 'nllLoss', args: (b) => [b.x.map((r) => r.map((v) => -Math.abs(v))), b.labels], count: samples },
  { loss: 'categoricalCrossEntropy', args: (b) => [b.probs, oneHot(b.labels, b.c)], count: samples },
  { loss: 'categoricalCrossEntropy', args: (b) => [b.x, b.dist], count: samples, options: { fromLogits: true } },
  { loss: 'sparseCategoricalCrossEntropy', args: (b) => [b.probs, b.labels], count: samples },
  { loss: 'hinge', args: (b) => [b.x, b.signs], count: samples },
  { loss: 'squaredHinge', args: (b) => [b.x, b.binary], count: samples },
  { loss: 'categoricalHinge', args: (b) => [b.x, oneHot(b.labels, b.c)], count: samples },
  { loss: 'diceLoss', args: (b) => [b.probs, b.binary], count: samples },
  { loss: 'sigmoidFocalLoss', args: (b) => [b.x, b.binary], count: elements },
  { loss: 'focalLoss', args: (b) => [b.x, b.labels], count: samples },
  { loss: 'focalLoss', args: (b) => [b.x, b.labels], count: samples, options: { gamma: 0.5 } },
  { loss: 'polyLoss', args: (b) => [b.x, b.labels], count: samples },
  { loss: 'polyLoss', args: (b) => [b.x, b.dist], count: samples, options: { epsilon: 1 } },
  { loss: 'categoricalFocalCrossEntropy', args: (b) => [b.probs, oneHot(b.labels, b.c)], count: samples },
  { loss: 'categoricalFocalCrossEntropy', args: (b) => [b.x, b.dist], count: samples, options: { fromLogits: true, labelSmoothing: 0.1 } },
  { loss: 'generalizedCrossEntropy', args: (b) => [b.probs, b.labels], count: samples },
  { loss: 'multiMarginLoss', args: (b) => [b.x, b.labels], count: samples },
  { loss: 'multiMarginLoss', args: (b) => [b.x, b.labels], count: samples, options: { p: 2, margin: 0.5 } },
  { loss: 'multiLabelMarginLoss', args: (b) => [b.x, b.labels.map((k) => Array.from({ length: b.c }, (_, j) => (j === 0 ? k : -1)))], count: samples },
  { loss: 'tversky', args: (b) => [b.probs, b.binary], count: samples },
  { loss: 'tversky', args: (b) => [b.probs, b.probs], count: samples, options: { alpha: 0.3, beta: 0.7 } },
];

const label = (e: Entry) => `${e.loss}${e.options ? ' ' + JSON.stringify(e.options) : ''}`;

describe('every loss is non-negative', () => {
  for (const e of losses) {
    it(`${label(e)} — is >= 0 item by item`, () => {
      const f = fn(e.loss);
      fc.assert(
        fc.property(batch(), (b) => {
          const [x, y] = e.args(b);
          for (const v of items(f(x, y, { ...e.options, reduction: 'none' }))) expect(v).toBeGreaterThanOrEqual(0);
        }),
      );
    });
  }

  it('klDivergence — is >= 0 between distributions (Gibbs)', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        expect(num(fn('klDivergence')(normalise(b.probs), b.dist))).toBeGreaterThanOrEqual(-1e-12);
      }),
    );
  });

  it('entropy — is >= 0 for probabilities', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        for (const row of b.dist) expect(num(fn('entropy')(row))).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("'sum' is 'mean' times the count, and 'none' sums to 'sum'", () => {
  for (const e of losses) {
    it(`${label(e)} — sum = mean x ${e.count === elements ? 'elements' : 'samples'}`, () => {
      const f = fn(e.loss);
      fc.assert(
        fc.property(batch(), (b) => {
          const [x, y] = e.args(b);
          const sum = num(f(x, y, { ...e.options, reduction: 'sum' }));
          expectClose(sum, num(f(x, y, e.options)) * e.count(b), 1e-12);
          expectClose(total(f(x, y, { ...e.options, reduction: 'none' })), sum, 1e-12);
        }),
      );
    });
  }

  it('klDivergence — sum = batchmean x samples = mean x elements', () => {
    const kl = fn('klDivergence');
    fc.assert(
      fc.property(batch(), (b) => {
        const sum = num(kl(b.probs, b.dist, { reduction: 'sum' }));
        expectClose(num(kl(b.probs, b.dist)) * b.n, sum, 1e-12);
        expectClose(num(kl(b.probs, b.dist, { reduction: 'mean' })) * b.n * b.c, sum, 1e-12);
        expectClose(total(kl(b.probs, b.dist, { reduction: 'none' })), sum, 1e-12);
      }),
    );
  });

  it('sse — equals mse x elements, and half of it with half', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        const sse = num(fn('sse')(b.x, b.probs));
        expectClose(sse, num(fn('mse')(b.x, b.probs)) * b.n * b.c, 1e-12);
        expectClose(num(fn('sse')(b.x, b.probs, { half: true })), sse / 2, 1e-12);
      }),
    );
  });
});

describe('a perfect prediction gives zero (or the minimum)', () => {
  const zeroAt: [string, (b: Batch) => [unknown, unknown], object?][] = [
    ['mse', (b) => [b.x, b.x]],
    ['mae', (b) => [b.x, b.x]],
    ['rmse', (b) => [b.x, b.x], { reduction: 'mean' }],
    ['sse', (b) => [b.x, b.x]],
    ['huber', (b) => [b.x, b.x]],
    ['binaryCrossEntropy', (b) => [b.binary, b.binary]],
    ['klDivergence', (b) => [b.dist, b.dist]],
    ['diceLoss', (b) => [b.binary, b.binary]],
    ['hinge', (b) => [b.signs.map((r) => r.map((s) => 2 * s)), b.signs]],
    ['squaredHinge', (b) => [b.signs.map((r) => r.map((s) => 1.5 * s)), b.signs]],
    ['categoricalHinge', (b) => [oneHot(b.labels, b.c).map((r) => r.map((v) => 2 * v)), oneHot(b.labels, b.c)]],
    ['sigmoidFocalLoss', (b) => [b.binary.map((r) => r.map((v) => (2 * v - 1) * 1e4)), b.binary]],
    ['binaryCrossEntropyWithLogits', (b) => [b.binary.map((r) => r.map((v) => (2 * v - 1) * 1e4)), b.binary]],
    ['crossEntropy', (b) => [oneHot(b.labels, b.c).map((r) => r.map((v) => v * 1e4)), b.labels]],
  ];
  for (const [name, args, options] of zeroAt) {
    it(`${name} — is 0 at a perfect prediction`, () => {
      fc.assert(
        fc.property(batch(), (b) => {
          const [x, y] = args(b);
          expect(Math.abs(num(fn(name)(x, y, { reduction: 'sum', ...options })))).toBeLessThanOrEqual(1e-12);
        }),
      );
    });
  }

  it('categoricalCrossEntropy — is -log(1 - 1e-7) per sample at a one-hot prediction (the clip)', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        const t = oneHot(b.labels, b.c);
        expectClose(
          items(fn('categoricalCrossEntropy')(t, t, { reduction: 'none' })),
          t.map(() => -Math.log(1 - 1e-7)),
          1e-9,
        );
      }),
    );
  });

  it('crossEntropy with probability targets — is smallest, H(t), at logits log t', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        const ce = fn('crossEntropy');
        const best = items(
          ce(
            b.dist.map((r) => r.map(Math.log)),
            b.dist,
            { reduction: 'none' },
          ),
        );
        expectClose(
          best,
          b.dist.map((r) => num(fn('entropy')(r))),
          1e-12,
        );
        const other = items(ce(b.x, b.dist, { reduction: 'none' }));
        other.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(best[i]! - 1e-12));
      }),
    );
  });
});

describe('losses that are the same math agree', () => {
  it('crossEntropy(logits) equals sparseCategoricalCrossEntropy(softmax(logits)) for moderate logits', () => {
    fc.assert(
      fc.property(batch(-4, 4), (b) => {
        const p = fn('softmax')(b.x);
        for (const reduction of ['mean', 'sum', 'none']) {
          expectClose(fn('sparseCategoricalCrossEntropy')(p, b.labels, { reduction }), fn('crossEntropy')(b.x, b.labels, { reduction }), 1e-9);
        }
      }),
    );
  });

  it('categoricalCrossEntropy fromLogits equals crossEntropy with probability targets', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        expectClose(fn('categoricalCrossEntropy')(b.x, b.dist, { fromLogits: true, labelSmoothing: 0.2 }), fn('crossEntropy')(b.x, b.dist, { labelSmoothing: 0.2 }), 1e-12);
      }),
    );
  });

  it('focalLoss at gamma 0 equals crossEntropy, and per-class alpha (sum) its weight', () => {
    fc.assert(
      fc.property(batch(), fc.array(double(0.1, 2), { minLength: 5, maxLength: 5 }), (b, w) => {
        for (const reduction of ['mean', 'sum', 'none']) {
          expectClose(fn('focalLoss')(b.x, b.labels, { gamma: 0, reduction }), fn('crossEntropy')(b.x, b.labels, { reduction }), 1e-12);
          expectClose(fn('focalLoss').grad!(b.x, b.labels, { gamma: 0, reduction }), fn('crossEntropy').grad!(b.x, b.labels, { reduction }), 1e-12);
        }
        const alpha = w.slice(0, b.c);
        expectClose(fn('focalLoss')(b.x, b.labels, { gamma: 0, alpha, reduction: 'sum' }), fn('crossEntropy')(b.x, b.labels, { weight: alpha, reduction: 'sum' }), 1e-12);
      }),
    );
  });

  it('sigmoidFocalLoss at gamma 0 with alpha off equals binaryCrossEntropyWithLogits', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        expectClose(
          fn('sigmoidFocalLoss')(b.x, b.binary, { gamma: 0, alpha: -1, reduction: 'none' }),
          fn('binaryCrossEntropyWithLogits')(b.x, b.binary, { reduction: 'none' }),
          1e-12,
        );
      }),
    );
  });

  it('binaryCrossEntropyWithLogits(x) equals binaryCrossEntropy(sigmoid(x)) for moderate x', () => {
    fc.assert(
      fc.property(batch(-8, 8), fc.double({ min: 0, max: 0.5, noNaN: true }), (b, s) => {
        const p = fn('sigmoid')(b.x);
        for (const options of [{ reduction: 'none' }, { labelSmoothing: s }, { weight: b.probs, reduction: 'sum' }]) {
          expectClose(fn('binaryCrossEntropyWithLogits')(b.x, b.probs, options), fn('binaryCrossEntropy')(p, b.probs, options), 1e-9);
        }
      }),
    );
  });

  it('nllLoss(logSoftmax(x)) equals crossEntropy(x)', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        expectClose(fn('nllLoss')(fn('logSoftmax')(b.x), b.labels), fn('crossEntropy')(b.x, b.labels), 1e-12);
      }),
    );
  });

  it('KL = CE - H: klDivergence(q, p, sum) = H(p, q) - H(p)', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        const q = normalise(b.probs);
        const p = b.dist;
        const crossH = num(fn('categoricalCrossEntropy')(q, p, { reduction: 'sum' }));
        const h = p.reduce((s, row) => s + num(fn('entropy')(row)), 0);
        expectClose(num(fn('klDivergence')(q, p, { reduction: 'sum' })), crossH - h, 1e-9);
      }),
    );
  });

  it('polyLoss at epsilon 0 equals crossEntropy, with class indices and with probability targets', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        for (const reduction of ['mean', 'sum', 'none']) {
          for (const target of [b.labels, b.dist]) {
            expectClose(fn('polyLoss')(b.x, target, { epsilon: 0, reduction }), fn('crossEntropy')(b.x, target, { reduction }), 1e-12);
            expectClose(fn('polyLoss').grad!(b.x, target, { epsilon: 0, reduction }), fn('crossEntropy').grad!(b.x, target, { reduction }), 1e-12);
          }
        }
      }),
    );
  });

  it('polyLoss with one-hot probability targets equals polyLoss with class indices', () => {
    fc.assert(
      fc.property(batch(), fc.double({ min: -1, max: 5, noNaN: true }), (b, epsilon) => {
        const hot = oneHot(b.labels, b.c);
        expectClose(fn('polyLoss')(b.x, hot, { epsilon, reduction: 'none' }), fn('polyLoss')(b.x, b.labels, { epsilon, reduction: 'none' }), 1e-12);
        expectClose(fn('polyLoss').grad!(b.x, hot, { epsilon }), fn('polyLoss').grad!(b.x, b.labels, { epsilon }), 1e-12);
      }),
    );
  });

  it('categoricalFocalCrossEntropy at gamma 0, alpha 1 equals categoricalCrossEntropy on probabilities', () => {
    fc.assert(
      fc.property(batch(), fc.double({ min: 0, max: 1, noNaN: true }), (b, labelSmoothing) => {
        for (const reduction of ['mean', 'sum', 'none']) {
          const o = { labelSmoothing, reduction };
          expectClose(fn('categoricalFocalCrossEntropy')(b.probs, b.dist, { ...o, gamma: 0, alpha: 1 }), fn('categoricalCrossEntropy')(b.probs, b.dist, o), 1e-12);
          expectClose(fn('categoricalFocalCrossEntropy').grad!(b.probs, b.dist, { ...o, gamma: 0, alpha: 1 }), fn('categoricalCrossEntropy').grad!(b.probs, b.dist, o), 1e-12);
        }
      }),
    );
  });

  it('tversky at alpha = beta = 0.5 equals diceLoss: with the defaults, and smooth s as diceLoss smooth 2s', () => {
    fc.assert(
      fc.property(batch(), fc.double({ min: 0.01, max: 5, noNaN: true }), (b, s) => {
        for (const y of [b.binary, b.probs]) {
          expectClose(fn('tversky')(b.probs, y, { reduction: 'none' }), fn('diceLoss')(b.probs, y, { reduction: 'none' }), 1e-12);
          expectClose(fn('tversky').grad!(b.probs, y), fn('diceLoss').grad!(b.probs, y), 1e-12);
          expectClose(fn('tversky')(b.probs, y, { alpha: 0.5, beta: 0.5, smooth: s }), fn('diceLoss')(b.probs, y, { smooth: 2 * s }), 1e-12);
        }
      }),
    );
  });

  it('cosineSimilarity lies in [-1, 1], is symmetric, and is -1 for a row with itself', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        const items = fn('cosineSimilarity')(b.x, b.probs, { reduction: 'none' });
        for (const v of items as Float64Array) expect(Math.abs(v)).toBeLessThanOrEqual(1);
        expectClose(items, fn('cosineSimilarity')(b.probs, b.x, { reduction: 'none' }), 1e-15);
        expectClose(
          fn('cosineSimilarity')(b.probs, b.probs, { reduction: 'none' }),
          b.probs.map(() => -1),
          1e-15,
        );
      }),
    );
  });

  it('rmse is the square root of mse', () => {
    fc.assert(
      fc.property(batch(), (b) => {
        expectClose(num(fn('rmse')(b.x, b.probs)), Math.sqrt(num(fn('mse')(b.x, b.probs))), 1e-12);
      }),
    );
  });
});
