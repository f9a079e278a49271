// The floors of the image rows: the least any page can spend in this browser on the reads
// alone (nothing decoded, nothing drawn), each measured in the ways that read fastest here,
// so that "app vs floor" says what the app adds, not how well it reads.
import { benchInput } from './page.mjs';

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
 * here (the browser serves reads of different workers in parallel). Measured in a blank
 * page of its own (the app's page allows no workers but its own). Returns ms. */
export async function parallelSpectrumReadFloor(page, tar, offsets) {
  const blank = await page.context().newPage();
  try {
    await blank.setContent('<input type="file" id="bench-floor">');
    await blank.setInputFiles('#bench-floor', tar);
    return await blank.evaluate(async ([list, source]) => {
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
  } finally {
    await blank.close();
  }
}
