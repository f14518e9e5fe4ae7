/**
 * scripts/kernel/bind-first.cjs: the losslab-tslab kernel binds its sockets before it reads from
 * or writes to them. zeromq 6 throws EBUSY from a send or receive on a socket whose bind has not
 * returned, which killed tslab's shell loop when Jupyter's first kernel_info_request came early.
 *
 * A fake zeromq whose sockets throw as zeromq's do while bound checks the order with every
 * message already waiting; the real kernel, started the way the kernelspec starts it, must answer
 * a kernel_info_request sent before it has even started.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';

const root = path.resolve(__dirname, '../..');
const require = createRequire(import.meta.url);

type Frames = Buffer[];
interface FakeSocket {
  bind(address: string): Promise<void>;
  send(message: unknown): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<Frames>;
}
interface BindFirst {
  bindBeforeServing(jupyter: { ZmqServer: { prototype: Record<string, unknown> } }, zmq: unknown): void;
  initBindingFirst(zmq: unknown): (this: Record<string, unknown>) => Promise<void>;
}
const bindFirst = require(path.join(root, 'scripts/kernel/bind-first.cjs')) as BindFirst;
const tslabJupyter = require('tslab/dist/jupyter') as { ZmqServer: { prototype: Record<string, unknown> } };

/** A zeromq socket as zeromq 6 behaves: Blocked from bind() until its promise settles. */
function fakeZmq(log: string[], waiting: Record<string, Frames[]>) {
  let made = 0;
  const create = (kind: string): FakeSocket => {
    const name = `${kind}${made++}`;
    let blocked = false;
    const queue = [...(waiting[kind] ?? [])];
    const refuse = (what: string) => {
      if (blocked) {
        log.push(`EBUSY ${what} ${name}`);
        throw Object.assign(new Error('Socket is blocked by a bind or unbind operation'), { code: 'EBUSY' });
      }
    };
    return {
      bind(address) {
        refuse('bind');
        blocked = true;
        log.push(`bind ${name} ${address}`);
        return new Promise((resolve) =>
          setTimeout(() => {
            blocked = false;
            log.push(`bound ${name}`);
            resolve();
          }, 20),
        );
      },
      send(message) {
        refuse('send');
        log.push(`send ${name} ${JSON.stringify(message)}`);
        return Promise.resolve();
      },
      [Symbol.asyncIterator]() {
        return {
          next() {
            refuse('receive');
            const frames = queue.shift();
            if (frames) return Promise.resolve({ value: frames, done: false });
            return new Promise<IteratorResult<Frames>>(() => {}); // nothing more arrives
          },
        };
      },
    };
  };
  // constructors, as zeromq's classes are called with `new`
  const socket = (kind: string) =>
    function Socket() {
      return create(kind);
    };
  return { Publisher: socket('pub'), Router: socket('router'), Reply: socket('rep') };
}

function connectionFile(dir: string, ports: number[], key = 'k'): string {
  const [shell, iopub, stdin, control, hb] = ports as [number, number, number, number, number];
  const file = path.join(dir, 'connection.json');
  const info = { transport: 'tcp', ip: '127.0.0.1', key, signature_scheme: 'hmac-sha256', shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb };
  writeFileSync(file, JSON.stringify(info));
  return file;
}

