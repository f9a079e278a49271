// What the page keeps of packages seen before, in IndexedDB: the index of each tar in its
// compact form (src/tar_index/compact.rs: re-opening the same file — same name, size and
// modification time — reads no header) and the package model of a set of files opened
// together, as JSON text in two parts, head and products (re-opening them classifies
// nothing). The page reads them itself and hands them to the worker: it can show a package
// seen before without waiting for the worker. A model is kept per app version, since
// classification changes with the app. Bounded to the most recent records; a damaged tar's
// partial index is never kept.

const DB = 'almapkg';
const STORE = 'tar-index';
const KEEP = 80;

let connection = null; // one connection, kept: opening one costs several ms per look-up

/** The database connection, opened once. It is closed (and opened again when next needed)
 * as soon as anything wants to delete or upgrade the database, e.g. "Clear site data". */
function db() {
  connection ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      // v2 adds an index by time written, so pruning never loads the (large) texts.
      const store = req.result.objectStoreNames.contains(STORE)
        ? req.transaction.objectStore(STORE) : req.result.createObjectStore(STORE);
      if (!store.indexNames.contains('at')) store.createIndex('at', 'at');
    };
    req.onsuccess = () => {
      const conn = req.result;
      conn.onversionchange = () => { conn.close(); connection = null; };
      conn.onclose = () => { connection = null; };
      resolve(conn);
    };
    req.onerror = () => { connection = null; reject(req.error); };
  });
  return connection;
}

/** The keys kept, read once ahead of the first look-up: a file never seen before is then
 * known to be new without a round trip to the database (2–5 ms) before its headers are read.
 * Another tab may keep or drop records meanwhile; that costs at most one index rebuilt. */
let keysKept = null;

/** Opens the database and reads its keys ahead of the first look-up. */
export function prepare() {
  keysKept = db().then((conn) => request(conn.transaction(STORE).objectStore(STORE).getAllKeys()))
    .then((keys) => new Set(keys), () => null);
}

function request(req) {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
}

/** The app's version (the hash of every shell file), which names the package models kept. */
export const appVersion = fetch(new URL('../shell.json', import.meta.url), { cache: 'no-cache' })
  .then((r) => r.json()).then((shell) => shell.version, () => null);

export const indexKey = (file, name) => `${name}|${file.size}|${file.lastModified}`;

/** The key of a part ('head' or 'products') of the package model of the files with these
 * index keys, opened in this order. */
export const modelKey = (part, keys, version) => `model-${part}|${version}|${keys.join('\n')}`;

/** The values kept under `keys` (undefined where nothing is kept, or for a null key), read
 * in one transaction. Storage problems are not errors here. */
export async function recall(keys) {
  try {
    const known = await keysKept;
    const wanted = (key) => key !== null && (!known || known.has(key));
    if (!keys.some(wanted)) return keys.map(() => undefined);
    const store = (await db()).transaction(STORE).objectStore(STORE);
    const found = await Promise.all(keys.map((key) => (wanted(key) ? request(store.get(key)) : undefined)));
    return found.map((record) => record?.value);
  } catch {
    return keys.map(() => undefined);
  }
}

/** Keeps each [key, value] of `records` (a value: text, or an object of typed arrays), in
 * one transaction committed at once: the page may be left right after (a reload), and a
 * transaction that waits for its callbacks on a busy page is lost then. The oldest records
 * beyond KEEP are dropped after. */
export async function remember(records) {
  try {
    const known = await keysKept;
    const tx = (await db()).transaction(STORE, 'readwrite');
    for (const [key, value] of records) {
      tx.objectStore(STORE).put({ value, at: Date.now() }, key);
      known?.add(key);
    }
    tx.commit?.();
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onabort = () => reject(tx.error); });
    performance.mark('almapkg:kept', { detail: records.map(([key]) => key) });
    const store = (await db()).transaction(STORE, 'readwrite').objectStore(STORE);
    const extra = (await request(store.count())) - KEEP;
    if (extra > 0) {
      const oldest = await request(store.index('at').getAllKeys(null, extra));
      for (const k of oldest) {
        store.delete(k);
        known?.delete(k);
      }
    }
  } catch {
    // Quota or private mode: the index is simply rebuilt next time.
  }
}

/** Drops the records under `keys` (a kept index found damaged). */
export async function forget(keys) {
  try {
    const known = await keysKept;
    const store = (await db()).transaction(STORE, 'readwrite').objectStore(STORE);
    for (const key of keys) {
      store.delete(key);
      known?.delete(key);
    }
  } catch {
    // Storage unavailable: nothing was kept either.
  }
}
