// The FITS viewer on a real ALMA cube (NGC3256 CO(1-0) Science Verification, from the
// corpus): a dropped FITS opens at once; channels, spectrum, colormap, readout and export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, CORPUS, screenshot, canvasColours } from './harness.mjs';
import { num } from '../../www/format.js';

const CUBE = path.join(CORPUS, 'alma-fits/admit/mom_integ_test_input.fits');
let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

/** A fingerprint of the canvas pixels, to tell whether the picture changed. */
const canvasHash = (page) => page.evaluate(() => {
  const c = document.querySelector('[data-testid="image-canvas"]');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 16) h = (Math.imul(h, 31) + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
  return h;
});

const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n).length, name);

test('the memory of a first image is mapped at start-up, before any file is dropped', async () => {
  const { page } = b;
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:warm').length > 0);
  const bytes = await page.evaluate(() => performance.getEntriesByName('almapkg:memory').at(-1)?.detail);
  assert.ok(bytes >= 64 * 2 ** 20, `the worker's memory after its warm-up: ${bytes} bytes`);
});

test('a single dropped FITS cube opens in the viewer', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  await page.setInputFiles('#file', CUBE);
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length > 0);
  assert.match(await page.locator('#inspector').textContent(), /NGC3256/);
  assert.equal(await page.getByTestId('channel').getAttribute('max'), '49');
});

test('the channel slider and arrow keys step through the cube, labelled in GHz and km/s', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const before = await canvasHash(page);
  await page.getByTestId('channel').fill('25');
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:channel').length >= 1);
  assert.notEqual(await canvasHash(page), before, 'channel 25 looks different');
  assert.match(await page.locator('.image-toolbar').textContent(), /25\s+\d+\.\d+ GHz\s+-?\d+(\.\d+)? km\/s/);
  const n = await measures(page, 'almapkg:channel');
  await page.getByTestId('image-canvas').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((k) => performance.getEntriesByName('almapkg:channel').length > k, n);
  assert.equal(await page.getByTestId('channel').inputValue(), '26');
  // The plane statistics follow the channel (they are updated in place at each step).
  const [min26, max26] = planeExtremes(CUBE, 26);
  assert.notDeepEqual(planeExtremes(CUBE, 25), [min26, max26], 'the two channels differ');
  const stats = await page.locator('#inspector').textContent();
  assert.match(stats, new RegExp(`min${num(min26).replace(/[.+]/g, '\\$&')}max${num(max26).replace(/[.+]/g, '\\$&')}finite`));
});

/** The smallest and largest finite values of plane k of CUBE, computed here from the file. */
function planeExtremes(file, k) {
  const { start, pixels } = fitsLayout(file);
  const view = new DataView(fs.readFileSync(file).buffer);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels; i++) {
    const v = view.getFloat32(start + (k * pixels + i) * 4);
    if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  }
  return [min, max];
}

/** Where plane k of a plain single-HDU float cube starts in the file: after the header's
 * 2880-byte blocks, k planes of NAXIS1 × NAXIS2 × |BITPIX|/8 bytes. */
function planeOffsets(file) {
  const { start, pixels, bytesPerPixel } = fitsLayout(file);
  return (k) => start + k * pixels * bytesPerPixel;
}

/** Where the data of a plain single-HDU cube start, and its pixels per plane. */
function fitsLayout(file) {
  const bytes = fs.readFileSync(file);
  const cards = bytes.toString('latin1', 0, 2880 * 40).match(/.{80}/gs);
  const end = cards.findIndex((c) => c.startsWith('END '));
  const value = (key) => Number(cards.find((c) => c.startsWith(key.padEnd(8)))?.slice(10, 30));
  const start = Math.ceil(((end + 1) * 80) / 2880) * 2880;
  return { start, pixels: value('NAXIS1') * value('NAXIS2'), bytesPerPixel: Math.abs(value('BITPIX')) / 8 };
}

