import { describe, fail, showShape } from '../errors';
import type { FloatArray, Tensor } from '../tensor/types';
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

/**
 * y[n, o] = b[o] + Σ_k x[n, k] w[o, k]: both rows are contiguous in k, so each output is a
 * dot product. Blocks of two rows by four outputs share their loads (6 loads per 8 products);
 * an odd last row is computed as a pair with itself.
 */
function matmulTransposed(x: FloatArray, w: Float64Array, b: Float64Array, y: Float64Array, n: number, inF: number, outF: number): void {
  for (let r = 0; r < n; r += 2) {
    const xa = r * inF;
    const xb = r + 1 < n ? xa + inF : xa;
    const ya = r * outF;
    const yb = r + 1 < n ? ya + outF : ya;
    let o = 0;
    for (; o + 3 < outF; o += 4) {
      const w0 = o * inF, w1 = w0 + inF, w2 = w1 + inF, w3 = w2 + inF;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let k = 0; k < inF; k++) {
        const u = x[xa + k]!, v = x[xb + k]!;
        const q0 = w[w0 + k]!, q1 = w[w1 + k]!, q2 = w[w2 + k]!, q3 = w[w3 + k]!;
        a0 += u * q0; a1 += u * q1; a2 += u * q2; a3 += u * q3;
        c0 += v * q0; c1 += v * q1; c2 += v * q2; c3 += v * q3;
      }
      y[ya + o] = b[o]! + a0; y[ya + o + 1] = b[o + 1]! + a1; y[ya + o + 2] = b[o + 2]! + a2; y[ya + o + 3] = b[o + 3]! + a3;
      y[yb + o] = b[o]! + c0; y[yb + o + 1] = b[o + 1]! + c1; y[yb + o + 2] = b[o + 2]! + c2; y[yb + o + 3] = b[o + 3]! + c3;
    }
    for (; o < outF; o++) {
      const wo = o * inF;
      let a = 0, c = 0;
      for (let k = 0; k < inF; k++) {
        const q = w[wo + k]!;
        a += x[xa + k]! * q;
        c += x[xb + k]! * q;
      }
      y[ya + o] = b[o]! + a;
      y[yb + o] = b[o]! + c;
    }
  }
}

/**
 * gw[o, k] += Σ_n g[n, o] x[n, k] and gb[o] += Σ_n g[n, o]. Loops over pairs of outputs o,
 * then four rows n at a time, then k (contiguous): each gw[o, k] is read and written once per
 * four rows, and each x[n, k] loaded once per two outputs.
 */
function accumulateOuter(g: FloatArray, x: FloatArray, gw: Float64Array, gb: Float64Array, n: number, inF: number, outF: number): void {
  for (let r = 0; r < n; r++) for (let o = 0; o < outF; o++) gb[o] = gb[o]! + g[r * outF + o]!;
  let o = 0;
  for (; o + 1 < outF; o += 2) {
    const wa = o * inF, wb = wa + inF;
    let r = 0;
    for (; r + 3 < n; r += 4) {
      const i0 = r * outF + o, i1 = i0 + outF, i2 = i1 + outF, i3 = i2 + outF;
      const a0 = g[i0]!, a1 = g[i1]!, a2 = g[i2]!, a3 = g[i3]!;
      const b0 = g[i0 + 1]!, b1 = g[i1 + 1]!, b2 = g[i2 + 1]!, b3 = g[i3 + 1]!;
      const x0 = r * inF, x1 = x0 + inF, x2 = x1 + inF, x3 = x2 + inF;
      for (let k = 0; k < inF; k++) {
        const u0 = x[x0 + k]!, u1 = x[x1 + k]!, u2 = x[x2 + k]!, u3 = x[x3 + k]!;
        gw[wa + k] = gw[wa + k]! + (a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3);
        gw[wb + k] = gw[wb + k]! + (b0 * u0 + b1 * u1 + b2 * u2 + b3 * u3);
      }
    }
    for (; r < n; r++) {
      const a = g[r * outF + o]!, b = g[r * outF + o + 1]!;
      const xo = r * inF;
      for (let k = 0; k < inF; k++) {
        const u = x[xo + k]!;
        gw[wa + k] = gw[wa + k]! + a * u;
        gw[wb + k] = gw[wb + k]! + b * u;
      }
    }
  }
  if (o < outF) {
    const wo = o * inF;
    for (let r = 0; r < n; r++) {
      const a = g[r * outF + o]!;
      const xo = r * inF;
      for (let k = 0; k < inF; k++) gw[wo + k] = gw[wo + k]! + a * x[xo + k]!;
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
