// Offline and private: served under a sub-path as on GitHub Pages, the app works after its
// first load with the network gone, and a whole session asks for nothing but its own files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, testPackage, canvasColours, screenshot, ROOT } from './harness.mjs';

const PREFIX = '/almapkg/';
let b;
before(async () => { b = await launch({ prefix: PREFIX }); });
after(async () => { await b.close(); });

async function openProduct(page) {
  await page.getByTestId('package-tree').getByText(/_sci\.spw[\d_]+\.cont\.I\.tt0\.pbcor\.fits$/).first().click();
  await page.waitForFunction(() => performance.getEntriesByName('almapkg:render').length > 0);
  assert.ok(await canvasColours(page) > 20, 'image drawn');
}

async function openWeblog(page) {
  await page.getByRole('tab', { name: 'Weblog' }).click();
  await page.getByTestId('weblog-button').first().click();
  const frame = page.frameLocator('[data-testid="weblog-frame"]');
  await frame.locator('body').waitFor();
  assert.ok((await frame.locator('body').textContent()).length > 100, 'weblog page has content');
}

test('a whole session requests only the app\'s own files, by GET, from its own origin', async () => {
  const { page, requests, url } = b;
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.setInputFiles('#file', testPackage());
  await page.getByTestId('package-tree').locator('[role="treeitem"]').first().waitFor();
  await openProduct(page);
  await page.getByRole('tab', { name: 'Image' }).click();
  const png = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  assert.match((await png).suggestedFilename(), /\.png$/);
  const saved = page.waitForEvent('download');
  await page.getByTestId('save-file').click();
  assert.match((await saved).suggestedFilename(), /\.fits$/);
  await openWeblog(page);
  const origin = new URL(url).origin;
  const foreign = requests.filter((r) => !r.url.startsWith(`${origin}${PREFIX}`) && !/^(blob|data):/.test(r.url));
  assert.deepEqual(foreign, [], 'no request left the app\'s folder on its own origin');
  assert.deepEqual(requests.filter((r) => r.method !== 'GET'), [], 'only GET requests');
  const served = b.server.requests.map((r) => r.url);
  assert.ok(!served.some((u) => u.includes('/weblog/')), 'the weblog never reached the server');
});

test('after the first load the app works offline: page, sample, image, weblog', async () => {
  const { page, context } = b;
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('try-sample').click();
  await page.getByTestId('package-tree').locator('[role="treeitem"]').first().waitFor();
  await openProduct(page);
  await openWeblog(page);
  await screenshot(page, 'offline-weblog');
  await context.setOffline(false);
});

test('the app is installable (Chromium\'s own installability check)', async () => {
  const { page, context } = b;
  await context.setOffline(false);
  await page.reload();
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
});

test('a new deployment is offered for reload and replaces the old cache', async () => {
  const { page } = b;
  const swFile = path.join(ROOT, 'dist/sw.js');
  const original = fs.readFileSync(swFile, 'utf8');
  const oldVersion = /const VERSION = '([0-9a-f]+)'/.exec(original)[1];
  try {
    fs.writeFileSync(swFile, original.replace(`'${oldVersion}'`, "'0000deploy02'"));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update').waitFor();
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update').getByRole('button').click()]);
    const keys = await page.evaluate(() => caches.keys());
    assert.ok(keys.includes('almapkg-shell-0000deploy02'), 'new shell cache');
    assert.ok(!keys.includes(`almapkg-shell-${oldVersion}`), 'old shell cache removed');
  } finally {
    fs.writeFileSync(swFile, original);
  }
});
