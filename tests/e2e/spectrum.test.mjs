// Spectra through cubes whose planes are far apart (≥ 1 MiB): each channel is one read, and
// the reads are shared by a pool of reader workers. The values must be exactly those in the
// file, in channel order, and the whole spectrum can be saved as CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, screenshot } from './harness.mjs';

const N = 512; // 512² float32: 1 MiB planes
const CHANNELS = 70; // more than the first part (32), so the spectrum comes in parts
const BAND = [192, 320]; // rows holding data; the rest of each plane is a hole of zeros
const value = (c) => 1 + c * 0.5;

/** A sparse FITS cube: in every channel the rows of BAND hold value(channel). */
function sparseCube(file) {
  const cards = ['SIMPLE  =                    T', 'BITPIX  =                  -32', 'NAXIS   =                    3',
    `NAXIS1  = ${String(N).padStart(20)}`, `NAXIS2  = ${String(N).padStart(20)}`, `NAXIS3  = ${String(CHANNELS).padStart(20)}`,
    "CTYPE3  = 'FREQ    '", 'CRVAL3  =        230000000000.', 'CDELT3  =            1000000.', 'CRPIX3  =                   1.',
    "BUNIT   = 'Jy/beam '", 'END'];
  const header = Buffer.from(cards.map((c) => c.padEnd(80)).join('').padEnd(2880));
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, header, 0, header.length, 0);
  const rows = Buffer.alloc((BAND[1] - BAND[0]) * N * 4);
  for (let c = 0; c < CHANNELS; c++) {
    for (let i = 0; i < rows.length; i += 4) rows.writeFloatBE(value(c), i);
    fs.writeSync(fd, rows, 0, rows.length, 2880 + c * N * N * 4 + BAND[0] * N * 4);
  }
  fs.ftruncateSync(fd, 2880 + CHANNELS * N * N * 4);
  fs.closeSync(fd);
}

let b;
let dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'almapkg-spectrum-'));
  sparseCube(path.join(dir, 'far.cube.I.pbcor.fits'));
  b = await launch();
});
after(async () => {
  await b.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a spectrum of far-apart channels is read by the reader pool, exactly, and saves as CSV', async () => {
  const { page } = b;
  await page.setInputFiles('#file', path.join(dir, 'far.cube.I.pbcor.fits'));
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length > 0);
  const box = await page.getByTestId('image-canvas').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:spectrum').length > 0);
  assert.match(await page.getByTestId('spectrum').textContent(), new RegExp(`— ${CHANNELS} channels`));
  assert.ok(page.workers().some((w) => /reader\.js$/.test(w.url())), 'the reads went to the reader pool');
  await screenshot(page, 'spectrum-pool');
  const download = page.waitForEvent('download');
  await page.getByTestId('spectrum-csv').click();
  const d = await download;
  assert.match(d.suggestedFilename(), /^spectrum_\d+_\d+\.csv$/);
  const [head, ...lines] = fs.readFileSync(await d.path(), 'utf8').trim().split('\n');
  assert.equal(head, 'channel,frequency_GHz,velocity_km_s,value_Jy/beam');
  assert.equal(lines.length, CHANNELS);
  lines.forEach((line, c) => {
    const [ch, ghz, , v] = line.split(',');
    assert.equal(Number(ch), c);
    assert.ok(Math.abs(Number(ghz) - (230 + c * 0.001)) < 1e-9, line);
    assert.equal(Number(v), value(c), `channel ${c}`);
  });
});
