/** How many untimed and timed runs a measurement makes. */
export interface Repetitions {
  warmup: number;
  reps: number;
  /** After the `warmup` runs, more untimed runs until this much time has gone into warming up (at most 1000 more; default 0). */
  warmupMs?: number;
}

/** The timings of one workload on one system, in milliseconds. */
export interface Timing {
  medianMs: number;
  /** The fastest timed run: the kernel on warm memory (the median also holds allocator and page-fault noise). */
  minMs: number;
  /** Every timed run, in order. */
  samplesMs: number[];
  warmup: number;
  reps: number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Runs `run` `warmup` times untimed (JIT, caches, first-touch page faults), and on until
 * `warmupMs` have gone into warming up (V8 and WebAssembly code tier up after some runs; PyTorch's
 * rows get the same policy in scripts/bench/torch_bench.py), then `reps`
 * times timed with `process.hrtime.bigint()`, and returns the median. `run` returns a
 * value (the loss) that is kept, so no run can be optimised away; the last one is returned.
 * Returns the median and the minimum of the timed runs.
 */
export function measure<T>(run: () => T, { warmup, reps, warmupMs = 0 }: Repetitions): { timing: Timing; last: T } {
  let last: T = undefined as T;
  const start = process.hrtime.bigint();
  for (let i = 0; i < warmup; i++) last = run();
  for (let i = 0; i < 1000 && Number(process.hrtime.bigint() - start) / 1e6 < warmupMs; i++) last = run();
  const samplesMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    last = run();
    samplesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { timing: { medianMs: median(samplesMs), minMs: Math.min(...samplesMs), samplesMs, warmup, reps }, last };
}

/**
 * The memory-bandwidth reference for a workload: the time to copy its input arrays once
 * (`TypedArray.prototype.set`: every input byte read once and written once): the median and the
 * minimum of `reps` runs.
 */
export function copyTime(inputs: readonly ArrayBufferView[], { warmup, reps }: Repetitions): CopyTime {
  const pairs = inputs.map((a) => {
    const src = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    return [src, new Uint8Array(a.byteLength)] as const;
  });
  const { timing } = measure(
    () => {
      for (const [src, dst] of pairs) dst.set(src);
      return pairs.length;
    },
    { warmup: Math.max(1, warmup), reps },
  );
  return { medianMs: timing.medianMs, minMs: timing.minMs };
}

/** The copy reference of one workload: the median and the fastest copy of its inputs, ms. */
export interface CopyTime {
  medianMs: number;
  minMs: number;
}

/** One workload measured on one system. */
export interface Result {
  workload: string;
  system: string;
  timing: Timing;
  /** The loss value the system computed (MNIST: mean training loss of the last epoch). */
  value: number | null;
  /** MNIST full run: test accuracy in [0, 1]. */
  accuracy?: number | null;
  /** The time is extrapolated, not measured; says from what. */
  estimated?: string;
  /** The system has no such loss: nothing was run (the table shows '—'); says which. */
  missing?: string;
}
