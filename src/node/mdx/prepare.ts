/**
 * Regenerates docs/generated/ before every docs start and build:
 *   reference/      one page per loss, from TypeDoc's JSON of src/index.ts
 *   notebooks/      one page per notebooks/NN-*.ipynb, plots in notebooks/assets/
 *   reproduction.mdx  the table of reproduction.json
 *   accuracy.mdx      the accuracy suite's numbers (src/node/accuracy, test/fixtures/accuracy)
 *   errata.mdx        the notebooks' erratum cells, grouped by source document (errata.ts)
 * Every generated page is compiled with MDX + remark-math + rehype-katex here, so a page
 * Docusaurus could not build fails now, naming its notebook and cell.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as losslab from '../../index';
import { buildAccuracyPage } from '../accuracy/index';
import { renderApi, type LossFacts, type Reflection } from './api';
import { collectErrata, errataPage, type ErrataNotebook } from './errata';
import { dataFilesIn, importsMnist, MNIST_SUBSET, writeLiveAssets } from './live';
import { convertNotebook, joinSource, NotebookError, parseNotebook } from './notebook';
import { readChecks, reproductionPage, reproductionRows } from './reproduction';
import { compileMdx } from './validate';

export interface PrepareOptions {
  /** The repository root (holds package.json, src/, docs/). */
  root: string;
  /** Where the `NN-*.ipynb` notebooks are; default `<root>/notebooks`. */
  notebooksDir?: string;
  /** The runner's output; default `<root>/reproduction.json`. */
  reproduction?: string;
  /** Default `<root>/docs/generated`. */
  outDir?: string;
  log?: (line: string) => void;
}

export interface PrepareSummary {
  reference: string[];
  notebooks: { file: string; title: string; slug: string; plots: number }[];
  checks: number;
  errata: number;
  accuracy: { cases: number; failing: number };
}

export const NOTEBOOK_FILE = /^\d+-.+\.ipynb$/;

export async function prepareDocs(options: PrepareOptions): Promise<PrepareSummary> {
  const root = options.root;
  const out = options.outDir ?? join(root, 'docs', 'generated');
  const log = options.log ?? (() => {});
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  const reference = await writeReference(root, join(out, 'reference'));
  log(`reference: ${reference.length} pages from the TSDoc of src/index.ts`);

  const notebooksDir = options.notebooksDir ?? join(root, 'notebooks');
  const parsed: ErrataNotebook[] = [];
  const notebooks = await writeNotebooks(root, notebooksDir, join(out, 'notebooks'), parsed);
  log(`notebooks: ${notebooks.length} pages from ${relative(root, notebooksDir) || '.'}/`);

  const errata = collectErrata(parsed);
  const errataMdx = errataPage(errata);
  await compileOrFail(errataMdx, 'the errata page');
  writeFileSync(join(out, 'errata.mdx'), errataMdx);
  log(`errata: ${errata.length} erratum cells from ${new Set(errata.map((e) => e.notebook)).size} notebooks`);

  const reproduction = options.reproduction ?? join(root, 'reproduction.json');
  if (!existsSync(reproduction)) {
    throw new Error(
      `${reproduction} is missing: the reproduction page is built from it. Run \`npm run notebooks\` first (it executes the notebooks and writes the file), or point LOSSLAB_REPRODUCTION at one.`,
    );
  }
  const checks = readChecks(readFileSync(reproduction, 'utf8'), reproduction);
  const pages = new Map(notebooks.map((n) => [n.file.replace(/\.ipynb$/, ''), `/docs${n.slug}`]));
  const page = reproductionPage(reproductionRows(checks, pages), relative(root, reproduction) || reproduction);
  await compileOrFail(page, 'the reproduction page');
  writeFileSync(join(out, 'reproduction.mdx'), page);
  log(`reproduction: ${checks.length} checks from ${relative(root, reproduction)}`);

  const accuracy = await buildAccuracyPage(root);
  await compileOrFail(accuracy.mdx, 'the accuracy page');
  writeFileSync(join(out, 'accuracy.mdx'), accuracy.mdx);
  log(`accuracy: ${accuracy.cases} cases from test/fixtures/accuracy, ${accuracy.failing} missing a bound`);
  return { reference, notebooks, checks: checks.length, errata: errata.length, accuracy: { cases: accuracy.cases, failing: accuracy.failing } };
}

