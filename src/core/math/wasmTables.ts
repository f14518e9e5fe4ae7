import { EXP2_HI, EXP2_TAIL, LOGC_HI, LOGC_LO } from './elementaryTables';

/**
 * Writes the tables that the WebAssembly kernels' vexp and vlog read
 * (tools/generate/wasm/vectorMath.ts) into `buffer`: the 128 pairs (2^(j/128) hi, tail) at byte
 * offset `expAt` and the 128 pairs (log(c_i) hi, lo) at `logAt`, 2 KiB each.
 */
export function writeExpLogTables(buffer: ArrayBuffer, expAt: number, logAt: number): void {
  const exp = new Float64Array(buffer, expAt, 256);
  const log = new Float64Array(buffer, logAt, 256);
  for (let j = 0; j < 128; j++) {
    exp[2 * j] = EXP2_HI[j]!;
    exp[2 * j + 1] = EXP2_TAIL[j]!;
    log[2 * j] = LOGC_HI[j]!;
    log[2 * j + 1] = LOGC_LO[j]!;
  }
}
