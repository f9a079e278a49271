// The sorted listing against a plain tree built entry by entry (the way a reader would
// unpack the tars into one folder), on random paths full of the awkward cases: names that
// sort between a folder and its contents ("a-b", "a.txt" around "a/"), the same path in
// two files, folder headers, empty folders, doubled and leading slashes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Listing, normalPath } from '../../www/listing.js';

const KINDS = ['file', 'dir', 'symlink', 'hardlink', 'other'];

/** The compact index of one file's entries, as src/tar_index/compact.rs makes it: sorted
 * (stably) by path without empty parts, the paths joined as UTF-8 with a NUL after each. */
function indexOf(entries) {
  const rows = entries.map((e) => ({ ...e, key: normalPath(e.path) })).filter((e) => e.key);
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    paths: new TextEncoder().encode(rows.map((e) => `${e.key}\0`).join('')),
    kinds: Uint8Array.from(rows, (e) => KINDS.indexOf(e.type)),
    sizes: Float64Array.from(rows, (e) => e.size),
    offsets: Float64Array.from(rows, (e) => e.offset ?? 0),
    links: rows.flatMap((e, i) => (e.link ? [[i, e.link]] : [])),
  };
}

/** A Listing of `entries` ({ path, type, size, container }), one file per container id in
 * order of first appearance. Returns it with the entries in that order (files opened one
 * after the other), which is the order a reader unpacking them would see. */
function listingOf(entries) {
  const ids = [...new Set(entries.map((e) => e.container))];
  const ordered = ids.flatMap((id) => entries.filter((e) => e.container === id));
  const containers = ids.map((id) => ({ id, name: `file${id}.tar`, size: 1, columns: indexOf(entries.filter((e) => e.container === id)) }));
  return { listing: new Listing(containers), ordered };
}

/** Whether the listing's entry `got` shows the entry `want` it was made from. */
function same(got, want) {
  return !!got && !!want && got.path === normalPath(want.path) && got.type === want.type && got.size === want.size && got.container === want.container;
}

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
      assert.ok(same(child.entry, ref.entry), `entry at ${child.path}`);
      assert.ok(same(listing.get(child.path), ref.entry), `get(${child.path})`);
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
    const { listing, ordered } = listingOf(randomEntries(seed, 5 + seed * 10));
    const reference = plainTree(ordered);
    compare(listing, reference, '');
    assert.equal(listing.size(0, listing.length), sizeOf(reference), `total size, seed ${seed}`);
  }
});

test('a path held by two files: the later one is shown, each found by its file', () => {
  const first = { path: 'p/README', type: 'file', size: 10, container: 1 };
  const second = { path: 'p/README', type: 'file', size: 20, container: 2 };
  const { listing } = listingOf([first, { path: 'p/a-b', type: 'file', size: 1, container: 1 }, second]);
  assert.ok(same(listing.get('p/README'), second));
  assert.ok(same(listing.get('p/README', 1), first));
  assert.equal(listing.get('p/README'), listing.get('p/README'), 'an entry is made once');
  assert.equal(listing.get('p/README', 3), null);
  assert.equal(listing.get('p/nothing'), null);
  assert.deepEqual(listing.children('p').map((c) => [c.name, c.size]), [['README', 20], ['a-b', 1]]);
  assert.deepEqual(listing.children('').map((c) => [c.name, c.dir, c.size]), [['p', true, 21]]);
});

test('children stop at the limit asked, so a crowded folder is judged without listing it', () => {
  const entries = Array.from({ length: 5000 }, (_, i) => ({ path: `m/product/f${String(i).padStart(4, '0')}.fits`, type: 'file', size: 1, container: 1 }));
  const { listing } = listingOf(entries);
  assert.equal(listing.children('m/product', 201).length, 201);
  assert.equal(listing.children('m/product').length, 5000);
  assert.deepEqual(listing.children('m'), [{ name: 'product', path: 'm/product', dir: true, size: 5000 }]);
});

test('filtering: a folder contains a match when any file below it does', () => {
  const { listing } = listingOf([
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

test('paths are read as UTF-8, whatever characters they hold', () => {
  const { listing } = listingOf([{ path: 'données/é𝔸.fits', type: 'file', size: 3, container: 1 }, { path: 'données/ü', type: 'file', size: 4, container: 1 }]);
  assert.deepEqual(listing.children('données').map((c) => [c.name, c.size]), [['é𝔸.fits', 3], ['ü', 4]]);
});

test('an index whose paths are not as many as its entries is refused with a message', () => {
  const columns = indexOf([{ path: 'a/b', type: 'file', size: 1 }]);
  columns.paths = new TextEncoder().encode('a/b\0a/c\0');
  assert.throws(() => new Listing([{ id: 1, name: 'x.tar', size: 1, columns }]), /x\.tar: its index lists 2 paths for 1 entries/);
});

test('links, offsets and the files shown whose path passes a test', () => {
  const { listing } = listingOf([
    { path: 'm/qa/a.weblog.tgz', type: 'file', size: 5, offset: 1024, container: 1 },
    { path: 'm/qa/latest.weblog.tgz', type: 'symlink', size: 0, link: 'a.weblog.tgz', container: 1 },
    { path: 'm/qa/a.weblog.tgz', type: 'file', size: 6, offset: 512, container: 2 },
  ]);
  const weblogs = listing.files((p) => p.endsWith('.weblog.tgz'));
  assert.deepEqual(weblogs.map((e) => [e.path, e.size, e.offset, e.containerName, e.link]), [
    ['m/qa/a.weblog.tgz', 6, 512, 'file2.tar', undefined],
    ['m/qa/latest.weblog.tgz', 0, 0, 'file1.tar', 'a.weblog.tgz'],
  ]);
});
