/**
 * npm run kernel:install [-- --prefix DIR]
 *
 * Registers this checkout's tslab (node_modules/tslab) as the Jupyter kernel `losslab-tslab`
 * ("TypeScript (losslab)"), for JupyterLab, VS Code and nbconvert, with scripts/kernel/preload.cjs
 * preloaded (tslab binds its sockets before serving them; see scripts/kernel/bind-first.cjs).
 * No Python and no global install: writes kernel.json into the user's Jupyter data dir
 * (JUPYTER_DATA_DIR, else the platform default), or into DIR/share/jupyter/kernels with --prefix
 * (then add DIR/share/jupyter to JUPYTER_PATH). The kernel starts in the project root, like
 * `npm run notebooks`, because tslab compiles only files under its cwd; node's folder is put first
 * on PATH, for the kernel and for what its cells spawn.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KERNELSPEC } from '../src/node/runner/normalize';

const root = path.resolve(__dirname, '..');

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'jupyter');
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

function main(argv: string[]): number {
  let prefix: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--prefix') prefix = argv[++i];
    else if (a.startsWith('--prefix=')) prefix = a.slice('--prefix='.length);
    else {
      console.error(`unknown argument ${a}\nusage: npm run kernel:install [-- --prefix DIR]`);
      return 2;
    }
  }
  if (prefix === '') prefix = undefined;
  const kernels = prefix ? path.join(path.resolve(prefix), 'share', 'jupyter', 'kernels') : path.join(userDataDir(), 'kernels');
  const dir = path.join(kernels, KERNELSPEC.name);
  const tslab = path.join(root, 'node_modules', 'tslab', 'bin', 'tslab');
  const preload = path.join(root, 'scripts', 'kernel', 'preload.cjs');
  const argvSpec =
    process.platform === 'win32'
      ? [process.execPath, '--require', preload, tslab, 'kernel', '--config-path', '{connection_file}'] // no cwd switch without a shell; see README
      : [
          '/bin/sh',
          '-c',
          'export PATH="$2:$PATH"; cd "$1" && exec node --require "$5" "$3" kernel --config-path "$4"',
          KERNELSPEC.name,
          root,
          path.dirname(process.execPath),
          tslab,
          '{connection_file}',
          preload,
        ];
  const spec = {
    argv: argvSpec,
    display_name: KERNELSPEC.display_name,
    language: KERNELSPEC.language,
    metadata: { losslab: { root } },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 1) + '\n');
  console.log(`Installed Jupyter kernel "${KERNELSPEC.display_name}" (${KERNELSPEC.name}) in ${dir}`);
  console.log(`  runs ${tslab} in ${root}`);
  if (prefix) console.log(`  Jupyter finds it with JUPYTER_PATH=${path.join(path.resolve(prefix), 'share', 'jupyter')}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
