/**
 * npm run docs:serve — serves the built site (build/) on 127.0.0.1 and prints its URL.
 *   PORT=3000 (default; the next free port is used if it is taken)   HOST=127.0.0.1
 * Also importable: `serveStatic(dir, port)` resolves to the server and its URL.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

export interface Served {
  server: Server;
  url: string;
}

/** Serves `dir` like a static host: clean URLs (`/docs/x` -> `docs/x.html` or `docs/x/index.html`). */
export function serveStatic(dir: string, port = 0, host = '127.0.0.1'): Promise<Served> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = findFile(root, path);
    const body = readFileSync(file ?? join(root, '404.html'));
    res.writeHead(file ? 200 : 404, { 'content-type': TYPES[extname(file ?? '404.html')] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      done({ server, url: `http://${host}:${actual}/` });
    });
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

/** `/docs/x` -> `docs/x`, `docs/x.html` or `docs/x/index.html` inside root; null if none. */
function findFile(root: string, urlPath: string): string | null {
  const base = normalize(join(root, urlPath));
  if (!base.startsWith(root)) return null;
  for (const candidate of [base, `${base.replace(/\/$/, '')}.html`, join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

async function main(): Promise<void> {
  const dir = resolve(__dirname, '..', 'build');
  if (!existsSync(resolve(dir, 'index.html'))) {
    console.error(`docs:serve: ${dir} has no built site. Run \`npm run docs:build\` first.`);
    process.exit(1);
  }
  const host = process.env.HOST ?? '127.0.0.1';
  let port = Number(process.env.PORT ?? 3000);
  for (let attempt = 0; ; attempt++) {
    try {
      const { url } = await serveStatic(dir, port, host);
      console.log(`\nlosslab docs: ${url}\n(serving ${dir}; Ctrl+C to stop)\n`);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw e;
      port++;
    }
  }
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(`docs:serve failed: ${e.message}`);
    process.exit(1);
  });
}
