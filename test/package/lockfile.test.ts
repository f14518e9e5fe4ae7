import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` rejects a lockfile that lacks other platforms' optional packages (npm/cli#9846);
// scripts/lockfile-platforms.mjs adds them after each `npm install`.
describe('package-lock.json', () => {
  it('lists every optional platform package, so npm ci accepts it', () => {
    const output = execFileSync(process.execPath, ['scripts/lockfile-platforms.mjs', '--check'], { encoding: 'utf8' });
    expect(output).toContain('platform entries complete');
  });

  it('records the rollup binaries of other platforms as optional, for their own os and cpu', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { optional?: boolean; os?: string[]; cpu?: string[] }>;
    };
    const darwin = lock.packages['node_modules/@rollup/rollup-darwin-arm64'];
    expect(darwin).toMatchObject({ optional: true, os: ['darwin'], cpu: ['arm64'] });
  });
});
