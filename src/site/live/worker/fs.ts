/**
 * The live page's `fs`: `readFileSync` / `existsSync` over the data files the notebook reads,
 * which `npm run docs:prepare` ships with the site and the worker fetches before the first cell.
 * Anything else says it cannot run in the browser.
 */
const files = new Map<string, Uint8Array>();

function normalize(path: unknown): string {
  return String(path)
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '');
}

/** Fetches the page's data files (repository paths) from `<base>live/files/`. */
export async function preloadFiles(base: string, paths: string[]): Promise<void> {
  await Promise.all(
    paths.map(async (p) => {
      const res = await fetch(`${base}live/files/${p}`);
      if (!res.ok) throw new Error(`live page: the data file ${p} did not load (HTTP ${res.status})`);
      files.set(normalize(p), new Uint8Array(await res.arrayBuffer()));
    }),
  );
}

export function readFileSync(path: unknown, options?: string | { encoding?: string | null }): string | Uint8Array {
  const bytes = files.get(normalize(path));
  if (!bytes) {
    const shipped = [...files.keys()];
    throw new Error(
      `readFileSync(${JSON.stringify(path)}): this file is not shipped with the live page, so this cell cannot run in the browser (it can read ${shipped.length ? shipped.join(', ') : 'no files'}); run the notebook on tslab to read it`,
    );
  }
  const encoding = typeof options === 'string' ? options : options?.encoding;
  return encoding ? new TextDecoder().decode(bytes) : bytes.slice();
}

export function existsSync(path: unknown): boolean {
  return files.has(normalize(path));
}

/** `fs` as a module: the two functions, and a clear error for any other. */
export const fsModule: Record<string, unknown> = new Proxy(
  { readFileSync, existsSync },
  {
    get(target, key, receiver) {
      if (key === 'default') return receiver as unknown;
      if (typeof key !== 'string' || key in target || key === 'then') return (target as Record<string | symbol, unknown>)[key];
      return () => {
        throw new Error(
          `fs.${key} is not available on the live page: a browser has no file system (only readFileSync and existsSync of the notebook's shipped data files work); run the notebook on tslab`,
        );
      };
    },
  },
);
