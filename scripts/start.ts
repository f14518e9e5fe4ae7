/**
 * `npm start`: runs every notebook (printing the reproduction table), builds
 * the documentation site from the executed notebooks, and serves it.
 * Each step is the npm script of the same name, so each can be run alone.
 */
import { spawnSync } from 'node:child_process';

function step(script: string, args: string[] = []): void {
  console.log(`\n> npm run ${script}${args.length ? ' -- ' + args.join(' ') : ''}`);
  const result = spawnSync('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: "npm run ${script}" failed (exit ${result.status ?? result.signal}); stopping.`);
    process.exit(result.status ?? 1);
  }
}

step('notebooks');
step('docs:build');
step('docs:serve');
