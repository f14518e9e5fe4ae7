import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import type { GradOf, Values } from '../tensor/types';
import { boxPass, readBoxes, type Boxes } from './boxGeometry';
import { defineMultiLoss } from './defineLoss';

const spec = {
  /** How the per-box losses are combined: `'mean'` (default here; torchvision's default is `'none'`), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** ε >= 0 in the trade-off weight α only, as torchvision (default 1e-7; the DIoU part always uses 1e-7). */
  eps: numberOption(1e-7, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CompleteBoxIouLossOptions = OptionsOf<typeof spec>;

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
 * - Accuracy: 1 - IoU and the distance term as in distanceBoxIouLoss, without cancellation.
 * - Degenerate boxes: $\arctan(w/h)$ is computed as atan2(w, h): π/2 for a zero-height box and 0
 *   (with zero gradient) for a box of zero width and height, where torchvision gives NaN.
 * - torchvision: `torchvision.ops.complete_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7)`.
 *
 * @example
 * completeBoxIouLoss([0, 0, 2, 2], [0, 0, 2, 2]) // 2.4999999375000013e-8 (eps / (4 + eps): the DIoU part's eps)
 * completeBoxIouLoss([[0, 0, 1, 1]], [[2, 0, 3, 1]]) // 1.399999996
 * completeBoxIouLoss([0, 0, 1, 2], [0, 0, 2, 1]) // 0.7629183409132374
 * completeBoxIouLoss.grad([0, 0, 1, 2], [0, 0, 2, 1]) // [-0.004914955812391188, 0.16825608896666996, -0.32668225597869716, 0.1633411228244184]
 */
export const completeBoxIouLoss = defineMultiLoss<[boxes1: Values, boxes2: Values], GradOf<Values>, typeof spec, Boxes>({
  name: 'completeBoxIouLoss',
  options: spec,
  args: ['boxes1', 'boxes2'],
  differentiable: [0],
  prepare,
  sizes: (c) => [c.b1.length],
  value: (c) => boxPass('completeBoxIouLoss', c, 'ciou', null),
  grad(c, [out]) {
    boxPass('completeBoxIouLoss', c, 'ciou', out!);
  },
  valueAndGrad: (c, [out]) => boxPass('completeBoxIouLoss', c, 'ciou', out!),
  writesEveryElement: true,
});

function prepare(args: readonly unknown[], o: Parsed<typeof spec>): Boxes {
  return readBoxes('completeBoxIouLoss', args, o);
}
