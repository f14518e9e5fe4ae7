/**
 * The `@example` blocks of src/core's doc comments and the README's `## Use` block, as programs
 * whose printed results can be checked: a line `expression // value` asserts that the expression
 * evaluates to `value`, a JavaScript literal (numbers, strings, booleans, null, NaN, Infinity,
 * arrays, objects), optionally typed (`Float64Array [0.5, 0]`) and optionally followed by prose
 * after a space or a comma (`1.79 (ln 6)`, `[1, 2]   d mse / d input`). Any other comment is prose.
 * Declarations keep their comments as annotations (`const images = ...; // [3, 2]`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';

export interface Example {
  /** Where it is written: `src/core/losses/mse.ts: mse`, `README.md: ## Use`. */
  readonly where: string;
  /** The example's lines, comment markers (` * `) removed. */
  readonly lines: readonly string[];
}

/** An asserted line of an example: its code and the value its comment prints. */
export interface Assertion {
  readonly line: number;
  readonly code: string;
  readonly printed: string;
  readonly expected: Printed;
}

/** A parsed comment value; `typed` names the typed array a `Float64Array [...]` comment requires. */
export interface Printed {
  readonly value: unknown;
  readonly typed?: string;
}

/** Every `@example` block of the TypeScript files under `dir` (recursively), in file order. */
export function docExamples(root: string, dir: string): Example[] {
  const files = readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .sort();
  return files.flatMap((file) => examplesOf(file, readFileSync(path.join(root, file), 'utf8')));
}

function examplesOf(file: string, text: string): Example[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const seen = new Set<number>();
  const out: Example[] = [];
  const visit = (node: ts.Node) => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== 'example' || seen.has(tag.pos)) continue;
      seen.add(tag.pos);
      const raw = text.slice(tag.tagName.end, tag.end).replace(/\*\/\s*$/, '');
      const lines = raw.split('\n').map((l) => l.replace(/^\s*\*( |$)/, '').trimEnd());
      while (lines.length > 0 && lines[0] === '') lines.shift();
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      out.push({ where: `${file}: ${declarationName(node)}`, lines: lines.filter((l) => !l.startsWith('```')) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `mse`, `Adam`, `Adam.step`: the documented declaration, with its class for a member. */
function declarationName(node: ts.Node): string {
  const own = (n: ts.Node): string | undefined => {
    if (ts.isVariableStatement(n)) return n.declarationList.declarations[0]?.name.getText();
    const name = (n as { name?: ts.Node }).name;
    return name ? name.getText() : undefined;
  };
  const name = own(node) ?? '(anonymous)';
  const owner = node.parent && (ts.isClassDeclaration(node.parent) || ts.isInterfaceDeclaration(node.parent)) ? own(node.parent) : undefined;
  return owner ? `${owner}.${name}` : name;
}

/** The code block after the README's `## Use` heading, as one example (its import line dropped). */
export function readmeExample(root: string): Example {
  const text = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /^## Use\n+```ts\n([\s\S]*?)\n```/m.exec(text);
  if (!block) throw new Error('README.md has no ```ts block under ## Use');
  return { where: 'README.md: ## Use', lines: block[1]!.split('\n').filter((l) => !l.startsWith('import ')) };
}

/** The line split at its `//` comment (outside strings and regular expressions), if it has one. */
export function splitComment(line: string): { code: string; comment?: string } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, line);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia) {
      const at = scanner.getTokenStart();
      return { code: line.slice(0, at).trimEnd(), comment: line.slice(at + 2).trim() };
    }
    // a `/` where an expression may start is a regular expression
    if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) scanner.reScanSlashToken();
  }
  return { code: line.trimEnd() };
}

/** The assertions of an example: expression lines whose comment is a printed value. */
export function assertionsOf(example: Example): Assertion[] {
  const out: Assertion[] = [];
  example.lines.forEach((text, line) => {
    const { code, comment } = splitComment(text);
    if (comment === undefined || code === '' || /^(const|let|var|import|export|function|class)\b/.test(code)) return;
    const expected = parsePrinted(comment);
    if (expected) out.push({ line, code: code.replace(/;$/, ''), printed: comment, expected });
  });
  return out;
}

/**
 * The value a comment prints, or undefined when the comment is prose: a literal at its start,
 * after an optional typed-array name, ending the comment or followed by a space or a comma.
 */
