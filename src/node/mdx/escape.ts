/**
 * Markdown text -> MDX 3 text that compiles and reads the same.
 *
 * MDX treats `{`, `}` and `<` as the start of expressions and JSX, lines starting with
 * `import` / `export` as ESM, and remark-math treats every `$` as a math delimiter.
 * `escapeMarkdown` keeps fenced code, code spans and real math as they are and
 * escapes the rest, so any notebook cell renders as what Jupyter would show.
 */

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;

/** Escapes a markdown document for MDX, leaving fenced code blocks verbatim. */
export function escapeMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let text: string[] = [];
  const flush = () => {
    if (text.length) out.push(escapeText(text.join('\n')));
    text = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open || (open[2]![0] === '`' && open[3]!.includes('`'))) {
      text.push(lines[i]!);
      continue;
    }
    flush();
    const marker = open[2]!;
    out.push(lines[i]!);
    for (i++; i < lines.length; i++) {
      out.push(lines[i]!);
      const close = FENCE.exec(lines[i]!);
      if (close && close[2]![0] === marker[0] && close[2]!.length >= marker.length && close[3]!.trim() === '') break;
    }
  }
  flush();
  return out.join('\n');
}

/** Escapes text outside fenced code: code spans and math are kept, the rest made literal. */
function escapeText(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const lineStart = i === 0 || s[i - 1] === '\n';
    if (lineStart) {
      const esm = /^([ \t]*)(import|export)\b/.exec(s.slice(i));
      if (esm) {
        // a paragraph starting with import/export would be parsed as ESM
        out += esm[1] + '&#' + esm[2]!.charCodeAt(0) + ';' + esm[2]!.slice(1);
        i += esm[0].length;
        continue;
      }
    }
    if (c === '\\') {
      out += s.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      const run = /^`+/.exec(s.slice(i))![0];
      const end = findBacktickRun(s, i + run.length, run.length);
      if (end < 0) {
        out += run;
        i += run.length;
      } else {
        out += s.slice(i, end + run.length);
        i = end + run.length;
      }
    } else if (c === '$') {
      const math = readMath(s, i, out);
      out += math.text;
      i = math.next;
    } else if (c === '<') {
      const rest = s.slice(i);
      const autolink = /^<((?:https?|mailto):[^\s<>]+)>/.exec(rest);
      if (rest.startsWith('<!--')) {
        // HTML comments are invisible in Jupyter and invalid in MDX: drop them
        const close = s.indexOf('-->', i + 4);
        i = close < 0 ? s.length : close + 3;
      } else if (autolink) {
        out += `[${autolink[1]!.replace(/[[\]]/g, '\\$&')}](${autolink[1]})`;
        i += autolink[0].length;
      } else {
        out += '\\<';
        i++;
      }
    } else if (c === '{' || c === '}') {
      out += '\\' + c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index of the next run of exactly `n` backticks at or after `from`, or -1. */
function findBacktickRun(s: string, from: number, n: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(s); m; m = re.exec(s)) if (m[0].length === n) return m.index;
  return -1;
}

/**
 * At a `$`: real math (kept, display math moved onto its own lines) or a literal dollar.
 * Inline math follows pandoc's rule: `$` followed by a non-space, closed by a `$` preceded
 * by a non-space and not followed by a digit, with no blank line or backtick in between.
 */
function readMath(s: string, i: number, before: string): { text: string; next: number } {
  if (s.startsWith('$$', i)) {
    const end = findClosing(s, i + 2, '$$');
    if (end < 0 || s.slice(i + 2, end).trim() === '') return { text: '\\$\\$', next: i + 2 };
    const body = s
      .slice(i + 2, end)
      .replace(/\n[ \t]*\n/g, '\n')
      .trim();
    const indent = /(?:^|\n)([ \t]*)$/.exec(before);
    const after = /^[ \t]*(\n|$)/.exec(s.slice(end + 2));
    if (indent && after) {
      // display math alone on its line(s): remark-math's block form
      const pad = indent[1]!;
      const block = ['$$', ...body.split('\n').map((l) => l.trim()), '$$'].map((l, k) => (k === 0 ? l : pad + l));
      return { text: block.join('\n'), next: end + 2 };
    }
    return { text: '$$' + body.replace(/\n/g, ' ') + '$$', next: end + 2 };
  }
  const next = s[i + 1];
  if (next !== undefined && !/\s/.test(next)) {
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === '\\') {
        j++;
        continue;
      }
      if ((s[j] === '\n' && s[j + 1] === '\n') || s[j] === '`') break;
      if (s[j] === '$') {
        if (s[j + 1] === '$') break;
        if (/\s/.test(s[j - 1]!) || /\d/.test(s[j + 1] ?? '')) continue;
        return { text: s.slice(i, j + 1), next: j + 1 };
      }
    }
  }
  return { text: '\\$', next: i + 1 };
}

/** The index of the closing delimiter, skipping backslash escapes; -1 if absent. */
function findClosing(s: string, from: number, delim: string): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s.startsWith(delim, j)) return j;
  }
  return -1;
}

/** A fenced code block whose fence is longer than any backtick run in `code`. */
export function fence(code: string, lang = ''): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${code.replace(/\n+$/, '')}\n${f}`;
}

/** A JavaScript string literal, safe inside an MDX JSX expression. */
export function jsString(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Removes ANSI colour codes (tracebacks, coloured logs). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}
