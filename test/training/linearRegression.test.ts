import { describe, expect, it } from 'vitest';
import { Adam, Linear, Random, mse } from '../../src';

// Seed 002 (MSE): height (cm) -> weight (kg), nn.Linear(1, 1), MSELoss, Adam(lr=0.1), 10000 epochs.
const height = [152.4, 157.5, 160.0, 165.1, 172.7, 177.8, 185.4, 190.5, 195.6, 203.2];
const weight = [50.0, 54.4, 56.7, 59.0, 63.5, 68.0, 72.6, 77.1, 81.6, 90.7];

/** The least-squares line's mean squared residual: the lowest loss any 1 -> 1 linear model reaches. */
function leastSquaresLoss(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return x.reduce((s, xi, i) => s + (my + slope * (xi - mx) - y[i]!) ** 2, 0) / n;
}

/** The source's training loop; returns every epoch's loss (computed before that epoch's step, as printed there). */
function train(seed: number, epochs: number): number[] {
  const model = new Linear(1, 1, new Random(seed));
  const adam = new Adam(model.parameters(), { lr: 0.1 });
  const x = { data: Float64Array.from(height), shape: [10, 1] };
  const y = { data: Float64Array.from(weight), shape: [10, 1] };
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    adam.zeroGrad();
    const pred = model.forward(x);
    losses.push(mse(pred, y));
    model.backward(x, mse.grad(pred, y));
    adam.step();
  }
  return losses;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

describe('seed 002: linear regression of weight on height with MSE and Adam(lr=0.1)', () => {
  const optimum = leastSquaresLoss(height, weight);

  it("has a least-squares optimum of 1.86175, just under the source's printed 1.8617804", () => {
    expect(optimum).toBeCloseTo(1.86175, 5);
    expect(optimum).toBeLessThan(1.8617804050445557);
  });

  // With unscaled heights (~180) Adam at lr 0.1 does not settle: near the optimum it keeps
  // oscillating with occasional spikes, so the loss of the very last epoch depends on the init
  // and on rounding. PyTorch does the same: from torch.manual_seed(0) its float32 run ends at
  // 3.06, and across seeds only 55-80% of its last 2000 epochs are within 1e-3 of the optimum.
  // So the check is on the last 1000 epochs: typically within 1e-3, and touching the optimum.
  it('trains to the least-squares optimum within 1e-3 in 10000 epochs, from several initializations', () => {
    for (const seed of [0, 1, 2]) {
      const last = train(seed, 10000).slice(-1000);
      expect(Math.min(...last)).toBeGreaterThanOrEqual(optimum);
      expect(Math.min(...last) - optimum).toBeLessThan(1e-5);
      expect(median(last) - optimum).toBeLessThan(1e-3);
    }
  });
});
