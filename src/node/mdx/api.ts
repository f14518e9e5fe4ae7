/**
 * TypeDoc's JSON (`typedoc --json`, over src/index.ts) -> the loss reference: one MDX page
 * per loss (every export typed `Loss<...>`), from its TSDoc block (summary with the KaTeX
 * formula, reductions, options, shapes, gradient, PyTorch / Keras equivalent, `@example`),
 * plus its options interface as a table, and one page for the helpers and the error type.
 * Nothing is written by hand, so the reference cannot drift from the code.
 */
import { escapeMarkdown, fence, jsString } from './escape';

/** The parts of TypeDoc's JSON model this renderer reads. */
export interface Reflection {
  id: number;
  name: string;
  kind: number;
  flags?: { isOptional?: boolean; isInherited?: boolean };
  comment?: Comment | null;
  children?: Reflection[];
  signatures?: Reflection[];
  parameters?: Reflection[];
  type?: TypeNode;
  inheritedFrom?: { target?: number };
  sources?: { fileName: string; line: number }[];
  defaultValue?: string;
}
interface Comment {
  summary: { kind: string; text: string; target?: unknown }[];
  blockTags?: { tag: string; content: { kind: string; text: string }[] }[];
}
interface TypeNode {
  type: string;
  name?: string;
  target?: unknown;
  typeArguments?: TypeNode[];
  types?: TypeNode[];
  elementType?: TypeNode;
  operator?: string;
  value?: unknown;
  elements?: TypeNode[];
  declaration?: Reflection;
}

const KIND = { class: 128, interface: 256, variable: 32, function: 64 } as const;

export interface ApiPage {
  /** File name inside the reference folder, e.g. `mse.mdx`. */
  file: string;
  mdx: string;
}

/** What each loss reports of itself at run time (`f.defaults`, `f.args`, `f.gradientArgs`), by loss name. */
export type LossFacts = Record<string, { defaults: Readonly<Record<string, unknown>>; args: readonly string[]; gradientArgs: readonly string[] }>;

export function renderApi(project: Reflection, facts: LossFacts = {}): ApiPage[] {
  const byId = new Map<number, Reflection>();
  const walk = (r: Reflection) => {
    byId.set(r.id, r);
    for (const c of [...(r.children ?? []), ...(r.signatures ?? [])]) walk(c);
  };
  walk(project);
  const exports = project.children ?? [];
  const isLoss = (r: Reflection) => isLossType(r) || (r.kind === KIND.variable && r.name in facts);
  const losses = exports.filter(isLoss).sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(losses.map((l) => l.name));
  const optionTypes = new Map(exports.filter((r) => r.kind === KIND.interface && r.name.endsWith('Options')).map((r) => [r.name, r]));
  const pages = losses.map((loss, k) => {
    const options = optionTypes.get(`${loss.name[0]!.toUpperCase()}${loss.name.slice(1)}Options`);
    const known = facts[loss.name] ?? { defaults: {}, args: ['input', 'target'], gradientArgs: ['input'] };
    return { file: `${loss.name}.mdx`, mdx: lossPage(loss, k + 1, options, known, names) };
  });
  const helpers = exports.filter((r) => r.kind === KIND.function || r.kind === KIND.class || (r.kind === KIND.variable && !isLoss(r)));
  if (helpers.length) pages.push({ file: 'helpers.mdx', mdx: helpersPage(helpers, losses.length + 1, names) });
  return pages;
}

/** A loss by its declared type; losses with a type of their own (ctcLoss) are known by their run-time facts. */
function isLossType(r: Reflection): boolean {
  return r.kind === KIND.variable && r.type?.type === 'reference' && (r.type.name === 'Loss' || r.type.name === 'MultiLoss');
}

/** The usage lines: the call, and what `grad` returns (one gradient, or one per differentiable argument). */
function usage(name: string, args: readonly string[], gradientArgs: readonly string[]): string {
  const call = `${args.join(', ')}, options?`;
  const grads =
    gradientArgs.length === 1
      ? `d loss / d ${gradientArgs[0]}, shaped like ${gradientArgs[0]}`
      : `[${gradientArgs.map((a) => `d loss / d ${a}`).join(', ')}], each shaped like its argument`;
  return `import { ${name} } from 'losslab';\n\n${name}(${call}) // the loss\n${name}.grad(${call}) // ${grads}`;
}

function lossPage(loss: Reflection, position: number, options: Reflection | undefined, facts: LossFacts[string], names: Set<string>): string {
  const summary = commentText(loss.comment, names);
  const parts = [
    frontMatter(loss.name, loss.name, firstSentence(summary), position),
    `# \`${loss.name}\``,
    fence(usage(loss.name, facts.args, facts.gradientArgs), 'ts'),
    escapeMarkdown(summary),
  ];
  const table = optionsTable(options, facts.defaults, names);
  if (table) parts.push('## Options', table);
  parts.push(...examples(loss.comment));
  parts.push(sourceLine(loss));
  return parts.join('\n\n') + '\n';
}

