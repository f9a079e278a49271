// Re-opening a package seen before: listed from what the page kept (each tar's compact index,
// the package model in a head and its products), with every product row, and the fallbacks
// when part of it is missing or damaged in storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, screenshot, ROOT, OUT } from './harness.mjs';

const PRODUCTS = 300; // more than the model's head holds (64 per member)
let b;
let tar;

before(async () => {
  const dir = path.join(OUT, 'package-300');
  fs.rmSync(dir, { recursive: true, force: true });
  const out = execFileSync(path.join(ROOT, 'target/release/make-package'), [dir, '--size', 'large', '--gb', '1', '--entries', String(PRODUCTS)], { encoding: 'utf8' });
  tar = out.trim().split(/\s+/).pop();
  b = await launch();
});
after(async () => { await b.close(); });

/** Reloads the page, opens the tar, waits for every product row; returns the note on what
 * was kept (null when there is none). */
async function openAgain(page) {
  await page.goto(b.url);
  await page.setInputFiles('#file', tar);
  await page.waitForFunction((n) => document.querySelectorAll('tr.product').length === n, PRODUCTS);
  const note = page.getByTestId('recalled');
  return (await note.count()) ? note.textContent() : null;
}

/** Waits until a record whose key starts with each of `prefixes` has been kept (the page
 * keeps them in a task of its own, after the package is shown). */
function waitKept(page, prefixes) {
  return page.waitForFunction((ps) => {
    const keys = performance.getEntriesByName('almapkg:kept').flatMap((m) => m.detail);
    return ps.every((p) => keys.some((k) => k.startsWith(p)));
  }, prefixes);
}

/** Damages the kept records whose key starts with `prefix` (in the page): `empty` makes
 * their value null, `truncate` cuts an index's paths short. */
function damageKept(page, prefix, how) {
  return page.evaluate(([p, h]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('almapkg');
    open.onsuccess = () => {
      const tx = open.result.transaction('tar-index', 'readwrite');
      tx.objectStore('tar-index').openCursor().onsuccess = (e) => {
        const cursor = e.target.result;
        if (!cursor) return;
        if (cursor.key.startsWith(p)) {
          const { value } = cursor.value;
          cursor.update({ ...cursor.value, value: h === 'empty' ? null : { ...value, paths: value.paths.subarray(0, 100) } });
        }
        cursor.continue();
      };
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onabort = () => reject(tx.error);
    };
  }), [prefix, how]);
}

test('a package seen before is listed from what was kept, every product row included', async () => {
  const { page } = b;
  assert.equal(await openAgain(page), null, 'first visit: read from the headers');
  await waitKept(page, [path.basename(tar), 'model-head|', 'model-products|']);
  assert.match(await openAgain(page), /1 of 1 files listed from the index kept .* no file name classified again/);
  const last = page.locator('tr.product').nth(PRODUCTS - 1);
  assert.match(await last.getAttribute('title'), /\.fits$/, 'a row beyond the head of the model');
  await screenshot(page, 'reopen-300');
});

test('product lists missing from storage are classified again', async () => {
  const { page } = b;
  await damageKept(page, 'model-products|', 'empty');
  assert.match(await openAgain(page), /no file name classified again/);
});

test('a kept index damaged in storage is dropped and the tar read again', async () => {
  const { page } = b;
  await damageKept(page, path.basename(tar), 'truncate');
  assert.equal(await openAgain(page), null, 'read from the headers, not from the damaged index');
  assert.equal(await page.getByTestId('error').isVisible(), false, 'no error shown');
  await waitKept(page, [path.basename(tar)]);
  assert.match(await openAgain(page), /1 of 1 files listed from the index kept/, 'kept again');
});
