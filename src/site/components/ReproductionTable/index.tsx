import DocusaurusLink, { type Props as LinkProps } from '@docusaurus/Link';
import type { JSX } from 'react';
import styles from './styles.module.css';

// Typed as returning JSX.Element for TypeScript 5.0, which rejects ReactNode-returning components.
const Link = DocusaurusLink as unknown as (props: LinkProps) => JSX.Element;

export interface ReproductionRow {
  example: string;
  source: string;
  expected: string;
  actual: string;
  tolerance: string;
  pass: boolean;
  notebook: string;
  href?: string;
}

/** The checks of reproduction.json: source value beside reproduced value, pass or fail. */
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
          <th>source document</th>
          <th>source value</th>
          <th>reproduced value</th>
          <th>pass</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, k) => (
          <tr key={k} data-testid="reproduction-row" data-pass={String(r.pass)} className={r.pass ? styles.pass : styles.fail}>
            <td>
              {r.example}
              {r.notebook && <div className={styles.notebook}>{r.href ? <Link to={r.href}>{r.notebook}</Link> : r.notebook}</div>}
            </td>
            <td>{r.source}</td>
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
