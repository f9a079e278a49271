// Knowing the package: the product table per member, token explanations, the text files
// read in the page, and saving one file out of a tar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, testPackage, screenshot, makeTar, holdReplies, CORPUS, OUT } from './harness.mjs';

let b;
before(async () => {
  b = await launch();
  await b.page.setInputFiles('#file', testPackage());
  await b.page.getByTestId('product-table').first().waitFor();
});
after(async () => { await b.close(); });

/** Waits until the element `testId` shows text matching `re`. */
const shown = (page, testId, re) => page.getByTestId(testId).filter({ hasText: re }).waitFor();

test('the overview groups products per member, source, intent and spw', async () => {
  const { page } = b;
  assert.equal(await page.getByTestId('member').count(), 2, 'two member OUSs');
  const table = page.getByTestId('product-table').first();
  const text = await table.textContent();
  for (const word of ['HD_163296', '_G012.80_', 'J1924-2914', 'cube', 'mfs', 'cont', 'pbcor']) assert.ok(text.includes(word), `${word} in the table`);
  const companions = await table.locator('.chip').allTextContents();
  for (const role of ['pb', 'mask', 'tt1', 'alpha', 'alpha.error']) assert.ok(companions.includes(role), `companion ${role}`);
  const tip = await table.locator('.token', { hasText: /^pbcor$/ }).first().getAttribute('title');
  assert.match(tip, /primary-beam corrected/);
  assert.match(await page.getByTestId('member').first().textContent(), /Cycle 7/);
  await screenshot(page, 'overview');
});

test('clicking a product row opens it in the image viewer', async () => {
  const { page } = b;
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'cube' }).first().click();
  await page.getByTestId('channel').waitFor();
  await page.getByRole('tab', { name: 'Overview' }).click();
});

test('the README and casa_commands.log are readable in the page', async () => {
  const { page } = b;
  await page.getByTestId('open-readme').first().click();
  await page.getByTestId('text-view').waitFor();
  assert.match(await page.getByTestId('text-view').textContent(), /ALMA/);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-casa-commands').first().click();
  await page.getByTestId('casa-stages').waitFor();
  assert.match(await page.getByTestId('casa-stages').textContent(), /tclean\(/);
  await screenshot(page, 'casa-commands');
});

/** For each element matching `selector`: its text, how many lines high it is, and the most
 * lines any of its words (text nodes without spaces: parts between break opportunities)
 * is laid out on. */
const partLines = (page, selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => {
  const words = [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && !/\s/.test(n.data));
  const rows = words.map((t) => {
    const r = document.createRange();
    r.selectNodeContents(t);
    return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
  });
  return { text: e.textContent, rows: Math.max(0, ...rows), lines: Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)) };
}), selector);

test('long file and tar names in the inspector wrap between their parts, not inside words', async () => {
  const lines = await partLines(b.page, '#inspector dd');
  const tar = lines.find((l) => /_auxiliary\.tar$/.test(l.text));
  assert.ok(tar && tar.lines > 1, `the tar's name takes more than a line here: ${JSON.stringify(lines)}`);
  for (const l of lines) assert.ok(l.rows <= 1, `a part of "${l.text}" is split over lines`);
});

test('any file can be saved out of the tar, byte for byte', async () => {
  const { page } = b;
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-readme').first().click();
  const download = page.waitForEvent('download');
  await page.getByTestId('save-file').click();
  const file = await (await download).path();
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /README|ALMA/);
  assert.equal(text.length, Number(await page.getByTestId('inspector-bytes').textContent()), 'saved size equals the entry size');
});

test('a text file being read says so, and a late reply for a file clicked before is dropped', async () => {
  const page = await b.context.newPage();
  await holdReplies(page, 'text');
  await page.goto(b.url);
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('open-readme').first().click();
  const loading = page.getByTestId('text-loading');
  await loading.filter({ hasText: /README.*Reading…/s }).waitFor();
  await screenshot(page, 'text-loading');
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-casa-commands').first().click();
  await loading.filter({ hasText: /casa_commands\.log.*Reading…/s }).waitFor();
  await page.waitForFunction(() => window.held.some((h) => /casa_commands/.test(h.name)));
  await page.evaluate(() => window.release('casa_commands'));
  await page.getByTestId('casa-stages').waitFor();
  await page.evaluate(() => window.release('README'));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  assert.equal(await page.getByTestId('casa-stages').count(), 1, 'the README read earlier does not replace it');
  await page.close();
});

test('cont.dat, found inside auxproducts.tgz, is shown as a table', async () => {
  const { page } = b;
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-contdat').first().click();
  const table = page.getByTestId('cont-dat-table');
  await table.waitFor();
  assert.match(await table.textContent(), /\d+\.\d+–\d+\.\d+ GHz LSRK/);
  assert.ok(await table.locator('tbody tr').count() >= 4, 'a row per spw');
  await screenshot(page, 'cont-dat');
});

