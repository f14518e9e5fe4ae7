/**
 * The accuracy suite's machinery, shared by the test (test/accuracy/) and the docs page:
 * fixtures (test/fixtures/accuracy/, written by scripts/fixtures/accuracy_fixtures.py), the
 * error measure and bounds, the losslab and TensorFlow.js runners, the report and the page.
 */
import { relative } from 'node:path';
import { accuracyPage } from './page';
import { accuracyReport } from './report';
import { fixtureDir } from './fixtures';

export * from './error';
export * from './fixtures';
export * from './formula';
export { accuracyPage } from './page';
export * from './report';
export { HELPERS, losslabExport, runLosslab, type PathResult } from './run';
export { runTfjs, useTfjsCpu, type TfjsResult } from './tfjs';

/** Runs the whole suite (with TensorFlow.js) and renders the Accuracy page; returns it with the case counts. */
export async function buildAccuracyPage(root: string): Promise<{ mdx: string; cases: number; failing: number }> {
  const dir = fixtureDir(root);
  const report = await accuracyReport(dir, { tfjs: true });
  const mdx = accuracyPage(report, relative(root, dir));
  return { mdx, cases: report.cases.length, failing: report.cases.filter((c) => c.failures.length > 0).length };
}
