/**
 * One notebook cell, TypeScript -> a function over the notebook's shared scope, as a kernel runs it.
 *
 * Sucrase strips the types (keeping every import, and every line where it was), then acorn finds
 * the cell's top-level names. Declarations become assignments to the scope (`const y = 1` ->
 * `;(y = 1);`), imports become reads of the live page's modules, function declarations are copied
 * to the scope on the first line, and a last expression is returned, so what cell 3 defines
 * cell 4 sees, re-running a cell redefines its names, and top-level `await` works. The code runs
 * inside `with (scope)` (sloppy mode), so functions of one cell see later cells' new values.
 * No edit adds or removes a line: an error's line in the JavaScript is its line in the TypeScript.
 */
import { parse, type Node, type Pattern, type Program } from 'acorn';
import { transform } from 'sucrase';

export interface CellImport {
  /** The specifier as written, e.g. `./src/index`. */
  from: string;
}

export interface TransformedCell {
  /** An expression: `(function (scope, load) { ... })`, ending in a `sourceURL` comment. */
  code: string;
  /** The names the cell defines at its top level (variables, functions, classes, imports). */
  names: string[];
  /** The modules it imports, in order. */
  imports: CellImport[];
  /** The `sourceURL` its stack frames carry. */
  url: string;
}

/** A cell that does not parse; `line` is 1-based in the cell's source. */
export class CellSyntaxError extends Error {
  override name = 'SyntaxError';
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

export const SCOPE = '__llScope';
export const LOAD = '__llLoad';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The `sourceURL` of a cell's code, which its error frames name. */
export function cellUrl(cell: number): string {
  return `live-notebook/cell-${cell}.ts`;
}

export function transformCell(source: string, cell: number): TransformedCell {
  let js: string;
  try {
    js = transform(source, { transforms: ['typescript'], keepUnusedImports: true, disableESTransforms: true }).code;
  } catch (e) {
    const m = /\((\d+):(\d+)\)\s*$/.exec((e as Error).message);
    throw new CellSyntaxError((e as Error).message, m ? Number(m[1]) : null);
  }
  let program: Program;
  try {
    program = parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: false, locations: true });
  } catch (e) {
    const loc = (e as { loc?: { line: number } }).loc;
    throw new CellSyntaxError((e as Error).message, loc ? loc.line : null);
  }
  const names: string[] = [];
  const functions: string[] = [];
  const imports: CellImport[] = [];
  const edits: Edit[] = [];
  const keepLines = (start: number, end: number, text: string): Edit => ({ start, end, text: text + '\n'.repeat((js.slice(start, end).match(/\n/g) ?? []).length) });

  const body = program.body;
  for (let k = 0; k < body.length; k++) {
    let node = body[k] as Node & { type: string };
    if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') {
      const decl = (node as unknown as { declaration: (Node & { type: string }) | null }).declaration;
      if (!decl) {
        edits.push(keepLines(node.start, node.end, ''));
        continue;
      }
      edits.push({ start: node.start, end: decl.start, text: '' });
      node = decl;
    }
    if (node.type === 'ImportDeclaration') {
      const imp = node as unknown as { source: { value: string }; specifiers: { type: string; local: { name: string }; imported?: { name?: string; value?: string } }[] };
      const from = imp.source.value;
      imports.push({ from });
      const load = `${LOAD}(${JSON.stringify(from)})`;
      const parts: string[] = [];
      const named: string[] = [];
      for (const s of imp.specifiers) {
        names.push(s.local.name);
        if (s.type === 'ImportNamespaceSpecifier') parts.push(`${s.local.name} = ${load}`);
        else if (s.type === 'ImportDefaultSpecifier') parts.push(`${s.local.name} = ${load}.default`);
        else {
          const imported = s.imported?.name ?? s.imported?.value ?? s.local.name;
          named.push(`${JSON.stringify(imported)}: ${s.local.name}`);
        }
      }
      if (named.length) parts.push(`{ ${named.join(', ')} } = ${load}`);
      edits.push(keepLines(node.start, node.end, parts.length ? `;(${parts.join(', ')});` : `;${load};`));
    } else if (node.type === 'VariableDeclaration') {
      const v = node as unknown as { kind: string; declarations: { id: Pattern; init: Node | null; end: number }[] };
      for (const d of v.declarations) {
        names.push(...patternNames(d.id));
        if (!d.init) edits.push({ start: d.end, end: d.end, text: ' = undefined' });
      }
      const last = v.declarations[v.declarations.length - 1]!;
      edits.push({ start: node.start, end: node.start + v.kind.length, text: ';(' });
      edits.push({ start: last.end, end: last.end, text: ')' });
      // a trailing `;` of the declaration stays; without one, ASI ends the statement at the line
      edits.push({ start: last.end, end: last.end, text: ';' });
    } else if (node.type === 'FunctionDeclaration') {
      const name = (node as unknown as { id: { name: string } }).id.name;
      names.push(name);
      functions.push(name);
    } else if (node.type === 'ClassDeclaration') {
      const name = (node as unknown as { id: { name: string } }).id.name;
      names.push(name);
      edits.push({ start: node.start, end: node.start, text: `;${name} = ` });
      edits.push({ start: node.end, end: node.end, text: ';' });
    } else if (k === body.length - 1 && node.type === 'ExpressionStatement' && !(node as unknown as { directive?: string }).directive) {
      const expr = (node as unknown as { expression: Node }).expression;
      edits.push({ start: expr.start, end: expr.start, text: 'return (' });
      edits.push({ start: expr.end, end: expr.end, text: ')' });
    }
  }
  // apply from the end, so earlier offsets stay valid; inserts at one offset keep their order
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.i - a.i);
  let out = js;
  for (const e of ordered) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const hoist = functions.map((f) => `${SCOPE}[${JSON.stringify(f)}] = ${f};`).join(' ');
  const url = cellUrl(cell);
  const code = `(function (${SCOPE}, ${LOAD}) { with (${SCOPE}) { return (async () => { ${hoist}${out}\n})(); } })\n//# sourceURL=${url}`;
  return { code, names: [...new Set(names)], imports, url };
}

/** The identifiers a declaration pattern binds: `{ a, b: [c, ...d] }` -> a, c, d. */
function patternNames(p: Pattern): string[] {
  switch (p.type) {
    case 'Identifier':
      return [p.name];
    case 'ObjectPattern':
      return p.properties.flatMap((q) => (q.type === 'RestElement' ? patternNames(q.argument) : patternNames(q.value)));
    case 'ArrayPattern':
      return p.elements.flatMap((q) => (q ? patternNames(q) : []));
    case 'RestElement':
      return patternNames(p.argument);
    case 'AssignmentPattern':
      return patternNames(p.left);
    default:
      return [];
  }
}
