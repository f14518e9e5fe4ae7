// npm run notebooks [-- FILES] [--timeout SECONDS] [--report FILE] [--out-dir DIR]: see src/node/runner/cli.ts
import { main } from '../src/node/runner/cli';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
