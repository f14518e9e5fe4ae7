/** A typed array losslab reads directly, without copying. */
export type FloatArray = Float32Array | Float64Array;

/** 1-D data: a plain array or a typed array. */
export type Vector = readonly number[] | FloatArray;

/** A dense row-major tensor over a typed array: the fast path. */
export interface Tensor<D extends FloatArray = FloatArray> {
  readonly data: D;
  readonly shape: readonly number[];
}

/** 2-D data (batch x classes): nested arrays or a `{ data, shape }` tensor. */
export type Matrix = readonly (readonly number[])[] | Tensor;

/** Anything a loss accepts as `input` or as a same-shaped `target`. */
export type Values = Vector | Matrix;

/** Integer class indices, one per sample; a bare number for a single sample. */
export type ClassIndices = number | readonly number[] | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array | Float32Array;

/** The gradient of a loss, in the same container kind as its input. */
export type GradOf<I> = I extends Tensor ? Tensor<Float64Array> : I extends readonly (readonly number[])[] ? number[][] : I extends readonly number[] ? number[] : Float64Array;

/** How per-element (or per-sample) losses are combined. */
export type Reduction = 'mean' | 'sum' | 'none';