test('a cont.dat still being read when the package is closed is dropped quietly', async () => {
  const page = await b.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await holdReplies(page, 'parse');
  await page.goto(b.url);
  await page.setInputFiles('#file', testPackage());
  await page.waitForFunction(() => window.held.some((h) => h.name === 'cont_dat')); // from auxproducts.tgz
  await page.getByTestId('close').click();
  await page.getByTestId('dropzone').waitFor();
  await page.evaluate(() => window.release('cont_dat'));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  assert.equal(await page.getByTestId('error').isVisible(), false, await page.getByTestId('error').textContent());
  assert.deepEqual(errors, []);
  await page.close();
});

test("a cube's spectrum shades the continuum channels of its member's cont.dat", async () => {
  const { page } = b;
  await page.getByTestId('open-contdat').first().waitFor({ state: 'attached' }); // read from auxproducts.tgz
  await page.getByRole('tab', { name: 'Overview' }).click();
  const renders = await page.evaluate(() => performance.getEntriesByName('almapkg:render').length);
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'cube' }).first().click();
  await page.waitForFunction((n) => performance.getEntriesByName('almapkg:render').length > n, renders);
  await page.getByTestId('image-canvas').click(); // the middle of the image
  const spectrum = page.getByTestId('spectrum');
  await page.waitForFunction(() => /— \d+ channels/.test(document.querySelector('[data-testid="spectrum"]').textContent));
  const shaded = Number(await spectrum.getAttribute('data-continuum-channels'));
  assert.ok(shaded > 0, `continuum channels shaded (${await spectrum.textContent()})`);
  assert.match(await spectrum.textContent(), /continuum channels \(cont\.dat\) shaded/);
  await screenshot(page, 'spectrum-continuum');
  await page.getByRole('tab', { name: 'Overview' }).click();
});

test('casa_commands.log is folded by pipeline stage', async () => {
  const { page } = b;
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-casa-commands').first().click();
  const stages = page.getByTestId('casa-stages').locator('details');
  await stages.first().waitFor();
  assert.ok(await stages.count() > 5, 'several stages');
  assert.match(await page.getByTestId('casa-stages').textContent(), /hif_makeimages|hifa_importdata/);
});

test('a nested archive opens as a listing and its text files are readable', async () => {
  const { page } = b;
  await page.getByTestId('package-tree').locator('[role="treeitem"][data-path$="/calibration"]').first().click();
  await page.getByTestId('package-tree').locator('[role="treeitem"][data-path$="auxproducts.tgz"]').first().click();
  const listing = page.getByTestId('nested-listing');
  await listing.waitFor();
  assert.match(await listing.textContent(), /flux\.csv/);
  await listing.getByRole('button', { name: /flux\.csv/ }).click();
  await shown(page, 'text-view', /ms,field,spw/);
});

test('a pbcor product links to its gzipped pb companion, which renders too', async () => {
  const { page } = b;
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'cube' }).first().click();
  await page.getByTestId('channel').waitFor();
  const renders = await page.evaluate(() => performance.getEntriesByName('almapkg:render').length);
  await page.locator('.image-toolbar .companions .chip', { hasText: /^pb$/ }).click();
  await page.waitForFunction((n) => performance.getEntriesByName('almapkg:render').length > n, renders);
  assert.match(await page.locator('.image-toolbar .title').textContent(), /\.cube\.I\.pb\.fits\.gz$/);
  await screenshot(page, 'pb-companion');
  assert.match(await page.locator('#inspector').textContent(), /max\s*(1|0\.99\d*)(?![\d.])/, 'a primary beam peaks at 1');
  await screenshot(page, 'pb-companion');
});

test('of two images opened in turn, the last one stays shown, whichever opens first', async () => {
  const page = await b.context.newPage();
  await holdReplies(page, 'image');
  await page.goto(b.url);
  await page.setInputFiles('#file', testPackage());
  const products = page.getByTestId('product-table').first().locator('tr.product');
  await products.filter({ hasText: 'cube' }).first().click();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await products.filter({ hasText: 'mfs' }).first().click();
  await page.waitForFunction(() => window.held.length === 2);
  await page.evaluate(() => window.release('mfs'));
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length === 1);
  await page.evaluate(() => window.release('cube'));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  assert.match(await page.locator('.image-toolbar .title').textContent(), /\.mfs\./, 'the cube asked for first does not replace it');
  assert.equal(await page.getByTestId('channel').count(), 0, 'an mfs image has no channel slider');
  await page.close();
});

