/**
 * A code cell's outputs -> MDX blocks. For each display, the richest representation we
 * can render wins: losslab check > Vega-Lite > SVG > PNG/JPEG > HTML > markdown > LaTeX >
 * JSON > plain text. Plots become files beside the page, linked with markdown image
 * syntax (so a missing file fails the build); text goes in fenced blocks; HTML goes in
 * through `dangerouslySetInnerHTML` with its scripts removed.
 */
import { escapeMarkdown, fence, jsString, stripAnsi } from './escape';
import type { Output } from './notebook';
import { vegaLiteToSvg } from './vega';
import { CHECK_KINDS, CHECK_MIME, type CheckKind } from '../notebook/checkRecord';

export interface Asset {
  /** Path relative to the page's folder, e.g. `assets/01-mse-cell4-1.svg`. */
  file: string;
  data: Buffer | string;
}

export interface RenderedOutputs {
  blocks: string[];
  assets: Asset[];
  plots: number;
}

/** A check a notebook displayed with losslab's check helper. */
export interface CheckResult {
  example: string;
  /** `source`, `reference` or `identity` (see src/node/notebook/checkRecord.ts); absent in records older than kinds. */
  kind?: CheckKind;
  source: string;
  expected: unknown;
  actual: unknown;
  tolerance?: number;
  pass: boolean;
  notebook?: string;
}

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

const text = (m: unknown): string => (Array.isArray(m) ? m.join('') : String(m));

export async function renderOutputs(outputs: Output[], where: { slug: string; cell: number }): Promise<RenderedOutputs> {
  const result: RenderedOutputs = { blocks: [], assets: [], plots: 0 };
  let stream: { name: string; text: string } | null = null;
  const flushStream = () => {
    if (stream) result.blocks.push(textBlock(stream.text, stream.name === 'stderr' ? 'll-stderr' : 'll-stdout'));
    stream = null;
  };
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k]!;
    if (o.output_type === 'stream') {
      // consecutive writes to one stream read as one block, as in Jupyter
      const name = o.name ?? 'stdout';
      if (stream && stream.name === name) stream.text += text(o.text);
      else {
        flushStream();
        stream = { name, text: text(o.text) };
      }
      continue;
    }
    flushStream();
    if (o.output_type === 'error') {
      const tb = o.traceback?.length ? o.traceback.join('\n') : `${o.ename ?? 'Error'}: ${o.evalue ?? ''}`;
      result.blocks.push(textBlock(tb, 'll-error'));
      continue;
    }
    const asset = (ext: string, data: Buffer | string) => {
      const file = `assets/${where.slug}-cell${where.cell}-${k + 1}.${ext}`;
      result.assets.push({ file, data });
      result.plots++;
      return plot(file, `Plot from cell ${where.cell}`);
    };
    result.blocks.push(await renderDisplay(o.data ?? {}, asset, `output ${k + 1}`));
  }
  flushStream();
  return result;
}

type AssetWriter = (ext: string, data: Buffer | string) => string;

async function renderDisplay(data: Record<string, unknown>, asset: AssetWriter, label: string): Promise<string> {
  if (data[CHECK_MIME] !== undefined) return checkLine(readCheck(data[CHECK_MIME], label));
  if (data[VEGALITE_MIME] !== undefined) {
    if (data['image/svg+xml'] !== undefined) return asset('svg', text(data['image/svg+xml']));
    return asset('svg', await vegaLiteToSvg(data[VEGALITE_MIME], label));
  }
  if (data['image/svg+xml'] !== undefined) return asset('svg', text(data['image/svg+xml']));
  if (data['image/png'] !== undefined) return asset('png', Buffer.from(text(data['image/png']).replace(/\s+/g, ''), 'base64'));
  if (data['image/jpeg'] !== undefined) return asset('jpg', Buffer.from(text(data['image/jpeg']).replace(/\s+/g, ''), 'base64'));
  if (data['text/html'] !== undefined) return htmlBlock(text(data['text/html']));
  if (data['text/markdown'] !== undefined) return escapeMarkdown(text(data['text/markdown']));
  if (data['text/latex'] !== undefined) return escapeMarkdown(text(data['text/latex']));
  if (data['application/json'] !== undefined) return fence(JSON.stringify(data['application/json'], null, 2), 'json');
  if (data['text/plain'] !== undefined) return textBlock(text(data['text/plain']), 'll-result');
  const kinds = Object.keys(data);
  throw new Error(`${label}: no renderable MIME type (got ${kinds.length ? kinds.join(', ') : 'an empty bundle'})`);
}

/** Plain text, shown as written: a fenced block cannot be misread by MDX. */
function textBlock(s: string, className: string): string {
  const body = stripAnsi(s).replace(/\n+$/, '');
  if (!body.trim()) return '';
  return `<div className="ll-output ${className}">\n\n${fence(body, 'text')}\n\n</div>`;
}

function plot(file: string, alt: string): string {
  return `<figure className="ll-output ll-plot">\n\n![${alt}](./${file})\n\n</figure>`;
}

function htmlBlock(html: string): string {
  // scripts in server-rendered HTML would run on page load; Jupyter only runs them in trusted notebooks
  const safe = html.replace(/<script\b[\s\S]*?<\/script\s*>/gi, '').replace(/<script\b[^>]*\/?>/gi, '');
  return `<div className="ll-output ll-html" dangerouslySetInnerHTML={{ __html: ${jsString(safe)} }} />`;
}

export function readCheck(raw: unknown, label: string): CheckResult {
  const c = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Partial<CheckResult> | null;
  if (!c || typeof c !== 'object' || typeof c.pass !== 'boolean') throw new Error(`${label}: a losslab check needs {example, source, expected, actual, tolerance, pass}`);
  const kind = CHECK_KINDS.includes(c.kind as CheckKind) ? c.kind : undefined;
  return {
    example: String(c.example ?? ''),
    ...(kind ? { kind } : {}),
    source: String(c.source ?? ''),
    expected: c.expected,
    actual: c.actual,
    tolerance: c.tolerance,
    pass: c.pass,
    notebook: c.notebook,
  };
}

/** A number as printed by the notebook; arrays and objects as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}

function checkLine(c: CheckResult): string {
  const e = (s: string) => `{${jsString(s)}}`;
  const tol = c.tolerance === undefined ? '' : ` <span className="ll-check__tol">(tolerance ${e(formatValue(c.tolerance))})</span>`;
  return [
    `<div className="ll-output ll-check ${c.pass ? 'll-check--pass' : 'll-check--fail'}" data-pass="${c.pass}">`,
    `<span className="ll-check__mark">${c.pass ? '✓' : '✗'}</span> <strong>${e(c.example)}</strong>`,
    ` <span className="ll-check__source"${c.kind ? ` data-kind="${c.kind}"` : ''}>${e(c.kind ? `${c.kind}, ${c.kind === 'source' ? `seed ${c.source}` : c.source}` : c.source)}</span>:`,
    ` expected <code>${e(formatValue(c.expected))}</code>, reproduced <code>${e(formatValue(c.actual))}</code>${tol}`,
    `</div>`,
  ].join('');
}
