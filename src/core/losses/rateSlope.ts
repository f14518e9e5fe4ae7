/**
 * d/dx (x - y log(x + ε)) = 1 - y / (x + ε), the slope of the Poisson losses on rates (`poisson`,
 * `poissonNllLoss` with `logInput: false`). Near its zero, y ≈ x + ε, that difference of 1 and a
 * rounded quotient keeps no digits; there it is taken as ((x - y) + ε) / (x + ε), whose x - y is
 * exact (x and y within a factor 2 of each other, Sterbenz) and whose other operations round once.
 */
export function rateSlope(x: number, y: number, eps: number): number {
  const u = x + eps;
  return y > 0.5 * u && y < 2 * u ? (x - y + eps) / u : 1 - y / u;
}
