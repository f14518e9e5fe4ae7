import { describe, fail, overflow } from '../errors';
import { flag, parseOptions } from '../options';
import type { FloatArray, Tensor } from '../tensor/types';
import { accumulateOuter, matmulTransposed } from './linearWasm';
import type { Parameter } from './optimizer';
import { Random } from './random';
import { checkInteger, firstNonFinite, overlaps } from './validate';

/** At most 2^31 - 1 weights: every index fits an int32, and the array fits every engine. */
const MAX_WEIGHTS = 2 ** 31 - 1;

const backwardSpec = {
  /** Also return ∂L/∂x (default false). */
  gradInput: flag(false),
};

/**
 * A fully connected layer, $y = x W^\top + b$: PyTorch's `nn.Linear(inFeatures, outFeatures)`.
 *
 * - `weight`: row-major `[outFeatures, inFeatures]`; `bias`: `[outFeatures]`.
 * - Init as PyTorch's default (`kaiming_uniform_(a=√5)`): every weight, then every bias,
 *   drawn from $U(-1/\sqrt{\mathrm{in}}, 1/\sqrt{\mathrm{in}})$ with the given seeded `rng`
 *   (the same distribution as PyTorch, not the same numbers).
 * - `gradWeight`, `gradBias`: filled by `backward`, which accumulates like PyTorch's
 *   `.grad` (`+=`); zero them between steps (`optimizer.zeroGrad()`).
 *
 * Inputs are `{ data, shape }` tensors of shape `[N, features]` over a Float32Array or
 * Float64Array (integer arrays are rejected, never truncated); `N = 0` is an empty batch
 * (an empty output, no gradient change). NaN and ±Infinity never come back: a non-finite
 * output or gradient throws naming its cause (an element of `x`, `gradOut`, `weight` or
 * `bias`, or an overflow of the sums). The checks cost a pass over the outputs and the
 * gradients, not over `x`, so the GEMMs stay the only passes over the batch.
 *
 * @example
 * const layer = new Linear(2, 1, new Random(0));
 * layer.weight.set([1, 2]); layer.bias.set([0.5]);
 * Array.from(layer.forward({ data: new Float64Array([3, 4]), shape: [1, 2] }).data) // [11.5]
 */
export class Linear {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly gradWeight: Float64Array;
  readonly gradBias: Float64Array;

