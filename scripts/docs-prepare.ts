/**
 * npm run docs:prepare — regenerates docs/generated/ (loss reference from TypeDoc JSON,
 * notebook pages, reproduction page). Run before every docs start and build.
 *   LOSSLAB_NOTEBOOKS=dir     read the notebooks from dir instead of notebooks/
 *   LOSSLAB_REPRODUCTION=file read the checks from file instead of reproduction.json
 */
import { resolve } from 'node:path';
import { prepareDocs } from '../src/node/mdx/prepare';

const root = resolve(__dirname, '..');
const env = process.env;

prepareDocs({
  root,
  ...(env.LOSSLAB_NOTEBOOKS ? { notebooksDir: resolve(env.LOSSLAB_NOTEBOOKS) } : {}),
  ...(env.LOSSLAB_REPRODUCTION ? { reproduction: resolve(env.LOSSLAB_REPRODUCTION) } : {}),
  log: (line) => console.log(`docs:prepare  ${line}`),
}).catch((e: Error) => {
  console.error(`docs:prepare failed: ${e.message}`);
  process.exit(1);
});
