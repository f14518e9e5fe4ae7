/**
 * What the explorer can show: each loss as a function of one prediction, with the target
 * and the options as further sliders. Values and gradients come from the core package
 * itself, run in the reader's browser; a loss the package does not export is left out.
 */
import * as losslab from '../../../core';

export type Group = 'Regression' | 'Binary' | 'Categorical';

export interface Slider {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
}

export interface ExplorerLoss {
  name: string;
  group: Group;
  /** The prediction the curves run over. */
  x: Slider;
  /** Target and options. */
  params: Slider[];
  /** The formula shown beside the curves (KaTeX). */
  tex: string;
  /** The call, as the reader would write it. */
  call(x: number, p: Record<string, number>): string;
  /** loss and d loss / d x from the package. */
  evaluate(x: number, p: Record<string, number>): { value: number; grad: number };
}

type AnyLoss = ((input: unknown, target: unknown, options?: unknown) => number) & { grad(input: unknown, target: unknown, options?: unknown): unknown };

const lib = losslab as unknown as Record<string, AnyLoss | undefined>;

const slider = (key: string, label: string, min: number, max: number, step: number, value: number): Slider => ({ key, label, min, max, step, value });
const fmt = (v: number) => String(Number(v.toFixed(6)));
const optText = (o: Record<string, unknown>) => {
  const entries = Object.entries(o);
  return entries.length ? `, { ${entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.map((n) => fmt(n as number)).join(', ')}]` : fmt(v as number)}`).join(', ')} }` : '';
};

/** One-element elementwise loss: f([x], [t], options). */
function elementwise(
  name: string,
  group: Group,
  x: Slider,
  target: Slider,
  tex: string,
  options: Slider[] = [],
  toOptions = (p: Record<string, number>) => pick(p, options),
): ExplorerLoss {
  return {
    name,
    group,
    x,
    params: [target, ...options],
    tex,
    call: (xv, p) => `${name}([${fmt(xv)}], [${fmt(p.target!)}]${optText(toOptions(p))})`,
    evaluate(xv, p) {
      const f = lib[name]!;
      const o = toOptions(p);
      return { value: f([xv], [p.target], o), grad: (f.grad([xv], [p.target], o) as number[])[0]! };
    },
  };
}

/** Three classes, the curve over logit x of class 0: f([[x, l1, l2]], [class], options). */
function categorical(name: string, tex: string, options: Slider[]): ExplorerLoss {
  return {
    name,
    group: 'Categorical',
    x: slider('x', 'logit x₀ of class 0', -6, 6, 0.01, 1),
    params: [slider('target', 'target class', 0, 2, 1, 0), slider('l1', 'logit x₁', -6, 6, 0.01, 0.5), slider('l2', 'logit x₂', -6, 6, 0.01, -0.5), ...options],
    tex,
    call: (xv, p) => `${name}([[${fmt(xv)}, ${fmt(p.l1!)}, ${fmt(p.l2!)}]], [${p.target}]${optText(pick(p, options))})`,
    evaluate(xv, p) {
      const f = lib[name]!;
      const input = [[xv, p.l1, p.l2]];
      const o = pick(p, options);
      return { value: f(input, [p.target], o), grad: (f.grad(input, [p.target], o) as number[][])[0]![0]! };
    },
  };
}

function pick(p: Record<string, number>, options: Slider[]): Record<string, number> {
  return Object.fromEntries(options.map((o) => [o.key, p[o.key]!]));
}

const prediction = slider('x', 'prediction x', -4, 4, 0.01, 1.5);
const regressionTarget = slider('target', 'target y', -3, 3, 0.01, 0);
const probability = slider('x', 'predicted probability p', 0.01, 0.99, 0.01, 0.7);
const logit = slider('x', 'logit x', -6, 6, 0.01, 1);
const binaryTarget = slider('target', 'target y', 0, 1, 0.01, 1);
const labelSmoothing = slider('labelSmoothing', 'label smoothing ε', 0, 0.5, 0.01, 0);