  /**
   * @param inFeatures, outFeatures integers >= 1, with at most 2^31 - 1 weights in all.
   * @param rng a seeded `Random`, or a seed for one (an integer in [0, 2^32)).
   */
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    rng: Random | number,
  ) {
    checkInteger('Linear', 'inFeatures', inFeatures, 1, MAX_WEIGHTS, 'an integer >= 1 and <= 2^31 - 1');
    checkInteger('Linear', 'outFeatures', outFeatures, 1, MAX_WEIGHTS, 'an integer >= 1 and <= 2^31 - 1');
    const count = inFeatures * outFeatures;
    if (count > MAX_WEIGHTS) fail('Linear', 'inFeatures * outFeatures', `at most 2^31 - 1 weights`, `${inFeatures} * ${outFeatures} = ${count}`);
    const random = typeof rng === 'number' && Number.isInteger(rng) && rng >= 0 && rng < 2 ** 32 ? new Random(rng) : rng;
    if (!(random instanceof Random)) fail('Linear', 'rng', 'a Random or a seed (an integer >= 0 and < 2^32)', describe(rng));
    this.weight = new Float64Array(count);
    this.bias = new Float64Array(outFeatures);
    this.gradWeight = new Float64Array(count);
    this.gradBias = new Float64Array(outFeatures);
    const bound = 1 / Math.sqrt(inFeatures);
    for (let i = 0; i < count; i++) this.weight[i] = random.uniform(-bound, bound);
    for (let i = 0; i < outFeatures; i++) this.bias[i] = random.uniform(-bound, bound);
  }

  /**
   * The weight and bias with their gradients, for an optimizer: `new SGD(layer.parameters(), ...)`.
   *
   * @example
   * new Linear(3, 2, 0).parameters().map((p) => p.param.length) // [6, 2]
   */
  parameters(): Parameter[] {
    return [
      { param: this.weight, grad: this.gradWeight },
      { param: this.bias, grad: this.gradBias },
    ];
  }

  /**
   * $y_{no} = b_o + \sum_k x_{nk} W_{ok}$ for `x` of shape `[N, in]`; returns `[N, out]`.
   * Writes into `out` when given: a Float64Array of length `N*out` sharing no memory with
   * `x.data` or the layer's own arrays (else a new Float64Array). Throws on a non-finite
   * output, naming the NaN or ±Infinity in `x`, `weight` or `bias` that caused it, or the
   * overflow; `out` then holds partial results.
   *
   * @example
   * const layer = new Linear(2, 3, 0);
   * layer.forward({ data: new Float32Array(4 * 2), shape: [4, 2] }).shape // [4, 3]
   */
  forward(x: Tensor, out?: Float64Array): Tensor<Float64Array> {
    const fn = 'Linear.forward';
    const { data, rows: n } = this.read(fn, 'x', x, this.inFeatures);
    const size = n * this.outFeatures;
    const y = out === undefined ? new Float64Array(size) : this.checkOut(fn, out, size, data);
    matmulTransposed(data, this.weight, this.bias, y, n, this.inFeatures, this.outFeatures);
    const bad = firstNonFinite(y);
    if (bad >= 0) {
      this.blame(fn, [
        ['x.data', data],
        ['weight', this.weight],
        ['bias', this.bias],
      ]);
      overflow(fn, `output [${Math.floor(bad / this.outFeatures)},${bad % this.outFeatures}] (x W^T + b)`, y[bad]!);
    }
    return { data: y, shape: [n, this.outFeatures] };
  }

  /**
   * Backward of `forward(x)` given $G = \partial L/\partial y$ (`[N, out]`):
   * `gradWeight` += $G^\top x$ ($\sum_n G_{no} x_{nk}$), `gradBias` += $\sum_n G_{no}$.
   * With `{ gradInput: true }` also returns $\partial L/\partial x = G W$ (`[N, in]`), else `null`.
   *
   * `x` and `gradOut` must have the same N and share no memory with `gradWeight` or `gradBias`.
   * A NaN or ±Infinity in `gradOut` throws before anything changes; one in `x` (or an overflow)
   * is found in the accumulated gradients, so it throws after they were updated: they then hold
   * non-finite sums until `zeroGrad()`, and the optimizers refuse to step on them.
   *
   * @example
   * const layer = new Linear(2, 1, 0);
   * layer.backward({ data: new Float64Array([3, 4]), shape: [1, 2] }, { data: new Float64Array([1]), shape: [1, 1] });
   * Array.from(layer.gradWeight) // [3, 4]
   */
  backward(x: Tensor, gradOut: Tensor, options?: { gradInput?: boolean }): Tensor<Float64Array> | null {
    const fn = 'Linear.backward';
    const { gradInput } = parseOptions(fn, options, backwardSpec);
    const { data: xd, rows: n } = this.read(fn, 'x', x, this.inFeatures);
    const { data: g, rows: m } = this.read(fn, 'gradOut', gradOut, this.outFeatures);
    if (m !== n) fail(fn, 'gradOut shape', `[${n},${this.outFeatures}] like the output of x`, `[${m},${this.outFeatures}]`);
    for (const [name, arg] of [
      ['x.data', xd],
      ['gradOut.data', g],
    ] as const) {
      for (const [own, array] of [
        ['gradWeight', this.gradWeight],
        ['gradBias', this.gradBias],
      ] as const) {
        if (overlaps(arg, array)) fail(fn, name, `an array sharing no memory with ${own}`, `a ${arg.constructor.name} overlapping ${own}`);
      }
    }
    this.blame(fn, [['gradOut.data', g]]);
    accumulateOuter(g, xd, this.gradWeight, this.gradBias, n, this.inFeatures, this.outFeatures);
    for (const [name, array] of [
      ['gradWeight', this.gradWeight],
      ['gradBias', this.gradBias],
    ] as const) {
      const bad = firstNonFinite(array);
      if (bad < 0) continue;
      this.blame(fn, [['x.data', xd]]);
      fail(fn, `${name}[${bad}]`, 'finite after adding this batch', `${describe(array[bad])}: the sum overflows float64, or it held a non-finite value before`);
    }
    if (!gradInput) return null;
    const gx = new Float64Array(n * this.inFeatures);
    matmul(g, this.weight, gx, n, this.outFeatures, this.inFeatures);
    const bad = firstNonFinite(gx);
    if (bad >= 0) {
      this.blame(fn, [['weight', this.weight]]);
      overflow(fn, `gradInput [${Math.floor(bad / this.inFeatures)},${bad % this.inFeatures}] (G W)`, gx[bad]!);
    }
    return { data: gx, shape: [n, this.inFeatures] };
  }

  /** The data and N of a `[N, cols]` tensor over a Float32Array or Float64Array; throws on anything else. */
  private read(fn: string, arg: string, t: unknown, cols: number): { data: FloatArray; rows: number } {
    if (typeof t !== 'object' || t === null || Array.isArray(t) || ArrayBuffer.isView(t)) fail(fn, arg, 'a { data, shape } tensor', describe(t));
    const { data, shape } = t as { data?: unknown; shape?: unknown };
    if (!(data instanceof Float32Array || data instanceof Float64Array)) fail(fn, `${arg}.data`, 'a Float32Array or Float64Array', describe(data));
    const dims = Array.isArray(shape) ? (shape as unknown[]) : null;
    const rows = dims && dims.length === 2 && dims[1] === cols ? dims[0] : -1;
    if (!(typeof rows === 'number' && Number.isInteger(rows) && rows >= 0 && rows * cols === data.length)) {
      fail(fn, `${arg} shape`, `[N,${cols}] matching ${arg}.data.length ${data.length}`, dims && dims.length <= 8 ? `[${Array.from(dims, describe).join(',')}]` : describe(shape));
    }
    return { data, rows: rows + 0 };
  }

  /** `out` if it is a Float64Array of `size` elements sharing no memory with `x` or the layer's arrays. */
  private checkOut(fn: string, out: unknown, size: number, x: FloatArray): Float64Array {
    if (!(out instanceof Float64Array)) fail(fn, 'out', `a Float64Array of length ${size}`, describe(out));
    if (out.length !== size) fail(fn, 'out.length', String(size), String(out.length));
    const others = [
      ['x.data', x],
      ['weight', this.weight],
      ['bias', this.bias],
      ['gradWeight', this.gradWeight],
      ['gradBias', this.gradBias],
    ] as const;
    for (const [name, array] of others) {
      if (overlaps(out, array)) fail(fn, 'out', `a buffer that shares no memory with ${name}`, `a Float64Array overlapping ${name}`);
    }
    return out;
  }

  /** Throws `fn: name[i] must be a finite number, got NaN` for the first non-finite element of the arrays. */
  private blame(fn: string, arrays: readonly (readonly [string, FloatArray])[]): void {
    for (const [name, array] of arrays) {
      const i = firstNonFinite(array);
      if (i >= 0) fail(fn, `${name}[${i}]`, 'a finite number', describe(array[i]));
    }
  }
}

/** out[n, k] = Σ_o g[n, o] w[o, k] (g: [N, outF], w: [outF, inF]), looping n, o, k. */
function matmul(g: FloatArray, w: Float64Array, out: Float64Array, n: number, outF: number, inF: number): void {
  for (let r = 0; r < n; r++) {
    const ro = r * inF;
    for (let o = 0; o < outF; o++) {
      const go = g[r * outF + o]!;
      const wo = o * inF;
      for (let k = 0; k < inF; k++) out[ro + k] = out[ro + k]! + go * w[wo + k]!;
    }
  }
}