/** The worker and its reader helpers (planes are read by a helper: see www/read-pool.js). */
const readingWorkers = (page) => page.workers().filter((w) => /\/(worker|reader)\.js/.test(w.url()));

/** From now on, records the start offset of every Blob slice the worker and its helpers make. */
async function recordSlices(page) {
  for (const w of readingWorkers(page)) {
    await w.evaluate(() => {
      self.sliceStarts = [];
      if (self.sliceRecorded) return;
      self.sliceRecorded = true;
      const slice = Blob.prototype.slice;
      Blob.prototype.slice = function (start, ...rest) { self.sliceStarts.push(start); return slice.call(this, start, ...rest); };
    });
  }
}

/** The slices recorded since `recordSlices`, by worker URL. */
async function slicesRead(page) {
  const out = [];
  for (const w of readingWorkers(page)) out.push({ url: w.url(), starts: await w.evaluate(() => self.sliceStarts || []) });
  return out;
}

test('the next channels are read ahead, so a step reads nothing for the plane it shows', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const planeAt = planeOffsets(CUBE);
  const before = await measures(page, 'almapkg:channel');
  await page.getByTestId('channel').fill('30');
  await page.waitForFunction((k) => performance.getEntriesByName('almapkg:channel').length > k, before);
  const n = await measures(page, 'almapkg:channel');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300))); // let the read-ahead land
  await recordSlices(page);
  await page.getByTestId('image-canvas').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((k) => performance.getEntriesByName('almapkg:channel').length > k, n);
  const starts = (await slicesRead(page)).flatMap((r) => r.starts);
  assert.ok(!starts.includes(planeAt(31)), `channel 31 was read ahead, not at the step (reads at ${starts})`);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const later = await slicesRead(page);
  assert.ok(later.flatMap((r) => r.starts).includes(planeAt(33)), `after showing 31, channel 33 is read ahead (reads at ${JSON.stringify(later)})`);
  // Read by a helper, so the worker decodes while planes are read: the worker reads none of it.
  const own = later.find((r) => /\/worker\.js/.test(r.url)).starts;
  assert.ok(!own.includes(planeAt(33)), `the worker itself read no plane (its reads: ${own})`);
});

test('clicking a pixel plots its spectrum; the readout gives RA, Dec, frequency and velocity', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const box = await page.getByTestId('image-canvas').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:spectrum').length > 0);
  assert.match(await page.getByTestId('spectrum').textContent(), /Spectrum at pixel \(\d+, \d+\) — 50 channels/);
  await page.getByTestId('pixel-readout').filter({ hasText: /GHz/ }).waitFor(); // asked for as the pointer moved
  const readout = await page.getByTestId('pixel-readout').textContent();
  assert.match(readout, /10h27m\d+\.\d+s/, 'NGC3256 RA');
  assert.match(readout, /-43°5\d′/, 'NGC3256 Dec');
  assert.match(readout, /11\d\.\d+ GHz/);
  assert.match(readout, /km\/s/);
  await screenshot(page, 'viewer-cube');
});

test('a spectrum is plotted as it is read, part by part', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  await page.evaluate(() => {
    window.captions = [];
    const caption = document.querySelector('.spectrum-caption');
    new MutationObserver(() => window.captions.push(caption.textContent)).observe(caption, { childList: true, characterData: true, subtree: true });
  });
  const n = await measures(page, 'almapkg:spectrum');
  const box = await page.getByTestId('image-canvas').boundingBox();
  await page.mouse.click(box.x + box.width / 3, box.y + box.height / 3);
  await page.waitForFunction((k) => performance.getEntriesByName('almapkg:spectrum').length > k, n);
  const captions = await page.evaluate(() => window.captions);
  assert.ok(captions.some((c) => /reading… 32 of 50 channels/.test(c)), captions.join(' | '));
  assert.match(captions.at(-1), /— 50 channels/);
});