function helpersPage(helpers: Reflection[], position: number, names: Set<string>): string {
  const parts = [
    frontMatter('Helpers and errors', 'helpers', 'Stable softmax, log-softmax, sigmoid, log-sum-exp and the error type losslab throws.', position),
    '# Helpers and errors',
  ];
  for (const h of helpers) {
    const sig = h.signatures?.[0];
    const comment = sig?.comment ?? h.comment;
    parts.push(`## \`${h.name}\``);
    if (sig)
      parts.push(
        fence(`${h.name}(${(sig.parameters ?? []).map((p) => `${p.name}${p.flags?.isOptional ? '?' : ''}: ${typeText(p.type)}`).join(', ')}): ${typeText(sig.type)}`, 'ts'),
      );
    if (h.kind === KIND.class) parts.push(fence(`class ${h.name} extends Error`, 'ts'));
    parts.push(escapeMarkdown(commentText(comment, names)), ...examples(comment, '###'), sourceLine(h));
  }
  return parts.join('\n\n') + '\n';
}

function frontMatter(title: string, slug: string, description: string, position: number): string {
  return [
    '---',
    `title: ${jsString(title)}`,
    `slug: /reference/${slug}`,
    `description: ${jsString(description)}`,
    `sidebar_position: ${position}`,
    'custom_edit_url: null',
    '---',
  ].join('\n');
}

/**
 * The options as a table: one row per option the loss reports a default for (`f.defaults`, read
 * from its runtime spec), with the type and doc comment of its `XOptions` type (derived from the
 * same spec), so no option or default is written twice.
 */
function optionsTable(options: Reflection | undefined, defaults: Readonly<Record<string, unknown>>, names: Set<string>): string | null {
  const keys = Object.keys(defaults);
  if (!keys.length) return null;
  const props = new Map((options?.children ?? []).map((p) => [p.name, p]));
  const rows = keys.map((key) => {
    const p = props.get(key);
    const text = commentText(p?.comment, names);
    return `| \`${key}\` | ${cell('`' + typeText(p?.type) + '`')} | ${cell('`' + defaultText(defaults[key]) + '`')} | ${cell(escapeMarkdown(text))} |`;
  });
  return ['| option | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** A default as code: `'mean'`, `-100`, `false`; `undefined` (absent: see the meaning). */
function defaultText(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function cell(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function examples(comment: Comment | null | undefined, level = '##'): string[] {
  const tags = (comment?.blockTags ?? []).filter((t) => t.tag === '@example');
  if (!tags.length) return [];
  return [`${level} Example`, ...tags.map((t) => t.content.map((c) => c.text).join(''))];
}

function sourceLine(r: Reflection): string {
  const src = r.sources?.[0];
  return src ? `<p className="ll-source-note">Source: <code>{${jsString(`${src.fileName}:${src.line}`)}}</code></p>` : '';
}

/** A comment's summary as markdown: text as written, code spans kept, `{@link x}` as code. */
export function commentText(comment: Comment | null | undefined, names: Set<string>): string {
  if (!comment) return '';
  return comment.summary
    .map((p) => {
      if (p.kind !== 'inline-tag') return p.text;
      const name = p.text.trim();
      return names.has(name) ? `[\`${name}\`](./${name}.mdx)` : `\`${name}\``;
    })
    .join('')
    .trim();
}

/** The summary's first sentence without math or code marks: the card text of the index. */
function firstSentence(s: string): string {
  const first = s.split(/(?<=[.:])\s|\n\n/)[0] ?? s;
  return first
    .replace(/\$[^$]*\$/g, '')
    .replace(/[`*]/g, '')
    .replace(/[.:]$/, '')
    .trim();
}

/** A short TypeScript rendering of a TypeDoc type. */
export function typeText(t: TypeNode | undefined): string {
  if (!t) return 'unknown';
  switch (t.type) {
    case 'intrinsic':
      return t.name ?? 'unknown';
    case 'literal':
      return typeof t.value === 'string' ? `'${t.value}'` : String(t.value);
    case 'reference':
      return t.typeArguments?.length ? `${t.name}<${t.typeArguments.map(typeText).join(', ')}>` : (t.name ?? 'unknown');
    case 'union':
      return (t.types ?? []).map(typeText).join(' | ');
    case 'intersection':
      return (t.types ?? []).map(typeText).join(' & ');
    case 'array': {
      const inner = typeText(t.elementType);
      return /[|&]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case 'typeOperator':
      return `${t.operator} ${typeText(t.target as TypeNode)}`;
    case 'tuple':
      return `[${(t.elements ?? []).map(typeText).join(', ')}]`;
    default:
      return t.name ?? t.type;
  }
}
