// The floors: the least any page can spend in this browser on the reads alone (nothing
// decoded, nothing drawn), each measured in the ways that read fastest here, so that "app
// vs floor" says what the app adds, not how well it reads. Some are also measured in
// workers, where the app's core reads (the page allows no workers but its own, so those
// run in a blank page of their own).
import { benchInput } from './page.mjs';
import { CHUNK, IN_FLIGHT } from '../../www/planes.js';

/** The index floor's reader: one `Blob.slice(...).arrayBuffer()` per 512-byte header,
 * octal size parsed, a jump to the next header (pax `size` honoured). Self-contained: it
 * runs as source text in the page and in a worker. Returns { ms, entries }. */
async function walkHeaders(file) {
  const t0 = performance.now();
  let pos = 0;
  let entries = 0;
  let paxSize = null;
  const text = (b, off, len) => String.fromCharCode(...b.subarray(off, off + len)).replace(/\0.*$/s, '');
  while (pos + 512 <= file.size) {
    const h = new Uint8Array(await file.slice(pos, pos + 512).arrayBuffer());
    if (h.every((x) => x === 0)) break;
    let size = parseInt(text(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]);
    const body = Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const rec = new TextDecoder().decode(await file.slice(pos + 512, pos + 512 + size).arrayBuffer());
      const m = / size=(\d+)\n/.exec(rec);
      paxSize = m ? Number(m[1]) : null;
    } else {
      if (paxSize !== null) size = paxSize;
      paxSize = null;
      entries++;
    }
    pos += 512 + (type === 'x' ? body : Math.ceil(size / 512) * 512);
  }
  return { ms: performance.now() - t0, entries };
}

/** The index floor in the app's page, on its main thread, where a read costs least here.
 * Returns { ms, entries }. */
export async function floorIndex(page, tar) {
  await benchInput(page, tar);
  return page.evaluate(`(${walkHeaders})(document.getElementById('bench-floor').files[0])`);
}

/** The same reader in a dedicated worker, where the app's core walks the headers. */
export function floorIndexInWorker(page, tar) {
  return inBlankPage(page, tar, async ([source]) => {
    const file = document.getElementById('bench-floor').files[0];
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    const result = await new Promise((resolve) => { worker.onmessage = ({ data }) => resolve(data); worker.postMessage(file); });
    worker.terminate();
    return result;
  }, [`const walk = ${walkHeaders};\nself.onmessage = async ({ data }) => self.postMessage(await walk(data));`]);
}

/** Runs `fn(arg)` in a blank page of its own whose file input holds `tar` (no CSP there,
 * so it may start workers from source text). */
async function inBlankPage(page, tar, fn, arg) {
  const blank = await page.context().newPage();
  try {
    await blank.setContent('<input type="file" id="bench-floor">');
    await blank.setInputFiles('#bench-floor', tar);
    return await blank.evaluate(fn, arg);
  } finally {
    await blank.close();
  }
}

/** Reading a plane: one `Blob.slice().arrayBuffer()` of exactly its bytes, and the same
 * bytes as 8 MiB slices with four in flight (often faster here). Returns { one, sliced } ms. */
export async function planeReadFloor(page, tar, offset, len) {
  await benchInput(page, tar);
  return page.evaluate(async ([from, n]) => {
    const file = document.getElementById('bench-floor').files[0];
    let t0 = performance.now();
    await file.slice(from, from + n).arrayBuffer();
    const one = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the first buffer go
    t0 = performance.now();
    let next = 0;
    const readOn = async () => {
      while (next < n) {
        const at = next;
        next = Math.min(n, at + (8 << 20));
        await file.slice(from + at, from + next).arrayBuffer();
      }
    };
    await Promise.all([0, 1, 2, 3].map(readOn));
    return { one, sliced: performance.now() - t0 };
  }, [offset, len]);
}

