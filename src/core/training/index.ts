export { Random, type Shuffleable } from './random';
export { Linear } from './linear';
export { Optimizer, type Parameter } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, type AdamOptions } from './adam';
export { batchIndices, gatherRows, type BatchOptions, type RowArray } from './batches';