/** What every exported loss reports of itself (defaults, argument names), read from the package. */
function lossFacts(): LossFacts {
  const out: LossFacts = {};
  for (const [name, value] of Object.entries(losslab)) {
    if (typeof value === 'function' && 'defaults' in value && 'args' in value) out[name] = value;
  }
  return out;
}

/** `typedoc --json` over src/index.ts, then one page per loss. */
async function writeReference(root: string, dir: string): Promise<string[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'losslab-typedoc-'));
  const json = join(tmp, 'api.json');
  const bin = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
  try {
    execFileSync(process.execPath, [bin, '--json', json, '--tsconfig', 'tsconfig.build.json', '--readme', 'none', '--skipErrorChecking', '--logLevel', 'Error', 'src/index.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`typedoc failed on src/index.ts:\n${String(err.stdout ?? '')}${String(err.stderr ?? '')}`, { cause: e });
  }
  const project = JSON.parse(readFileSync(json, 'utf8')) as Reflection;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pages = renderApi(project, lossFacts());
  for (const p of pages) {
    await compileOrFail(p.mdx, `the reference page ${p.file}`);
    writeFileSync(join(dir, p.file), p.mdx);
  }
  return pages.map((p) => p.file);
}

/** Writes one page per notebook; pushes each parsed notebook onto `parsed` for the errata page. */
async function writeNotebooks(root: string, from: string, dir: string, parsed: ErrataNotebook[]): Promise<PrepareSummary['notebooks']> {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(from)) return [];
  const files = readdirSync(from)
    .filter((f) => NOTEBOOK_FILE.test(f))
    .sort();
  const done: PrepareSummary['notebooks'] = [];
  const liveFiles = new Set<string>();
  let liveMnist = false;
  for (const file of files) {
    const name = relative(root, join(from, file)) || file;
    const stem = file.replace(/\.ipynb$/, '');
    const slug = `/notebooks/${stem}`;
    const nb = parseNotebook(readFileSync(join(from, file), 'utf8'), name);
    const sources = nb.cells.filter((c) => c.cell_type === 'code').map((c) => joinSource(c.source));
    const live = { files: dataFilesIn(root, sources), ...(importsMnist(sources) ? { mnist: MNIST_SUBSET } : {}) };
    live.files.forEach((f) => liveFiles.add(f));
    liveMnist ||= live.mnist !== undefined;
    const page = await convertNotebook(nb, { name, slug: stem, position: Number(/^\d+/.exec(file)![0]), live });
    for (const c of page.cells) {
      try {
        await compileMdx(c.mdx);
      } catch (e) {
        throw new NotebookError(name, c.index, `the ${c.type} cell does not compile as MDX: ${(e as Error).message}`);
      }
    }
    const mdx = page.mdx.replace(/\ncustom_edit_url: null\n/, `\nslug: ${slug}\ncustom_edit_url: null\n`);
    await compileOrFail(mdx, name);
    writeFileSync(join(dir, `${stem}.mdx`), mdx);
    for (const a of page.assets) {
      mkdirSync(dirname(join(dir, a.file)), { recursive: true });
      writeFileSync(join(dir, a.file), a.data);
    }
    done.push({ file, title: page.title, slug, plots: page.plots });
    parsed.push({ name, title: page.title, href: `/docs${slug}`, nb });
  }
  await writeLiveAssets(root, dirname(dir), [...liveFiles].sort(), liveMnist);
  return done;
}

async function compileOrFail(mdx: string, what: string): Promise<void> {
  try {
    await compileMdx(mdx);
  } catch (e) {
    throw new Error(`${what} does not compile as MDX: ${(e as Error).message}`, { cause: e });
  }
}
