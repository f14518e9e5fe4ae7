import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import type { GradOf, Values } from '../tensor/types';
import { boxPass, readBoxes, type BoxPair, type Boxes } from './boxGeometry';
import { defineMultiLoss } from './defineLoss';
import { diou } from './distanceBoxIouLoss';

const spec = {
  /** How the per-box losses are combined: `'mean'` (default here; torchvision's default is `'none'`), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** ε >= 0 in the trade-off weight α only, as torchvision (default 1e-7; the DIoU part always uses 1e-7). */
  eps: numberOption(1e-7, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CompleteBoxIouLossOptions = OptionsOf<typeof spec>;

/** torchvision's eps of the DIoU part: `_diou_iou_loss(boxes1, boxes2)` is called without the loss's eps. */
const DIOU_EPS = 1e-7;
/** 4/π², as torchvision's `4 / (torch.pi ** 2)`. */
const K = 4 / (Math.PI * Math.PI);

/**
 * Complete IoU loss (CIoU 손실) for bounding boxes, as torchvision: the distance IoU loss plus
 * a penalty $\alpha v$ on the difference of the boxes' aspect ratios. Per pair $i$ of `boxes1`
 * (the prediction, $w \times h$) and `boxes2` ($w^g \times h^g$):
 *
 * $$\ell_i = \ell^{\mathrm{DIoU}}_i + \alpha_i v_i,\qquad v_i = \frac{4}{\pi^2}\Bigl(\arctan\frac{w^g}{h^g} - \arctan\frac{w}{h}\Bigr)^2,\qquad
 * \alpha_i = \frac{v_i}{1 - \mathrm{IoU}_i + v_i + \epsilon}$$
 *
 * where $\ell^{\mathrm{DIoU}}$ (see distanceBoxIouLoss) and IoU use ε = 1e-7 whatever `eps` is,
 * as torchvision (its `_diou_iou_loss` is called without `eps`).
 *
 * - `reduction` over boxes: `'mean'` (the default here; **torchvision's default is `'none'`**),
 *   `'sum'`, `'none'` the $\ell_i$.
 * - `eps`: ε of α only, default 1e-7, >= 0.
 * - Shapes: `boxes1`, `boxes2` `[N, 4]`, or `[4]` for one pair; each box (x1, y1, x2, y2) with
 *   x1 <= x2 and y1 <= y2 (a box that breaks it throws).
 * - Gradient: d/d boxes1 only. α is a constant, as torchvision computes it under `no_grad`:
 *   $\partial(\alpha v)/\partial w = \alpha\,\partial v/\partial w$ with
 *   $\partial \arctan(w/h)/\partial w = h/(w^2+h^2)$, $\partial/\partial h = -w/(w^2+h^2)$ (this is
 *   PyTorch autograd's gradient). Over $N$ for `'mean'`.
 * - Degenerate boxes: $\arctan(w/h)$ is computed as atan2(w, h): π/2 for a zero-height box and 0
 *   (with zero gradient) for a box of zero width and height, where torchvision gives NaN.
 * - torchvision: `torchvision.ops.complete_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7)`.
 *
 * @example
 * completeBoxIouLoss([0, 0, 2, 2], [0, 0, 2, 2]) // 2.4999999375000013e-8 (eps / (4 + eps): the DIoU part's eps)
 * completeBoxIouLoss([[0, 0, 1, 1]], [[2, 0, 3, 1]]) // 1.399999996
 * completeBoxIouLoss([0, 0, 1, 2], [0, 0, 2, 1]) // 0.7629183409132374
 * completeBoxIouLoss.grad([0, 0, 1, 2], [0, 0, 2, 1]) // [-0.004914955812391229, 0.16825608896666994, -0.3266822559786971, 0.1633411228244184]
 */
export const completeBoxIouLoss = defineMultiLoss<[boxes1: Values, boxes2: Values], GradOf<Values>, typeof spec, Boxes>({
  name: 'completeBoxIouLoss',
  options: spec,
  args: ['boxes1', 'boxes2'],
  differentiable: [0],
  prepare,
  sizes: (c) => [c.b1.length],
  value: (c) => boxPass('completeBoxIouLoss', c, ciou, null),
  grad(c, [out]) {
    boxPass('completeBoxIouLoss', c, ciou, out!);
  },
  valueAndGrad: (c, [out]) => boxPass('completeBoxIouLoss', c, ciou, out!),
  writesEveryElement: true,
});

/** DIoU (at eps 1e-7) + α v, α held constant. */
function ciou(g: BoxPair, eps: number): number {
  const base = diou(g, DIOU_EPS);
  const delta = Math.atan2(g.w2, g.h2) - Math.atan2(g.w1, g.h1);
  const v = K * delta * delta;
  const alpha = v / (g.oneMinusIou + v + eps);
  // d(α v)/d w1 = α · 2Kδ · (-d atan2(w1, h1)/d w1) = -α 2Kδ h1/(w1² + h1²); d/d h1 = +α 2Kδ w1/(w1² + h1²),
  // written with m = max(w1, h1) so that tiny and huge boxes neither underflow nor overflow
  const m = Math.max(g.w1, g.h1);
  if (m > 0) {
    const p = g.w1 / m;
    const q = g.h1 / m;
    const k = (2 * alpha * K * delta) / (m * (p * p + q * q));
    g.dW1 = -k * q;
    g.dH1 = k * p;
  }
  return base + alpha * v;
}

function prepare(args: readonly unknown[], o: Parsed<typeof spec>): Boxes {
  return readBoxes('completeBoxIouLoss', args, o);
}
