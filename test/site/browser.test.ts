/**
 * The built documentation site, in Chromium: notebook pages with rendered KaTeX and all their
 * plots, the reproduction table, the loss explorer computing the package's numbers, search,
 * dark mode, and no console error anywhere. Builds the site first (`npm run docs:build`), so
 * it always tests the current sources; LOSSLAB_SKIP_BUILD=1 reuses build/ while iterating.
 * Outside CI it skips when Chromium is absent; with CI=true it must run.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../scripts/serve';
import * as losslab from '../../src';
import { readChecks } from '../../src/node/mdx/reproduction';
import { NOTEBOOK_FILE } from '../../src/node/mdx/prepare';

const root = resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CI = /^(1|true)$/i.test(process.env.CI ?? '');
const runs = CI || existsSync(CHROMIUM);
const notebooksDir = resolve(process.env.LOSSLAB_NOTEBOOKS ?? join(root, 'notebooks'));
const reproductionFile = resolve(process.env.LOSSLAB_REPRODUCTION ?? join(root, 'reproduction.json'));
const artifacts = join(root, 'test-artifacts');

if (!runs) console.warn(`test/site/browser.test.ts skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or CI=true to make this an error).`);

const notebooks = existsSync(notebooksDir)
  ? readdirSync(notebooksDir)
      .filter((f) => NOTEBOOK_FILE.test(f))
      .sort()
  : [];

interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; data?: Record<string, unknown> }[] }[];
}

/** Plots in the .ipynb: displays with an SVG, a PNG/JPEG or a Vega-Lite spec (one each). */
function plotsIn(nb: NotebookJson): number {
  const kinds = ['image/svg+xml', 'image/png', 'image/jpeg', 'application/vnd.vegalite.v5+json'];
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data && kinds.some((k) => k in o.data!)).length;
}

