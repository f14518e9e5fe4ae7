import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tablesModule } from './generateTables';

it('src/core/math/elementaryTables.ts is the output of generateTables.ts (exact BigInt values, correctly rounded)', () => {
  const file = fileURLToPath(new URL('../../src/core/math/elementaryTables.ts', import.meta.url));
  expect(readFileSync(file, 'utf8')).toBe(tablesModule());
});
