/**
 * reproduction.json (written by the notebook runner) -> the reproduction page: every checked
 * number of the notebooks, what it is compared with (a source's printed number, an independent
 * reference, an identity), the value losslab computed, and whether they agree within the
 * tolerance; grouped by kind, then by source document or reference.
 */
import type { CheckKind } from '../notebook/checkRecord';
import { escapeMarkdown, jsString } from './escape';
import { formatValue, type CheckResult } from './outputs';

/** One row of the table, as the ReproductionTable component takes it. */
export interface ReproductionRow {
  example: string;
  /** Absent for records written before checks had kinds. */
  kind?: CheckKind;
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
      ...(c.kind ? { kind: c.kind } : {}),
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

/** The page's sections, in reading order: what each kind of check compares with. */
const SECTIONS: Array<{ kind: CheckKind | undefined; title: string; text: string }> = [
  {
    kind: 'source',
    title: 'Numbers the sources printed',
    text: 'Each of these compares losslab with a number a source document printed, grouped by document. Where a source is itself wrong, the check pins what the source really computes and the [errata](./errata.mdx) give the correct value.',
  },
  {
    kind: 'reference',
    title: 'Independent references',
    text: "Each of these compares losslab with an independent computation on the same input: PyTorch (committed fixtures generated with Debian's python3-torch), a closed form, or a brute-force enumeration.",
  },
  {
    kind: 'identity',
    title: 'Identities',
    text: 'Each of these checks a mathematical identity between two losslab computations (cross-entropy = entropy + KL, focal loss at γ = 0 = cross-entropy ...): it catches an inconsistency, not an error both sides share.',
  },
  { kind: undefined, title: 'Checks without a kind', text: 'Records written before checks had kinds; re-run `npm run notebooks`.' },
];

/** A group's heading: the document for source checks, the reference's name otherwise. */
function groupTitle(kind: CheckKind | undefined, source: string): string {
  return kind === 'source' ? `Seed ${source}` : source;
}

export function reproductionPage(rows: ReproductionRow[], file: string): string {
  const passed = rows.filter((r) => r.pass).length;
  const table = (list: ReproductionRow[]) =>
    `<ReproductionTable rows={${JSON.stringify(list)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029')}} />`;
  const sections: string[] = [];
  for (const section of SECTIONS) {
    const inSection = rows.filter((r) => r.kind === section.kind);
    if (!inSection.length) continue;
    const ok = inSection.filter((r) => r.pass).length;
    sections.push(`## ${section.title}`, `${section.text} **${ok} of ${inSection.length}** pass.`);
    const groups = [...new Set(inSection.map((r) => r.source))].sort();
    for (const g of groups) sections.push(`### ${escapeMarkdown(groupTitle(section.kind, g))}`, table(inSection.filter((r) => r.source === g)));
  }
  if (!rows.length) sections.push(table([]));
  return (
    [
      [
        '---',
        'title: Reproduction',
        'slug: /reproduction',
        'description: "Every checked number of the notebooks: the sources\' worked examples, independent references and identities."',
        'custom_edit_url: null',
        '---',
      ].join('\n'),
      "import ReproductionTable from '@site/src/site/components/ReproductionTable';",
      '# Reproduction',
      `Every worked example in the source documents is recomputed with losslab in the notebooks, and every other number a notebook claims is checked too. Each check says what it is compared with: a number a **source** printed, an independent **reference** (PyTorch on the same input, a closed form, an enumeration), or an **identity** between two losslab computations. **${passed} of ${rows.length}** checks pass.`,
      ...sections,
      `<p className="ll-source-note">Generated from <code>{${jsString(file)}}</code>, written by <code>npm run notebooks</code>.</p>`,
    ].join('\n\n') + '\n'
  );
}
