import { LossInputError, overflow } from '../errors';
import { INT32, flag, numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, GradOf, Tensor } from '../tensor/types';
import { fromNested3, isNested3, readCtcBatch, type CtcLengths, type CtcLogProbs, type CtcTargets, type NestedLogProbs } from './ctcInputs';
import { ctcBackward, ctcExtend, ctcForward, ctcWork } from './ctcKernel';
import { defineMultiLoss, type ValueAndGrad } from './defineLoss';
import { RunningTotal } from '../math/twoSum';

const fn = 'ctcLoss';

const spec = {
  /** How the per-sample losses are combined: `'mean'` (default, each over its target length), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** The class index of the blank (default 0). */
  blank: numberOption(0, { ...INT32, min: 0 }),
  /** A sample with no valid alignment counts as loss 0 with gradient 0 (default false: it throws). */
  zeroInfinity: flag(false),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CtcLossOptions = OptionsOf<typeof spec>;

type Args = [logProbs: CtcLogProbs, targets: CtcTargets, inputLengths: CtcLengths, targetLengths: CtcLengths];

/** The gradient in the container kind of `logProbs`: nested arrays, or a tensor. */
export type CtcGradOf<I> = I extends NestedLogProbs ? number[][][] : GradOf<I>;

/** `ctcLoss`: the loss, its gradient with respect to logProbs, and both from one pass. */
export interface CtcLoss {
  (...args: [...Args, (CtcLossOptions & { reduction?: 'mean' | 'sum' })?]): number;
  (...args: [...Args, CtcLossOptions & { reduction: 'none' }]): Float64Array;
  (...args: [...Args, CtcLossOptions?]): number | Float64Array;
  grad<B extends FloatArray>(...args: [...Args, CtcLossOptions & { out: B }]): B;
  grad<I extends CtcLogProbs>(logProbs: I, targets: CtcTargets, inputLengths: CtcLengths, targetLengths: CtcLengths, options?: CtcLossOptions): CtcGradOf<I>;
  valueAndGrad<B extends FloatArray>(...args: [...Args, CtcLossOptions & { out: B }]): ValueAndGrad<B>;
  valueAndGrad<I extends CtcLogProbs>(logProbs: I, targets: CtcTargets, inputLengths: CtcLengths, targetLengths: CtcLengths, options?: CtcLossOptions): ValueAndGrad<CtcGradOf<I>>;
  readonly lossName: string;
  readonly defaults: { readonly reduction: 'mean' | 'sum' | 'none'; readonly blank: number; readonly zeroInfinity: boolean };
  readonly args: readonly string[];
  readonly gradientArgs: readonly string[];
}

const base = defineMultiLoss<Args, unknown, typeof spec, Prepared>({
  name: fn,
  options: spec,
  args: ['logProbs', 'targets', 'inputLengths', 'targetLengths'],
  differentiable: [0],
  prepare,
  sizes: (c) => [c.x.length],
  value: (c) => pass(c, null),
  grad(c, outs) {
    pass(c, outs[0]!);
  },
  valueAndGrad: (c, outs) => pass(c, outs[0]!),
});

type Prepared = ReturnType<typeof prepare>;

function prepare(args: readonly unknown[], o: Parsed<typeof spec>) {
  const b = readCtcBatch(fn, args, o.blank);
  const feasible = new Uint8Array(b.N);
  let maxL = 0;
  for (let n = 0; n < b.N; n++) {
    const L = b.targetLengths[n]!;
    maxL = Math.max(maxL, L);
    let repeats = 0;
    for (let j = 1; j < L; j++) if (b.labels[b.offsets[n]! + j] === b.labels[b.offsets[n]! + j - 1]) repeats++;
    feasible[n] = L + repeats <= b.inputLengths[n]! ? 1 : 0;
    if (!feasible[n] && !o.zeroInfinity) {
      const reps = repeats ? ` with ${repeats} ${repeats === 1 ? 'repeat' : 'repeats'}` : '';
      throw new LossInputError(
        fn,
        `sample ${n} has no valid alignment (target length ${L}${reps} needs at least ${L + repeats} frame${L + repeats === 1 ? '' : 's'}, input length ${b.inputLengths[n]}); pass zeroInfinity: true to count it as 0`,
      );
    }
  }
  return { ...b, feasible, maxL, blank: o.blank, reduction: o.reduction, zeroInfinity: o.zeroInfinity };
}

/** The reduced loss (per-sample values for `'none'`), and with `out` (zeroed) its gradient. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const { x, N, C, labels, offsets, inputLengths, targetLengths } = c;
  const w = ctcWork(c.T, c.maxL, C);
  const items = c.reduction === 'none' ? new Float64Array(N) : null;
  const mean = c.reduction === 'mean';
  const scale = gradScale(fn, c.reduction, N);
  const total = new RunningTotal();
  for (let n = 0; n < N; n++) {
    const L = targetLengths[n]!;
    const Ti = inputLengths[n]!;
    if (!c.feasible[n] || Ti === 0) continue; // zeroInfinity's 0, or no frames and an empty target: 0
    ctcExtend(w, labels, offsets[n]!, L, c.blank);
    const nll = ctcForward(w, x, n * C, N * C, L, Ti, out !== null);
    if (nll - nll !== 0) {
      // the exact loss exceeds the float64 range (log-probabilities near -1.8e308)
      if (c.zeroInfinity) continue;
      overflow(fn, `the loss of sample ${n}`, nll);
    }
    const per = mean ? 1 / Math.max(L, 1) : 1;
    if (out) ctcBackward(w, out, n * C, N * C, L, Ti, scale * per);
    total.add(nll * per);
    if (items) items[n] = nll;
  }
  return reduce(fn, c.reduction, total.value(), N, items);
}

/** `[T, N, C]` nested arrays as a tensor: shapeLike nests two levels, so their gradient is nested here. */
function asTensor(all: unknown[]): { all: unknown[]; shape: readonly number[] | null } {
  if (!isNested3(all[0])) return { all, shape: null };
  const t: Tensor<Float64Array> = fromNested3(fn, all[0]);
  return { all: [t, ...all.slice(1)], shape: t.shape };
}

function nest(data: Float64Array, [T, N, C]: readonly number[]): number[][][] {
  const out: number[][][] = [];
  for (let t = 0; t < T!; t++) {
    const frame: number[][] = [];
    for (let n = 0; n < N!; n++) frame.push(Array.from(data.subarray((t * N! + n) * C!, (t * N! + n + 1) * C!)));
    out.push(frame);
  }
  return out;
}

function nested<G>(g: G, shape: readonly number[] | null): G | number[][][] {
  return shape && !ArrayBuffer.isView(g) ? nest((g as unknown as Tensor<Float64Array>).data, shape) : g;
}

const baseGrad = base.grad.bind(base);
const baseValueAndGrad = base.valueAndGrad.bind(base);

/**
 * Connectionist temporal classification loss (CTC, 연결주의 시간 분류): minus the log-probability of
 * a target sequence, summed over every alignment of it to the input frames. A path $\pi$ takes
 * one class per frame; $\mathcal{B}(\pi)$ merges repeated classes, then drops the blanks. With
 * $y_{t,k}$ = `logProbs[t][n][k]` and sample n's target $l_n$ of length $L_n$ over $T_n$ frames:
 *
 * $$\ell_n = -\log \sum_{\pi \in \{0..C-1\}^{T_n}:\ \mathcal{B}(\pi) = l_n}\ \prod_{t=0}^{T_n-1} e^{y_{t,\pi_t}}$$
 *
 * computed by the forward (α) recursion in log space, each log-sum shifted by its largest term,
 * and the posteriors of the gradient by the backward pass over the same sums (see ctcKernel.ts).
 *
 * - `reduction`: `'mean'` (default) $\frac1N\sum_n \ell_n/\max(L_n, 1)$ (each loss over its target
 *   length, as PyTorch), `'sum'` $\sum_n \ell_n$, `'none'` the per-sample $\ell_n$.
 * - Options: `blank` (0), the blank's class index; `zeroInfinity` (false). A target needs at least
 *   $L_n + r_n$ frames, $r_n$ its repeats (a blank must separate two equal labels); a sample with
 *   fewer has no valid alignment, $\ell_n = \infty$. With `zeroInfinity` it counts as loss 0 and
 *   gradient 0, as PyTorch's; without, it throws a LossInputError naming the sample (PyTorch
 *   returns Infinity; this package never returns ±Infinity).
 * - Shapes: `logProbs` `[T, N, C]` (or `[T, C]` for one sample), log-probabilities (log_softmax over
 *   the classes), finite and <= 0; `targets` `[N, S]` padded (entries past a sample's length are
 *   not read) or 1-D concatenated, of length $\sum_n L_n$ (one sample: 1-D of length $L$, or
 *   `[1, S]`), each label a class index other than the blank; `inputLengths` $T_n \in [0, T]$ and
 *   `targetLengths` $L_n$ (<= S when padded): `[N]` integers, bare numbers for one sample. An empty
 *   input with an empty target has loss 0 (the empty alignment).
 * - Gradient: $\partial\ell_n/\partial y_{t,n,k} = -\gamma_{t,n,k}$ for $t < T_n$ (0 beyond), the
 *   posterior probability that frame t emits k:
 *   $\gamma_{t,n,k} = \sum_{\pi:\ \mathcal{B}(\pi) = l_n,\ \pi_t = k} P(\pi) \,/ \sum_{\pi:\ \mathcal{B}(\pi) = l_n} P(\pi)$,
 *   $P(\pi) = \prod_t e^{y_{t,\pi_t}}$; times $1/(N \max(L_n, 1))$ for `'mean'`. PyTorch's autograd
 *   returns $e^{y_{t,n,k}} - \gamma_{t,n,k}$ instead: its kernel assumes `logProbs` is log_softmax of
 *   logits z and gives d loss / d z. Through a log_softmax, both give that same d loss / d z.
 * - PyTorch: `F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean',
 *   zero_infinity=False)`, with the differences above. PyTorch checks neither the log-probabilities
 *   nor the labels; here a positive log-probability (a probability above 1: most often scores
 *   passed without log_softmax) and a label equal to the blank throw, and so does -Infinity, like
 *   every non-finite input (mask a class with a large negative number instead). PyTorch 1.13 gives
 *   an empty input with a non-empty target a finite loss; here it has no valid alignment.
 *
 * @example
 * // T = 2 frames of C = 2 classes (blank, "a"), each 1/2; the target "a" has 3 paths: a-, -a, aa
 * const lp = [[Math.log(0.5), Math.log(0.5)], [Math.log(0.5), Math.log(0.5)]];
 * ctcLoss(lp, [1], 2, 1) // 0.2876820724517809, -ln(3/4)
 * ctcLoss.grad(lp, [1], 2, 1) // [[-0.3333333333333333, -0.6666666666666666], [-0.3333333333333333, -0.6666666666666666]]
 */
export const ctcLoss = Object.assign(base, {
  grad: (...all: unknown[]) => {
    const a = asTensor(all);
    return nested(baseGrad(...(a.all as [...Args])), a.shape);
  },
  valueAndGrad: (...all: unknown[]) => {
    const a = asTensor(all);
    const r = baseValueAndGrad(...(a.all as [...Args]));
    return { value: r.value, grad: nested(r.grad, a.shape) };
  },
}) as unknown as CtcLoss;
