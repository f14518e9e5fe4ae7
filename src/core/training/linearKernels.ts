import type { FloatArray } from '../tensor/types';

/** The TypeScript kernels of `Linear`: the fallback of linearWasm.ts's WebAssembly ones. */

/**
 * y[n, o] = b[o] + Σ_k x[n, k] w[o, k]: both rows are contiguous in k, so each output is a
 * dot product. Blocks of two rows by four outputs share their loads (6 loads per 8 products);
 * an odd last row is computed as a pair with itself.
 */
export function matmulTransposedTs(x: FloatArray, w: Float64Array, b: Float64Array, y: Float64Array, n: number, inF: number, outF: number): void {
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
export function accumulateOuterTs(g: FloatArray, x: FloatArray, gw: Float64Array, gb: Float64Array, n: number, inF: number, outF: number): void {
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
