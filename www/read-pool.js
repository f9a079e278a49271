// Several reader workers (reader.js) sharing a list of small reads: the browser serves reads
// from different workers in parallel, so a spectrum of 2 000 channels (one read each) takes
// about 1/n of the time of one worker's reads. Started on first use.

export class ReadPool {
  constructor(size = Math.min(4, Math.max(2, navigator.hardwareConcurrency || 2))) {
    this.size = size;
    this.workers = [];
    this.pending = new Map();
    this.nextId = 1;
  }

  start() {
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(new URL('./reader.js', import.meta.url));
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
