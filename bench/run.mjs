// `npm run bench`: measures the real app in chromium against baselines run on the same files
// in the same invocation, prints a table and writes BENCHMARKS.md. RUNS=n sets the repeats.
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, ROOT } from '../tests/e2e/harness.mjs';
import { PACKAGES, SPLIT, makeTempDir, sparsePackage, splitPackage, auxTar, imageTar, removeTempDir } from './lib/fixtures.mjs';
import { freshPage, openInApp, readCost, loadTiming, keepConsole } from './lib/page.mjs';
import { floorIndex, floorIndexInWorker } from './lib/floors.mjs';
import { tarList, transferSize, machine } from './lib/native.mjs';
import { row, median, printTable, writeMarkdown } from './lib/report.mjs';
import { RUNS, ONLY, started, rows, notes, repeat, adaptive, part, log } from './lib/context.mjs';
import { firstImages } from './lib/images.mjs';
import { cubeTar, cubeBench } from './lib/cube.mjs';
import { weblogFixture, weblogBench } from './lib/weblog.mjs';

const DEADLINE_MS = 15 * 60_000;
const INDEX_TIMEOUT = 240_000;
let tmp = null;
let browser = null;

/** Index rows for `tars` opened together (one, or the parts of a split package: the floor
 * and `tar -tf` then list them one after another). */
async function indexBench(page, label, tars, entries, bytes, gb = null) {
  // Cold: the index the app keeps in IndexedDB is deleted first, so every header is read.
  // The per-read cost here drifts by ±20 % over minutes, so app and floor runs alternate,
  // each pair close in time; each run has a fresh page of its own, and the pairs alternate
  // which goes first, so that an order effect cannot favour either. A single pair's ratio
  // scatters by ±30 %, so short indexes (the first app run under 2 s) are paired 11 times.
  const pairs = await adaptive(async (i) => {
    const floor = async (reader) => {
      const run = { ms: 0, entries: 0 };
      for (const tar of tars) {
        const one = await reader(page, tar);
        run.ms += one.ms;
        run.entries += one.entries;
      }
      return run;
    };
    const app = async () => {
      await forgetIndexes(page);
      await freshPage(page);
      return openInApp(page, tars, INDEX_TIMEOUT);
    };
    const onMainThread = async () => {
      await freshPage(page);
      return floor(floorIndex);
    };
    // The same floor in a worker, where the app's core reads (in a page of its own), runs
    // between the two.
    if (i % 2) {
      const ms = await app();
      const inWorker = await floor(floorIndexInWorker);
      return { ms, inWorker, floor: await onMainThread() };
    }
    const floorRun = await onMainThread();
    const inWorker = await floor(floorIndexInWorker);
    return { floor: floorRun, inWorker, ms: await app() };
  }, { quick: 2 * RUNS + 1, quickUnder: 2000 });
  const app = pairs.map((p) => p.ms);
  const floor = pairs.map((p) => p.floor);
  const tarRuns = await repeat(async () => { let ms = 0; for (const tar of tars) ms += await tarList(tar); return ms; });
  if (floor[0].entries !== entries) notes.push(`${label}: the floor reader counted ${floor[0].entries} entries, expected ${entries}.`);
  const floorMed = median(floor.map((f) => f.ms));
  const appMed = median(app);
  // Judged pair by pair: each app run against the floor run next to it in time, so that
  // the drift of the per-read cost over minutes cancels out.
  const paired = median(pairs.map((p) => p.ms / p.floor.ms));
  const ratios = (first) => pairs.filter((_, i) => i % 2 === first).map((p) => (p.ms / p.floor.ms).toFixed(2));
  log(`${label}: app/floor per pair, floor first ${ratios(0).join(' ')}; app first ${ratios(1).join(' ')}`);
  const inWorker = median(pairs.map((p) => p.inWorker.ms / p.floor.ms));
  log(`${label}: app / the floor in a worker, median of pairs ${median(pairs.map((p) => p.ms / p.inWorker.ms)).toFixed(2)}`);
  rows.push(row('index', `${label}: ${entries} entries, ${(bytes / 1e9).toFixed(bytes < 1e8 ? 4 : 1)} GB`, app, {
    baselines: [{ label: tars.length > 1 ? 'floor (one tar after another)' : 'floor', runs: floor.map((f) => f.ms) },
      { label: 'the floor in a worker', runs: pairs.map((p) => p.inWorker.ms) }, { label: 'tar -tf', runs: tarRuns }],
    per: `${(appMed / entries * 1000).toFixed(1)} µs/entry (floor ${(floorMed / entries * 1000).toFixed(1)})`,
    target: { max: 1.2, of: paired, text: `≤ 1.2× floor (median of pairs: ${paired.toFixed(2)}×; the floor in a worker: ${inWorker.toFixed(2)}× the floor)` },
    extra: { kind: 'index', product: gb !== null, gb, entries, bytes },
  }));
  // Warm: the same file again, listed from the kept index without reading a header.
  await page.waitForTimeout(1000); // the index is written after the listing is shown
  const reopen = await repeat(async () => { await freshPage(page); return openInApp(page, tars, INDEX_TIMEOUT); });
  rows.push(row('index', `re-open the same ${entries}-entry package (index kept in IndexedDB)`, reopen, {
    target: { max: 20, text: '≤ 20 ms' }, per: `${(median(reopen) / entries * 1000).toFixed(1)} µs/entry`,
  }));
}

