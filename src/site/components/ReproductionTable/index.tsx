import DocusaurusLink, { type Props as LinkProps } from '@docusaurus/Link';
import type { JSX } from 'react';
import styles from './styles.module.css';

// Typed as returning JSX.Element for TypeScript 5.0, which rejects ReactNode-returning components.
const Link = DocusaurusLink as unknown as (props: LinkProps) => JSX.Element;

export interface ReproductionRow {
  example: string;
  /** `source`, `reference` or `identity`; absent in records older than kinds. */
  kind?: 'source' | 'reference' | 'identity';
  source: string;
  expected: string;
  actual: string;
  tolerance: string;
  pass: boolean;
  notebook: string;
  href?: string;
}

/** What a row is compared with, as a reader says it: `seed 000`, `PyTorch`, `identity`. */
function against(r: ReproductionRow): string {
  return r.kind === 'source' ? `seed ${r.source}` : r.source;
}

/** Checks of reproduction.json: the independent value beside losslab's, pass or fail. */
export default function ReproductionTable({ rows }: { rows: ReproductionRow[] }): JSX.Element {
  if (!rows.length)
    return (
      <p>
        No checks recorded yet: run <code>npm run notebooks</code>.
      </p>
    );
  return (
    <table className={styles.table} data-testid="reproduction-table">
      <thead>
        <tr>
          <th>example</th>
          <th>compared with</th>
          <th>expected</th>
          <th>losslab</th>
          <th>pass</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, k) => (
          <tr key={k} data-testid="reproduction-row" data-kind={r.kind ?? ''} data-pass={String(r.pass)} className={r.pass ? styles.pass : styles.fail}>
            <td>
              {r.example}
              {r.notebook && <div className={styles.notebook}>{r.href ? <Link to={r.href}>{r.notebook}</Link> : r.notebook}</div>}
            </td>
            <td>{against(r)}</td>
            <td>
              <code>{r.expected}</code>
            </td>
            <td>
              <code>{r.actual}</code>
              {r.tolerance && <div className={styles.tolerance}>± {r.tolerance}</div>}
            </td>
            <td className={styles.verdict}>{r.pass ? '✓ pass' : '✗ fail'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
