import { describe, expect, it } from 'vitest';
import { checkRecord, formatCheck } from '../../src/node/notebook/checkRecord';

const spec = { example: 'fair die entropy', kind: 'source' as const, source: '003', expected: 1.7918, actual: Math.log(6), tolerance: 5e-5 };

describe('a check record', () => {
  it('passes when actual is within the tolerance of expected, and says what it was compared with', () => {
    const r = checkRecord(spec);
    expect(r).toMatchObject({ kind: 'source', pass: true, delta: Math.abs(Math.log(6) - 1.7918) });
    expect(formatCheck(r)).toBe('✓ fair die entropy — source, seed 003: 1.7918, losslab 1.791759469, |Δ| 4.1e-5 ≤ 0.00005');
    expect(formatCheck(checkRecord({ ...spec, kind: 'reference', source: 'PyTorch' }))).toMatch(/^✓ fair die entropy — reference, PyTorch: /);
  });

  it('fails outside the tolerance and for a non-finite actual', () => {
    expect(checkRecord({ ...spec, tolerance: 1e-6 }).pass).toBe(false);
    expect(formatCheck(checkRecord({ ...spec, tolerance: 1e-6 }))).toMatch(/^✗ .* > 0.000001$/);
    expect(checkRecord({ ...spec, actual: NaN }).pass).toBe(false);
    expect(checkRecord({ ...spec, expected: 0, actual: Infinity, tolerance: Number.MAX_VALUE }).pass).toBe(false);
  });

  it('rejects a spec without a kind, a source check without a document id, and non-numbers', () => {
    const { kind: _kind, ...noKind } = spec;
    expect(() => checkRecord(noKind as never)).toThrow("check: kind must be one of 'source', 'reference', 'identity', got undefined");
    expect(() => checkRecord({ ...spec, kind: 'pytorch' as never })).toThrow('got "pytorch"');
    expect(() => checkRecord({ ...spec, source: 'seed 003' })).toThrow(`a 'source' check needs the document's three-digit id as source (e.g. '003'), got "seed 003"`);
    expect(() => checkRecord({ ...spec, kind: 'identity', source: ' ' })).toThrow('check: source must be a non-empty string');
    expect(() => checkRecord({ ...spec, expected: Infinity })).toThrow('check: expected must be a finite number, got Infinity');
    expect(() => checkRecord({ ...spec, actual: '1' as never })).toThrow('check: actual must be a number, got "1"');
    expect(() => checkRecord({ ...spec, tolerance: -1 })).toThrow('check: tolerance must be a finite number >= 0, got -1');
  });
});
