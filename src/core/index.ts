export { LossInputError } from './errors';
export type { ClassIndices, FloatArray, GradOf, Matrix, Reduction, Tensor, Values, Vector } from './tensor/types';
export type { Loss, OutOption, ReductionOptions, ValueAndGrad } from './losses/defineLoss';

export { mse } from './losses/mse';
export { crossEntropy, type CrossEntropyOptions } from './losses/crossEntropy';

// losses: regression, hinge, divergence, overlap
export { mae } from './losses/mae';
export { rmse } from './losses/rmse';
export { sse, type SseOptions } from './losses/sse';
export { huber, type HuberOptions } from './losses/huber';
export { smoothL1Loss, type SmoothL1LossOptions } from './losses/smoothL1Loss';
export { logCosh, type LogCoshOptions } from './losses/logCosh';
export { mape, type MapeOptions } from './losses/mape';
export { msle, type MsleOptions } from './losses/msle';
export { poisson, type PoissonOptions } from './losses/poisson';
export { poissonNllLoss, type PoissonNllLossOptions } from './losses/poissonNllLoss';
export { softMarginLoss, type SoftMarginLossOptions } from './losses/softMarginLoss';
export { hingeEmbeddingLoss, type HingeEmbeddingLossOptions } from './losses/hingeEmbeddingLoss';
export { gaussianNllLoss, type GaussianNllLossOptions } from './losses/gaussianNllLoss';
export { multiLabelSoftMarginLoss, type MultiLabelSoftMarginLossOptions } from './losses/multiLabelSoftMarginLoss';
export { binaryFocalCrossEntropy, type BinaryFocalCrossEntropyOptions } from './losses/binaryFocalCrossEntropy';
export { hinge } from './losses/hinge';
export { squaredHinge } from './losses/squaredHinge';
export { categoricalHinge } from './losses/categoricalHinge';
export { klDivergence, type KlDivergenceOptions } from './losses/klDivergence';
export { diceLoss, type DiceLossOptions } from './losses/diceLoss';
export { entropy } from './losses/entropy';

// losses: binary, categorical, focal
export { binaryCrossEntropy, type BinaryCrossEntropyOptions } from './losses/binaryCrossEntropy';
export { binaryCrossEntropyWithLogits, type BinaryCrossEntropyWithLogitsOptions } from './losses/binaryCrossEntropyWithLogits';
export { nllLoss, type NllLossOptions } from './losses/nllLoss';
export { categoricalCrossEntropy, type CategoricalCrossEntropyOptions } from './losses/categoricalCrossEntropy';
export { sparseCategoricalCrossEntropy, type SparseCategoricalCrossEntropyOptions } from './losses/sparseCategoricalCrossEntropy';
export { sigmoidFocalLoss, type SigmoidFocalLossOptions } from './losses/sigmoidFocalLoss';
export { focalLoss, type FocalLossOptions } from './losses/focalLoss';
export { ctcLoss, type CtcLossOptions } from './losses/ctcLoss';

// losses: ranking, embedding, boxes
export { marginRankingLoss, type MarginRankingLossOptions } from './losses/marginRankingLoss';
export { cosineEmbeddingLoss, type CosineEmbeddingLossOptions } from './losses/cosineEmbeddingLoss';
export { tripletMarginLoss, type TripletMarginLossOptions } from './losses/tripletMarginLoss';
export { generalizedBoxIouLoss, type GeneralizedBoxIouLossOptions } from './losses/generalizedBoxIouLoss';
export { distanceBoxIouLoss, type DistanceBoxIouLossOptions } from './losses/distanceBoxIouLoss';
export { completeBoxIouLoss, type CompleteBoxIouLossOptions } from './losses/completeBoxIouLoss';

// losses: class-wise (Keras, optax, PyTorch margins), overlap, similarity
export { polyLoss, type PolyLossOptions } from './losses/polyLoss';
export { categoricalFocalCrossEntropy, type CategoricalFocalCrossEntropyOptions } from './losses/categoricalFocalCrossEntropy';
export { generalizedCrossEntropy, type GeneralizedCrossEntropyOptions } from './losses/generalizedCrossEntropy';
export { multiMarginLoss, type MultiMarginLossOptions } from './losses/multiMarginLoss';
export { multiLabelMarginLoss, type MultiLabelMarginLossOptions } from './losses/multiLabelMarginLoss';
export { cosineSimilarity, type CosineSimilarityOptions } from './losses/cosineSimilarity';
export { tversky, type TverskyOptions } from './losses/tversky';

export { softmax } from './math/softmax';
export { logSoftmax } from './math/logSoftmax';
export { sigmoid } from './math/sigmoid';
export { logSumExp } from './math/logSumExp';
export { kernelArrays } from './math/kernelArrays';

export * from './training/index';
export { parseIdx, type IdxArray, type IdxOptions, type IdxType } from './data/idx';
