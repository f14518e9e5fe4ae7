import { describe, fail, overflow } from '../errors';
import { firstNonFinite, firstNonFinitePair, overlaps } from './validate';

/** A trainable array and its gradient, updated in place by an optimizer. */
export interface Parameter {
  readonly param: Float64Array;
  readonly grad: Float64Array;
}

/**
 * What every optimizer shares: the parameter list (checked once) and `zeroGrad()`.
 * Subclasses implement `step()`; see `SGD` and `Adam`.
 *
 * `params` must be a non-empty array (as PyTorch's "optimizer got an empty parameter list") of
 * `{ param, grad }` pairs of Float64Arrays of equal length (length 0 is allowed and never
 * updated). No two of these arrays may share memory: an aliased parameter would be updated
 * twice per step, a gradient aliasing a parameter would be overwritten by the update. Views
 * into one buffer that do not overlap are fine. The pairs are read once: replacing
 * `p.param` on the caller's object later does not change what the optimizer updates.
 *
 * @example
 * const p = { param: new Float64Array([1]), grad: new Float64Array([2]) };
 * new SGD([p], { lr: 0.1 }).params[0].param === p.param // true
 */
export abstract class Optimizer {
  readonly params: readonly Parameter[];
  /** Each parameter's length at construction, checked again at every step. */
  private readonly lengths: readonly number[];

  constructor(fn: string, params: readonly Parameter[]) {
    if (typeof fn !== 'string' || fn === '') fail('Optimizer', 'fn', 'the subclass name, a non-empty string', describe(fn));
    if (!Array.isArray(params) || params.length === 0) fail(fn, 'params', 'a non-empty array of { param, grad }', describe(params));
    const list: Parameter[] = [];
    for (let i = 0; i < params.length; i++) {
      const p: unknown = params[i];
      const param = typeof p === 'object' && p !== null ? (p as Parameter).param : undefined;
      const grad = typeof p === 'object' && p !== null ? (p as Parameter).grad : undefined;
      if (!(param instanceof Float64Array && grad instanceof Float64Array)) fail(fn, `params[${i}]`, '{ param, grad } of two Float64Arrays', describeParameter(p));
      if (grad.length !== param.length) fail(fn, `params[${i}].grad.length`, String(param.length), String(grad.length));
      list.push(Object.freeze({ param, grad }));
    }
    checkNoSharedMemory(fn, list);
    this.params = Object.freeze(list);
    this.lengths = Object.freeze(list.map((p) => p.param.length));
  }

  /** Updates every parameter once from its current gradient. */
  abstract step(): void;

  /**
   * Sets every gradient to 0 (PyTorch's `zero_grad(set_to_none=False)`).
   *
   * @example
   * const p = { param: new Float64Array([1]), grad: new Float64Array([2]) };
   * new SGD([p], { lr: 0.1 }).zeroGrad();
   * p.grad[0] // 0
   */
  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  /**
   * Run by `step()` before it changes anything: every length is still what it was (a
   * resizable buffer could have changed it) and every parameter and gradient is finite.
   */
  protected checkBeforeStep(fn: string): void {
    for (let i = 0; i < this.params.length; i++) {
      const { param, grad } = this.params[i]!;
      const n = this.lengths[i]!;
      if (param.length !== n || grad.length !== n) {
        fail(fn, `params[${i}]`, `a param and grad of length ${n}, as at construction`, `lengths ${param.length} and ${grad.length}`);
      }
      const j = firstNonFinitePair(param, grad);
      if (j < 0) continue;
      if (param[j]! - param[j]! !== 0) fail(fn, `params[${i}].param[${j}]`, 'a finite number', describe(param[j]));
      fail(fn, `params[${i}].grad[${j}]`, 'a finite number', describe(grad[j]));
    }
  }

  /**
   * Throws for params[i] after an update made one of its elements non-finite: everything was
   * finite before (checkBeforeStep), so the update itself overflowed (an absurd `lr`, gradient
   * or momentum). `step()` loops accumulate `Σ p·0` (0 while every p is finite) to know when.
   */
  protected overflowedAt(fn: string, i: number): never {
    const param = this.params[i]!.param;
    const j = firstNonFinite(param);
    return overflow(fn, `params[${i}].param[${Math.max(j, 0)}] after the update`, param[Math.max(j, 0)]!);
  }
}

function describeParameter(p: unknown): string {
  if (typeof p !== 'object' || p === null || Array.isArray(p) || ArrayBuffer.isView(p)) return describe(p);
  const { param, grad } = p as { param?: unknown; grad?: unknown };
  return `{ param: ${describe(param)}, grad: ${describe(grad)} }`;
}

/** Throws when any two of the params' and grads' (non-empty) arrays overlap: per buffer, a sweep by offset. */
function checkNoSharedMemory(fn: string, list: readonly Parameter[]): void {
  const byBuffer = new Map<ArrayBufferLike, { name: string; view: Float64Array }[]>();
  list.forEach(({ param, grad }, i) => {
    for (const [name, view] of [
      [`params[${i}].param`, param],
      [`params[${i}].grad`, grad],
    ] as const) {
      if (view.length === 0) continue;
      const group = byBuffer.get(view.buffer);
      if (group) group.push({ name, view });
      else byBuffer.set(view.buffer, [{ name, view }]);
    }
  });
  for (const group of byBuffer.values()) {
    group.sort((a, b) => a.view.byteOffset - b.view.byteOffset);
    let reach = group[0]!; // of the views so far, the one ending last
    for (const next of group.slice(1)) {
      if (overlaps(reach.view, next.view)) fail(fn, next.name, `an array sharing no memory with ${reach.name}`, 'an overlapping view');
      reach = next;
    }
  }
}
