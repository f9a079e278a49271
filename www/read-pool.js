// Reads done by helper workers (reader.js), so the worker's thread decodes while they run.
// `ReadPool` shares a list of small reads among several helpers: the browser serves reads from
// different workers in parallel, so a spectrum of 2 000 channels (one read each) takes about
// 1/n of the time of one worker's reads. `SliceReader` streams long ranges (image planes) from
// one helper, slice by slice.

const readerUrl = new URL('./reader.js', import.meta.url);

export class ReadPool {
  constructor(size = Math.min(4, Math.max(2, navigator.hardwareConcurrency || 2))) {
    this.size = size;
    this.workers = [];
    this.pending = new Map();
    this.nextId = 1;
  }

  start() {
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(readerUrl);
      w.onmessage = ({ data }) => {
        const p = this.pending.get(data.id);
        this.pending.delete(data.id);
        if (data.error) p.reject(new Error(data.error));
        else p.resolve(new Uint8Array(data.bytes));
      };
      this.workers.push(w);
    }
  }

  /** `len` bytes at each of `offsets` of `file`, end to end, in the order of `offsets`. */
  async read(file, offsets, len) {
    if (!this.workers.length) this.start();
    const share = Math.ceil(offsets.length / this.size);
    const parts = await Promise.all(this.workers.map((w, i) => {
      const mine = offsets.slice(i * share, (i + 1) * share);
      if (!mine.length) return new Uint8Array(0);
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id, file, offsets: mine, len });
      });
    }));
    const out = new Uint8Array(offsets.length * len);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

export class SliceReader {
  /** Started at once: the first image should not wait for a helper to start. */
  constructor() {
    this.worker = new Worker(readerUrl);
    this.streams = new Map(); // request id → the function taking its messages
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => this.streams.get(data.id)?.(data);
  }

  /** The `len` bytes at `offset` of `file`, in order, as slices of `chunk` bytes with
   * `inflight` of them being read at once. */
  async *slices(file, offset, len, chunk, inflight) {
    const id = this.nextId++;
    const landed = [];
    let wake = null;
    this.streams.set(id, (msg) => {
      landed.push(msg);
      if (wake) wake();
    });
    this.worker.postMessage({ id, file, offset, len, chunk, inflight });
    try {
      for (let got = 0; got < len;) {
        if (!landed.length) await new Promise((resolve) => { wake = resolve; });
        wake = null;
        const { bytes, error } = landed.shift();
        if (error) throw new Error(error);
        if (!bytes.byteLength) throw new Error(`short read at byte ${offset + got} of the file (was it changed?)`);
        got += bytes.byteLength;
        yield new Uint8Array(bytes);
      }
    } finally {
      this.streams.delete(id); // slices still coming for it are dropped
    }
  }
}
