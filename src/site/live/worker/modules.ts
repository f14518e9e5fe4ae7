/**
 * What a cell's `import ... from '...'` gets on the live page: the notebooks' modules, resolved
 * to the core package the site ships and to the browser versions of the Node-only helpers.
 * The core's `batchIndices` also reports its progress to the page (a progress bar while a
 * training loop runs); its batches are the core's own.
 */
import * as core from '../../../index';
import { progress } from './channel';
import { fsModule } from './fs';
import * as mnist from './mnist';
import * as helpers from './notebookHelpers';

function* batchIndicesWithProgress(...args: Parameters<typeof core.batchIndices>): Generator<Int32Array, void, undefined> {
  const [count, batchSize, options] = args;
  const total = options?.dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  let done = 0;
  for (const batch of core.batchIndices(...args)) {
    yield batch;
    progress(++done, total, 'batches');
  }
}

const coreModule = { ...core, batchIndices: batchIndicesWithProgress };

const MODULES: Record<string, unknown> = {
  src: coreModule,
  losslab: coreModule,
  'src/node/notebook': helpers,
  'src/node/mnist': mnist,
  fs: fsModule,
  'node:fs': fsModule,
};

/** `./src/index.ts`, `../src/index`, `src` -> `src`: the notebooks' ways of naming a module. */
export function moduleKey(specifier: string): string {
  return specifier
    .replace(/^(\.\.?\/)+/, '')
    .replace(/\.(ts|js)$/, '')
    .replace(/\/index$/, '');
}

export function isMnist(specifier: string): boolean {
  return moduleKey(specifier) === 'src/node/mnist';
}

/** The module for a specifier, or an error saying the cell cannot run in the browser. */
export function loadModule(specifier: string): unknown {
  const mod = MODULES[moduleKey(specifier)];
  if (mod === undefined) {
    throw new Error(
      `import '${specifier}': this module is not available in the browser, so this cell cannot run on the live page. The live page provides './src/index' (the losslab package), './src/node/notebook/index' (check, plot, ...), './src/node/mnist' (a subset shipped with the site) and 'fs' (readFileSync of the notebook's data files); run the notebook on tslab for the rest`,
    );
  }
  return mod;
}