describe('the losslab-tslab kernel binds before it serves (scripts/kernel/bind-first.cjs)', () => {
  it('reads and replies on no socket before every bind has returned, with requests already waiting', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'losslab-bind-first-'));
    try {
      const log: string[] = [];
      const request = [Buffer.from('client'), Buffer.from('<IDS|MSG>')];
      const zmqFake = fakeZmq(log, { router: [request], rep: [[Buffer.from('ping')]] });
      const handled: { socket: unknown; frames: Frames }[] = [];
      const server: Record<string, unknown> = {
        configPath: connectionFile(dir, [5001, 5002, 5003, 5004, 5005]),
        bindSocket: tslabJupyter.ZmqServer.prototype.bindSocket, // tslab's own
        handleShellMessage(this: { iopub: FakeSocket }, socket: FakeSocket, ...frames: Frames) {
          handled.push({ socket, frames });
          void this.iopub.send(['status']);
          return socket.send(['reply']);
        },
      };
      await bindFirst.initBindingFirst(zmqFake).call(server);
      await new Promise((resolve) => setTimeout(resolve, 10));

      expect(log.filter((l) => l.startsWith('EBUSY'))).toEqual([]);
      const lastBound = log.map((l) => l.startsWith('bound')).lastIndexOf(true);
      const firstServed = log.findIndex((l) => l.startsWith('send'));
      expect(log.filter((l) => l.startsWith('bound'))).toHaveLength(5);
      expect(firstServed).toBeGreaterThan(lastBound);
      expect(log.filter((l) => l.startsWith('bind')).map((l) => l.split(' ')[2])).toEqual(
        ['5002', '5001', '5004', '5003', '5005'].map((port) => `tcp://127.0.0.1:${port}`),
      );
      // the shell (router1) and control (router2) requests reached tslab's handler; hb echoed
      expect(handled.map((h) => h.socket)).toEqual([server.shell, server.control]);
      expect(handled[0]?.frames).toEqual(request);
      expect(log).toContain('send rep4 [{"type":"Buffer","data":[112,105,110,103]}]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a tslab whose kernel server is not the one it was written for', () => {
    class Other {
      init() {}
      bindSocket() {}
    }
    expect(() => bindFirst.bindBeforeServing({ ZmqServer: Other as unknown as { prototype: Record<string, unknown> } }, zmq)).toThrow(
      "losslab-tslab: tslab's ZmqServer has no handleShellMessage() (expected tslab 1.0.22's kernel server); update scripts/kernel/bind-first.cjs for this tslab",
    );
    for (const method of ['init', 'bindSocket', 'handleShellMessage']) expect(typeof tslabJupyter.ZmqServer.prototype[method]).toBe('function');
  });

  it('the kernel, started by the argv of `npm run kernel:install`, answers a kernel_info_request sent before it started', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'losslab-kernel-'));
    const ports = await freePorts(5);
    const key = randomUUID();
    const file = connectionFile(dir, ports, key);
    const shell = new zmq.Dealer({ routingId: 'test-client' });
    shell.connect(`tcp://127.0.0.1:${ports[0]}`);
    const header = { msg_id: randomUUID(), session: randomUUID(), username: 'test', date: new Date().toISOString(), msg_type: 'kernel_info_request', version: '5.3' };
    const parts = [header, {}, {}, {}].map((p) => JSON.stringify(p));
    const hmac = createHmac('sha256', key);
    for (const p of parts) hmac.update(p);
    await shell.send(['<IDS|MSG>', hmac.digest('hex'), ...parts]); // queued until the kernel binds

    const prefix = path.join(dir, 'prefix');
    execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/kernel-install.ts', '--prefix', prefix], { cwd: root });
    const spec = JSON.parse(readFileSync(path.join(prefix, 'share/jupyter/kernels/losslab-tslab/kernel.json'), 'utf8')) as { argv: string[] };
    expect(spec.argv).toContain(path.join(root, 'scripts/kernel/preload.cjs'));
    const [command, ...args] = spec.argv.map((a) => (a === '{connection_file}' ? file : a)) as [string, ...string[]];
    const kernel = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    kernel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const reply = await Promise.race([
        shell.receive(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no kernel_info_reply in 45 s; kernel stderr:\n${stderr}`)), 45_000)),
      ]);
      const frames = reply.map((f) => f.toString());
      const at = frames.indexOf('<IDS|MSG>');
      const replyHeader = JSON.parse(frames[at + 2] as string) as { msg_type: string };
      const parent = JSON.parse(frames[at + 3] as string) as { msg_id: string };
      const content = JSON.parse(frames[at + 5] as string) as { language_info: { name: string } };
      expect(replyHeader.msg_type).toBe('kernel_info_reply');
      expect(parent.msg_id).toBe(header.msg_id);
      expect(content.language_info.name).toBe('typescript');
      expect(stderr).not.toMatch(/EBUSY|UnhandledPromiseRejection/);
    } finally {
      if (kernel.pid !== undefined) process.kill(-kernel.pid); // the shell's exec'd node and all
      shell.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `count` distinct free TCP ports on 127.0.0.1 (held together while chosen, then released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
