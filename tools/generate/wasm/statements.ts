/**
 * Reading back the straight-line code that assembler.ts writes: where its statements end (the
 * points where the operand stack is empty again) and which locals each statement reads and
 * writes. octetLoop.ts uses both to cut a loss's pair code into stages that run as loops of their
 * own. Only the instructions of straight-line kernel code are known (no blocks, branches or
 * calls); any other opcode throws, so a new instruction cannot be misread silently.
 */
import type { Code } from './assembler';

/** One instruction: where it ends, its net effect on the operand stack, and the local it reads or writes. */
interface Instruction {
  end: number;
  stack: number;
  local?: { index: number; write: boolean };
}

function readUleb(code: Code, at: number): [value: number, end: number] {
  let value = 0;
  let scale = 1;
  let byte: number;
  do {
    byte = code[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte & 0x80);
  return [value, at];
}

function skipLeb(code: Code, at: number): number {
  while (code[at++]! & 0x80);
  return at;
}

const skipMemarg = (code: Code, at: number) => readUleb(code, readUleb(code, at)[1])[1];

/** SIMD opcodes by their stack effect (the rest of those kernels use: binary, -1). */
const SIMD_UNARY = new Set([0x11, 0x12, 0x13, 0x14, 0x53, 0x5e, 0x5f, 0xc3, 0xc7, 0xec, 0xed, 0xfc, 0xfe]);
const SIMD_SHIFT = new Set([0xab, 0xac, 0xcb, 0xcc, 0xcd]);
const SIMD_BINARY = new Set([0x47, 0x49, 0x4a, 0x4b, 0x4c, 0x4e, 0x4f, 0x50, 0x51, 0xb1, 0xce, 0xd1, 0xe5, 0xea, 0xeb, 0xf0, 0xf1, 0xf2, 0xf3, 0xf6, 0xf7]);
/** Scalar opcodes (besides loads, 0x28-0x2b, and stores, 0x36-0x39): i32.eqz and the conversions pop one and push one; comparisons and arithmetic pop two. */
const SCALAR_UNARY = new Set([0x45, 0x9f, 0xb6, 0xbb]);
const SCALAR_BINARY = new Set([0x46, 0x47, 0x48, 0x4e, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x74, 0x75, 0xa0, 0xa1, 0xa2, 0xa3]);

function decode(code: Code, at: number): Instruction {
  const opcode = code[at++]!;
  if (opcode === 0x20 || opcode === 0x21 || opcode === 0x22) {
    const [index, end] = readUleb(code, at);
    return { end, stack: opcode === 0x20 ? 1 : opcode === 0x21 ? -1 : 0, local: { index, write: opcode !== 0x20 } };
  }
  if (opcode === 0x41 || opcode === 0x42) return { end: skipLeb(code, at), stack: 1 };
  if (opcode === 0x44) return { end: at + 8, stack: 1 };
  if (opcode === 0x1b) return { end: at, stack: -2 };
  if (opcode >= 0x28 && opcode <= 0x2b) return { end: skipMemarg(code, at), stack: 0 };
  if (opcode >= 0x36 && opcode <= 0x39) return { end: skipMemarg(code, at), stack: -2 };
  if (SCALAR_UNARY.has(opcode)) return { end: at, stack: 0 };
  if (SCALAR_BINARY.has(opcode)) return { end: at, stack: -1 };
  if (opcode === 0xfd) {
    const [n, end] = readUleb(code, at);
    if (n === 0x00 || n === 0x5d) return { end: skipMemarg(code, end), stack: 0 };
    if (n === 0x0b) return { end: skipMemarg(code, end), stack: -2 };
    if (n === 0x5b) return { end: skipMemarg(code, end) + 1, stack: -2 };
    if (n === 0x0d) return { end: end + 16, stack: -1 };
    if (n === 0x1b || n === 0x1f || n === 0x21) return { end: end + 1, stack: 0 };
    if (n === 0x52) return { end, stack: -2 };
    if (SIMD_UNARY.has(n)) return { end, stack: 0 };
    if (SIMD_SHIFT.has(n) || SIMD_BINARY.has(n)) return { end, stack: -1 };
    throw new Error(`statements: SIMD opcode 0x${n.toString(16)} at byte ${at - 1} is not one it knows`);
  }
  throw new Error(`statements: opcode 0x${opcode.toString(16)} at byte ${at - 1} is not one it knows`);
}

/** A statement's local accesses, in order. */
export interface Access {
  index: number;
  write: boolean;
}

/** The statements of stack-neutral straight-line code, each with the locals it reads and writes (in order). */
export function statements(code: Code): Array<{ code: Code; accesses: Access[] }> {
  const out: Array<{ code: Code; accesses: Access[] }> = [];
  let depth = 0;
  let start = 0;
  let accesses: Access[] = [];
  for (let at = 0; at < code.length;) {
    const instruction = decode(code, at);
    at = instruction.end;
    depth += instruction.stack;
    if (instruction.local) accesses.push(instruction.local);
    if (depth < 0) throw new Error(`statements: the code pops an empty stack at byte ${at}`);
    if (depth === 0) {
      out.push({ code: code.slice(start, at), accesses });
      start = at;
      accesses = [];
    }
  }
  if (depth !== 0) throw new Error(`statements: the code leaves ${depth} values on the stack`);
  return out;
}
