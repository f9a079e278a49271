// The spine: open a delivery's tars, see the tree, click a product, see its first plane.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, testPackage, dropFiles, canvasColours, screenshot, OUT } from './harness.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

test('picking the product and auxiliary tars shows the package tree', async () => {
  const { page } = b;
  await page.getByTestId('dropzone').waitFor();
  const tars = testPackage();
  await page.setInputFiles('#file', tars);
  const tree = page.getByTestId('package-tree');
  await tree.locator('[role="treeitem"]').first().waitFor();
  for (const folder of ['product', 'calibration', 'qa', 'log', 'script']) {
    assert.ok(await tree.locator(`[role="treeitem"][data-path$="/${folder}"]`).count() > 0, `folder ${folder} listed`);
  }
  const members = await tree.locator('[role="treeitem"]').evaluateAll((items) => items.filter((i) => /\/member\.uid___[^/]+$/.test(i.dataset.path)).length);
  assert.ok(members >= 2, 'both member OUS folders listed');
  assert.ok(await tree.getByText(/\.pbcor\.fits$/).count() > 0, 'pbcor products listed');
  const index = await page.evaluate(() => performance.getEntriesByName('almapkg:index').length);
  assert.equal(index, 1, 'almapkg:index measured once');
});

test('the tree filter keeps the files that match and the folders that lead to them', async () => {
  const { page } = b;
  const tree = page.getByTestId('package-tree');
  const shown = (kind) => tree.locator(`[role="treeitem"].${kind}`).evaluateAll((items) => items.filter((i) => i.offsetParent).map((i) => i.dataset.path));
  await page.fill('#filter', 'WEBLOG');
  await tree.locator('[role="treeitem"].file').first().waitFor();
  const files = await shown('file');
  assert.ok(files.length >= 2, 'a weblog per member');
  assert.ok(files.every((p) => /weblog/i.test(p)), `only matching files: ${files}`);
  const folders = await shown('dir');
  assert.ok(folders.every((d) => files.some((f) => f.startsWith(`${d}/`))), 'only folders leading to a match');
  await page.fill('#filter', '');
  await tree.getByText(/\.pbcor\.fits$/).first().waitFor();
  assert.ok((await shown('file')).length > files.length, 'every file back once the filter is cleared');
});

test('a product name too long for the tree keeps its source and its image type in sight', async () => {
  const { page } = b;
  const row = page.getByTestId('package-tree').locator('[role="treeitem"].file > .row', { hasText: '.pbcor.fits' }).first();
  const { head, tail, clipped, tailInside } = await row.evaluate((r) => {
    const h = r.querySelector('.head');
    const t = r.querySelector('.tail');
    const box = r.getBoundingClientRect();
    return { head: h.textContent, tail: t.textContent, clipped: h.scrollWidth > h.clientWidth, tailInside: t.getBoundingClientRect().right <= box.right };
  });
  assert.equal(tail, '.pbcor.fits');
  assert.match(head, /^…\..+_(sci|bp|ph|amp|check|flux|pol)\.spw\d/, 'the head starts at the source, after the member name');
  assert.ok(tailInside, 'the image type is drawn inside the row');
  assert.ok(clipped, 'the name is long enough here to lose its middle');
});

