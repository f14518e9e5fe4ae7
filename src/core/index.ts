export { LossInputError } from './errors';
export type { ClassIndices, FloatArray, GradOf, Matrix, Reduction, Tensor, Values, Vector } from './tensor/types';
export type { Loss, OutOption, ReductionOptions, ValueAndGrad } from './losses/defineLoss';

export { mse } from './losses/mse';
export { crossEntropy, type CrossEntropyOptions } from './losses/crossEntropy';

export { softmax } from './math/softmax';
export { logSoftmax } from './math/logSoftmax';
export { sigmoid } from './math/sigmoid';
export { logSumExp } from './math/logSumExp';
