import DocusaurusLink, { type Props as LinkProps } from '@docusaurus/Link';
import { mse } from '../../core';
import Chart from '../components/LossExplorer/Chart';
import ThemeLayout, { type Props as LayoutProps } from '@theme/Layout';
import katex from 'katex';
import type { JSX } from 'react';
import styles from './index.module.css';

// Docusaurus types its components as returning ReactNode, which TypeScript 5.0 (the tsc the
// project's typecheck runs) does not accept as a JSX component; the runtime values are unchanged.
const Link = DocusaurusLink as unknown as (props: LinkProps) => JSX.Element;
const Layout = ThemeLayout as unknown as (props: LayoutProps) => JSX.Element;

const prediction = [1, 3, 5, 6, 7];
const target = [3, 2, 7, 5, 8];
const tex = (s: string) => katex.renderToString(s, { displayMode: true, throwOnError: false });
const formula =
  tex(String.raw`\mathrm{mse}(x, y) = \frac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^2`) + tex(String.raw`\frac{\partial\,\mathrm{mse}}{\partial x_i} = \frac{2}{n}\,(x_i - y_i)`);

/** The loss over one prediction x against target 0, drawn with its gradient at x = 1.5. */
function curve() {
  const xs = Array.from({ length: 121 }, (_, k) => -3 + k * 0.05);
  return { xs, ys: xs.map((x) => mse([x], [0])) };
}

export default function Home(): JSX.Element {
  const value = mse(prediction, target);
  const { xs, ys } = curve();
  const x = 1.5;
  return (
    <Layout title="Loss functions with their gradients" description="losslab: deep-learning loss functions in TypeScript with analytic gradients, matching PyTorch and Keras.">
      <header className={styles.hero}>
        <div className="container">
          <h1 className={styles.title}>losslab</h1>
          <p className={styles.lead}>
            losslab is a dependency-free TypeScript library of deep-learning loss functions, each with its analytic gradient and PyTorch&apos;s (or Keras&apos;s) semantics, running
            in Node and in the browser, with notebooks that reproduce every worked example of the documents it learned from.
          </p>
          <div className={styles.buttons}>
            <Link className="button button--primary button--lg" to="/docs/getting-started">
              Get started
            </Link>
            <Link className="button button--secondary button--lg" to="/docs/explorer">
              Open the loss explorer
            </Link>
            <Link className="button button--secondary button--lg" to="/docs/notebooks">
              Read the notebooks
            </Link>
          </div>
        </div>
      </header>
      <main className="container">
        <section className={styles.glance} aria-label="losslab at a glance">
          <div className={styles.card}>
            <h2>A loss</h2>
            <pre>
              <code>{`import { mse } from 'losslab';\n\nmse([${prediction.join(', ')}],\n    [${target.join(', ')}]);\n// ${value}`}</code>
            </pre>
            <p>
              Computed by the package as this page rendered: <strong data-testid="landing-mse">{value}</strong>. Every loss also has <code>.grad</code>.
            </p>
          </div>
          <div className={styles.card}>
            <h2>A formula</h2>
            <div className={styles.formula} dangerouslySetInnerHTML={{ __html: formula }} />
            <p>
              Each loss documents its formula, reductions, options, shapes and gradient; the <Link to="/docs/reference">reference</Link> is generated from those comments.
            </p>
          </div>
          <div className={styles.card}>
            <h2>A plot</h2>
            <Chart
              title="mse([x], [0]) and its tangent at x = 1.5"
              xs={xs}
              ys={ys}
              point={{ x, y: mse([x], [0]) }}
              slope={mse.grad([x], [0])[0]}
              xLabel="prediction x"
              testId="landing-plot"
            />
          </div>
        </section>
      </main>
    </Layout>
  );
}
