import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  crossEntropy,
  diceLoss,
  entropy,
  focalLoss,
  hinge,
  klDivergence,
  LossInputError,
  mae,
  mse,
  nllLoss,
  sparseCategoricalCrossEntropy,
} from '../src';

/**
 * Bad input throws a LossInputError reading `fn: <argument> must be <expected>, got <actual>`:
 * the function, the argument, what was expected and what came. Each test matches the full text.
 */
function expectError(call: () => unknown, message: string): void {
  let caught: unknown;
  try {
    call();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected to throw "${message}"`).toBeInstanceOf(LossInputError);
  expect((caught as Error).message).toBe(message);
  expect((caught as LossInputError).fn).toBe(message.slice(0, message.indexOf(':')));
}

describe('errors name the function, the argument, the expectation and what came', () => {
  it('a shape mismatch', () => {
    expectError(() => mse([1, 2], [1, 2, 3]), 'mse: target must be of shape [2] like input, got shape [3]');
    expectError(
      () =>
        binaryCrossEntropy(
          [[0.5, 0.5]],
          [
            [1, 0],
            [0, 1],
          ],
        ),
      'binaryCrossEntropy: target must be of shape [1,2] like input, got shape [2,2]',
    );
    expectError(() => categoricalCrossEntropy([[0.5, 0.5]], [[1, 0, 0]]), 'categoricalCrossEntropy: target must be of shape [1,2] like input, got shape [1,3]');
    expectError(() => klDivergence([0.5, 0.5], [0.2, 0.3, 0.5]), 'klDivergence: target must be of shape [2] like input, got shape [3]');
    expectError(
      () =>
        hinge(
          [[1, 2]],
          [
            [1, -1],
            [1, 1],
          ],
        ),
      'hinge: target must be of shape [1,2] like input, got shape [2,2]',
    );
    expectError(
      () =>
        crossEntropy(
          [
            [1, 2],
            [3, 4],
          ],
          [0],
        ),
      'crossEntropy: target must be 2 class indices, one per sample, got 1',
    );
    expectError(
      () => binaryCrossEntropyWithLogits([1, 2], [1, 0], { weight: [1, 1, 1] }),
      "binaryCrossEntropyWithLogits: options.weight must be a number or of a shape broadcastable to input shape [2] (at most its rank; each axis, aligned from the last, the input's size or 1), got shape [3]",
    );
  });

  it('a class index out of range', () => {
    expectError(() => crossEntropy([[1, 2]], [2]), 'crossEntropy: target[0] must be a class index in [0, 2) or ignoreIndex -100, got 2');
    expectError(
      () =>
        nllLoss(
          [
            [-1, -2],
            [-3, -4],
          ],
          [0, -1],
        ),
      'nllLoss: target[1] must be a class index in [0, 2) or ignoreIndex -100, got -1',
    );
    expectError(() => sparseCategoricalCrossEntropy([[0.2, 0.3, 0.5]], [3]), 'sparseCategoricalCrossEntropy: target[0] must be a class index in [0, 3), got 3');
    expectError(() => focalLoss([1, 2, 3], 5), 'focalLoss: target must be a class index in [0, 3), got 5');
    expectError(() => crossEntropy([[1, 2]], [0.5]), 'crossEntropy: target[0] must be an integer class index, got 0.5');
  });

  it('a probability outside [0, 1]', () => {
    expectError(() => binaryCrossEntropy([0.5, 1.2], [1, 0]), 'binaryCrossEntropy: input[1] must be a probability in [0, 1], got 1.2');
    expectError(() => binaryCrossEntropyWithLogits([3, -2], [1, -1]), 'binaryCrossEntropyWithLogits: target[1] must be a probability in [0, 1], got -1');
    expectError(() => categoricalCrossEntropy([[0.5, -0.1]], [[1, 0]]), 'categoricalCrossEntropy: input[1] must be a probability in [0, 1], got -0.1');
    expectError(() => klDivergence([[0.5, 0.5]], [[1.5, -0.5]]), 'klDivergence: target[0] must be a probability in [0, 1], got 1.5');
    expectError(() => diceLoss([0.2, 2], [1, 0]), 'diceLoss: input[1] must be a probability in [0, 1], got 2');
    expectError(() => crossEntropy([[1, 2]], [[0.5, 1.5]]), 'crossEntropy: target[1] must be a probability in [0, 1], got 1.5');
    expectError(() => entropy([0.5, 1.5]), 'entropy: p[1] must be a probability in [0, 1], got 1.5');
  });

  it('an empty batch', () => {
    expectError(() => mse([], []), 'mse: input must be non-empty, got shape [0]');
    expectError(() => binaryCrossEntropy(new Float64Array(0), []), 'binaryCrossEntropy: input must be non-empty, got shape [0]');
    expectError(() => crossEntropy({ data: new Float64Array(0), shape: [0, 3] }, []), 'crossEntropy: input must be non-empty, got shape [0,3]');
    expectError(() => mae([1], []), 'mae: target must be non-empty, got shape [0]');
  });

  it('an unknown option', () => {
    expectError(() => mse([1], [1], { weight: [1] } as object), 'mse: option "weight" must be one of reduction, got an unknown option');
    expectError(
      () => sparseCategoricalCrossEntropy([[0.5, 0.5]], [0], { labelSmoothing: 0.1 } as object),
      'sparseCategoricalCrossEntropy: option "labelSmoothing" must be one of reduction, fromLogits, got an unknown option',
    );
    expectError(
      () => crossEntropy([[1, 2]], [0], { ignore_index: 1 } as object),
      'crossEntropy: option "ignore_index" must be one of reduction, weight, ignoreIndex, labelSmoothing, got an unknown option',
    );
    expectError(() => mae([1], [1], { reduction: 'avg' } as object), "mae: options.reduction must be one of 'mean', 'sum', 'none', got \"avg\"");
  });

  it('a NaN input', () => {
    expectError(() => mse([1, NaN], [1, 2]), 'mse: input[1] must be a finite number, got NaN');
    expectError(
      () =>
        crossEntropy(
          [
            [1, 2],
            [NaN, 0],
          ],
          [0, 1],
        ),
      'crossEntropy: input[1][0] must be a finite number, got NaN',
    );
    expectError(() => binaryCrossEntropyWithLogits(new Float64Array([0, NaN]), [1, 0]), 'binaryCrossEntropyWithLogits: input[1] must be a finite number, got NaN');
    expectError(() => hinge([1, 2], [1, NaN]), 'hinge: target[1] must be a finite number, got NaN');
    expectError(() => klDivergence({ data: new Float64Array([0.5, NaN]), shape: [2] }, [0.5, 0.5]), 'klDivergence: input[1] must be a finite number, got NaN');
  });
});
