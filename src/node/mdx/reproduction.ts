/**
 * reproduction.json (written by the notebook runner) -> the reproduction page: every worked
 * example of the source documents, the value the source printed, the value losslab
 * reproduced, and whether they agree within the tolerance.
 */
import { jsString } from './escape';
import { formatValue, type CheckResult } from './outputs';

/** One row of the table, as the ReproductionTable component takes it. */
export interface ReproductionRow {
  example: string;
  source: string;
  expected: string;
  actual: string;
  tolerance: string;
  pass: boolean;
  notebook: string;
  /** The notebook's page, when it is on the site. */
  href?: string;
}

/**
 * Accepts an array of checks, `{ checks: [...] }`, `{ "<notebook>": [...] }` or
 * `{ "<id>": check }`; throws naming the file when it is none of those.
 */
export function readChecks(json: string, file: string): CheckResult[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
  const list: CheckResult[] = [];
  const add = (c: unknown, notebook?: string) => {
    if (!c || typeof c !== 'object' || typeof (c as CheckResult).pass !== 'boolean')
      throw new Error(`${file}: every check needs {example, source, expected, actual, tolerance, pass, notebook}; got ${JSON.stringify(c)?.slice(0, 120)}`);
    const check = c as CheckResult;
    list.push({ ...check, notebook: check.notebook ?? notebook });
  };
  if (Array.isArray(data)) data.forEach((c) => add(c));
  else if (data && typeof data === 'object') {
    const obj = data as Record<string, unknown>;
    if (Array.isArray(obj.checks)) obj.checks.forEach((c) => add(c));
    else for (const [key, v] of Object.entries(obj)) (Array.isArray(v) ? v : [v]).forEach((c) => add(c, key));
  } else throw new Error(`${file}: expected an array or an object of checks`);
  return list;
}

export function reproductionRows(checks: CheckResult[], notebookPages: Map<string, string>): ReproductionRow[] {
  return checks.map((c) => {
    const notebook = String(c.notebook ?? '');
    const base = notebook.split(/[\\/]/).pop() ?? '';
    const href = notebookPages.get(base.replace(/\.ipynb$/, ''));
    return {
      example: String(c.example ?? ''),
      source: String(c.source ?? ''),
      expected: formatValue(c.expected),
      actual: formatValue(c.actual),
      tolerance: c.tolerance === undefined ? '' : formatValue(c.tolerance),
      pass: c.pass,
      notebook,
      ...(href ? { href } : {}),
    };
  });
}

export function reproductionPage(rows: ReproductionRow[], file: string): string {
  const passed = rows.filter((r) => r.pass).length;
  return (
    [
      [
        '---',
        'title: Reproduction',
        'slug: /reproduction',
        'description: "Every worked example of the source documents, reproduced by the notebooks."',
        'custom_edit_url: null',
        '---',
      ].join('\n'),
      "import ReproductionTable from '@site/src/site/components/ReproductionTable';",
      '# Reproduction',
      `Every worked example in the source documents is recomputed with losslab in the notebooks; each check compares the value the source printed with the value losslab reproduces, within the stated tolerance. **${passed} of ${rows.length}** checks pass. Where a source is itself wrong, the check pins what the source's code really computes and the [errata](../errata.md) give the correct formula.`,
      `<ReproductionTable rows={${JSON.stringify(rows)
        .replace(/\u2028/g, '\\u2028')
        .replace(/\u2029/g, '\\u2029')}} />`,
      `<p className="ll-source-note">Generated from <code>{${jsString(file)}}</code>, written by <code>npm run notebooks</code>.</p>`,
    ].join('\n\n') + '\n'
  );
}
