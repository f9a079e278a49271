// The floors: the least any page can spend in this browser on the reads alone (nothing
// decoded, nothing drawn), each measured in the ways that read fastest here, so that "app
// vs floor" says what the app adds, not how well it reads. Some are also measured in
// workers, where the app's core reads (the page allows no workers but its own, so those
// run in a blank page of their own).
import fs from 'node:fs';
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

// A worker standing for the app's: it starts the app's own reader helper (www/reader.js,
// from its source text) as the app's worker does, has it read `len` bytes at `offset` in
// slices, and says when all have come. It says 'ready' once the helper has answered a
// first one-byte read, so that the timing leaves out starting them.
const RELAY_RECEIVER = `let reader = null;
let file = null;
self.onmessage = ({ data }) => {
  if (data.source) {
    file = data.file;
    reader = new Worker(URL.createObjectURL(new Blob([data.source], { type: 'text/javascript' })));
    reader.onmessage = () => self.postMessage('ready');
    reader.postMessage({ id: 0, file, offset: 0, len: 1, chunk: 1, inflight: 1 });
    return;
  }
  let got = 0;
  reader.onmessage = ({ data: { bytes } }) => { got += bytes.byteLength; if (got >= data.len) self.postMessage('done'); };
  reader.postMessage({ id: 1, file, ...data });
};`;

/** Reading a plane the way the app's worker gets it: slices read by the app's reader
 * helper (its slice size and reads in flight) and moved to the worker that started it as
 * they land; nothing copied, decoded or drawn. Returns ms. */
export function planeRelayFloor(page, tar, offset, len) {
  const readerSource = fs.readFileSync(new URL('../../www/reader.js', import.meta.url), 'utf8');
  return inBlankPage(page, tar, async ([from, n, chunk, inflight, source, receiverSource]) => {
    const file = document.getElementById('bench-floor').files[0];
    const receiver = new Worker(URL.createObjectURL(new Blob([receiverSource], { type: 'text/javascript' })));
    const next = () => new Promise((resolve) => { receiver.onmessage = resolve; });
    const ready = next();
    receiver.postMessage({ source, file });
    await ready;
    const done = next();
    const t0 = performance.now();
    receiver.postMessage({ offset: from, len: n, chunk, inflight });
    await done;
    const ms = performance.now() - t0;
    receiver.terminate();
    return ms;
  }, [offset, len, CHUNK, IN_FLIGHT, readerSource, RELAY_RECEIVER]);
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
