import type { Tensor, Values } from './types';

/**
 * Puts flat row-major `data` back into the container kind of `like`:
 * nested arrays for nested arrays, a plain array for a plain array, a tensor
 * for a tensor, and the Float64Array itself for a typed array.
 */
export function shapeLike(like: Values, data: Float64Array): unknown {
  if (ArrayBuffer.isView(like)) return data;
  if (!Array.isArray(like)) return { data, shape: (like as Tensor).shape.slice() };
  if (like.length > 0 && Array.isArray(like[0])) {
    const cols = (like[0] as readonly number[]).length;
    const out: number[][] = [];
    for (let r = 0; r < like.length; r++) out.push(Array.from(data.subarray(r * cols, (r + 1) * cols)));
    return out;
  }
  return Array.from(data);
}
