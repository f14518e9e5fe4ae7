import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import type { GradOf, Values } from '../tensor/types';
import { boxPass, readBoxes, type Boxes } from './boxGeometry';
import { defineMultiLoss } from './defineLoss';

const spec = {
  /** How the per-box losses are combined: `'mean'` (default here; torchvision's default is `'none'`), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** ε >= 0 added to the union and to the enclosing box's squared diagonal before dividing (default 1e-7). */
  eps: numberOption(1e-7, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type DistanceBoxIouLossOptions = OptionsOf<typeof spec>;

/**
 * Distance IoU loss (DIoU 손실) for bounding boxes, as torchvision: 1 - IoU plus the squared
 * distance $\rho^2$ between the boxes' centres over the squared diagonal $c^2$ of their smallest
 * enclosing box. Per pair $i$ of `boxes1` (the prediction) and `boxes2`, with intersection $I$
 * and union $U$:
 *
 * $$\ell_i = 1 - \frac{I}{U + \epsilon} + \frac{\rho^2}{c^2 + \epsilon}$$
 *
 * - `reduction` over boxes: `'mean'` (the default here; **torchvision's default is `'none'`**),
 *   `'sum'`, `'none'` the $\ell_i$.
 * - `eps`: ε, default 1e-7, >= 0. At eps = 0 a pair of zero-area boxes has no IoU and throws.
 * - Shapes: `boxes1`, `boxes2` `[N, 4]`, or `[4]` for one pair; each box (x1, y1, x2, y2) with
 *   x1 <= x2 and y1 <= y2 (a box that breaks it throws).
 * - Gradient: d/d boxes1 only, through $I$, $U$, the centres and the enclosing box's sides;
 *   ties in a min or max split the gradient in half, as PyTorch's autograd. Over $N$ for `'mean'`.
 * - Accuracy: $1 - I/(U+\epsilon)$ as in generalizedBoxIouLoss, without cancellation; the centre
 *   offset is $((x_1 - x^g_1) + (x_2 - x^g_2))/2$.
 * - torchvision: `torchvision.ops.distance_box_iou_loss(boxes1, boxes2, reduction='none', eps=1e-7)`.
 *
 * @example
 * distanceBoxIouLoss([0, 0, 2, 2], [0, 0, 2, 2], { eps: 0 }) // 0
 * distanceBoxIouLoss([[0, 0, 1, 1]], [[2, 0, 3, 1]], { eps: 0 }) // 1.4 (1 - 0 + 2²/(3² + 1²))
 * distanceBoxIouLoss.grad([0, 0, 1, 1], [2, 0, 3, 1], { eps: 0 }) // [0.040000000000000036, 0.04000000000000001, -0.2, -0.04000000000000001]
 */
export const distanceBoxIouLoss = defineMultiLoss<[boxes1: Values, boxes2: Values], GradOf<Values>, typeof spec, Boxes>({
  name: 'distanceBoxIouLoss',
  options: spec,
  args: ['boxes1', 'boxes2'],
  differentiable: [0],
  prepare,
  sizes: (c) => [c.b1.length],
  value: (c) => boxPass('distanceBoxIouLoss', c, 'diou', null),
  grad(c, [out]) {
    boxPass('distanceBoxIouLoss', c, 'diou', out!);
  },
  valueAndGrad: (c, [out]) => boxPass('distanceBoxIouLoss', c, 'diou', out!),
  writesEveryElement: true,
});

function prepare(args: readonly unknown[], o: Parsed<typeof spec>): Boxes {
  return readBoxes('distanceBoxIouLoss', args, o);
}