test('an image shows the tclean call that made it, from casa_commands.log', async () => {
  const { page } = b;
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'cube' }).first().click();
  const tclean = page.getByTestId('tclean');
  await tclean.getByText(/tclean\(/).waitFor();
  assert.match(await tclean.textContent(), /imagename='[^']*sci\.spw25\.cube\.I\.iter\d/);
  assert.match(await tclean.textContent(), /casa_commands\.log, line \d+/);
  // Long names and lists without spaces wrap inside the panel instead of running out of it.
  const overflow = await page.evaluate(() => [...document.querySelectorAll('[data-testid="tclean"] p, .tclean-call')]
    .map((e) => e.scrollWidth - e.clientWidth));
  assert.ok(overflow.length === 2 && overflow.every((px) => px <= 1), `wider than the panel by ${overflow} px`);
  const [log] = await partLines(page, '[data-testid="tclean"] p');
  assert.ok(log.lines > 1 && log.rows === 1, `the log's name wraps between its parts: ${JSON.stringify(log)}`);
});

test("an image's tclean call found after another file was picked is not shown with that file", async () => {
  const page = await b.context.newPage();
  await holdReplies(page, 'tclean');
  await page.goto(b.url);
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('product-table').first().locator('tr.product', { hasText: 'cube' }).first().click();
  await page.waitForFunction(() => window.held.length === 1);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-readme').first().click();
  await page.getByTestId('text-view').waitFor();
  await page.evaluate(() => window.release('cube'));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  assert.equal(await page.getByTestId('tclean').textContent(), '', 'the README shows no tclean call');
  await page.close();
});

test('real delivery text files from the corpus, packed into a package, are named and readable', async (t) => {
  const text = path.join(CORPUS, 'text');
  if (!fs.existsSync(text)) return t.skip('corpus not present');
  const member = '2017.1.01355.L/science_goal.uid___A001_X1296_X1e1/group.uid___A001_X1296_X1e2/member.uid___A001_X1296_X1e3';
  const read = (p) => fs.readFileSync(path.join(CORPUS, p));
  const tar = path.join(OUT, 'corpus-text_auxiliary.tar');
  fs.writeFileSync(tar, makeTar([
    { name: `${member}/member.uid___A001_X1296_X1e3.README.txt`, data: read('text/README/member.uid___A001_X3788_Xb407.README.txt.excerpt') },
    { name: `${member}/calibration/uid___A001_X1296_X1e3.cont.dat`, data: read('text/cont.dat/ALMA-IMF/W51-E.B6.cont.dat') },
    { name: `${member}/calibration/uid___A002_Xca0142_X2006.flagtemplate.txt`, data: read('text/calibration/ALMA-IMF/uid___A002_Xca0142_X2006.flagtemplate.txt') },
    { name: `${member}/log/uid___A001_X1296_X1e3.casa_commands.log`, data: read('text/casa_commands.log/2017.1.00685.S/casa_commands.log.head-excerpt') },
    { name: `${member}/script/casa_pipescript.py`, data: read('weblog/2017.1.00685.S-qa_partial/casa_pipescript.py') },
  ]));
  const { page } = b;
  await page.goto(b.url);
  await page.setInputFiles('#file', tar);
  await page.getByTestId('member').waitFor();
  assert.match(await page.getByTestId('member').textContent(), /uid___A001_X1296_X1e3.*Cycle 5/s);
  await page.getByTestId('open-contdat').click();
  await shown(page, 'cont-dat-table', /W51-E/);
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-casa-commands').click();
  await page.getByTestId('casa-stages').locator('details').first().waitFor();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByTestId('open-readme').click();
  await shown(page, 'text-view', /ALMA Member ObsUnitSet README/i);
  await page.getByTestId('package-tree').locator('[role="treeitem"][data-path$="/script"]').click();
  await page.getByTestId('package-tree').getByText('casa_pipescript.py').click();
  await page.getByTestId('text-view').locator('.hl-call').first().waitFor(); // highlighted
  const kinds = await page.getByTestId('package-tree').locator('[role="treeitem"]').count();
  assert.ok(kinds >= 9);
});

test('a long list of files outside any member is listed whole and in order (drawn in batches)', async () => {
  const { page } = b;
  const names = Array.from({ length: 600 }, (_, i) => `notes/file-${String(i).padStart(3, '0')}.txt`);
  const file = path.join(OUT, 'many-loose-files.tar');
  fs.writeFileSync(file, makeTar(names.map((name) => ({ name, data: Buffer.from(name) }))));
  await page.reload();
  await page.setInputFiles('#file', file);
  await page.getByRole('tab', { name: 'Overview' }).click();
  const items = page.locator('ul.loose li button');
  await page.waitForFunction(() => document.querySelectorAll('ul.loose li').length === 600);
  assert.deepEqual(await items.allTextContents(), names);
});