/** Deletes the tar indexes the app keeps (its IndexedDB database) before a cold index. */
function forgetIndexes(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.deleteDatabase('almapkg');
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  }));
}

/** The browser's price of one read, which dominates indexing (see BENCHMARKS.md notes). */
async function readCosts(page, tar, what) {
  const cost = await readCost(page, tar);
  rows.push(row('reads', `one Blob.slice().arrayBuffer() of 512 B, ${what} (main thread)`, [cost.block]));
  rows.push(row('reads', `one Blob.slice().arrayBuffer() of 1 MiB, ${what} (main thread)`, [cost.window]));
}

async function coldLoad(tinyTar) {
  const timings = await repeat(async () => {
    const b = await launch();
    try {
      await openInApp(b.page, [tinyTar]);
      return await loadTiming(b.page);
    } finally {
      await b.close();
    }
  });
  const pick = (k) => timings.map((t) => t[k]);
  rows.push(row('page', 'cold load: navigation → first contentful paint', pick('fcp')));
  rows.push(row('page', 'cold load: navigation → DOMContentLoaded', pick('dcl')));
  rows.push(row('page', 'cold load: navigation → load event', pick('load')));
  rows.push(row('page', 'cold load: navigation → small tar indexed (wasm ready, upper bound)', pick('ready')));
}

async function main() {
  const info = machine();
  log('building the release CLI and generator');
  execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'almapkg', '--bin', 'make-package'], { cwd: ROOT, stdio: 'inherit' });
  tmp = makeTempDir();
  log(`writing fixtures in ${tmp}`);
  const packages = PACKAGES.map((p) => sparsePackage(ROOT, tmp, p));
  const split = splitPackage(ROOT, tmp, SPLIT);
  const aux = auxTar(tmp);
  const images = imageTar(tmp);
  const cubes = cubeTar(tmp);
  const weblog = await weblogFixture(tmp);
  const disk = [...packages, split].reduce((s, p) => s + p.disk, 0);
  notes.push(`Sparse packages: ${packages.map((p) => `${(p.bytes / 1e9).toFixed(1)} GB`).join(', ')} apparent, ${(disk / 1e6).toFixed(0)} MB on disk.`);
  browser = await launch();
  const { page } = browser;
  keepConsole(page);
  await part('read cost', async () => {
    await readCosts(page, packages[0].tar, 'sparse tar');
    await readCosts(page, images.tar, 'real pixels');
  });
  for (const p of packages) await part(`index --gb ${p.gb} --entries ${p.entries}`, () => indexBench(page, `product tar (--gb ${p.gb})`, [p.tar], p.entries + 1, p.bytes, p.gb));
  await part('index split package', () => indexBench(page, `${split.tars.length} product tars opened together (--gb ${split.gb} each)`, split.tars, split.entries + split.tars.length, split.bytes));
  await part('index auxiliary-like tar', () => indexBench(page, 'auxiliary-like tar, small files', [aux.tar], aux.entries, aux.bytes));
  await firstImages(ROOT, tmp, page, images);
  await part('cube', () => cubeBench(page, cubes));
  await part('weblog', () => weblogBench(page, weblog));
  await browser.close();
  browser = null;
  await part('transfer size', () => {
    const t = transferSize(path.join(ROOT, 'dist'));
    rows.push(row('page', `transfer size, gzip -9, ${t.files} files (sample/ excluded)`, [], { value: t.bytes, unit: 'bytes', target: { max: 1_000_000, of: t.bytes, text: '≤ 1 MB' } }));
  });
  await part('cold load', () => coldLoad(aux.tar));
  printTable(rows);
  if (ONLY.length) {
    log(`BENCH_ONLY=${ONLY.join(',')}: BENCHMARKS.md left as it was`);
  } else {
    writeMarkdown(path.join(ROOT, 'BENCHMARKS.md'), { machine: info, rows, notes, runs: RUNS, seconds: (Date.now() - started) / 1000 });
    log('wrote BENCHMARKS.md');
  }
  for (const n of notes) console.log(`note: ${n}`);
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  removeTempDir(tmp);
}

const watchdog = setTimeout(async () => {
  console.error(`bench: still running after ${DEADLINE_MS / 60000} minutes; stopping`);
  await cleanup();
  process.exit(1);
}, DEADLINE_MS);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await cleanup(); process.exit(130); });

try {
  await main();
} catch (err) {
  console.error(`bench: ${err.stack}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
