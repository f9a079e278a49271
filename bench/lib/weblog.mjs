// The weblog fixture and its native baselines: a deterministic ~200 MB `.weblog.tgz` shaped
// like a pipeline weblog (stage folders of HTML pages and PNG plots), packed into a member's
// qa/ folder of a one-entry tar so the app offers its Weblog button.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ustarHeader, writeTar } from './writers.mjs';
import { wallTime } from './native.mjs';
import { freshPage, openInApp, timedAction } from './page.mjs';
import { row, median } from './report.mjs';
import { rows, adaptive } from './context.mjs';

export const WEBLOG_MEMBER = '2019.1.00123.S/science_goal.uid___A001_X1_X1/group.uid___A001_X1_X2/member.uid___A001_X1_X3/qa/member.uid___A001_X1_X3.hifa_calimage.weblog.tgz';
const RUN = 'pipeline-20190101T000000/html';

/** A seeded xorshift32 stream, so the fixture is the same bytes on every run. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** 32 MiB of random bytes: PNG bodies are slices of it at scattered offsets (incompressible,
 * like the deflated plots of a real weblog). */
function noise() {
  const next = random(20_191_028);
  const buf = Buffer.alloc(32 << 20);
  for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE(next(), i);
  return buf;
}

/** A stage page: the pipeline's repetitive markup around tables of numbers. */
function stagePage(stage, page, rows, next) {
  const cells = [];
  for (let r = 0; r < rows; r++) {
    const v = next();
    cells.push(`<tr><td class="spw">spw ${r % 32}</td><td>uid___A002_X${(v >>> 8).toString(16)}_X${(v & 0xfff).toString(16)}</td>`
      + `<td>${(v % 100000 / 1000).toFixed(3)} Jy</td><td>${(v % 7919 / 100).toFixed(2)}%</td><td class="qa">QA ${(v % 100) / 100}</td></tr>`);
  }
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Stage ${stage}</title><link rel="stylesheet" href="../css/weblog.css"></head>
<body><nav><a href="../t1-1.html">Home</a> <a href="../t1-4.html">By Task</a></nav><h1>Stage ${stage}: hifa_stage${stage} page ${page}</h1>
<table class="table table-bordered table-striped"><thead><tr><th>SPW</th><th>EB</th><th>Flux</th><th>Flagged</th><th>QA</th></tr></thead><tbody>
${cells.join('\n')}
</tbody></table><img src="plot_${page - (page % 5)}.png" alt="plot"></body></html>
`;
}

/** The weblog's files in tar order, as [path, bytes]; about `mb` MB gzipped at level 6. */
function* weblogFiles(mb) {
  const next = random(42);
  const png = noise();
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  yield [`${RUN}/t1-1.html`, Buffer.from('<!DOCTYPE html><html><body><h1>Pipeline weblog (bench)</h1><a href="t1-4.html">By Task</a></body></html>\n')];
  // Per stage: 20 pages (~52 KB, ~5× compressible) and 4 plots (~30 KB, incompressible),
  // ≈ 0.30 MB gzipped, ≈ 1.17 MB inflated: ~3.5× overall.
  const stages = Math.max(1, Math.round(mb / 0.3));
  for (let s = 1; s <= stages; s++) {
    for (let p = 0; p < 20; p++) {
      yield [`${RUN}/stage${s}/t2-4m_details_${p}.html`, Buffer.from(stagePage(s, p, 400, next))];
      if (p % 5) continue;
      const size = 15_000 + (next() % 30_000);
      const at = next() % (png.length - size);
      yield [`${RUN}/stage${s}/plot_${p}.png`, Buffer.concat([sig, png.subarray(at, at + size)])];
    }
  }
}

/** Writes `<dir>/bench.weblog.tgz` (streamed through gzip) and the package tar holding it. */
export async function weblogFixture(dir, mb = Number(process.env.WEBLOG_MB || 200)) {
  const tgz = path.join(dir, 'bench.weblog.tgz');
  let inflated = 0;
  let files = 0;
  function* tarStream() {
    for (const [name, data] of weblogFiles(mb)) {
      inflated += data.length;
      files++;
      yield ustarHeader(name, data.length);
      yield data;
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) yield Buffer.alloc(pad);
    }
    yield Buffer.alloc(1024);
  }
  await pipeline(Readable.from(tarStream()), zlib.createGzip({ level: 6 }), fs.createWriteStream(tgz));
  const size = fs.statSync(tgz).size;
  const tar = path.join(dir, 'weblog-package.tar');
  writeTar(tar, [{ name: WEBLOG_MEMBER, size, write: (out) => copyFile(tgz, out) }]);
  return { tgz, tar, bytes: size, inflated, files };
}

function copyFile(file, out) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(8 << 20);
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) out.write(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** `gzip -dc` of the tgz, output discarded: the native inflate throughput. */
export function gunzipTime(tgz) {
  return wallTime('gzip', ['-dc', tgz]);
}

/** `tar -xzf` into a fresh folder in /dev/shm (tmpfs): inflate plus writing every file. */
export function untarTime(tgz) {
  const dir = fs.mkdtempSync('/dev/shm/almapkg-bench-weblog-');
  try {
    return wallTime('tar', ['-xzf', tgz, '-C', dir]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The app inflating the weblog into browser storage and showing its first page, from a
 * cold start each time (the extracted weblog is deleted first), vs gzip -dc and tar -xzf. */
export async function weblogBench(page, w) {
  const app = await adaptive(async () => {
    await freshPage(page);
    await page.evaluate(() => caches.delete('almapkg-weblog'));
    await openInApp(page, [w.tar]);
    await page.getByRole('tab', { name: 'Weblog' }).click();
    return timedAction(page, 'almapkg:weblog', () => page.getByTestId('weblog-button').first().click(), 600_000);
  });
  await page.evaluate(() => caches.delete('almapkg-weblog'));
  const gzip = await adaptive(() => gunzipTime(w.tgz));
  const untar = await adaptive(() => untarTime(w.tgz));
  const mbs = (ms) => (w.bytes / 1e6 / (ms / 1000)).toFixed(0);
  const [a, g] = [median(app), median(gzip)];
  rows.push(row('weblog', `inflate and serve a ${(w.bytes / 1e6).toFixed(0)} MB .weblog.tgz (${w.files} files, ${(w.inflated / 1e6).toFixed(0)} MB inflated): click → first page shown`, app, {
    baselines: [{ label: 'gzip -dc', runs: gzip }, { label: 'tar -xzf to tmpfs', runs: untar }],
    per: `${mbs(a)} MB/s of tgz (gzip -dc ${mbs(g)} MB/s: app ${(g / a).toFixed(2)}×)`,
    target: { max: 2, of: a / g, text: '≥ 0.5× gzip -dc throughput' },
  }));
}
