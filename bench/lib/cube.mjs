// The cube fixtures and their numpy baseline: a 1024²×500 cube for channel steps, a
// 1024²×2000 cube for the spectrum, a 1 GiB cube of real pixels for moment 0. The first two
// are sparse (only their first planes are real pixels, the rest holes that read as zeros),
// so the tar costs about 1 GiB on disk instead of 11 GB.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeTar, fitsItem } from './writers.mjs';
import { freshPage, openInApp, clickProduct, timedAction, blurFocus, clickCanvas, wasmMemory } from './page.mjs';
import { spectrumReadFloor, parallelSpectrumReadFloor } from './floors.mjs';
import { hasNumpy, PYTHON } from './native.mjs';
import { memoryRow } from './images.mjs';
import { row, median, fmtMs } from './report.mjs';
import { rows, repeat, adaptive } from './context.mjs';

/** n × n × channels, of which `real` planes hold pixels. Channel steps land on real planes. */
export const CUBES = {
  steps: { name: 'bench/cube500.cube.I.pbcor.fits', n: 1024, channels: 500, real: 16 },
  spectrum: { name: 'bench/cube2000.cube.I.pbcor.fits', n: 1024, channels: 2000, real: 1 },
  moment: { name: 'bench/moment.cube.I.pbcor.fits', n: 1024, channels: 256, real: 256 },
};

/** Writes the cubes' tar; returns its path and each cube's data offset. */
export function cubeTar(dir) {
  const file = path.join(dir, 'cubes.tar');
  const items = Object.values(CUBES).map((c) => fitsItem(c.name, c.n, c.channels, c.real));
  writeTar(file, items);
  const data = new Map();
  let pos = 0;
  for (const item of items) {
    data.set(item.name, pos + 512 + item.header);
    pos += 512 + Math.ceil(item.size / 512) * 512;
  }
  return { tar: file, data };
}

const NUMPY_SUM = `
import sys, time, numpy as np
path, offset, n, channels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
cube = np.memmap(path, dtype='>f4', mode='r', offset=offset, shape=(channels, n, n))
acc = np.zeros((n, n), dtype=np.float64)
for c in range(0, channels, 16):
    acc += cube[c:c + 16].sum(axis=0, dtype=np.float64)
print((time.perf_counter() - t0) * 1000)
`;

/** numpy sums the cube over its channels (a moment 0 without the channel width), 16 planes
 * at a time from a memmap of the same bytes; in-process time (ms). */
export function numpyMoment(tar, offset, { n, channels }) {
  const r = spawnSync(PYTHON, ['-c', NUMPY_SUM, tar, String(offset), String(n), String(channels)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`numpy sum failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Channel steps on the 500-channel cube, the spectrum through the 2000-channel one, and
 * moment 0 over the 1 GiB cube (vs numpy's sum of the same bytes) with the memory after it. */
export async function cubeBench(page, cubes) {
  const { steps: s, spectrum: p } = CUBES;
  await freshPage(page);
  await openInApp(page, [cubes.tar]);
  await clickProduct(page, s.name);
  await blurFocus(page);
  const steps = await repeat(() => timedAction(page, 'almapkg:channel', () => page.keyboard.press('ArrowRight')));
  rows.push(row('cube', `channel step, ${s.n}²×${s.channels} cube (ArrowRight; sparse: first ${s.real} planes real)`, steps, {
    target: { max: 16, text: '≤ 16 ms' }, per: `${fmtMs(median(steps) / (s.n * s.n / 1e6))} ms/Mpx`,
  }));
  await clickProduct(page, p.name);
  const spectrum = await repeat((i) => timedAction(page, 'almapkg:spectrum', () => clickCanvas(page, 0.3 + 0.1 * i, 0.5)));
  const plane = p.n * p.n * 4;
  const start = cubes.data.get(p.name) + (p.n / 2) * p.n * 4 + (p.n / 2) * 4;
  const offsets = Array.from({ length: p.channels }, (_, c) => start + c * plane);
  const floor = await repeat(() => spectrumReadFloor(page, cubes.tar, offsets));
  const parallel = await repeat(() => parallelSpectrumReadFloor(page, cubes.tar, offsets));
  rows.push(row('cube', `spectrum at a clicked pixel, ${p.n}²×${p.channels} cube (sparse: holes read as zeros)`, spectrum, {
    baselines: [{ label: `browser floor: ${p.channels} sequential 4-byte reads`, runs: floor },
      { label: 'the same reads, 16 in flight in each of 4 workers', runs: parallel }],
    target: { max: 150, text: '≤ 150 ms' }, per: `${fmtMs(median(spectrum) / p.channels)} ms/channel`,
  }));
  await momentBench(page, cubes);
}

async function momentBench(page, cubes) {
  const m = CUBES.moment;
  const bytes = m.n * m.n * m.channels * 4;
  let memory = NaN;
  const app = await adaptive(async () => {
    await freshPage(page);
    await openInApp(page, [cubes.tar]);
    await clickProduct(page, m.name);
    const ms = await timedAction(page, 'almapkg:moments', () => page.getByTestId('moment0').click(), 300_000);
    memory = await wasmMemory(page);
    return ms;
  });
  const np = hasNumpy() ? { label: 'numpy sum', runs: await adaptive(() => numpyMoment(cubes.tar, cubes.data.get(m.name), m)) }
    : { label: 'numpy sum', note: 'n/a: numpy not installed' };
  rows.push(row('cube', `moment 0 over a ${m.n}²×${m.channels} cube, ${(bytes / 2 ** 30).toFixed(1)} GiB real pixels (button)`, app, {
    baselines: [np], per: `${(bytes / 1e6 / (median(app) / 1000)).toFixed(0)} MB/s`,
  }));
  memoryRow(`after moment 0 over ${(bytes / 2 ** 30).toFixed(1)} GiB`, memory);
}
