import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import type { GradOf, Values } from '../tensor/types';
import { boxPass, readBoxes, type Boxes } from './boxGeometry';
import { defineMultiLoss } from './defineLoss';

const spec = {
  /** How the per-box losses are combined: `'mean'` (default here; torchvision's default is `'none'`), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** ε >= 0 added to the union and to the enclosing area before dividing (default 1e-7). */
  eps: numberOption(1e-7, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type GeneralizedBoxIouLossOptions = OptionsOf<typeof spec>;

/**
 * Generalized IoU loss (GIoU 손실) for bounding boxes, as torchvision: 1 - IoU, plus the share of
 * the smallest enclosing box $C$ that the union $U$ leaves empty, so boxes that do not overlap
 * still get a gradient. Per pair $i$ of `boxes1` (the prediction) and `boxes2`, with
 * intersection $I$:
 *
 * $$\ell_i = 1 - \frac{I}{U + \epsilon} + \frac{C - U}{C + \epsilon}$$
 *
 * - `reduction` over boxes: `'mean'` (the default here; **torchvision's default is `'none'`**),
 *   `'sum'`, `'none'` the $\ell_i$.
 * - `eps`: ε, default 1e-7, >= 0. At eps = 0 a pair of zero-area boxes has no IoU and throws.
 * - Shapes: `boxes1`, `boxes2` `[N, 4]`, or `[4]` for one pair; each box (x1, y1, x2, y2) with
 *   x1 <= x2 and y1 <= y2 (a box that breaks it throws). Zero-width or zero-height boxes are fine.
 * - Gradient: d/d boxes1 only (boxes2 is the target), the derivative of the formula above
 *   through $I$ (0 where the boxes do not overlap), $U$ and $C$; where two coordinates tie in a
 *   min or max the gradient is split in half between them, as PyTorch's autograd does. Over
 *   $N$ for `'mean'`.
 * - Accuracy: $1 - I/(U+\epsilon)$ is computed as $(U - I + \epsilon)/(U + \epsilon)$ with $U - I$
 *   summed from non-negative pieces (see boxPass, the kernel of the three box losses), so nearly
 *   coincident boxes keep every digit that torchvision's $1 - I/(U + \epsilon)$ cancels away:
 *   within 1e-15 of the exact value where torchvision float64 is off by up to 1e-8.
 * - torchvision: `torchvision.ops.generalized_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7)`.
 *
 * @example
 * generalizedBoxIouLoss([0, 0, 2, 2], [0, 0, 2, 2], { eps: 0 }) // 0
 * generalizedBoxIouLoss([[0, 0, 1, 1]], [[2, 0, 3, 1]], { eps: 0 }) // 1.3333333333333333
 * generalizedBoxIouLoss.grad([0, 0, 1, 1], [2, 0, 3, 1], { eps: 0 }) // [0.1111111111111111, 0, -0.3333333333333333, 0]
 */
export const generalizedBoxIouLoss = defineMultiLoss<[boxes1: Values, boxes2: Values], GradOf<Values>, typeof spec, Boxes>({
  name: 'generalizedBoxIouLoss',
  options: spec,
  args: ['boxes1', 'boxes2'],
  differentiable: [0],
  prepare,
  sizes: (c) => [c.b1.length],
  value: (c) => boxPass('generalizedBoxIouLoss', c, 'giou', null),
  grad(c, [out]) {
    boxPass('generalizedBoxIouLoss', c, 'giou', out!);
  },
  valueAndGrad: (c, [out]) => boxPass('generalizedBoxIouLoss', c, 'giou', out!),
  writesEveryElement: true,
});

function prepare(args: readonly unknown[], o: Parsed<typeof spec>): Boxes {
  return readBoxes('generalizedBoxIouLoss', args, o);
}
