/**
 * `npm run generate`: rewrites every generated file (index.ts lists them) from its generator and
 * prints which ones changed. `npm run generate -- --check` writes nothing and exits 1 if any
 * committed file differs from its generator's output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generatedFiles } from './index';

const root = resolve(__dirname, '../..');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of generatedFiles) {
  const target = resolve(root, file.path);
  const text = file.text();
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) {
    console.log(`generate: ${file.path} is up to date`);
    continue;
  }
  stale++;
  if (check) {
    console.error(`generate: ${file.path} differs from its generator's output (run npm run generate)`);
  } else {
    writeFileSync(target, text);
    console.log(`generate: wrote ${file.path}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
