/**
 * losslab: deep-learning loss functions with analytic gradients.
 * The package entry re-exports the browser-safe core.
 */
export * from './core/index';
