// The page's side of the worker: every call is a promise; progress events go to a listener.
// The UI thread never touches file bytes or wasm; it only sends requests and draws results.

export class WorkerClient {
  constructor(url) {
    this.url = url;
    this.pending = new Map();
    this.nextId = 1;
    this.peakMemory = 0;
    this.onprogress = () => {};
    this.oncrash = () => {};
    this.start();
  }

  start() {
    this.worker = new Worker(this.url, { type: 'module' });
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.crash(e.message || 'the worker stopped');
    };
  }

  receive(msg) {
    if (msg.type === 'progress') return this.onprogress(msg);
    if (msg.type === 'ready') return performance.mark('almapkg:ready');
    if (msg.type === 'warm') {
      this.noteMemory(msg.memory);
      return performance.mark('almapkg:warm');
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'partial') return p.onpartial?.(msg.result);
    this.pending.delete(msg.id);
    this.noteMemory(msg.memory);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(Object.assign(new Error(msg.error), { crashed: !!msg.crashed }));
    if (msg.crashed) this.crash(msg.error);
  }

  /** Wasm memory only grows, so the largest size seen is the worker's peak: recorded as an
   * `almapkg:memory` mark (detail: bytes) for the bench and for anyone profiling. */
  noteMemory(bytes) {
    if (!(bytes > this.peakMemory)) return;
    this.peakMemory = bytes;
    performance.mark('almapkg:memory', { detail: bytes });
  }

  /** Calls `op` in the worker; `transfer` lists ArrayBuffers to move rather than copy;
   * `onpartial` receives the partial results a long op sends before it ends. */
  call(op, args = {}, transfer = [], onpartial = null) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onpartial });
      this.worker.postMessage({ id, op, args }, transfer);
    });
  }

  /** Asks the running long task (weblog inflate, save, moments) to stop at its next step. */
  cancel() {
    this.worker.postMessage({ op: 'cancel' });
  }

  crash(message) {
    for (const p of this.pending.values()) p.reject(Object.assign(new Error(`the worker stopped: ${message}`), { crashed: true }));
    this.pending.clear();
    this.worker.terminate();
    this.start();
    this.oncrash(message);
  }
}
