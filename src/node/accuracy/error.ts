/**
 * How an accuracy case is scored. A computed element `got` is compared with the exact result
 * held as hi + lo (hi the nearest float64, lo the nearest float64 to the rest), so errors are
 * measured well below one ulp:
 *
 * - where the exact result is a normal float64 (|hi| >= 2^-1022): the relative error
 *   |got - exact| / |exact|;
 * - where it is 0 or subnormal: the absolute error |got - exact|, bounded by TINY_ABS = 2^-1022
 *   (see there why);
 * - a NaN or infinite `got` where the exact result is finite has infinite error.
 */

/** The promise: every value and gradient within this relative error of the exact result. */
export const REL_BOUND = 1e-12;

/**
 * Where the exact result is 0 or subnormal, float64 has no relative precision left to promise:
 * below 2^-1022 the spacing of floats is the fixed 2^-1074, so a correctly rounded exp or product
 * there already has a relative error up to 1, and any computation that passes through such a
 * value (an underflowing exp, a product of two tiny factors) may flush it to 0. The bound is
 * therefore absolute: |got - exact| <= 2^-1022, i.e. the result is correct to the bottom of the
 * normal range: 0 or any subnormal of the right size passes, while 1e-300 for an exact 0 fails.
 */
export const TINY_ABS = 2 ** -1022;

/**
 * "Never less accurate than PyTorch": losslab's worst error over a case's elements may exceed
 * PyTorch's only up to this floor, 2^-51 relative, i.e. at least 2 ulp of the result (an ulp
 * is between 2^-53 and 2^-52 of a float64), so two correctly rounded-ish results are never
 * ranked by their last bit.
 */
export const TORCH_FLOOR = 2 ** -51;

/**
 * The float32 fast paths: a gradient written into a Float32Array is the float32 rounding of a
 * gradient computed to REL_BOUND in float64, so within 2^-24 (half an ulp of float32, relative)
 * plus REL_BOUND of the exact one.
 */
export const F32_GRAD_REL = 2 ** -24 + REL_BOUND;
/** ... and, where the exact gradient is below float32's normal range (2^-126), within 2^-126 absolutely (as TINY_ABS for float64). */
export const F32_TINY_ABS = 2 ** -126;

/** The worst error of one quantity (a value or a gradient) over its elements. */
export interface QuantityError {
  /** Worst relative error over the elements whose exact result is normal (0 when there are none). */
  rel: number;
  /** Element index (in the reference's order) of `rel`. */
  relAt: number;
  /** Worst absolute error over the elements whose exact result is 0 or below the normal range (0 when none). */
  tinyAbs: number;
  tinyAt: number;
  /** How many elements were compared (normal, tiny). */
  normal: number;
  tiny: number;
}

/** The error of `got` against hi + lo; `tinyBelow` is the normal-range threshold (2^-1022, or 2^-126 for float32). */
export function elementError(got: number, hi: number, lo: number, tinyBelow = TINY_ABS): { tiny: boolean; error: number } {
  const tiny = Math.abs(hi) < tinyBelow;
  if (!Number.isFinite(got)) return { tiny, error: Infinity };
  // got - hi is exact when got is within a factor 2 of hi (Sterbenz), and otherwise its rounding
  // is far below the difference itself.
  const abs = Math.abs(got - hi - lo);
  return { tiny, error: tiny ? abs : abs / Math.abs(hi) };
}

/**
 * Compares computed elements with the reference's, element by element. `got[i]` is compared
 * with `hi[i] + lo[i]`; reference elements that are null (beyond float64's range) are skipped.
 */
export function quantityError(got: ArrayLike<number>, hi: readonly (number | null)[], lo: readonly (number | null)[], tinyBelow = TINY_ABS): QuantityError {
  if (got.length !== hi.length) throw new Error(`expected ${hi.length} elements, got ${got.length}`);
  const q: QuantityError = { rel: 0, relAt: -1, tinyAbs: 0, tinyAt: -1, normal: 0, tiny: 0 };
  for (let i = 0; i < hi.length; i++) {
    const h = hi[i];
    if (h === null || h === undefined) continue;
    const { tiny, error } = elementError(got[i]!, h, lo[i] ?? 0, tinyBelow);
    if (tiny) {
      q.tiny++;
      if (!(error <= q.tinyAbs)) {
        q.tinyAbs = error;
        q.tinyAt = i;
      }
    } else {
      q.normal++;
      if (!(error <= q.rel)) {
        q.rel = error;
        q.relAt = i;
      }
    }
  }
  return q;
}

/** The worse of two quantity errors (either may be null). */
export function worse(a: QuantityError | null, b: QuantityError | null): QuantityError | null {
  if (!a) return b;
  if (!b) return a;
  return {
    ...(b.rel > a.rel ? { rel: b.rel, relAt: b.relAt } : { rel: a.rel, relAt: a.relAt }),
    ...(b.tinyAbs > a.tinyAbs ? { tinyAbs: b.tinyAbs, tinyAt: b.tinyAt } : { tinyAbs: a.tinyAbs, tinyAt: a.tinyAt }),
    normal: Math.max(a.normal, b.normal),
    tiny: Math.max(a.tiny, b.tiny),
  };
}

/** An error for display: `0`, `3.1e-17`, `∞`. */
export function formatError(e: number): string {
  if (e === 0) return '0';
  if (!Number.isFinite(e)) return '∞';
  return e.toExponential(1).replace(/e\+0$/, '').replace('e+', 'e');
}
