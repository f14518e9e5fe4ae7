/** The worker's side of the protocol: what the running cell sends to the page. */
import type { FromWorker, MimeBundle } from '../protocol';

let current = 0;

/** Sets the run that outputs belong to (one cell runs at a time). */
export function setCurrentRun(id: number): void {
  current = id;
}

export function post(message: FromWorker): void {
  (self as unknown as { postMessage(m: FromWorker): void }).postMessage(message);
}

export function stream(name: 'stdout' | 'stderr', text: string): void {
  post({ type: 'stream', id: current, name, text });
}

export function displayBundle(data: MimeBundle): void {
  post({ type: 'display', id: current, data });
}

let lastProgress = 0;

/** A progress report, at most every 100 ms and always the last one. */
export function progress(done: number, total: number, label: string): void {
  const now = Date.now();
  if (done < total && now - lastProgress < 100) return;
  lastProgress = now;
  post({ type: 'progress', id: current, done, total, label });
}