test('colormap, stretch and limits change the picture', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const base = await canvasHash(page);
  await page.locator('select[name="colormap"]').selectOption('viridis');
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:restretch').length >= 1);
  const coloured = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="image-canvas"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 1]) > 30) return true;
    return false;
  });
  assert.ok(coloured, 'viridis is not grey');
  for (const [name, value] of [['stretch', 'asinh'], ['limits', 'zscale']]) {
    const before = await canvasHash(page);
    const renders = await measures(page, 'almapkg:restretch');
    await page.locator(`select[name="${name}"]`).selectOption(value);
    await page.waitForFunction((k) => performance.getEntriesByName('almapkg:restretch').length > k, renders);
    assert.notEqual(await canvasHash(page), before, `${name} ${value} changes the picture`);
  }
  assert.notEqual(await canvasHash(page), base);
});

test('the view exports as a PNG', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const download = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  const d = await download;
  assert.match(d.suggestedFilename(), /mom_integ_test_input\.ch31\.png$/);
  const bytes = fs.readFileSync(await d.path());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test('the FITS header is searchable', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const header = page.getByTestId('header-view');
  await header.getByRole('searchbox').fill('RESTFRQ');
  const visible = await header.locator('tbody tr:not([hidden])').allTextContents();
  assert.equal(visible.length, 1);
  assert.match(visible[0], /RESTFRQ\s*1\.15271/);
});

test('moment 0 and peak maps are computed over the cube, then channels come back', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const before = await canvasHash(page);
  await page.getByTestId('moment0').click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:moments').length === 1);
  await page.locator('.colorbar').getByText('JY/BEAM.km/s').waitFor();
  assert.notEqual(await canvasHash(page), before);
  await screenshot(page, 'viewer-moment0');
  await page.getByTestId('peak').click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:moments').length === 2);
  await page.locator('.image-toolbar').getByText(/peak intensity map/).waitFor();
  // The label changes at once; wait for the plane itself, which re-fits the view when it
  // lands (a map is left), so that it cannot undo the next test's zoom on a slow machine.
  const loads = await measures(page, 'almapkg:channel');
  await page.getByTestId('channel').fill('10');
  await page.waitForFunction((k) => performance.getEntriesByName('almapkg:channel').length > k, loads);
  await page.waitForFunction(() => /10\s+\d/.test(document.querySelector('.image-toolbar').textContent));
});

test('only the pixels the screen can show are rendered; zooming in renders more', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  const canvas = page.getByTestId('image-canvas');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('0');
  assert.equal(await canvas.getAttribute('data-step'), '1', 'a 128² plane is drawn 1:1 at fit');
  for (let i = 0; i < 12; i++) await page.keyboard.press('-');
  await page.locator('select[name="colormap"]').selectOption('inferno');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="image-canvas"]').dataset.step) > 1);
  assert.ok(await canvasColours(page) > 5, 'the coarse view still shows the image');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('1');
  await page.waitForFunction(() => document.querySelector('[data-testid="image-canvas"]').dataset.step === '1');
});

test('a plane reader that fails restarts the worker with a clear message, not a view that waits for ever', async (t) => {
  if (!fs.existsSync(CUBE)) return t.skip('corpus not present');
  const { page } = b;
  // Every reader helper throws at its next request. Its uncaught error reaches the worker,
  // which the page then restarts (its helpers with it) and re-opens the files in.
  for (const w of page.workers().filter((x) => /\/reader\.js/.test(x.url()))) {
    await w.evaluate(() => { self.onmessage = () => { throw new Error('reader broken by the test'); }; });
  }
  await page.getByTestId('channel').fill('45'); // not read ahead: it needs a reader
  await page.getByTestId('error').getByText(/file reader stopped unexpectedly .* re-opened/).waitFor();
  await page.locator('[role="treeitem"]').first().waitFor();
});
