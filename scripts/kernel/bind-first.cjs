// @ts-check
/**
 * The losslab-tslab kernel's one fix to tslab, applied by scripts/kernel/preload.cjs (the kernelspec
 * of `npm run kernel:install` runs `node --require scripts/kernel/preload.cjs
 * node_modules/tslab/bin/tslab kernel ...`): tslab's kernel starts reading from its five sockets
 * before it has bound them.
 *
 * tslab 1.0.22's `ZmqServer.init` starts the shell, control and heartbeat loops, then awaits the
 * binds. zeromq 6 marks a socket Blocked while its bind runs and throws EBUSY ("Socket is blocked
 * by a bind or unbind operation") from any send or receive on it meanwhile. Jupyter's client
 * connects and sends kernel_info_request at once, so on a loaded machine a request can arrive
 * before the shell socket's bind has returned: the reply's send throws, the shell loop's next
 * receive throws, the loop ends, and the kernel never answers ("Kernel didn't respond in 60
 * seconds"). This replaces `init` with the same steps in the safe order: bind every socket, then
 * serve. Nothing else of tslab changes.
 */
'use strict';

const fs = require('node:fs');

/**
 * @typedef {typeof import('zeromq')} Zmq
 * @typedef {import('zeromq').Publisher | import('zeromq').Router | import('zeromq').Reply} ZmqSocket
 * @typedef {{ transport: string; ip: string; key: string; iopub_port: number; shell_port: number; control_port: number; stdin_port: number; hb_port: number }} ConnectionInfo
 * @typedef {{ configPath: string; connInfo: ConnectionInfo; iopub: import('zeromq').Publisher; shell: import('zeromq').Router; control: import('zeromq').Router;
 *   stdin: import('zeromq').Router; hb: import('zeromq').Reply; bindSocket(socket: ZmqSocket, port: number): Promise<void>;
 *   handleShellMessage(socket: ZmqSocket, ...frames: Buffer[]): Promise<void> }} Server
 */

/**
 * Reads every message of `socket` until it closes, handing each to `onMessage` without waiting
 * for it (as tslab's loops do: an execute_request's reply is sent when its cell finishes).
 * @param {AsyncIterable<Buffer[]>} socket
 * @param {(frames: Buffer[]) => unknown} onMessage
 */
async function serve(socket, onMessage) {
  for await (const frames of socket) onMessage(frames);
}

/**
 * tslab's `ZmqServer.prototype.init`, binding before serving.
 * @param {Zmq} zmq
 * @returns {(this: Server) => Promise<void>}
 */
function initBindingFirst(zmq) {
  /** @type {(this: Server) => Promise<void>} */
  const init = async function () {
    const info = /** @type {ConnectionInfo} */ (JSON.parse(fs.readFileSync(this.configPath, 'utf-8')));
    const sockets = { iopub: new zmq.Publisher(), shell: new zmq.Router(), control: new zmq.Router(), stdin: new zmq.Router(), hb: new zmq.Reply() };
    Object.assign(this, { connInfo: info }, sockets); // where tslab's handlers and close() find them
    const { iopub, shell, control, stdin, hb } = sockets;
    await Promise.all([
      this.bindSocket(iopub, info.iopub_port),
      this.bindSocket(shell, info.shell_port),
      this.bindSocket(control, info.control_port),
      this.bindSocket(stdin, info.stdin_port),
      this.bindSocket(hb, info.hb_port),
    ]);
    const report = (/** @type {string} */ name) => (/** @type {unknown} */ error) => console.error(`losslab-tslab: the ${name} loop stopped:`, error);
    serve(shell, (frames) => this.handleShellMessage(shell, ...frames)).catch(report('shell'));
    serve(control, (frames) => this.handleShellMessage(control, ...frames)).catch(report('control'));
    serve(hb, (frames) => hb.send(frames)).catch(report('heartbeat')); // hb echoes, as in tslab
  };
  return init;
}

/**
 * Replaces `ZmqServer.prototype.init` of the given tslab jupyter module. Refuses (throws) when the
 * prototype is not the one this was written against, rather than patching blind.
 * @param {{ ZmqServer: { prototype: object } }} jupyter tslab/dist/jupyter
 * @param {Zmq} zmq zeromq
 */
function bindBeforeServing(jupyter, zmq) {
  const proto = /** @type {Record<string, unknown>} */ (jupyter.ZmqServer.prototype);
  for (const method of ['init', 'bindSocket', 'handleShellMessage']) {
    if (typeof proto[method] !== 'function') {
      throw new Error(`losslab-tslab: tslab's ZmqServer has no ${method}() (expected tslab 1.0.22's kernel server); update scripts/kernel/bind-first.cjs for this tslab`);
    }
  }
  proto.init = initBindingFirst(zmq);
}

module.exports = { bindBeforeServing, initBindingFirst };
