/**
 * The loss explorer: pick a loss, drag the prediction, the target and the options, and
 * watch the value and the gradient (from the core package, in the browser) move along
 * the loss curve and the gradient curve.
 */
import katex from 'katex';
import { useMemo, useState, type JSX } from 'react';
import Chart from './Chart';
import { explorerLosses, type ExplorerLoss, type Slider } from './losses';
import styles from './styles.module.css';

const SAMPLES = 241;

const defaults = (loss: ExplorerLoss) => Object.fromEntries([loss.x, ...loss.params].map((s) => [s.key, s.value]));

export default function LossExplorer({ initial = 'mse' }: { initial?: string }): JSX.Element {
  const first = explorerLosses.find((l) => l.name === initial) ?? explorerLosses[0];
  const [name, setName] = useState(first?.name ?? '');
  const loss = explorerLosses.find((l) => l.name === name) ?? first;
  const [values, setValues] = useState<Record<string, number>>(() => (first ? defaults(first) : {}));
  if (!loss) return <p>The package exports none of the explorer's losses.</p>;

  const choose = (next: string) => {
    const l = explorerLosses.find((e) => e.name === next)!;
    setName(next);
    setValues(defaults(l));
  };
  const set = (key: string, v: number) => setValues((old) => ({ ...old, [key]: v }));
  return <Explorer loss={loss} values={values} choose={choose} set={set} />;
}

function Explorer({
  loss,
  values,
  choose,
  set,
}: {
  loss: ExplorerLoss;
  values: Record<string, number>;
  choose: (n: string) => void;
  set: (k: string, v: number) => void;
}): JSX.Element {
  const x = values.x!;
  const current = safe(() => loss.evaluate(x, values));
  const curve = useMemo(() => {
    const xs: number[] = [];
    const vs: number[] = [];
    const gs: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const xi = loss.x.min + ((loss.x.max - loss.x.min) * k) / (SAMPLES - 1);
      const r = safe(() => loss.evaluate(xi, values));
      xs.push(xi);
      vs.push(r.ok ? r.value.value : NaN);
      gs.push(r.ok ? r.value.grad : NaN);
    }
    return { xs, vs, gs };
  }, [loss, values]);
  const tex = useMemo(() => katex.renderToString(loss.tex, { displayMode: true, throwOnError: false }), [loss]);
  const groups = Array.from(new Set(explorerLosses.map((l) => l.group))); // not [...set]: the client build spreads loosely

  return (
    <div className={styles.explorer} data-testid="loss-explorer">
      <div className={styles.controls}>
        <label className={styles.field}>
          <span>loss</span>
          <select data-testid="explorer-loss" value={loss.name} onChange={(e) => choose(e.target.value)}>
            {groups.map((g) => (
              <optgroup key={g} label={g}>
                {explorerLosses
                  .filter((l) => l.group === g)
                  .map((l) => (
                    <option key={l.name} value={l.name}>
                      {l.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        {[loss.x, ...loss.params].map((s) => (
          <SliderField key={`${loss.name}-${s.key}`} s={s} value={values[s.key]!} onChange={(v) => set(s.key, v)} />
        ))}
      </div>

      <div className={styles.readout}>
        <div className={styles.formula} dangerouslySetInnerHTML={{ __html: tex }} />
        <pre className={styles.call}>
          <code>{loss.call(x, values)}</code>
        </pre>
        {current.ok ? (
          <dl className={styles.numbers}>
            <dt>loss</dt>
            <dd>
              <output data-testid="explorer-value" data-value={String(current.value.value)}>
                {show(current.value.value)}
              </output>
            </dd>
            <dt>
              gradient ∂loss/∂{loss.x.key === 'x' ? 'x' : loss.x.key}
              {loss.group === 'Categorical' ? '₀' : ''}
            </dt>
            <dd>
              <output data-testid="explorer-grad" data-value={String(current.value.grad)}>
                {show(current.value.grad)}
              </output>
            </dd>
          </dl>
        ) : (
          <p className={styles.error} data-testid="explorer-error">
            {current.error}
          </p>
        )}
      </div>

      <div className={styles.charts}>
        <Chart
          title="loss"
          xs={curve.xs}
          ys={curve.vs}
          point={{ x, y: current.ok ? current.value.value : NaN }}
          slope={current.ok ? current.value.grad : undefined}
          xLabel={loss.x.label}
          testId="explorer-loss-chart"
        />
        <Chart title="gradient" xs={curve.xs} ys={curve.gs} point={{ x, y: current.ok ? current.value.grad : NaN }} xLabel={loss.x.label} testId="explorer-grad-chart" />
      </div>
    </div>
  );
}

function SliderField({ s, value, onChange }: { s: Slider; value: number; onChange: (v: number) => void }): JSX.Element {
  const read = (raw: string) => {
    const v = Number(raw);
    if (raw !== '' && Number.isFinite(v)) onChange(Math.min(s.max, Math.max(s.min, v)));
  };
  return (
    <label className={styles.field}>
      <span>{s.label}</span>
      <input type="range" min={s.min} max={s.max} step={s.step} value={value} data-testid={`explorer-${s.key}`} onChange={(e) => read(e.target.value)} />
      <input
        type="number"
        className={styles.number}
        min={s.min}
        max={s.max}
        step={s.step}
        value={value}
        data-testid={`explorer-${s.key}-number`}
        onChange={(e) => read(e.target.value)}
      />
    </label>
  );
}

function safe<T>(f: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function show(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
}
