import { fail } from '../errors';
import { elementwiseArena, STAGING_BYTES } from './wasmElementwise';

/** The largest arena: every byte offset stays below 2^31 (the kernels' i32 pointers). */
const MAX_BYTES = 2 ** 31 - STAGING_BYTES;

/**
 * `count` Float32Arrays of `length` elements in the WebAssembly memory of losslab's elementwise
 * kernels, where their SIMD blocks read and write in place: a loss whose input, target and `out`
 * live here skips copying each block into the kernels' memory and the gradient back (a copy of
 * the arguments, which costs about as much as the kernel itself on arrays of 1e6 elements).
 * Any array works with every loss; these are only faster, with the same bits. Every call makes
 * its own memory, sized once and never grown (so these views never detach); keep the arrays
 * and refill them rather than asking for new ones per step. Where WebAssembly SIMD is missing
 * they are ordinary Float32Arrays.
 *
 * - `length`: an integer >= 0; `count`: an integer >= 1 (default 1); at most 2^31 - 2^17 bytes in all.
 *
 * @example
 * const [input, target, grad] = kernelArrays(4, 3);
 * input.set([1, 2, 3, 4]); target.set([0, 2, 3, 6]);
 * mse.valueAndGrad(input, target, { out: grad }).value // 1.25
 * Array.from(grad) // [0.5, 0, 0, -1]
 */
export function kernelArrays(length: number, count = 1): Float32Array[] {
  if (!Number.isInteger(length) || length < 0) fail('kernelArrays', 'length', 'an integer >= 0', String(length));
  if (!Number.isInteger(count) || count < 1) fail('kernelArrays', 'count', 'an integer >= 1', String(count));
  // each array starts on a 16-byte boundary
  const stride = Math.ceil(length / 4) * 16;
  if (stride * count > MAX_BYTES) fail('kernelArrays', 'length * count', `at most ${MAX_BYTES} bytes`, `${stride * count} bytes`);
  const arena = elementwiseArena(stride * count);
  return Array.from({ length: count }, (_, i) => (arena ? new Float32Array(arena.memory.buffer, arena.at + i * stride, length) : new Float32Array(length)));
}
