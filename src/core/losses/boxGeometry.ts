import { fail, overflow, showShape } from '../errors';
import { gradScale, reduce } from '../reduce';
import { checkFinite } from '../tensor/finite';
import { assertSameShape, toFlat } from '../tensor/flatten';
import type { FloatArray, Reduction, Values } from '../tensor/types';
import { RunningTotal } from '../math/twoSum';

/**
 * Which loss boxPass computes: torchvision's generalized, distance and complete IoU losses, and
 * plain 1 - IoU (no export: the tests use it to show what GIoU adds).
 */
export type BoxLoss = 'giou' | 'diou' | 'ciou' | 'iou';

/** torchvision's eps of CIoU's DIoU part: `_diou_iou_loss(boxes1, boxes2)` is called without the loss's eps. */
export const CIOU_DIOU_EPS = 1e-7;
/** 4/π², as torchvision's `4 / (torch.pi ** 2)`. */
const FOUR_OVER_PI2 = 4 / (Math.PI * Math.PI);

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
 * Typed data is checked for NaN and ±Infinity in the same pass as the box order.
 */
export function readBoxes(fn: string, args: readonly unknown[], o: { reduction: Reduction; eps: number }): Boxes {
  const a = toFlat(fn, 'boxes1', args[0] as Values, { deferScan: true });
  const { shape } = a;
  if (!((shape.length === 2 && shape[1] === 4) || (shape.length === 1 && shape[0] === 4))) {
    fail(fn, 'boxes1 shape', '[N, 4] or [4] (x1, y1, x2, y2)', `shape ${showShape(shape)}`);
  }
  const b = toFlat(fn, 'boxes2', args[1] as Values, { deferScan: true });
  assertOrdered(fn, 'boxes1', a.data, shape.length === 1);
  assertSameShape(fn, a, 'boxes1', b, 'boxes2');
  assertOrdered(fn, 'boxes2', b.data, shape.length === 1);
  return { b1: a.data, b2: b.data, rows: a.data.length / 4, reduction: o.reduction, eps: o.eps };
}

/** Throws at the first NaN / ±Infinity (the finiteness message), else at the first box with x2 < x1 or y2 < y1. */
function assertOrdered(fn: string, arg: string, data: FloatArray, single: boolean): void {
  for (let o = 0; o < data.length; o += 4) {
    const x1 = data[o]!;
    const y1 = data[o + 1]!;
    const x2 = data[o + 2]!;
    const y2 = data[o + 3]!;
    // x * 0 is 0 for finite x, NaN for NaN and ±Infinity
    if (x2 >= x1 && y2 >= y1 && x1 * 0 + y1 * 0 + x2 * 0 + y2 * 0 === 0) continue;
    checkFinite(fn, arg, data);
    const box = `[${Array.from(data.subarray(o, o + 4)).join(', ')}]`;
    fail(fn, single ? arg : `${arg}[${o / 4}]`, 'a box [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2', box);
  }
}

/**
 * -d(1 - IoU [+ (C - U)/(C + ε)])/d e for a left (or bottom) edge e of box 1 whose weight in the
 * intersection's edge is t (1: e bounds it; 0: the other box does, and e bounds the enclosing box;
 * 1/2 at a tie), from the intersection's side s across it, box 1's side s1 and its part e1 = s1 - s
 * outside the intersection, the enclosing box's side sc and its rest e2 = sc - s1, ir = I/ue, ue = U + ε,
 * rc = 1/(C + ε) (0 without the GIoU term) and cmu = C - U. Expanded so that nothing cancels for
 * nearly coincident boxes, and with the leading term rounded as few times as possible:
 * IoU part  t s (ue + I)/ue² - I s1/ue² = s/ue - I e1/ue² (t = 1), -I s1/ue² (t = 0);
 * GIoU part (s1 - t s) rc - (1 - t) ue rc² sc = e1 rc (t = 1), rc (sc cmu rc - e2) (t = 0).
 * A right (top) edge's slope is minus this, with its own t.
 */
function edgeSlope(t: number, side: number, s1: number, e1: number, e2: number, sc: number, ir: number, ue: number, rc: number, cmu: number): number {
  if (t === 1) return side / ue - ir * (e1 / ue) + e1 * rc;
  if (t === 0) return rc * (sc * (cmu * rc) - e2) - ir * (s1 / ue);
  const iou = (t * side) / ue + (t - 1) * ir * (side / ue) - ir * (e1 / ue);
  return iou + (e1 * rc + (1 - t) * rc * (sc * (cmu * rc) - (e1 + e2)));
}