const candidates: ExplorerLoss[] = [
  elementwise('mse', 'Regression', prediction, regressionTarget, String.raw`\ell = (x - y)^2`),
  elementwise('mae', 'Regression', prediction, regressionTarget, String.raw`\ell = |x - y|`),
  elementwise('rmse', 'Regression', prediction, regressionTarget, String.raw`\ell = \sqrt{(x - y)^2}`),
  elementwise(
    'huber',
    'Regression',
    prediction,
    regressionTarget,
    String.raw`\ell = \begin{cases} \tfrac12 (x-y)^2 & |x-y| < \delta \\ \delta\,(|x-y| - \tfrac12\delta) & \text{otherwise} \end{cases}`,
    [slider('delta', 'δ', 0.1, 3, 0.05, 1)],
  ),
  elementwise(
    'smoothL1Loss',
    'Regression',
    prediction,
    regressionTarget,
    String.raw`\ell = \begin{cases} \tfrac{1}{2\beta} (x-y)^2 & |x-y| < \beta \\ |x-y| - \tfrac12\beta & \text{otherwise} \end{cases}`,
    [slider('beta', 'β', 0, 3, 0.05, 1)],
  ),
  elementwise('logCosh', 'Regression', prediction, regressionTarget, String.raw`\ell = \log\cosh(x - y)`),
  elementwise('mape', 'Regression', prediction, slider('target', 'target y', -3, 3, 0.01, 1), String.raw`\ell = 100\,\frac{|y - x|}{\max(|y|, 10^{-7})}`),
  elementwise(
    'msle',
    'Regression',
    slider('x', 'prediction x', 0, 8, 0.01, 1.5),
    slider('target', 'target y', 0, 6, 0.01, 1),
    String.raw`\ell = \left(\log(1 + x) - \log(1 + y)\right)^2`,
  ),
  elementwise('poisson', 'Regression', slider('x', 'predicted rate x', 0, 8, 0.01, 1.5), slider('target', 'count y', 0, 6, 1, 2), String.raw`\ell = x - y \log(x + 10^{-7})`),
  elementwise('poissonNllLoss', 'Regression', slider('x', 'log-rate x', -3, 3, 0.01, 0.5), slider('target', 'count y', 0, 6, 1, 2), String.raw`\ell = e^{x} - y\,x`),
  elementwise(
    'softMarginLoss',
    'Binary',
    slider('x', 'score x', -6, 6, 0.01, 0.5),
    slider('target', 'label y (−1 or 1)', -1, 1, 2, 1),
    String.raw`\ell = \log\left(1 + e^{-y\,x}\right)`,
  ),
  elementwise(
    'hingeEmbeddingLoss',
    'Binary',
    slider('x', 'distance x', -1, 4, 0.01, 0.5),
    slider('target', 'label y (−1 or 1)', -1, 1, 2, -1),
    String.raw`\ell = \begin{cases} x & y = 1 \\ \max(0,\ \Delta - x) & y = -1 \end{cases}`,
    [slider('margin', 'margin Δ', 0, 3, 0.05, 1)],
  ),
  {
    name: 'gaussianNllLoss',
    group: 'Regression',
    x: prediction,
    params: [regressionTarget, slider('variance', 'variance σ²', 0.05, 4, 0.05, 1), slider('full', 'full (0 or 1)', 0, 1, 1, 0)],
    tex: String.raw`\ell = \tfrac12\left(\log \sigma^2 + \frac{(x - y)^2}{\sigma^2}\right) \;\left(+\ \tfrac12 \log 2\pi\ \text{if full}\right)`,
    call: (xv, p) => `gaussianNllLoss([${fmt(xv)}], [${fmt(p.target!)}], [${fmt(p.variance!)}]${p.full === 1 ? ', { full: true }' : ''})`,
    evaluate(xv, p) {
      const f = lib.gaussianNllLoss as unknown as ((...a: unknown[]) => number) & { grad(...a: unknown[]): number[][] };
      const o = { full: p.full === 1 };
      return { value: f([xv], [p.target], [p.variance], o), grad: f.grad([xv], [p.target], [p.variance], o)[0]![0]! };
    },
  },
  {
    name: 'marginRankingLoss',
    group: 'Binary',
    x: slider('x', 'score x₁', -3, 3, 0.01, 0.5),
    params: [slider('x2', 'score x₂', -3, 3, 0.01, 0), slider('target', 'label y (1: x₁ ranks higher, −1: lower)', -1, 1, 2, 1), slider('margin', 'margin m', 0, 2, 0.05, 0)],
    tex: String.raw`\ell = \max\bigl(0,\ -y\,(x_1 - x_2) + m\bigr)`,
    call: (xv, p) => `marginRankingLoss([${fmt(xv)}], [${fmt(p.x2!)}], [${fmt(p.target!)}], { margin: ${fmt(p.margin!)} })`,
    evaluate(xv, p) {
      const f = lib.marginRankingLoss as unknown as ((...a: unknown[]) => number) & { grad(...a: unknown[]): number[][] };
      const o = { margin: p.margin };
      return { value: f([xv], [p.x2], [p.target], o), grad: f.grad([xv], [p.x2], [p.target], o)[0]![0]! };
    },
  },
  elementwise('hinge', 'Binary', slider('x', 'score x', -3, 3, 0.01, 0.5), slider('target', 'label y (−1 or 1)', -1, 1, 2, 1), String.raw`\ell = \max(0,\ 1 - y\,x)`),
  elementwise('squaredHinge', 'Binary', slider('x', 'score x', -3, 3, 0.01, 0.5), slider('target', 'label y (−1 or 1)', -1, 1, 2, 1), String.raw`\ell = \max(0,\ 1 - y\,x)^2`),
  elementwise('binaryCrossEntropy', 'Binary', probability, binaryTarget, String.raw`\ell = -\,[\,y \log p + (1-y) \log(1-p)\,]`, [labelSmoothing]),
  elementwise(
    'binaryCrossEntropyWithLogits',
    'Binary',
    logit,
    binaryTarget,
    String.raw`\ell = -\,[\,w_+ y \log \sigma(x) + (1-y) \log(1-\sigma(x))\,]`,
    [slider('posWeight', 'positive weight w₊', 0.1, 5, 0.1, 1), labelSmoothing],
    (p) => ({ posWeight: [p.posWeight!], labelSmoothing: p.labelSmoothing! }) as unknown as Record<string, number>,
  ),
  elementwise('sigmoidFocalLoss', 'Binary', logit, binaryTarget, String.raw`\ell = -\,\alpha_t (1-p_t)^\gamma \log p_t,\quad p = \sigma(x)`, [
    slider('gamma', 'γ', 0, 5, 0.1, 2),
    slider('alpha', 'α', 0, 1, 0.05, 0.25),
  ]),
  elementwise(
    'binaryFocalCrossEntropy',
    'Binary',
    probability,
    binaryTarget,
    String.raw`\ell = -\,(1-p_t)^\gamma\,[\,y \log \hat p + (1-y) \log(1-\hat p)\,],\quad \hat p = \mathrm{clip}(p, 10^{-7}, 1 - 10^{-7})`,
    [slider('gamma', 'γ', 0, 5, 0.1, 2), labelSmoothing],
  ),
  categorical('crossEntropy', String.raw`\ell = -\sum_c t_c \log \mathrm{softmax}(x)_c,\quad t = (1-\varepsilon)\,\mathrm{onehot} + \tfrac{\varepsilon}{C}`, [labelSmoothing]),
  categorical('focalLoss', String.raw`\ell = -(1-p_y)^\gamma \log p_y,\quad p = \mathrm{softmax}(x)`, [slider('gamma', 'γ', 0, 5, 0.1, 2)]),
];

/** The losses the package exports, in the order above. */
export const explorerLosses: ExplorerLoss[] = candidates.filter((l) => typeof lib[l.name] === 'function');
