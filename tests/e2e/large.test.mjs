// Beyond 4 GiB and beyond the memory budget, in the page: a sparse 5.4 GB tar whose FITS
// entries start past 4 GiB, one of them a plane too large to hold (shown as a preview); a
// tar of 3 000 entries, whose indexing shows how far it has gone and can be cancelled; and
// a worker that dies is restarted with the package still open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch, canvasColours, screenshot, testPackage, ROOT, OUT } from './harness.mjs';

function fitsHeader(cards) {
  const lines = [...cards, 'END'].map((c) => c.padEnd(80, ' '));
  const text = lines.join('');
  return Buffer.from(text.padEnd(Math.ceil(text.length / 2880) * 2880, ' '), 'ascii');
}
const card = (k, v) => `${k.padEnd(8)}= ${String(v).padStart(20)}`;
const image = (w, h) => fitsHeader(['SIMPLE  =                    T', card('BITPIX', -32), card('NAXIS', 2), card('NAXIS1', w), card('NAXIS2', h), "BUNIT   = 'Jy/beam '"]);

function tarHeader(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100); h.write('0000000\0', 108); h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136); h.write('        ', 148); h.write('0', 156); h.write('ustar\0', 257); h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** Writes the sparse tar; returns its path. Only headers and a few rows hold bytes on disk. */
function sparseTar() {
  const file = path.join(os.tmpdir(), `almapkg-large-${process.pid}.tar`);
  const fd = fs.openSync(file, 'w');
  let at = 0;
  const entry = (name, size, writeData) => {
    fs.writeSync(fd, tarHeader(name, size), 0, 512, at);
    writeData(at + 512);
    at += 512 + Math.ceil(size / 512) * 512;
  };
  entry('pkg/filler.bin', 4.5 * 2 ** 30, () => {});
  const small = image(64, 64);
  entry('pkg/beyond4g.fits', small.length + 64 * 64 * 4, (pos) => {
    fs.writeSync(fd, small, 0, small.length, pos);
    const data = Buffer.alloc(64 * 64 * 4);
    for (let i = 0; i < 64 * 64; i++) data.writeFloatBE(Math.sin(i / 50) * Math.cos(i / 300), i * 4);
    fs.writeSync(fd, data, 0, data.length, pos + small.length);
  });
  const W = 12000; const H = 12000;
  const big = image(W, H);
  entry('pkg/huge.fits', big.length + W * H * 4, (pos) => {
    fs.writeSync(fd, big, 0, big.length, pos);
    const band = Buffer.alloc(W * 4 * 200);
    for (let i = 0; i < W * 200; i++) band.writeFloatBE((i % W) / W, i * 4);
    fs.writeSync(fd, band, 0, band.length, pos + big.length + W * 4 * 5000);
  });
  fs.ftruncateSync(fd, at + 1024);
  fs.closeSync(fd);
  return file;
}

/** A generated product tar of 3 000 entries (sparse, tens of GB): seconds of header reads. */
function manyEntriesTar() {
  const dir = path.join(OUT, 'package-3000');
  fs.rmSync(dir, { recursive: true, force: true });
  const out = execFileSync(path.join(ROOT, 'target/release/make-package'), [dir, '--size', 'large', '--gb', '10', '--entries', '3000'], { encoding: 'utf8' });
  return out.trim().split(/\s+/).pop();
}

let b;
let tar;
before(async () => { tar = sparseTar(); b = await launch(); });
after(async () => { await b.close(); fs.rmSync(tar, { force: true }); fs.rmSync(path.join(OUT, 'package-3000'), { recursive: true, force: true }); });

test('a 5.4 GB package indexes, and a FITS stored past 4 GiB renders', async () => {
  const { page } = b;
  assert.ok(fs.statSync(tar).size > 5 * 2 ** 30);
  await page.setInputFiles('#file', tar);
  await page.getByTestId('package-tree').getByText('beyond4g.fits').click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length === 1);
  assert.ok(Number(await page.locator('#inspector').getByText(/^\d{10}$/).first().textContent()) > 2 ** 32, 'offset past 4 GiB');
  assert.ok(await canvasColours(page) > 20);
});

test('a plane beyond the memory budget is shown as a strided preview with a notice', async () => {
  const { page } = b;
  await page.getByTestId('package-tree').getByText('huge.fits').click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length === 2);
  assert.match(await page.getByTestId('preview-notice').textContent(), /12000 × 12000 plane .* 1 pixel in 2 along each axis/);
  await screenshot(page, 'large-preview');
});

test('indexing a tar of thousands of entries shows how far it has gone, and Cancel stops it with what was read listed', async () => {
  const { page } = b;
  await page.reload();
  await page.setInputFiles('#file', manyEntriesTar());
  const strip = page.getByTestId('progress');
  await strip.getByText(/^Indexing \S+_001_of_001\.tar — [\d.]+ [kMG]?B of \d+ GB \(\d+ %\)$/).waitFor();
  await screenshot(page, 'indexing-progress');
  await strip.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('error').getByText(/_001_of_001\.tar: at byte offset \d+: indexing was cancelled here\. The entries before that point are listed\./).waitFor();
  const rows = await page.locator('tr.product').count();
  assert.ok(rows > 0 && rows < 3000, `${rows} product rows listed`);
  assert.equal(await strip.isVisible(), false, 'gone once the package is listed');
});

test('if the worker dies, it is restarted and the package stays open', async () => {
  const { page } = b;
  await page.reload();
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('product-table').first().waitFor();
  const worker = page.workers().find((w) => w.url().endsWith('/worker.js'));
  await worker.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable (simulated trap)'); }));
  await page.getByTestId('error').getByText(/stopped unexpectedly.*re-opened/).waitFor();
  await page.getByTestId('product-table').first().waitFor();
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'mfs' }).first().click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length >= 1);
  assert.ok(await canvasColours(page) > 20, 'the restarted worker renders');
});
