// The sorted listing against a plain tree built entry by entry (the way a reader would
// unpack the tars into one folder), on random paths full of the awkward cases: names that
// sort between a folder and its contents ("a-b", "a.txt" around "a/"), the same path in
// two files, folder headers, empty folders, doubled and leading slashes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Listing, normalPath } from '../../www/listing.js';

/** The reference: folders as nested Maps, later entries replacing earlier ones. */
function plainTree(entries) {
  const root = { dir: true, children: new Map() };
  const files = new Set(entries.filter((e) => e.type !== 'dir').map((e) => normalPath(e.path)));
  for (const entry of entries) {
    if (entry.type === 'dir' && files.has(normalPath(entry.path))) continue; // a file is shown there
    const parts = normalPath(entry.path).split('/').filter(Boolean);
    if (!parts.length) continue;
    let node = root;
    for (const [i, name] of parts.entries()) {
      const last = i === parts.length - 1;
      const isDir = !last || entry.type === 'dir';
      let child = node.children.get(`${isDir ? 'd' : 'f'}:${name}`);
      if (!child) {
        child = isDir ? { dir: true, children: new Map() } : { dir: false };
        node.children.set(`${isDir ? 'd' : 'f'}:${name}`, child);
      }
      if (!isDir) child.entry = entry;
      node = child;
    }
  }
  return root;
}

const sizeOf = (node) => (node.dir ? [...node.children.values()].reduce((s, c) => s + sizeOf(c), 0) : node.entry.size);

/** Compares every folder of the reference with the listing's view of it, recursively. */
function compare(listing, node, path) {
  const got = listing.children(path);
  const want = [...node.children.entries()].map(([k, c]) => ({ name: k.slice(2), dir: c.dir, size: sizeOf(c), entry: c.entry }));
  const norm = (list) => list.map((c) => `${c.dir ? 'd' : 'f'}:${c.name}:${c.size}`).sort();
  assert.deepEqual(norm(got), norm(want), `children of "${path}"`);
  for (const child of got) {
    const ref = node.children.get(`${child.dir ? 'd' : 'f'}:${child.name}`);
    if (child.dir) compare(listing, ref, child.path);
    else {
      assert.equal(child.entry, ref.entry, `entry at ${child.path}`);
      assert.equal(listing.get(child.path), ref.entry, `get(${child.path})`);
    }
  }
}

function randomEntries(seed, count) {
  let state = seed;
  const next = (n) => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return (state >>> 8) % n; };
  const names = ['a', 'b', 'a-b', 'a.txt', 'a0', 'ab', 'é', 'x y'];
  const entries = [];
  for (let i = 0; i < count; i++) {
    const depth = 1 + next(4);
    let path = Array.from({ length: depth }, () => names[next(names.length)]).join('/');
    if (next(20) === 0) path = `/${path}`;
    if (next(20) === 0) path = path.replace('/', '//');
    const type = next(6) === 0 ? 'dir' : 'file';
    if (type === 'dir' && next(2) === 0) path += '/';
    entries.push({ path, type, size: type === 'dir' ? 0 : 1 + next(1000), container: 1 + next(3) });
  }
  return entries;
}

test('the listing shows the same folders, files and sizes as a plain tree', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const entries = randomEntries(seed, 5 + seed * 10);
    const listing = new Listing(entries);
    const reference = plainTree(entries);
    compare(listing, reference, '');
    assert.equal(listing.size(0, listing.length), sizeOf(reference), `total size, seed ${seed}`);
  }
});

test('a path held by two files: the later one is shown, each found by its file', () => {
  const first = { path: 'p/README', type: 'file', size: 10, container: 1 };
  const second = { path: 'p/README', type: 'file', size: 20, container: 2 };
  const listing = new Listing([first, { path: 'p/a-b', type: 'file', size: 1, container: 1 }, second]);
  assert.equal(listing.get('p/README'), second);
  assert.equal(listing.get('p/README', 1), first);
  assert.equal(listing.get('p/README', 3), null);
  assert.equal(listing.get('p/nothing'), null);
  assert.deepEqual(listing.children('p').map((c) => [c.name, c.size]), [['README', 20], ['a-b', 1]]);
  assert.deepEqual(listing.children('').map((c) => [c.name, c.dir, c.size]), [['p', true, 21]]);
});

test('children stop at the limit asked, so a crowded folder is judged without listing it', () => {
  const entries = Array.from({ length: 5000 }, (_, i) => ({ path: `m/product/f${String(i).padStart(4, '0')}.fits`, type: 'file', size: 1, container: 1 }));
  const listing = new Listing(entries);
  assert.equal(listing.children('m/product', 201).length, 201);
  assert.equal(listing.children('m/product').length, 5000);
  assert.deepEqual(listing.children('m'), [{ name: 'product', path: 'm/product', dir: true, size: 5000 }]);
});

test('filtering: a folder contains a match when any file below it does', () => {
  const listing = new Listing([
    { path: 'm/product/x.cube.fits', type: 'file', size: 1, container: 1 },
    { path: 'm/qa/weblog.tgz', type: 'file', size: 1, container: 1 },
    { path: 'm/cube-notes', type: 'dir', size: 0, container: 1 },
  ]);
  assert.equal(listing.contains('m', 'cube'), true);
  assert.equal(listing.contains('m/product', 'cube'), true);
  assert.equal(listing.contains('m/qa', 'cube'), false);
  assert.equal(listing.contains('m/cube-notes', 'cube'), false, 'a folder name alone is no match');
  assert.equal(listing.contains('m/qa', 'weblog'), true);
});