describe.runIf(runs)('the built documentation site', () => {
  let server: Server;
  let base: string;
  let context: BrowserContext;
  let profile: string;
  const consoleErrors: string[] = [];
  /** Requests that leave the site's own origin (the live pages must load nothing from elsewhere). */
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!process.env.LOSSLAB_SKIP_BUILD) execSync('npm run docs:build', { cwd: root, stdio: 'inherit', env: process.env });
    const served = await serveStatic(join(root, 'build'));
    server = served.server;
    base = served.url;
    profile = mkdtempSync(join(tmpdir(), 'losslab-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    mkdirSync(artifacts, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a page of the site, hydrated, recording its console errors and page errors. */
  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${path}: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (!/^(data|blob):/.test(url) && new URL(url).origin !== new URL(base).origin) foreignRequests.push(`${path}: ${url}`);
    });
    await page.goto(base + path.replace(/^\//, ''), { waitUntil: 'networkidle' });
    await page.waitForSelector('html[data-has-hydrated="true"]');
    return page;
  }

  it('shows every notebook with rendered KaTeX, no raw $$, no KaTeX error, and all its plots', { timeout: 300_000 }, async () => {
    for (const file of notebooks) {
      const nb = JSON.parse(readFileSync(join(notebooksDir, file), 'utf8')) as NotebookJson;
      const page = await open(`/docs/notebooks/${file.replace(/\.ipynb$/, '')}`);
      const article = page.locator('article');
      const hasMath = nb.cells.some((c) => c.cell_type === 'markdown' && (Array.isArray(c.source) ? c.source.join('') : c.source).includes('$'));
      if (hasMath) expect(await article.locator('.katex').count(), `${file}: .katex elements`).toBeGreaterThan(0);
      expect(await article.locator('.katex-error').count(), `${file}: .katex-error`).toBe(0);
      const prose = await article.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('pre, code, .katex').forEach((n) => n.remove());
        return copy.textContent ?? '';
      });
      expect(prose, `${file}: raw $$ outside code and math`).not.toContain('$$');
      const plots = article.locator('figure.ll-plot img');
      expect(await plots.count(), `${file}: plots on the page`).toBe(plotsIn(nb));
      // Docusaurus marks markdown images loading="lazy": load them all now, then wait.
      await plots.evaluateAll((imgs) =>
        (imgs as HTMLImageElement[]).forEach((i) => {
          i.loading = 'eager';
        }),
      );
      await plots.evaluateAll((imgs) =>
        Promise.all(
          (imgs as HTMLImageElement[]).map((i) =>
            i.complete
              ? Promise.resolve()
              : new Promise((r) => {
                  i.addEventListener('load', r, { once: true });
                  i.addEventListener('error', r, { once: true });
                }),
          ),
        ),
      );
      const broken = await plots.evaluateAll((imgs) => (imgs as HTMLImageElement[]).filter((i) => i.naturalWidth === 0).map((i) => i.src));
      expect(broken, `${file}: plots that do not load`).toEqual([]);
      if (file === notebooks[0]) await page.screenshot({ path: join(artifacts, 'notebook.png'), fullPage: true });
      await page.close();
    }
  });

  it('lists every check of reproduction.json on the reproduction page, all passing', async () => {
    const checks = readChecks(readFileSync(reproductionFile, 'utf8'), relative(root, reproductionFile));
    const page = await open('/docs/reproduction');
    const rows = page.locator('[data-testid="reproduction-row"]');
    expect(await rows.count()).toBe(checks.length);
    // the page groups the checks by kind, then by document or reference: each check is one row, of its kind
    const found = await rows.evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), text: (e as HTMLElement).innerText })));
    for (const c of checks) {
      const row = found.filter((r) => r.text.includes(c.example));
      expect(row.length, `rows showing ${c.example}`).toBeGreaterThan(0);
      expect(
        row.some((r) => r.kind === (c.kind ?? '')),
        `${c.example} shown as a ${c.kind} check`,
      ).toBe(true);
    }
    expect(
      checks.filter((c) => !c.pass).map((c) => c.example),
      'failing checks in reproduction.json',
    ).toEqual([]);
    expect(await page.locator('[data-testid="reproduction-row"][data-pass="false"]').count()).toBe(0);
    await page.close();
  });

  it("shows the package's value and gradient in the explorer, and updates them as the inputs move", { timeout: 120_000 }, async () => {
    const page = await open('/docs/explorer');
    const value = page.getByTestId('explorer-value');
    const grad = page.getByTestId('explorer-grad');
    const read = async () => ({ value: Number(await value.getAttribute('data-value')), grad: Number(await grad.getAttribute('data-value')) });
    const input = async (key: string) => Number(await page.getByTestId(`explorer-${key}`).inputValue());

    // mse: one prediction against one target
    await page.getByTestId('explorer-loss').selectOption('mse');
    const before = await read();
    const expectMse = async () => {
      const [x, t] = [await input('x'), await input('target')];
      const shown = await read();
      expect(shown.value).toBeCloseTo(losslab.mse([x], [t]), 12);
      expect(shown.grad).toBeCloseTo(losslab.mse.grad([x], [t])[0]!, 12);
      expect(await value.innerText()).toBe(String(Number(shown.value.toPrecision(6))));
    };
    await expectMse();
    await page.getByTestId('explorer-x').focus();
    for (let k = 0; k < 25; k++) await page.keyboard.press('ArrowRight');
    const after = await read();
    expect(after.value).not.toBe(before.value);
    expect(after.grad).not.toBe(before.grad);
    await expectMse();
    await page.getByTestId('explorer-target-number').fill('-1.25');
    await expectMse();
    await page.screenshot({ path: join(artifacts, 'explorer.png'), fullPage: false });

    // crossEntropy: three logits, a class target, label smoothing
    await page.getByTestId('explorer-loss').selectOption('crossEntropy');
    await page.getByTestId('explorer-target-number').fill('2');
    await page.getByTestId('explorer-labelSmoothing-number').fill('0.1');
    const logits = [[await input('x'), await input('l1'), await input('l2')]];
    const ce = await read();
    expect(ce.value).toBeCloseTo(losslab.crossEntropy(logits, [2], { labelSmoothing: 0.1 }), 12);
    expect(ce.grad).toBeCloseTo(losslab.crossEntropy.grad(logits, [2], { labelSmoothing: 0.1 })[0]![0]!, 12);

    // sigmoidFocalLoss: gamma moves the numbers
    await page.getByTestId('explorer-loss').selectOption('sigmoidFocalLoss');
    const focalBefore = await read();
    await page.getByTestId('explorer-gamma-number').fill('0.5');
    const [x, t, alpha] = [await input('x'), await input('target'), await input('alpha')];
    const focal = await read();
    expect(focal.value).not.toBe(focalBefore.value);
    expect(focal.value).toBeCloseTo(losslab.sigmoidFocalLoss([x], [t], { gamma: 0.5, alpha }), 12);
    expect(focal.grad).toBeCloseTo(losslab.sigmoidFocalLoss.grad([x], [t], { gamma: 0.5, alpha })[0]!, 12);
    expect(await page.locator('[data-testid="explorer-loss-chart"] circle').count()).toBe(1);
    await page.close();
  });

  it("finds 'focal' with the offline search", async () => {
    const page = await open('/');
    await page.locator('.navbar__search-input').fill('focal');
    const suggestion = page.locator('.aa-suggestion, [class*="suggestion"]').filter({ hasText: /focal/i });
    await expect.poll(() => suggestion.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.close();
  });

  it('switches to dark mode with the navbar toggle', async () => {
    const page = await open('/docs/explorer');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const start = await theme();
    await page.locator('button[class*="toggleButton"]').first().click();
    await expect.poll(theme).not.toBe(start);
    if ((await theme()) !== 'dark') await page.locator('button[class*="toggleButton"]').first().click();
    await expect.poll(theme).toBe('dark');
    await page.screenshot({ path: join(artifacts, 'explorer-dark.png') });
    await page.close();
  });

  it('renders the landing page with a loss, a formula and a plot', async () => {
    const page = await open('/');
    await page.evaluate(() => localStorage.setItem('theme', 'light'));
    await page.reload({ waitUntil: 'networkidle' });
    expect(Number(await page.getByTestId('landing-mse').innerText())).toBeCloseTo(losslab.mse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]), 12);
    expect(await page.locator('main .katex').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="landing-plot"] svg path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'landing.png'), fullPage: true });
    await page.close();
  });

  /** The notebook's code cells: their number on the page (1-based, as the page names them) and source. */
  function codeCells(file: string): { n: number; source: string; outputs: NonNullable<NotebookJson['cells'][number]['outputs']> }[] {
    const nb = JSON.parse(readFileSync(join(notebooksDir, file), 'utf8')) as NotebookJson;
    return nb.cells
      .map((c, k) => ({ c, n: k + 1 }))
      .filter(({ c }) => c.cell_type === 'code' && (Array.isArray(c.source) ? c.source.join('') : c.source).trim())
      .map(({ c, n }) => ({ n, source: Array.isArray(c.source) ? c.source.join('') : c.source, outputs: c.outputs ?? [] }));
  }

  const notebookFile = (prefix: string) => notebooks.find((f) => f.startsWith(prefix))!;

  /** Opens cell n's editor, replaces its code as a reader would (select all, type), and runs it. */
  async function editAndRun(page: Page, n: number, code: string): Promise<void> {
    const cell = page.locator(`[data-testid="live-cell"][data-cell="${n}"]`);
    await cell.getByTestId('live-edit').click();
    const editor = cell.locator('.cm-content');
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(code);
    await cell.getByTestId('live-run').click();
  }

  const status = (page: Page, n: number) => page.locator(`[data-testid="live-cell"][data-cell="${n}"]`).getAttribute('data-status');

  it("runs an edited cell of notebook 02 in the browser and shows the package's value for the edited input", { timeout: 120_000 }, async () => {
    const file = notebookFile('02-');
    const cell = codeCells(file).find((c) => /const y = \[1, 3, 5, 6, 7\]/.test(c.source) && /seed000Mse\(y, y_i\)\s*$/.test(c.source))!;
    expect(cell, 'the seed 000 mse cell of notebook 02').toBeDefined();
    const page = await open(`/docs/notebooks/${file.replace(/\.ipynb$/, '')}`);
    const edited = [4, 0.5, 5, -2, 7];
    await editAndRun(page, cell.n, cell.source.replace('const y = [1, 3, 5, 6, 7]', `const y = [${edited.join(', ')}]`));
    await expect.poll(() => status(page, cell.n), { timeout: 60_000 }).toBe('done');
    const shown = await page.locator(`[data-testid="cell-output"][data-cell="${cell.n}"][data-live="true"]`).innerText();
    const yI = [3, 2, 7, 5, 8];
    const expected = losslab.sse(yI, edited, { half: true });
    expect(expected).not.toBe(5.5);
    expect(Number(shown.trim())).toBeCloseTo(expected, 12);
    await page.screenshot({ path: join(artifacts, 'live-notebook-02.png') });
    await page.close();
  });

  it('runs all of notebook 05 in the browser: every check passes, every plot renders', { timeout: 300_000 }, async () => {
    const file = notebookFile('05-');
    const cells = codeCells(file);
    const storedChecks = cells.flatMap((c) => c.outputs).filter((o) => o.data && 'application/vnd.losslab.check+json' in o.data).length;
    const storedPlots = cells.flatMap((c) => c.outputs).filter((o) => o.data && 'application/vnd.vegalite.v5+json' in o.data).length;
    const page = await open(`/docs/notebooks/${file.replace(/\.ipynb$/, '')}`);
    const started = Date.now();
    await page.getByTestId('live-run-all').click();
    const last = cells[cells.length - 1]!.n;
    // Run all stops at the first cell that fails, as Jupyter's does: wait for the last cell or a failure
    const failed = page.locator('[data-testid="live-cell"][data-status="error"]');
    await expect.poll(async () => ((await failed.count()) > 0 ? 'error' : await status(page, last)), { timeout: 240_000 }).toMatch(/done|error/);
    console.log(`notebook 05, Run all: ${cells.length} cells in ${Date.now() - started} ms`);
    const statuses = await page.locator('[data-testid="live-cell"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-cell')}:${e.getAttribute('data-status')}`));
    expect(
      statuses.filter((s) => !s.endsWith(':done')),
      'cells that did not run cleanly',
    ).toEqual([]);
    const checks = page.locator('.ll-check[data-live="true"]');
    expect(await checks.count()).toBe(storedChecks);
    expect(await page.locator('.ll-check[data-live="true"][data-pass="true"]').count()).toBe(storedChecks);
    const plots = page.getByTestId('live-plot');
    expect(await plots.count()).toBe(storedPlots);
    await expect.poll(() => page.locator('[data-testid="live-plot"]:has(svg, canvas)').count(), { timeout: 60_000 }).toBe(storedPlots);
    await page.screenshot({ path: join(artifacts, 'live-notebook-05.png'), fullPage: true });
    await page.close();
  });

  it('shows the message and the line of a cell that throws, and Stop ends an endless loop without freezing the page', { timeout: 180_000 }, async () => {
    const file = notebookFile('02-');
    const [first, second] = codeCells(file).slice(1);
    const page = await open(`/docs/notebooks/${file.replace(/\.ipynb$/, '')}`);
    await editAndRun(page, first!.n, "const fine = 1;\nconsole.log('before', fine);\nthrow new RangeError('thrown by the test');");
    await expect.poll(() => status(page, first!.n), { timeout: 60_000 }).toBe('error');
    const error = await page.locator(`[data-testid="cell-output"][data-cell="${first!.n}"] [data-testid="live-error"]`).innerText();
    expect(error).toContain('RangeError: thrown by the test');
    expect(error).toContain(`at cell ${first!.n}, line 3`);

    await editAndRun(page, second!.n, 'let spins = 0;\nwhile (true) spins++;');
    await expect.poll(() => status(page, second!.n), { timeout: 30_000 }).toBe('running');
    // the page stays responsive while the worker spins
    const t0 = Date.now();
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid="live-cell"]').length)).toBeGreaterThan(1);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await page.getByTestId('live-stop').click();
    await expect.poll(() => status(page, second!.n), { timeout: 10_000 }).toBe('stopped');
    // the next run starts a fresh worker and says that the scope was reset
    await page.locator(`[data-testid="live-cell"][data-cell="${first!.n}"]`).getByTestId('live-run').click();
    await expect.poll(() => status(page, first!.n), { timeout: 60_000 }).toBe('error');
    expect(await page.locator(`[data-testid="cell-output"][data-cell="${first!.n}"] [data-testid="live-note"]`).innerText()).toContain('empty scope');
    // Reset brings the stored source and outputs back
    await page.getByTestId('live-reset').click();
    expect(await page.locator(`[data-testid="cell-output"][data-cell="${first!.n}"]`).getAttribute('data-live')).toBe('false');
    expect(await page.locator(`[data-testid="live-cell"][data-cell="${first!.n}"]`).innerText()).toContain(first!.source.split('\n')[0]!.trim());
    await page.close();
  });

  it('measures what a live notebook page loads, before and after its first Run, and the time to the first output', { timeout: 120_000 }, async () => {
    const file = notebookFile('02-');
    const cell = codeCells(file).find((c) => /seed000Mse\(y, y_i\)\s*$/.test(c.source))!;
    const page = await context.newPage();
    const js: { url: string; bytes: number; phase: string }[] = [];
    let phase = 'load';
    page.on('response', (r) => {
      const url = r.url();
      if (!/\.js(\?|$)/.test(url)) return;
      const current = phase;
      void r.body().then(
        (b) => js.push({ url, bytes: b.length, phase: current }),
        () => undefined,
      );
    });
    await page.goto(`${base}docs/notebooks/${file.replace(/\.ipynb$/, '')}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('html[data-has-hydrated="true"]');
    phase = 'run';
    const started = Date.now();
    await page.locator(`[data-testid="live-cell"][data-cell="${cell.n}"]`).getByTestId('live-run').click();
    await page.locator(`[data-testid="cell-output"][data-cell="${cell.n}"][data-live="true"] .ll-stdout`).waitFor({ timeout: 60_000 });
    const firstOutput = Date.now() - started;
    await page.waitForLoadState('networkidle');
    phase = 'edit';
    await page.locator(`[data-testid="live-cell"][data-cell="${cell.n}"]`).getByTestId('live-edit').click();
    await page.locator('.cm-content').waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await new Promise((r) => setTimeout(r, 500));
    const sum = (ph: string) => js.filter((j) => j.phase === ph).reduce((s, j) => s + j.bytes, 0);
    const report = { page: file, jsOnLoadBytes: sum('load'), jsOnFirstRunBytes: sum('run'), jsOnFirstEditBytes: sum('edit'), firstRunToFirstOutputMs: firstOutput, files: js };
    writeFileSync(join(artifacts, 'live-measurements.json'), JSON.stringify(report, null, 2));
    console.log(
      `live page ${file}: JS on load ${report.jsOnLoadBytes} B, first Run +${report.jsOnFirstRunBytes} B, first Edit +${report.jsOnFirstEditBytes} B, first Run -> first output ${firstOutput} ms`,
    );
    expect(report.jsOnFirstRunBytes, 'the worker loads on the first Run').toBeGreaterThan(0);
    await page.close();
  });

  it('logs no console error on any page of the site', { timeout: 300_000 }, async () => {
    const pages = htmlPages(join(root, 'build')).filter((p) => p !== '/404');
    for (const path of pages) await (await open(path)).close();
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests, 'requests outside the site').toEqual([]);
  });
});

/** Every page of the built site, as a clean URL path. */
function htmlPages(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'assets' ? [] : htmlPages(join(dir, e.name), `${prefix}/${e.name}`);
    if (!e.name.endsWith('.html')) return [];
    const stem = e.name.replace(/\.html$/, '');
    return [stem === 'index' ? prefix || '/' : `${prefix}/${stem}`];
  });
}
