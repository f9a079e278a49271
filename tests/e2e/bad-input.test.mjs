// The bad-input matrix in the page: every case of the generator's list (make-package
// --bad-inputs, the same list the core and CLI tests check) and the broken files of the
// corpus, opened together with the good test package. Each must give a specific message
// (its expected fragments, no "undefined", no stack trace), no console error, and leave the
// good package usable: its tree is there and one of its images still renders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, testPackage, makeTar, canvasColours, CORPUS, OUT, ROOT } from './harness.mjs';

const MEMBER = '2019.1.00123.S/science_goal.uid___A001_X1_X1/group.uid___A001_X1_X2/member.uid___A001_X1_X3';
const GOOD_IMAGE = 'J1924-2914_bp.spw25.mfs.I.pbcor.fits';

/** Writes the matrix once per process; returns its cases with absolute file paths. */
function badInputs() {
  const dir = path.join(OUT, 'bad-inputs');
  fs.rmSync(dir, { recursive: true, force: true });
  execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'make-package', '--', '--bad-inputs', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
  return cases.map((c) => ({ ...c, path: c.source === 'corpus' ? path.join(CORPUS, c.file) : path.join(dir, c.file) }));
}

/** A tar holding `bytes` at `entry`: how an image or a weblog reaches the page. */
function wrap(name, entry, bytes) {
  const file = path.join(OUT, 'bad-inputs', name);
  fs.writeFileSync(file, makeTar([{ name: entry, data: bytes }]));
  return file;
}

let b;
let cases;
let good;
const problems = []; // console errors and page errors, cleared after each case
before(async () => {
  cases = badInputs();
  good = testPackage();
  b = await launch();
  b.page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  b.page.on('pageerror', (e) => problems.push(e.message));
  await b.page.evaluate(() => navigator.serviceWorker.ready);
});
after(async () => { await b.close(); });

/** Closes what is open, then opens the good package with `files`; waits for its tree. */
async function openWithGood(files) {
  const { page } = b;
  if (await page.getByTestId('close').isVisible()) {
    await page.getByTestId('close').click();
    await page.getByTestId('dropzone').waitFor();
  }
  await page.setInputFiles('#file', [...good, ...files]);
  await page.getByTestId('product-table').first().waitFor();
}

/** The error strip's text once it holds every fragment; fails with what it does say. */
async function message(label, fragments) {
  const { page } = b;
  const has = (f) => {
    const el = document.querySelector('[data-testid="error"]');
    const text = el && !el.hidden ? el.textContent : '';
    return f.every((x) => text.includes(x));
  };
  try {
    await page.waitForFunction(has, fragments, { timeout: 15000 });
  } catch {
    assert.fail(`${label}: expected ${JSON.stringify(fragments)}, the page says ${JSON.stringify(await page.getByTestId('error').textContent())}`);
  }
  const text = await page.locator('[data-testid="error"] .msg').textContent();
  assert.doesNotMatch(text, /undefined|\bat \S+:\d+|RuntimeError|panicked/, `${label}: ${text}`);
  return text;
}

/** Dismisses the message, so that the next one is seen to appear. */
async function dismiss() {
  await b.page.getByTestId('error').getByRole('button', { name: 'Dismiss' }).click();
}

async function clickEntry(entryPath) {
  await b.page.locator(`[data-testid="package-tree"] [role="treeitem"][data-path="${entryPath}"] > .row`).click();
}

/** The good package still works: its image renders, and nothing went to the console. */
async function stillUsable(label) {
  const { page } = b;
  await page.evaluate(() => performance.clearMeasures('almapkg:render'));
  await page.locator(`[data-testid="package-tree"] [role="treeitem"][data-path$="${GOOD_IMAGE}"] > .row`).first().click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length >= 1, null, { timeout: 15000 });
  assert.ok(await canvasColours(page) > 20, `${label}: the good image renders`);
  assert.deepEqual(problems.splice(0), [], `${label}: console errors`);
}

/** Shows one case the way a user meets it; resolves once its message has been checked. */
const SHOW = {
  async tar(c) {
    await openWithGood([c.path]);
    await message(c.name, [path.basename(c.path), ...c.expect]);
  },
  async fits(c) {
    const bytes = fs.readFileSync(c.path);
    const name = path.basename(c.path);
    await openWithGood([wrap(`in-tar-${name}.tar`, `bad/${name}`, bytes), c.path]);
    await clickEntry(`bad/${name}`);
    await message(`${c.name} (in a tar)`, [name, ...c.expect]);
    await dismiss();
    await clickEntry(name);
    await message(`${c.name} (loose)`, [name, ...c.expect]);
  },
  async fits_gz(c) { await SHOW.fits(c); },
  async tgz(c) {
    const entry = `${MEMBER}/qa/${path.basename(c.path)}`;
    await openWithGood([wrap(`weblog-${path.basename(c.path)}.tar`, entry, fs.readFileSync(c.path))]);
    await b.page.getByRole('tab', { name: 'Weblog' }).click();
    await b.page.locator(`[data-testid="weblog-button"][title="${entry}"]`).click();
    await message(c.name, [path.basename(c.path), ...c.expect]);
  },
};

test('every generated bad input gives its message and leaves the good package usable', async () => {
  const generated = cases.filter((c) => c.source === 'generated');
  assert.ok(generated.length > 50, 'the whole matrix');
  for (const c of generated) {
    await SHOW[c.layer](c);
    await stillUsable(c.name);
  }
});

test('the broken and non-FITS files of the corpus give their message', async (t) => {
  const corpus = cases.filter((c) => c.source === 'corpus');
  if (!fs.existsSync(CORPUS)) return t.skip('corpus not present');
  for (const c of corpus) {
    await SHOW[c.layer](c);
    await stillUsable(c.name);
  }
});

test('a header of 99 990 cards shows its first cards and says how to reach the rest', async () => {
  const c = cases.find((x) => x.name.startsWith('99 990 cards'));
  await openWithGood([c.path]);
  await clickEntry(path.basename(c.path));
  await message(c.name, c.expect);
  assert.match(await b.page.getByTestId('header-more').textContent(), /98993 more cards of 99993: search to find one/);
  await b.page.getByTestId('header-view').getByRole('searchbox').fill('comment 99989');
  assert.equal(await b.page.getByTestId('header-view').locator('tbody tr').count(), 1);
  await stillUsable(c.name);
});

test('links that lead nowhere say so; a file with no viewer says so', async () => {
  const tar = path.join(OUT, 'bad-inputs', 'links.tar');
  fs.writeFileSync(tar, makeTar([
    { name: 'links/a.txt', data: Buffer.from('hello') },
    { name: 'links/hard.txt', type: '1', link: 'links/missing.txt' },
    { name: 'links/loop1.fits', type: '2', link: 'loop2.fits' },
    { name: 'links/loop2.fits', type: '2', link: 'loop1.fits' },
    { name: 'links/good.txt', type: '2', link: 'a.txt' },
    { name: 'links/data.bin', data: Buffer.alloc(100) },
  ]));
  await openWithGood([tar]);
  await clickEntry('links/hard.txt');
  await message('hard link', ['links/hard.txt is a link to links/missing.txt', 'does not lead to a file']);
  await clickEntry('links/loop1.fits');
  await message('symlink loop', ['links/loop1.fits is a link to loop2.fits', 'a loop of links']);
  await dismiss();
  await clickEntry('links/good.txt');
  await b.page.getByTestId('text-view').getByText('hello').waitFor();
  await clickEntry('links/data.bin');
  assert.match(await b.page.getByTestId('no-viewer').textContent(), /no viewer .* use Save/);
  await stillUsable('links');
});
