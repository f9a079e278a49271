// The pipeline weblog in the page: inflated from the nested .tgz into browser storage, served
// by the service worker, fully working (XHR sub-pages, images, history, localStorage), and
// hostile archives refused with a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, testPackage, screenshot, makeTar, packageWithWeblog, CORPUS, OUT } from './harness.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); });

const frame = () => b.page.frameLocator('[data-testid="weblog-frame"]');

async function openFirstWeblog(page, { frame = true } = {}) {
  await page.getByRole('tab', { name: 'Weblog' }).click();
  await page.getByTestId('weblog-button').first().click();
  if (frame) await page.getByTestId('weblog-frame').waitFor();
}

test('the weblog opens in a frame, loads sub-pages by XHR and shows its plots', async () => {
  const { page, server } = b;
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('product-table').first().waitFor();
  await openFirstWeblog(page);
  await frame().locator('#qa_notes').getByText('QA2 PASS').waitFor();
  const logo = frame().locator('nav img').first();
  await logo.waitFor();
  assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo PNG decodes');
  await frame().getByRole('link', { name: 'By Task' }).click();
  await frame().locator('a.stage-link[data-stage="17"]').click();
  const plot = frame().locator('#stage-details img').first();
  await plot.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="weblog-frame"]').contentDocument.querySelector('#stage-details img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const url = await page.getByTestId('weblog-frame').evaluate((f) => f.contentWindow.location.href);
  assert.match(url, /\/weblog\/[0-9a-f]+\/pipeline-\d{8}T\d{6}\/html\/t1-4\.html\?stage=17$/, 'history.pushState works');
  await screenshot(page, 'weblog');
  assert.ok(!server.requests.some((r) => r.url.includes('/weblog/')), 'weblog files never came from the server');
});

test('weblog filters persist in localStorage across a reload of the frame', async () => {
  const { page } = b;
  await frame().locator('#only-warnings').check();
  await page.getByTestId('weblog-frame').evaluate((f) => f.contentWindow.location.reload());
  await frame().locator('#only-warnings').waitFor();
  assert.ok(await frame().locator('#only-warnings').isChecked());
});

test('weblog scripts cannot reach another origin (Content-Security-Policy)', async () => {
  const { page } = b;
  const blocked = await page.getByTestId('weblog-frame').evaluate((f) => f.contentWindow.fetch('http://127.0.0.2:9/x').then(() => false, () => true));
  assert.ok(blocked, 'a cross-origin fetch from the weblog fails');
  const csp = await page.getByTestId('weblog-frame').evaluate((f) => f.contentWindow.fetch(f.contentWindow.location.href).then((r) => r.headers.get('content-security-policy')));
  assert.match(csp, /connect-src http:\/\/127\.0\.0\.1:\d+\/weblog\//);
});

test('the real pipeline pages of the corpus, packed as a weblog, open', async (t) => {
  const dir = path.join(CORPUS, 'weblog/2017.1.00685.S-qa_partial');
  if (!fs.existsSync(dir)) return t.skip('corpus not present');
  const { page } = b;
  await page.reload();
  await page.setInputFiles('#file', packageWithWeblog(dir, 'package-corpus-weblog'));
  await openFirstWeblog(page);
  await frame().getByText(/Pipeline-CASA54/).first().waitFor();
  await screenshot(page, 'weblog-corpus');
});

function outerTar(name, tgz) {
  const member = '2019.1.00123.S/science_goal.uid___A001_X1_X1/group.uid___A001_X1_X2/member.uid___A001_X1_X3/qa';
  const file = path.join(OUT, name);
  fs.writeFileSync(file, makeTar([{ name: `${member}/member.uid___A001_X1_X3.hifa_calimage.weblog.tgz`, data: tgz }]));
  return file;
}

test('a decompression bomb and a name escaping the weblog are refused with a message', async () => {
  const { page } = b;
  await page.reload();
  const bomb = zlib.gzipSync(makeTar([{ name: 'pipeline-1/html/index.html', data: Buffer.alloc(64 << 20) }]), { level: 9 });
  await page.setInputFiles('#file', [outerTar('bomb_auxiliary.tar', bomb)]);
  await openFirstWeblog(page, { frame: false });
  await page.getByTestId('error').getByText(/decompression bomb/).waitFor();

  await page.reload();
  const escape = zlib.gzipSync(makeTar([{ name: 'pipeline-1/html/../../../evil.html', data: Buffer.from('<p>x</p>') }]));
  await page.setInputFiles('#file', [outerTar('escape_auxiliary.tar', escape)]);
  await openFirstWeblog(page, { frame: false });
  await page.getByTestId('error').getByText(/leaves the archive folder/).waitFor();
});

test('closing the package empties the weblog storage', async () => {
  const { page } = b;
  await page.reload();
  await page.setInputFiles('#file', testPackage());
  await openFirstWeblog(page);
  assert.ok((await page.evaluate(() => caches.keys())).includes('almapkg-weblog'));
  await page.getByTestId('close').click();
  await page.getByTestId('dropzone').waitFor();
  assert.ok(!(await page.evaluate(() => caches.keys())).includes('almapkg-weblog'), 'weblog cache removed');
});

test('the compressed weblog is read ahead while it inflates, not by waiting reads', async () => {
  const { page } = b;
  await page.evaluate(() => caches.delete('almapkg-weblog'));
  await page.reload();
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('product-table').first().waitFor();
  // The page reads each member's auxproducts.tgz in the background (for its cont.dat):
  // counted from after that.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="open-contdat"]').length === document.querySelectorAll('[data-testid="member"]').length);
  const worker = page.workers().find((w) => /worker\.js/.test(w.url()));
  // Count the worker's synchronous reads (which stop the inflater) and its async slices.
  await worker.evaluate(() => {
    self.syncReads = 0;
    self.asyncReads = 0;
    const sync = FileReaderSync.prototype.readAsArrayBuffer;
    FileReaderSync.prototype.readAsArrayBuffer = function (...args) { self.syncReads++; return sync.apply(this, args); };
    const read = Blob.prototype.arrayBuffer;
    Blob.prototype.arrayBuffer = function (...args) { self.asyncReads++; return read.apply(this, args); };
  });
  await openFirstWeblog(page);
  await frame().locator('#qa_notes').getByText('QA2 PASS').waitFor();
  const { syncReads, asyncReads } = await worker.evaluate(() => ({ syncReads: self.syncReads, asyncReads: self.asyncReads }));
  assert.equal(syncReads, 0, 'no synchronous read while inflating');
  assert.ok(asyncReads > 0, 'the compressed bytes came from reads ahead');
});
