/** `console.*` in the worker -> the cell's stdout / stderr, formatted as Node's console does. */
import { format } from 'node-inspect-extracted';
import { stream } from './channel';

export function captureConsole(): void {
  const out = (...args: unknown[]) => stream('stdout', format(...args) + '\n');
  const err = (...args: unknown[]) => stream('stderr', format(...args) + '\n');
  Object.assign(console, { log: out, info: out, debug: out, warn: err, error: err });
}