test('the package panel is widened by dragging its edge or by the keyboard, and stays so', async () => {
  const { page } = b;
  const panel = page.locator('nav.side');
  const handle = page.getByTestId('splitter');
  const head = page.getByTestId('package-tree').locator('[role="treeitem"].file > .row .head').first();
  const clipped = () => head.evaluate((h) => h.scrollWidth > h.clientWidth);
  const before = (await panel.boundingBox()).width;
  const box = await handle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 300, box.y + 200, { steps: 5 });
  await page.mouse.up();
  const wide = (await panel.boundingBox()).width;
  assert.ok(wide > before + 250, `dragged wider: ${before} -> ${wide}`);
  assert.equal(await clipped(), false, 'a product name fits whole in the wider panel');
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  assert.ok(Math.abs((await panel.boundingBox()).width - (wide - 24)) <= 1, 'ArrowLeft narrows it by a step');
  assert.equal(Number(await handle.getAttribute('aria-valuenow')), Math.round(wide - 24), 'the separator reports its width');
  await page.reload();
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('package-tree').locator('[role="treeitem"]').first().waitFor();
  assert.ok(Math.abs((await panel.boundingBox()).width - (wide - 24)) <= 1, 'the width is kept across a reload');
  await page.evaluate(() => localStorage.removeItem('almapkg.side-width'));
  await page.reload();
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('package-tree').locator('[role="treeitem"]').first().waitFor();
});

test('clicking a product renders its first plane on the canvas', async () => {
  const { page } = b;
  const product = page.getByTestId('package-tree').getByText(/_sci\.spw\d+(_\d+)*\.cont\.I\.tt0\.pbcor\.fits$/).first();
  await product.click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length > 0);
  assert.ok(await canvasColours(page) > 20, 'the canvas shows a non-uniform image');
  const readout = page.getByTestId('pixel-readout');
  const box = await page.getByTestId('image-canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await readout.getByText('Dec', { exact: true }).waitFor();
  assert.match(await readout.textContent(), /\d{2}h\d{2}m\d{2}\.\d+s/, 'RA in sexagesimal');
  assert.match(await readout.textContent(), /Jy\/beam/, 'value with BUNIT');
  const file = await screenshot(page, 'spine-image');
  assert.ok(fs.statSync(file).size > 10000);
});

test('a file that is not a tar gives a clear message, and the page stays usable', async () => {
  const { page } = b;
  const junk = path.join(OUT, 'not-a-package.tar');
  fs.writeFileSync(junk, Buffer.from('%PDF-1.7\n' + 'x'.repeat(2000)));
  await dropFiles(page, [junk]);
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.match(await error.textContent(), /not-a-package\.tar.*not a tar/i);
  assert.match(await error.textContent(), /PDF/);
  assert.ok(await page.getByTestId('package-tree').locator('[role="treeitem"]').count() > 0, 'the open package is still listed');
  await screenshot(page, 'spine-error');
});

test('the built-in sample opens from a fresh page', async () => {
  const { page } = b;
  await page.reload();
  await page.getByTestId('try-sample').click();
  await page.getByTestId('package-tree').locator('[role="treeitem"]').first().waitFor();
  assert.match(await page.getByTestId('summary').textContent(), /\d{4}\.\d\.\d{5}\.\w/);
});

test('re-opening a package seen before lists it from the kept index', async () => {
  const { page } = b;
  await page.reload();
  await page.setInputFiles('#file', testPackage());
  // The URL still names the image shown before the reload: it is shown again.
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length === 1);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('recalled').waitFor();
  assert.match(await page.getByTestId('recalled').textContent(), /4 of 4 files listed from the index kept/);
  assert.match(await page.getByTestId('recalled').textContent(), /no file name classified again/, 'the package model was kept too');
  assert.ok(await page.getByTestId('package-tree').getByText(/\.pbcor\.fits$/).count() > 0);
});

test('a folder of an already extracted package opens the same way', async () => {
  const { page } = b;
  const dir = fs.mkdtempSync(path.join(OUT, 'extracted-'));
  for (const tar of testPackage()) execFileSync('tar', ['-xf', tar, '-C', dir]);
  await page.reload();
  await page.setInputFiles('#folder', dir);
  await page.getByTestId('product-table').first().waitFor();
  assert.equal(await page.getByTestId('member').count(), 2, 'both member OUSs recognised from the folder paths');
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'mfs' }).first().click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length >= 1);
  assert.ok(await canvasColours(page) > 20);
  fs.rmSync(dir, { recursive: true, force: true });
});