export function parsePrinted(comment: string): Printed | undefined {
  const typed = /^((?:Float|Int|Uint|BigInt|BigUint)\d+(?:Clamped)?Array) (?=\[)/.exec(comment);
  const start = typed ? typed[0].length : 0;
  const parsed = parseLiteral(comment, start);
  if (!parsed) return undefined;
  const rest = comment.slice(parsed.end);
  if (rest !== '' && !/^[\s,]/.test(rest)) return undefined;
  return typed ? { value: parsed.value, typed: typed[1] } : { value: parsed.value };
}

/** A JavaScript literal at `at` in `s`: its value and where it ends; undefined if there is none. */
function parseLiteral(s: string, at: number): { value: unknown; end: number } | undefined {
  const space = (i: number) => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    return i;
  };
  const value = (i: number): { value: unknown; end: number } | undefined => {
    i = space(i);
    const c = s[i];
    if (c === '[') {
      const items: unknown[] = [];
      let j = space(i + 1);
      if (s[j] === ']') return { value: items, end: j + 1 };
      for (;;) {
        const item = value(j);
        if (!item) return undefined;
        items.push(item.value);
        j = space(item.end);
        if (s[j] === ']') return { value: items, end: j + 1 };
        if (s[j] !== ',') return undefined;
        j++;
      }
    }
    if (c === '{') {
      const object: Record<string, unknown> = {};
      let j = space(i + 1);
      if (s[j] === '}') return { value: object, end: j + 1 };
      for (;;) {
        const key = /^(?:[A-Za-z_$][\w$]*|'[^']*'|"[^"]*")/.exec(s.slice(j));
        if (!key) return undefined;
        j = space(j + key[0].length);
        if (s[j] !== ':') return undefined;
        const item = value(j + 1);
        if (!item) return undefined;
        object[/^['"]/.test(key[0]) ? key[0].slice(1, -1) : key[0]] = item.value;
        j = space(item.end);
        if (s[j] === '}') return { value: object, end: j + 1 };
        if (s[j] !== ',') return undefined;
        j = space(j + 1);
      }
    }
    const string = /^(?:'([^'\\]*)'|"([^"\\]*)")/.exec(s.slice(i));
    if (string) return { value: string[1] ?? string[2], end: i + string[0].length };
    const number = /^-?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|Infinity)(?![\w$.])/i.exec(s.slice(i));
    if (number) return { value: Number(number[0]), end: i + number[0].length };
    const word = /^(true|false|null|undefined|NaN)(?![\w$])/.exec(s.slice(i));
    if (word) return { value: { true: true, false: false, null: null, undefined: undefined, NaN: NaN }[word[1] as 'true'], end: i + word[0].length };
    return undefined;
  };
  if (at >= s.length || /\s/.test(s[at]!)) return undefined;
  return value(at);
}

/** The results of running an example: each assertion's value, or the error that stopped the run. */
export interface Run {
  readonly values: Map<number, unknown>;
  readonly error?: { line: number; error: unknown };
}

/**
 * Runs `example` with the names of `scope` (the package's exports) in scope: the example as one
 * program, type annotations stripped, each asserted expression recorded under its line.
 */
export function runExample(example: Example, scope: Record<string, unknown>): Run {
  const asserted = new Map(assertionsOf(example).map((a) => [a.line, a]));
  let statementStart = true; // whether the line starts a statement, so `__track(line);` may go before it
  const body = example.lines.map((text, line) => {
    const a = asserted.get(line);
    const out = a ? `__track(${line}); __record(${line}, (${a.code}));` : statementStart ? `__track(${line}); ${text}` : text;
    const code = splitComment(text).code;
    if (a || code !== '') statementStart = a !== undefined || /[;{}]$/.test(code);
    return out;
  });
  // one block, so the example's own names may shadow the package's
  const program = ts.transpileModule(`{\n${body.join('\n')}\n}`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const values = new Map<number, unknown>();
  let current = -1;
  try {
    // this realm's globals, so a Float64Array from the package is a Float64Array here
    const run = vm.runInThisContext(`(function (__scope, __record, __track) {\nconst { ${names.join(', ')} } = __scope;\n${program}\n})`, { filename: example.where }) as (
      scope: Record<string, unknown>,
      record: (line: number, v: unknown) => void,
      track: (line: number) => void,
    ) => void;
    run(
      scope,
      (line, v) => values.set(line, v),
      (line) => (current = line),
    );
  } catch (error) {
    return { values, error: { line: current, error } };
  }
  return { values };
}

/** Where `actual` differs from the printed `expected`, or undefined when it prints so. */
export function mismatch(actual: unknown, expected: Printed): string | undefined {
  if (expected.typed !== undefined && Object.prototype.toString.call(actual) !== `[object ${expected.typed}]`) {
    return `expected a ${expected.typed}, got ${describe(actual)}`;
  }
  return differ(actual, expected.value, '');
}

function differ(actual: unknown, expected: unknown, at: string): string | undefined {
  const where = at === '' ? '' : ` at ${at}`;
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) actual = Array.from(actual as unknown as ArrayLike<number>);
  if (typeof expected === 'number') {
    // as printed: the same double (NaN included), and 0 prints for -0 too
    if (typeof actual === 'number' && (Object.is(actual, expected) || (actual === 0 && expected === 0))) return undefined;
    return `expected ${String(expected)}${where}, got ${describe(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `expected an array${where}, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `expected ${expected.length} items${where}, got ${actual.length}: ${describe(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = differ(actual[i], expected[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `expected an object${where}, got ${describe(actual)}`;
    const want = Object.keys(expected).sort();
    const got = Object.keys(actual).sort();
    if (want.join() !== got.join()) return `expected the keys ${want.join(', ')}${where}, got ${got.join(', ')}`;
    for (const k of want) {
      const d = differ((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `expected ${describe(expected)}${where}, got ${describe(actual)}`;
}

/** A value as the comments print it: arrays and typed arrays as [a, b], objects as { k: v }. */
export function describe(v: unknown): string {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return `${v.constructor.name} ${describe(Array.from(v as unknown as ArrayLike<number>))}`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'string') return `'${v}'`;
  if (v !== null && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${describe(x)}`)
      .join(', ')} }`;
  return String(v);
}
