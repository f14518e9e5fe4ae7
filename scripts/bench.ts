// `npm run bench [-- --quick] [-- --json [PATH]] [-- --no-mnist-full]`: see src/node/bench/cli.ts
import { main } from '../src/node/bench/cli';

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