/** The weight of `a` in max(a, b): 1 if a > b, 1/2 at a tie (PyTorch's maximum backward), else 0; 1 - that in min(a, b). */
function weight(a: number, b: number): number {
  return a > b ? 1 : a === b ? 0.5 : 0;
}

/**
 * The reduced loss `kind` (per-box items for `'none'`) over every pair of boxes1 (x1, y1, x2, y2)
 * and boxes2 (x1g, y1g, x2g, y2g), as torchvision.ops computes it, and with `out` d loss / d boxes1.
 * One kernel for the three losses: the geometry they share (torchvision's `_loss_inter_union` and
 * the enclosing box), then each loss's penalty with its backward rule under it, then the chain
 * rule to the coordinates. A pair whose loss is not finite throws: 0/0 from two zero-area boxes
 * at eps = 0, or an overflow.
 *
 * Accuracy: for overlapping boxes, with $e_x = w_1 - w_\cap = \max(0, x^g_1 - x_1) + \max(0, x_2 - x^g_2)$
 * (box 1's width outside the intersection), $a_1 - |\cap| = e_x h_1 + w_\cap e_y$, and likewise
 * for box 2, so $U - I$ is a sum of non-negative terms and
 * $1 - I/(U + \epsilon) = (U - I + \epsilon)/(U + \epsilon)$ keeps its digits for nearly coincident
 * boxes; $W_c - w_\cap = |x_1 - x^g_1| + |x_2 - x^g_2|$ gives $C - I$ the same way.
 *
 * Written as one loop of local variables: the same computation through a geometry object and a
 * rule function per loss took 2.5x as long (GIoU, 1e5 float32 boxes, Node 20).
 */
