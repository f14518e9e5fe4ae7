/**
 * Cutting a loss's pair code (octetLoop.ts) into stages that run as loops of their own over a
 * chunk of pairs, each stage handing the locals that later stages read to the next through
 * memory. A long pair code (an exp, a log and divisions: some 300 instructions) fills the
 * processor's reorder window by itself, so one pair's dependency chain runs nearly alone; a
 * stage of a third or a fifth of it lets the processor overlap the chains of several pairs.
 * The operations and their order within each pair stay the same, and storing and loading a
 * vector is exact, so the results keep their bits.
 */
import type { Code } from './assembler';
import { statements } from './statements';

/** The stages' code and, for each boundary between stage b - 1 and stage b (b >= 1), the locals carried across it. */
export interface StagePlan {
  stages: Code[];
  carries: number[][];
}

/**
 * Cuts `code` (stack-neutral, straight-line) at statement ends into `count` stages of about
 * equal length. `inputs` are the locals the loop sets before the first stage, `outputs` those it
 * reads after the last; `invariant` the locals the code must not have carried (constants set
 * once, and accumulators such as octetLoop's keep, which the code only ANDs into, in any
 * order). A local is carried across a boundary when a later stage reads it before writing it
 * and it was written before the boundary.
 */
export function planStages(code: Code, count: number, inputs: readonly number[], outputs: readonly number[], invariant: ReadonlySet<number>): StagePlan {
  if (!Number.isInteger(count) || count < 1) throw new Error(`planStages: count must be an integer >= 1, got ${count}`);
  const list = statements(code);
  const groups: Array<typeof list> = Array.from({ length: count }, () => []);
  let done = 0;
  for (const s of list) {
    groups[Math.min(count - 1, Math.floor((done / code.length) * count))]!.push(s);
    done += s.code.length;
  }
  if (groups.some((g) => g.length === 0)) throw new Error(`planStages: ${list.length} statements do not make ${count} stages`);
  const reads = groups.map((g) => g.flatMap((s) => s.accesses));
  reads[count - 1]!.push(...outputs.map((index) => ({ index, write: false })));
  const carries: number[][] = [];
  for (let b = 1; b < count; b++) {
    const before = new Set(inputs);
    for (let g = 0; g < b; g++) for (const a of reads[g]!) if (a.write) before.add(a.index);
    const written = new Set<number>();
    const carry: number[] = [];
    for (let g = b; g < count; g++) {
      for (const a of reads[g]!) {
        if (a.write) written.add(a.index);
        else if (!written.has(a.index) && before.has(a.index) && !invariant.has(a.index) && !carry.includes(a.index)) carry.push(a.index);
      }
    }
    carries.push(carry);
  }
  return { stages: groups.map((g) => g.flatMap((s) => s.code)), carries };
}
