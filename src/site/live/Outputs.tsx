/**
 * A cell's live outputs, drawn as the page draws the executed notebook's (src/node/mdx/outputs.ts):
 * streams, check lines with their pass or fail, Vega-Lite plots (interactive, through vega-embed,
 * loaded on the first plot), PNG / SVG images, HTML, errors with their cell and line.
 */
import { useEffect, useRef, useState, type JSX } from 'react';
import { VEGALITE_MIME, type LiveError, type MimeBundle } from './protocol';
import type { LiveOutput } from './session';
import styles from './styles.module.css';

const CHECK_MIME = 'application/vnd.losslab.check+json';

interface CheckShown {
  example: string;
  kind?: string;
  source: string;
  expected: unknown;
  actual: unknown;
  tolerance?: number;
  pass: boolean;
}

const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v));

function TextBlock({ body, className }: { body: string; className: string }): JSX.Element | null {
  const trimmed = body.replace(/\n+$/, '');
  if (!trimmed.trim()) return null;
  return (
    <div className={`ll-output ${className}`}>
      <pre className={styles.stream}>
        <code>{trimmed}</code>
      </pre>
    </div>
  );
}

function CheckLine({ c }: { c: CheckShown }): JSX.Element {
  const against = c.kind ? `${c.kind}, ${c.kind === 'source' ? `seed ${c.source}` : c.source}` : c.source;
  return (
    <div className={`ll-output ll-check ${c.pass ? 'll-check--pass' : 'll-check--fail'}`} data-pass={String(c.pass)} data-live="true">
      <span className="ll-check__mark">{c.pass ? '✓' : '✗'}</span> <strong>{c.example}</strong> <span className="ll-check__source">{against}</span>: expected{' '}
      <code>{String(c.expected)}</code>, reproduced <code>{String(c.actual)}</code>
      {c.tolerance === undefined ? null : <span className="ll-check__tol"> (tolerance {String(c.tolerance)})</span>}
    </div>
  );
}

function VegaPlot({ spec }: { spec: unknown }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let finalize: (() => void) | null = null;
    let cancelled = false;
    void import('vega-embed')
      .then(async ({ default: embed }) => {
        if (cancelled || !ref.current) return;
        const result = await embed(ref.current, spec as Parameters<typeof embed>[1], { renderer: 'svg', actions: false });
        if (cancelled) result.finalize();
        else finalize = () => result.finalize();
      })
      .catch((e: unknown) => setFailure(`the plot does not render: ${(e as Error).message}`));
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec]);
  return (
    <figure className="ll-output ll-plot" data-live="true">
      <div ref={ref} data-testid="live-plot" />
      {failure ? <pre className="ll-error">{failure}</pre> : null}
    </figure>
  );
}

function Display({ data }: { data: MimeBundle }): JSX.Element | null {
  if (data[CHECK_MIME] !== undefined) return <CheckLine c={data[CHECK_MIME] as CheckShown} />;
  if (data[VEGALITE_MIME] !== undefined) return <VegaPlot spec={data[VEGALITE_MIME]} />;
  if (data['image/svg+xml'] !== undefined)
    return (
      <figure className="ll-output ll-plot" data-live="true">
        <img alt="Plot" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(text(data['image/svg+xml']))}`} />
      </figure>
    );
  for (const mime of ['image/png', 'image/jpeg'])
    if (data[mime] !== undefined)
      return (
        <figure className="ll-output ll-plot" data-live="true">
          <img alt="Image" src={`data:${mime};base64,${text(data[mime]).replace(/\s+/g, '')}`} />
        </figure>
      );
  if (data['text/html'] !== undefined) {
    const safe = text(data['text/html']).replace(/<script\b[\s\S]*?<\/script\s*>/gi, '');
    return <div className="ll-output ll-html" dangerouslySetInnerHTML={{ __html: safe }} />;
  }
  if (data['text/plain'] !== undefined) return <TextBlock body={text(data['text/plain'])} className="ll-result" />;
  return <TextBlock body={`(an output of type ${Object.keys(data).join(', ')}, which the live page does not draw)`} className="ll-stderr" />;
}

/** `TypeError: x is not a function`, then where: `at cell 5, line 3: f(x)`. */
export function errorText(e: LiveError): string {
  const head = `${e.ename}: ${e.evalue}`;
  if (e.line === null) return e.cell === null ? head : `${head}\n    in cell ${e.cell}`;
  return `${head}\n    at cell ${e.cell}, line ${e.line}${e.code ? `: ${e.code}` : ''}`;
}

export default function Outputs({ outputs }: { outputs: readonly LiveOutput[] }): JSX.Element {
  return (
    <div className={styles.outputs} data-testid="live-outputs">
      {outputs.map((o, k) => {
        if (o.kind === 'stream') return <TextBlock key={k} body={o.text} className={o.name === 'stderr' ? 'll-stderr' : 'll-stdout'} />;
        if (o.kind === 'display') return <Display key={k} data={o.data} />;
        if (o.kind === 'note')
          return (
            <p key={k} className={styles.note} data-testid="live-note">
              {o.text}
            </p>
          );
        return (
          <div key={k} className="ll-output ll-error" data-testid="live-error">
            <pre className={styles.stream}>
              <code>{errorText(o.error)}</code>
            </pre>
          </div>
        );
      })}
    </div>
  );
}
