import { describe, fail, showShape } from '../errors';
import type { FloatArray, Tensor } from '../tensor/types';
import { accumulateOuter, matmulTransposed } from './linearWasm';
import type { Parameter } from './optimizer';
import { Random } from './random';

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
 * @example
 * const layer = new Linear(784, 10, new Random(0));
 * const logits = layer.forward({ data: images, shape: [64, 784] }); // shape [64, 10]
 * layer.backward({ data: images, shape: [64, 784] }, crossEntropy.grad(logits, labels));
 */
export class Linear {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly gradWeight: Float64Array;
  readonly gradBias: Float64Array;

  /**
   * @param rng a seeded `Random`, or a seed for one.
   */
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    rng: Random | number,
  ) {
    for (const [name, n] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!(Number.isInteger(n) && n >= 1)) fail('Linear', name, 'an integer >= 1', describe(n));
    }
    const random = typeof rng === 'number' ? new Random(rng) : rng;
    if (!(random instanceof Random)) fail('Linear', 'rng', 'a Random or a seed', describe(rng));
    this.weight = new Float64Array(outFeatures * inFeatures);
    this.bias = new Float64Array(outFeatures);
    this.gradWeight = new Float64Array(this.weight.length);
    this.gradBias = new Float64Array(outFeatures);
    const bound = 1 / Math.sqrt(inFeatures);
    for (let i = 0; i < this.weight.length; i++) this.weight[i] = random.uniform(-bound, bound);
    for (let i = 0; i < outFeatures; i++) this.bias[i] = random.uniform(-bound, bound);
  }

  /** The weight and bias with their gradients, for an optimizer: `new SGD(layer.parameters(), ...)`. */
  parameters(): Parameter[] {
    return [
      { param: this.weight, grad: this.gradWeight },
      { param: this.bias, grad: this.gradBias },
    ];
  }

  /**
   * $y_{no} = b_o + \sum_k x_{nk} W_{ok}$ for `x` of shape `[N, in]`; returns `[N, out]`.
   * Writes into `out` (length `N*out`) when given, else into a new Float64Array.
   */
  forward(x: Tensor, out?: Float64Array): Tensor<Float64Array> {
    const n = this.rowsOf('forward', 'x', x, this.inFeatures);
    const y = out ?? new Float64Array(n * this.outFeatures);
    if (y.length !== n * this.outFeatures) fail('Linear.forward', 'out.length', String(n * this.outFeatures), String(y.length));
    matmulTransposed(x.data, this.weight, this.bias, y, n, this.inFeatures, this.outFeatures);
    return { data: y, shape: [n, this.outFeatures] };
  }

  /**
   * Backward of `forward(x)` given $G = \partial L/\partial y$ (`[N, out]`):
   * `gradWeight` += $G^\top x$ ($\sum_n G_{no} x_{nk}$), `gradBias` += $\sum_n G_{no}$.
   * With `{ gradInput: true }` also returns $\partial L/\partial x = G W$ (`[N, in]`), else `null`.
   */
  backward(x: Tensor, gradOut: Tensor, options?: { gradInput?: boolean }): Tensor<Float64Array> | null {
    const n = this.rowsOf('backward', 'x', x, this.inFeatures);
    const m = this.rowsOf('backward', 'gradOut', gradOut, this.outFeatures);
    if (m !== n) fail('Linear.backward', 'gradOut shape', `[${n},${this.outFeatures}] like the output of x`, showShape(gradOut.shape));
    accumulateOuter(gradOut.data, x.data, this.gradWeight, this.gradBias, n, this.inFeatures, this.outFeatures);
    if (!options?.gradInput) return null;
    const gx = new Float64Array(n * this.inFeatures);
    matmul(gradOut.data, this.weight, gx, n, this.outFeatures, this.inFeatures);
    return { data: gx, shape: [n, this.inFeatures] };
  }

  /** N for a `[N, cols]` tensor; throws on anything else. */
  private rowsOf(method: string, arg: string, t: Tensor, cols: number): number {
    const fn = `Linear.${method}`;
    if (!t || !(t.data instanceof Float32Array || t.data instanceof Float64Array)) {
      fail(fn, `${arg}.data`, 'a Float32Array or Float64Array', describe(t?.data));
    }
    const s = t.shape;
    const rows = Array.isArray(s) && s.length === 2 && s[1] === cols ? (s[0] as number) : -1;
    if (!(Number.isInteger(rows) && rows >= 0 && rows * cols === t.data.length)) {
      fail(fn, `${arg} shape`, `[N,${cols}] matching ${arg}.data.length ${t.data.length}`, Array.isArray(s) ? showShape(s) : describe(s));
    }
    return rows;
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
