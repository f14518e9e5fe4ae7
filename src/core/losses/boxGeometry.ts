import { fail, overflow, showShape } from '../errors';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, toFlat } from '../tensor/flatten';
import type { FloatArray, Reduction, Values } from '../tensor/types';

/**
 * The geometry the box losses share (torchvision.ops' `_loss_inter_union` and enclosing box),
 * for boxes (x1, y1, x2, y2) of `boxes1` (the prediction, differentiated) and `boxes2`.
 * `measure` fills the geometry of one pair; a loss's rule then returns the pair's loss and sets
 * its partial derivatives (`dInter` ... `gcy`), which `backprop` chains to d/d boxes1.
 */
export class BoxPair {
  w1 = 0;
  h1 = 0;
  w2 = 0;
  h2 = 0;
  a1 = 0;
  a2 = 0;
  /** The intersection's sides and area: 0 unless both sides are positive (torchvision's mask). */
  wi = 0;
  hi = 0;
  inter = 0;
  /** union - intersection, summed from non-negative terms (no cancellation; see measure). */
  d = 0;
  union = 0;
  /** The smallest enclosing box: sides, area, and area - intersection (non-negative terms). */
  wc = 0;
  hc = 0;
  c = 0;
  cMinusInter = 0;
  /** The offset of the centres, centre(boxes1) - centre(boxes2). */
  dx = 0;
  dy = 0;
  /** Each coordinate's weight in the max / min it enters: 1, 0, or 1/2 at a tie (PyTorch's maximum / minimum backward). */
  tx1 = 0;
  ty1 = 0;
  tx2 = 0;
  ty2 = 0;
  ux1 = 0;
  uy1 = 0;
  ux2 = 0;
  uy2 = 0;
  /** 1 - IoU, as oneMinusIou last computed it. */
  oneMinusIou = 0;
  /** Partial derivatives of the pair's loss, set by the loss's rule (0 for the ones it does not use). */
  dInter = 0;
  dA1 = 0;
  dC = 0;
  dWc = 0;
  dHc = 0;
  dW1 = 0;
  dH1 = 0;
  gcx = 0;
  gcy = 0;

  /**
   * The geometry of boxes1 at `o` and boxes2 at `o`. For overlapping boxes, with
   * $e_x = w_1 - w_\cap = \max(0, x^g_1 - x_1) + \max(0, x_2 - x^g_2)$ (box 1's width outside the
   * intersection), $a_1 - |\cap| = e_x h_1 + w_\cap e_y$, and likewise for box 2, so
   * union - intersection is a sum of non-negative terms; $W_c - w_\cap = |x_1 - x^g_1| + |x_2 - x^g_2|$
   * gives $C - |\cap|$ the same way.
   */
  measure(b1: FloatArray, b2: FloatArray, o: number): void {
    const x1 = b1[o]!;
    const y1 = b1[o + 1]!;
    const x2 = b1[o + 2]!;
    const y2 = b1[o + 3]!;
    const gx1 = b2[o]!;
    const gy1 = b2[o + 1]!;
    const gx2 = b2[o + 2]!;
    const gy2 = b2[o + 3]!;
    this.w1 = x2 - x1;
    this.h1 = y2 - y1;
    this.w2 = gx2 - gx1;
    this.h2 = gy2 - gy1;
    this.a1 = this.w1 * this.h1;
    this.a2 = this.w2 * this.h2;
    const wi = Math.min(x2, gx2) - Math.max(x1, gx1);
    const hi = Math.min(y2, gy2) - Math.max(y1, gy1);
    this.wc = Math.max(x2, gx2) - Math.min(x1, gx1);
    this.hc = Math.max(y2, gy2) - Math.min(y1, gy1);
    this.c = this.wc * this.hc;
    if (wi > 0 && hi > 0) {
      this.wi = wi;
      this.hi = hi;
      this.inter = wi * hi;
      const ex1 = (gx1 > x1 ? gx1 - x1 : 0) + (x2 > gx2 ? x2 - gx2 : 0);
      const ey1 = (gy1 > y1 ? gy1 - y1 : 0) + (y2 > gy2 ? y2 - gy2 : 0);
      const ex2 = (x1 > gx1 ? x1 - gx1 : 0) + (gx2 > x2 ? gx2 - x2 : 0);
      const ey2 = (y1 > gy1 ? y1 - gy1 : 0) + (gy2 > y2 ? gy2 - y2 : 0);
      this.d = ex1 * this.h1 + wi * ey1 + (ex2 * this.h2 + wi * ey2);
      this.cMinusInter = (ex1 + ex2) * this.hc + wi * (ey1 + ey2);
    } else {
      this.wi = 0;
      this.hi = 0;
      this.inter = 0;
      this.d = this.a1 + this.a2;
      this.cMinusInter = this.c;
    }
    this.union = this.inter + this.d;
    this.dx = 0.5 * (x1 - gx1 + (x2 - gx2));
    this.dy = 0.5 * (y1 - gy1 + (y2 - gy2));
    this.tx1 = weight(x1, gx1);
    this.ty1 = weight(y1, gy1);
    this.tx2 = weight(gx2, x2);
    this.ty2 = weight(gy2, y2);
    this.ux1 = 1 - this.tx1;
    this.uy1 = 1 - this.ty1;
    this.ux2 = 1 - this.tx2;
    this.uy2 = 1 - this.ty2;
    this.dInter = this.dA1 = this.dC = this.dWc = this.dHc = this.dW1 = this.dH1 = this.gcx = this.gcy = 0;
  }

