// Indexes of tars seen before, kept in IndexedDB (the entries as JSON text): re-opening the
// same file (same name, size and modification time) lists it without reading a single
// header. Bounded to the most recent packages; a damaged tar's partial index is never kept.

const DB = 'almapkg';
const STORE = 'tar-index';
const KEEP = 40;

function db() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function request(req) {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
}

export const indexKey = (file, name) => `${name}|${file.size}|${file.lastModified}`;

/** The remembered entries of this file, or undefined. Storage problems are not errors here. */
export async function recall(key) {
  let conn;
  try {
    conn = await db();
    const found = await request(conn.transaction(STORE).objectStore(STORE).get(key));
    return found ? found.entries : undefined;
  } catch {
    return undefined;
  } finally {
    conn?.close(); // open connections would block deleting the database (Clear site data)
  }
}

export async function remember(key, entries) {
  let conn;
  try {
    conn = await db();
    const store = conn.transaction(STORE, 'readwrite').objectStore(STORE);
    await request(store.put({ entries, at: Date.now() }, key));
    const keys = await request(store.getAllKeys());
    if (keys.length > KEEP) {
      const all = await request(store.getAll());
      const order = keys.map((k, i) => [k, all[i].at]).sort((a, b) => a[1] - b[1]);
      for (const [k] of order.slice(0, keys.length - KEEP)) store.delete(k);
    }
  } catch {
    // Quota or private mode: the index is simply rebuilt next time.
  } finally {
    conn?.close(); // closes once the transaction has finished
  }
}
