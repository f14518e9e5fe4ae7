#!/usr/bin/env node
/**
 * Adds the lockfile entries that npm leaves out for other platforms' optional packages.
 *
 * This registry answers 404 for platform binaries of other systems (rollup, esbuild, rolldown
 * builds for darwin, win32, android, musl ...). npm 11 then writes a lockfile without them and
 * `npm ci` rejects that very lockfile ("Missing: @rollup/rollup-android-arm64@ from lock file",
 * npm/cli#9846). Each missing optional package gets an entry with its version and the `os`,
 * `cpu` and `libc` read from its name, so `npm ci` sees a complete lockfile and skips them as
 * packages for another platform, exactly as it does with a lockfile written against the public
 * registry.
 *
 * Run after every `npm install` that changes package-lock.json:
 *   node scripts/lockfile-platforms.mjs          (rewrites package-lock.json)
 *   node scripts/lockfile-platforms.mjs --check  (exit 1 when entries are missing)
 */
import { readFileSync, writeFileSync } from 'node:fs';

const LOCKFILE = new URL('../package-lock.json', import.meta.url);
const OPERATING_SYSTEMS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'netbsd', 'sunos', 'aix', 'win32', 'wasi'];
const CPU_PATTERNS = [
  [/(^|-)(x64|amd64|x86_64)(-|$)/, 'x64'],
  [/(^|-)(arm64|aarch64)(-|$)/, 'arm64'],
  [/(^|-)arm(-|$)/, 'arm'],
  [/(^|-)(ia32|x86)(-|$)/, 'ia32'],
  [/(^|-)ppc64(le)?(-|$)/, 'ppc64'],
  [/(^|-)riscv64(-|$)/, 'riscv64'],
  [/(^|-)s390x(-|$)/, 's390x'],
  [/(^|-)loong64(-|$)/, 'loong64'],
  [/(^|-)mips64el(-|$)/, 'mips64el'],
  [/(^|-)wasm32(-|$)/, 'wasm32'],
];

/** The os, cpu and libc a platform package's name announces, or undefined for other names. */
function platformOf(name) {
  const base = name.split('/').pop();
  const os = OPERATING_SYSTEMS.find((candidate) => new RegExp(`(^|-)${candidate}(-|$)`).test(base));
  const cpu = CPU_PATTERNS.find(([pattern]) => pattern.test(base))?.[1];
  if (cpu === undefined) return undefined;
  const platform = {};
  if (os !== undefined && os !== 'wasi') platform.os = [os];
  platform.cpu = [cpu];
  if (/musl/.test(base)) platform.libc = ['musl'];
  else if (/gnu/.test(base)) platform.libc = ['glibc'];
  return platform;
}

/** Where Node's resolution from `from` finds `name` among the lockfile's paths, if anywhere. */
function resolve(packages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

const lock = JSON.parse(readFileSync(LOCKFILE, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolve(packages, path, name) !== undefined) continue;
    const platform = platformOf(name);
    if (platform === undefined) continue;
    const target = `node_modules/${name}` in packages || path === '' ? `${path === '' ? '' : `${path}/`}node_modules/${name}` : `node_modules/${name}`;
    packages[target] = {
      version,
      ...platform,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added.push(`${target}@${version}`);
  }
}

if (process.argv.includes('--check')) {
  if (added.length > 0) {
    console.error(`package-lock.json lacks ${added.length} platform entries; run node scripts/lockfile-platforms.mjs`);
    process.exit(1);
  }
  console.log('package-lock.json: platform entries complete');
} else {
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))));
  writeFileSync(LOCKFILE, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${added.length} platform entries`);
}