  /** Writes `s` · d loss / d (x1, y1, x2, y2) of boxes1 at `o` from the rule's partials. */
  backprop(out: FloatArray, o: number, s: number): void {
    // i = w∩ h∩, C = Wc Hc, a1 = w1 h1; w∩ = min(x2, x2g) - max(x1, x1g), Wc = max(x2, x2g) - min(x1, x1g)
    const dwi = this.dInter * this.hi;
    const dhi = this.dInter * this.wi;
    const dwc = this.dC * this.hc + this.dWc;
    const dhc = this.dC * this.wc + this.dHc;
    const dw1 = this.dA1 * this.h1 + this.dW1;
    const dh1 = this.dA1 * this.w1 + this.dH1;
    out[o] = s * (-dwi * this.tx1 - dwc * this.ux1 - dw1 + this.gcx);
    out[o + 1] = s * (-dhi * this.ty1 - dhc * this.uy1 - dh1 + this.gcy);
    out[o + 2] = s * (dwi * this.tx2 + dwc * this.ux2 + dw1 + this.gcx);
    out[o + 3] = s * (dhi * this.ty2 + dhc * this.uy2 + dh1 + this.gcy);
  }
}

/** The weight of `a` in max(a, b): 1 if a > b, 1/2 at a tie, else 0 (and 1 - that in min(a, b)). */
function weight(a: number, b: number): number {
  return a > b ? 1 : a === b ? 0.5 : 0;
}

/** A box loss's rule: the loss of the measured pair; it sets the pair's partials it uses. */
export type BoxRule = (g: BoxPair, eps: number) => number;

/** Two batches of boxes, `[N, 4]` (or `[4]`, one box each), read flat. */
export interface Boxes {
  readonly b1: FloatArray;
  readonly b2: FloatArray;
  readonly rows: number;
  readonly reduction: Reduction;
  readonly eps: number;
}

/**
 * Reads `boxes1` and `boxes2`: finite, the same shape `[N, 4]` or `[4]`, each box with
 * x1 <= x2 and y1 <= y2 (torchvision documents this; here a box that breaks it throws).
 */
export function readBoxes(fn: string, args: readonly unknown[], o: { reduction: Reduction; eps: number }): Boxes {
  const a = toFlat(fn, 'boxes1', args[0] as Values);
  const { shape } = a;
  if (!((shape.length === 2 && shape[1] === 4) || (shape.length === 1 && shape[0] === 4))) {
    fail(fn, 'boxes1 shape', '[N, 4] or [4] (x1, y1, x2, y2)', `shape ${showShape(shape)}`);
  }
  const b = toFlat(fn, 'boxes2', args[1] as Values);
  assertSameShape(fn, a, 'boxes1', b, 'boxes2');
  const rows = a.data.length / 4;
  assertOrdered(fn, 'boxes1', a.data, shape.length === 1);
  assertOrdered(fn, 'boxes2', b.data, shape.length === 1);
  return { b1: a.data, b2: b.data, rows, reduction: o.reduction, eps: o.eps };
}

function assertOrdered(fn: string, arg: string, data: FloatArray, single: boolean): void {
  for (let o = 0; o < data.length; o += 4) {
    if (data[o + 2]! >= data[o]! && data[o + 3]! >= data[o + 1]!) continue;
    const box = `[${Array.from(data.subarray(o, o + 4)).join(', ')}]`;
    fail(fn, single ? arg : `${arg}[${o / 4}]`, 'a box [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2', box);
  }
}

/**
 * The reduced loss (per-box items for `'none'`) of `rule` over every pair, and with `out`
 * d loss / d boxes1. A pair whose loss is not finite throws: 0/0 from two boxes of zero area
 * at eps = 0, or an overflow.
 */
export function boxPass(fn: string, c: Boxes, rule: BoxRule, out: FloatArray | null): number | Float64Array {
  const { b1, b2, rows, eps } = c;
  const s = gradScale(fn, c.reduction, rows);
  const items = c.reduction === 'none' ? new Float64Array(rows) : null;
  const g = new BoxPair();
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = 4 * r;
    g.measure(b1, b2, o);
    const l = rule(g, eps);
    if (l - l !== 0) {
      if (!(g.union + eps > 0)) fail(fn, `the union of boxes1[${r}] and boxes2[${r}]`, 'positive when options.eps is 0', '0');
      overflow(fn, `the loss of box ${r}`, l);
    }
    total += l;
    if (items) items[r] = l;
    if (!out) continue;
    g.backprop(out, o, s);
    const check = out[o]! + out[o + 1]! + out[o + 2]! + out[o + 3]!;
    if (check - check !== 0) overflow(fn, `the gradient of box ${r}`, check);
  }
  return reduce(fn, c.reduction, total, rows, items);
}

/**
 * 1 - IoU = (union - intersection + eps) / (union + eps), torchvision's 1 - inter / (union + eps)
 * without its cancellation; sets its partials d/d intersection and d/d a1 (the union is
 * a1 + a2 - intersection).
 */
export function oneMinusIou(g: BoxPair, eps: number): number {
  const u = g.union + eps;
  g.dInter = -(u + g.inter) / (u * u);
  g.dA1 = g.inter / (u * u);
  return (g.oneMinusIou = (g.d + eps) / u);
}
