/**
 * The constants of logCoshParts (logCosh.ts), in one object so the WebAssembly kernel
 * (tools/generate/wasm/softplusKernelsSource.ts) is built from the same values:
 * - ln 2 = LN2 + LN2_LO: Math.LN2 and the rest (ln 2 - Math.LN2, to 2^-106);
 * - below SERIES the term is a series; from it to BRANCH the small form; above, the large form
 *   (BRANCH: where the small forms, from e^-|d|, give way to the large ones, from e^-2|d|);
 * - SLOPE_SPLIT: where the slope's small form changes denominator (1 + e^-2|d| = 2 - n, or 1 + E^2);
 * - log cosh d = h + h^2 (C2 + h (C3 + ...)), h = d^2/2: the series' coefficients (mpmath).
 */
export const LOG_COSH = {
  LN2: Math.LN2,
  LN2_LO: 2.3190468138462996e-17,
  SERIES: 0.125,
  BRANCH: 0.8,
  SLOPE_SPLIT: 0.3,
  C: [-1 / 3, 8 / 45, -0.10793650793650794, 0.06998236331569666, -0.04727058949281172, 0.03284231347723411, -0.023293350192821093],
} as const;