export function boxPass(fn: string, c: Boxes, kind: BoxLoss, out: FloatArray | null): number | Float64Array {
  const { b1, b2, rows } = c;
  const s = gradScale(fn, c.reduction, rows);
  const items = c.reduction === 'none' ? new Float64Array(rows) : null;
  // CIoU's IoU and DIoU terms use torchvision's default eps whatever the loss's eps; the loss's eps enters α only
  const eps = kind === 'ciou' ? CIOU_DIOU_EPS : c.eps;
  const total = new RunningTotal();
  for (let r = 0, o = 0; r < rows; r++, o += 4) {
    const x1 = b1[o]!;
    const y1 = b1[o + 1]!;
    const x2 = b1[o + 2]!;
    const y2 = b1[o + 3]!;
    const gx1 = b2[o]!;
    const gy1 = b2[o + 1]!;
    const gx2 = b2[o + 2]!;
    const gy2 = b2[o + 3]!;
    const w1 = x2 - x1;
    const h1 = y2 - y1;
    const w2 = gx2 - gx1;
    const h2 = gy2 - gy1;
    // intersection (0 unless both sides are positive: torchvision's mask) and enclosing box
    let wi = Math.min(x2, gx2) - Math.max(x1, gx1);
    let hi = Math.min(y2, gy2) - Math.max(y1, gy1);
    const wc = Math.max(x2, gx2) - Math.min(x1, gx1);
    const hc = Math.max(y2, gy2) - Math.min(y1, gy1);
    const area = wc * hc;
    let inter = 0;
    let d = w1 * h1 + w2 * h2; // union - intersection
    let cMinusInter = area;
    // each box's width and height outside the intersection (all of box 1 and the enclosing box's
    // rest, w_c - w_1 = w_2 - w_∩, when they do not overlap)
    let ex1 = w1;
    let ey1 = h1;
    let ex2 = wc - w1;
    let ey2 = hc - h1;
    if (wi > 0 && hi > 0) {
      inter = wi * hi;
      ex1 = (gx1 > x1 ? gx1 - x1 : 0) + (x2 > gx2 ? x2 - gx2 : 0);
      ey1 = (gy1 > y1 ? gy1 - y1 : 0) + (y2 > gy2 ? y2 - gy2 : 0);
      ex2 = (x1 > gx1 ? x1 - gx1 : 0) + (gx2 > x2 ? gx2 - x2 : 0);
      ey2 = (y1 > gy1 ? y1 - gy1 : 0) + (gy2 > y2 ? gy2 - y2 : 0);
      d = ex1 * h1 + wi * ey1 + (ex2 * h2 + wi * ey2);
      cMinusInter = (ex1 + ex2) * hc + wi * (ey1 + ey2);
    } else {
      wi = 0;
      hi = 0;
    }
    const union = inter + d;

    // 1 - IoU = (U - I + eps)/(U + eps); its slopes and GIoU's: edgeSlope
    const ue = union + eps;
    const ru = 1 / ue;
    const oneMinusIou = (d + eps) * ru;
    const rc = kind === 'giou' ? 1 / (area + eps) : 0;
    const cmu = cMinusInter - d;
    let l = oneMinusIou;
    let dWc = 0;
    let dHc = 0;
    let dW1 = 0;
    let dH1 = 0;
    let gcx = 0;
    let gcy = 0;
    if (kind === 'giou') {
      // + (C - U)/(C + eps), C - U = (C - I) - (U - I)
      l += cmu * rc;
    } else if (kind !== 'iou') {
      // + ρ²/(Wc² + Hc² + eps), ρ the centres' distance: dx = ((x1 - x1g) + (x2 - x2g))/2, likewise dy;
      // d/dx1 = d/dx2 = dx/S through ρ², and d/d(Wc, Hc) = -ρ²/S² · 2(Wc, Hc)
      const dx = 0.5 * (x1 - gx1 + (x2 - gx2));
      const dy = 0.5 * (y1 - gy1 + (y2 - gy2));
      const rho2 = dx * dx + dy * dy;
      const rs = 1 / (wc * wc + hc * hc + eps);
      l += rho2 * rs;
      const k = -2 * rho2 * rs * rs;
      dWc = k * wc;
      dHc = k * hc;
      gcx = dx * rs;
      gcy = dy * rs;
      if (kind === 'ciou') {
        // + α v, v = 4/π² (atan(wg/hg) - atan(w/h))² (atan2, defined for zero sides too), α = v/(1 - IoU + v + eps)
        // held constant (torchvision computes it under no_grad): d/dw = -α 2Kδ h/(w² + h²), d/dh = +α 2Kδ w/(w² + h²),
        // written with m = max(w, h) so that neither tiny nor huge boxes underflow or overflow
        const delta = Math.atan2(w2, h2) - Math.atan2(w1, h1);
        const v = FOUR_OVER_PI2 * delta * delta;
        const alpha = v / (oneMinusIou + v + c.eps);
        l += alpha * v;
        const m = Math.max(w1, h1);
        if (m > 0) {
          const p = w1 / m;
          const q = h1 / m;
          const g = (2 * alpha * FOUR_OVER_PI2 * delta) / (m * (p * p + q * q));
          dW1 = -g * q;
          dH1 = g * p;
        }
      }
    }
    if (l - l !== 0) {
      checkFinite(fn, 'boxes1', b1);
      checkFinite(fn, 'boxes2', b2);
      if (!(ue > 0)) fail(fn, `the union of boxes1[${r}] and boxes2[${r}]`, 'positive when options.eps is 0', '0');
      overflow(fn, `the loss of box ${r}`, l);
    }
    total.add(l);
    if (items) items[r] = l;
    if (!out) continue;

    // chain rule: I = w∩ h∩, C = Wc Hc, a1 = w1 h1; w∩ = min(x2, x2g) - max(x1, x1g), Wc = max(x2, x2g) - min(x1, x1g)
    // (the IoU and GIoU parts by edgeSlope, without their cancellation; DIoU's and CIoU's as they are)
    // I/ue = IoU: for overlapping boxes 1 - (1 - IoU), rounded once from the accurate 1 - IoU
    const ir = oneMinusIou < 0.5 ? 1 - oneMinusIou : inter / ue;
    const tx1 = weight(x1, gx1);
    const ty1 = weight(y1, gy1);
    const tx2 = weight(gx2, x2);
    const ty2 = weight(gy2, y2);
    const g0 = s * (edgeSlope(tx1, hi, h1, ey1, ey2, hc, ir, ue, rc, cmu) - dWc * (1 - tx1) - dW1 + gcx);
    const g1 = s * (edgeSlope(ty1, wi, w1, ex1, ex2, wc, ir, ue, rc, cmu) - dHc * (1 - ty1) - dH1 + gcy);
    const g2 = s * (dWc * (1 - tx2) + dW1 + gcx - edgeSlope(tx2, hi, h1, ey1, ey2, hc, ir, ue, rc, cmu));
    const g3 = s * (dHc * (1 - ty2) + dH1 + gcy - edgeSlope(ty2, wi, w1, ex1, ex2, wc, ir, ue, rc, cmu));
    const check = g0 + g1 + g2 + g3;
    if (check - check !== 0) overflow(fn, `the gradient of box ${r}`, check);
    out[o] = g0;
    out[o + 1] = g1;
    out[o + 2] = g2;
    out[o + 3] = g3;
  }
  return reduce(fn, c.reduction, total.value(), rows, items);
}