// Two workers: a reader that reads `len` bytes at `offset` as `chunk`-byte slices, `inflight`
// at once, and moves each through a channel to a receiver, which says when all have come.
// Each says 'ready' once started, so that the timing leaves out starting them.
const RELAY_READER = `self.onmessage = async ({ data: { file, offset, len, chunk, inflight, port } }) => {
  const reads = [];
  let next = 0;
  const issue = () => { const at = next; next = Math.min(len, at + chunk); reads.push(file.slice(offset + at, offset + next).arrayBuffer()); };
  while (next < len && reads.length < inflight) issue();
  while (reads.length) { const bytes = await reads.shift(); if (next < len) issue(); port.postMessage(bytes, [bytes]); }
};
self.postMessage('ready');`;
const RELAY_RECEIVER = `self.onmessage = ({ data: { port, len } }) => {
  let got = 0;
  port.onmessage = ({ data }) => { got += data.byteLength; if (got >= len) self.postMessage('done'); };
};
self.postMessage('ready');`;

/** Reading a plane the way the app's worker gets it: slices read by a helper worker (the
 * app's slice size and reads in flight) and moved to a second worker as they land; nothing
 * copied, decoded or drawn. Returns ms. */
export function planeRelayFloor(page, tar, offset, len) {
  return inBlankPage(page, tar, async ([from, n, chunk, inflight, sources]) => {
    const file = document.getElementById('bench-floor').files[0];
    const [reader, receiver] = sources.map((s) => new Worker(URL.createObjectURL(new Blob([s], { type: 'text/javascript' }))));
    const next = (w) => new Promise((resolve) => { w.onmessage = resolve; });
    await Promise.all([next(reader), next(receiver)]);
    const { port1, port2 } = new MessageChannel();
    const done = next(receiver);
    receiver.postMessage({ port: port2, len: n }, [port2]);
    const t0 = performance.now();
    reader.postMessage({ file, offset: from, len: n, chunk, inflight, port: port1 }, [port1]);
    await done;
    const ms = performance.now() - t0;
    reader.terminate();
    receiver.terminate();
    return ms;
  }, [offset, len, CHUNK, IN_FLIGHT, [RELAY_READER, RELAY_RECEIVER]]);
}

/** Reading a spectrum through a cube whose planes are far apart: one 4-byte read per
 * channel, one after the other, in the page. Returns ms. */
export async function spectrumReadFloor(page, tar, offsets) {
  await benchInput(page, tar);
  return page.evaluate(async (list) => {
    const file = document.getElementById('bench-floor').files[0];
    const t0 = performance.now();
    for (const at of list) await file.slice(at, at + 4).arrayBuffer();
    return performance.now() - t0;
  }, offsets);
}

// A worker that reads 4 bytes at each offset it is given, `inflight` reads at a time.
const PARALLEL_READER = `self.onmessage = async ({ data: { file, offsets, inflight } }) => {
  let next = 0;
  const readOn = async () => { while (next < offsets.length) { const at = offsets[next++]; await file.slice(at, at + 4).arrayBuffer(); } };
  await Promise.all(Array.from({ length: inflight }, readOn));
  self.postMessage('done');
};`;

/** The same reads shared among 4 workers with 16 in flight in each: the fastest way found
 * here (the browser serves reads of different workers in parallel). Returns ms. */
export function parallelSpectrumReadFloor(page, tar, offsets) {
  return inBlankPage(page, tar, async ([list, source]) => {
    const file = document.getElementById('bench-floor').files[0];
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const workers = [0, 1, 2, 3].map(() => new Worker(url));
    const share = Math.ceil(list.length / workers.length);
    const t0 = performance.now();
    await Promise.all(workers.map((w, i) => new Promise((resolve) => {
      w.onmessage = resolve;
      w.postMessage({ file, offsets: list.slice(i * share, (i + 1) * share), inflight: 16 });
    })));
    const ms = performance.now() - t0;
    workers.forEach((w) => w.terminate());
    return ms;
  }, [offsets, PARALLEL_READER]);
}
