import { ddLog } from './doubleDouble';
import * as logModule from './fastLog';

// module-local bindings (see bceFromLogits)
const { fastLogSplit, LOG_TAIL, MIN_NORMAL } = logModule;

/**
 * $x - \ln y$ for $y > 0$ where the two nearly cancel (poissonNllLoss's
 * $e^x - y = y\,\mathrm{expm1}(x - \ln y)$, entropy's $-\ln p - 1$): $\ln y$ as fastLogSplit's
 * pair (within $2^{-60}$ absolutely) where $|x - \ln y| \ge 1/32$ ($2^{-55}$ relative), else in
 * double-double (ddLog, within ~$2^{-100}$ absolutely, about 950 ns a call), x minus its high
 * part exact where they are close: within $2^{-52}$ relative down to $|x - \ln y| = 2^{-40}$ (tested).
 */
export function logDifference(x: number, y: number): number {
  if (y >= MIN_NORMAL) {
    const hi = fastLogSplit(y);
    const u = x - hi - LOG_TAIL[0]!;
    if (Math.abs(u) >= 1 / 32) return u;
  }
  const l = ddLog({ hi: y, lo: 0 });
  return x - l.hi - l.lo;
}
