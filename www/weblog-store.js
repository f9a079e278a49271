// The weblog in browser storage. The worker inflates the nested .tgz in batches; each batch
// of files is stored as one "pack" (the files' bytes end to end) in Cache Storage, and an
// index maps every path to its pack, offset and length. The service worker serves
// ./weblog/<id>/<path> as a slice of its pack, with a Content-Security-Policy that allows
// nothing outside that folder (sw.js). One storage write per 16 MiB instead of one per
// file: a weblog holds thousands of small files, and each Cache Storage write costs
// ~2-3 ms whatever its size. Cache Storage survives the service worker being stopped; it is
// emptied when the package is closed, and only the most recent few weblogs are kept.

const WEBLOG_CACHE = 'almapkg-weblog';
const KEEP = 3;
const BATCH = 16 << 20;
const WINDOW = 4 << 20; // the core's read window for nested archives (src/web/nested.rs)
const AHEAD = 4; // compressed windows read ahead of the inflater
/** Per weblog: `<base>.almapkg-index.json` (written last: its presence means complete) and
 * `<base>.almapkg-pack-<n>`. The names cannot clash with weblog paths (they start with '.'
 * at the weblog root, where the pipeline writes no dot-files). */
const INDEX = '.almapkg-index.json';
const PACK = '.almapkg-pack-';

/** The app's root URL: this module lives in www/. */
const appRoot = () => new URL('../', import.meta.url);

export function weblogBase(id) {
  return new URL(`weblog/${id}/`, appRoot()).href;
}

/** The URL a browser would request for a member path (percent-encoded as the URL parser does). */
export function entryUrl(base, path) {
  return new URL(path.replace(/%/g, '%25').replace(/\?/g, '%3F').replace(/#/g, '%23'), base).href;
}

/** The page a user lands on: html/index.html (a symlink to t1-1.html) or t1-1.html. */
function landingPage(paths) {
  const pick = (re) => paths.filter((p) => re.test(p)).sort()[0];
  return pick(/(^|\/)html\/index\.html$/) || pick(/(^|\/)html\/t1-1\.html$/) || pick(/(^|\/)index\.html$/) || pick(/\.html$/);
}

/** Reads the compressed entry ahead of the inflater, in the core's windows: the browser
 * reads the next windows while a batch inflates, instead of the core waiting for each
 * synchronous read. */
class ReadAhead {
  constructor(file, ref) {
    this.file = file;
    this.start = ref.offset;
    this.size = ref.size;
    this.next = 0;
    this.queue = []; // {at, bytes, landed}, in entry order
  }

  /** Keeps AHEAD windows requested past byte `read` of the entry. */
  fill(read) {
    while (this.next < this.size && this.next < read + AHEAD * WINDOW) {
      const at = this.next;
      const end = Math.min(this.size, at + WINDOW);
      const slot = { at, bytes: null, failed: false };
      // A failed read is simply not handed in: the core reads that window itself.
      slot.landed = this.file.slice(this.start + at, this.start + end).arrayBuffer()
        .then((b) => { slot.bytes = new Uint8Array(b); }, () => { slot.failed = true; });
      this.queue.push(slot);
      this.next = end;
    }
  }

  /** Hands the core every window that has landed, waiting for the first if none has. */
  async feed(session) {
    if (this.queue.length) await this.queue[0].landed;
    while (this.queue.length && (this.queue[0].bytes || this.queue[0].failed)) {
      const { at, bytes } = this.queue.shift();
      if (bytes) session.tgz_feed(at, bytes);
    }
  }
}

/** Inflates the weblog entry `ref` of `file` into storage (once; later calls reuse it). */
export async function extractWeblog(session, file, { ref, id, limits }, progress, resetCancel) {
  resetCancel();
  const base = weblogBase(id);
  const cache = await caches.open(WEBLOG_CACHE);
  const done = await cache.match(base + INDEX);
  if (done) return (await done.json()).info;
  session.tgz_open(ref.container, ref.offset, ref.size, limits);
  const ahead = new ReadAhead(file, ref);
  const files = {}; // path → [pack, offset, length]
  const links = [];
  const writes = [];
  for (let pack = 0, read = 0; ; pack++) {
    ahead.fill(read);
    await ahead.feed(session);
    const batch = session.tgz_next(BATCH);
    read = batch.read;
    for (const item of batch.items) {
      if (item.target !== undefined) links.push(item);
      if (item.length !== undefined) files[item.path] = [pack, item.offset, item.length];
    }
    // The pack is a view of wasm memory: the Blob copies it now, before the next call. (A
    // Blob body also costs the worker half the time of a typed-array body in cache.put.)
    // The next batch inflates while this pack is written.
    if (batch.pack.length) writes.push(cache.put(base + PACK + pack, new Response(new Blob([batch.pack]))));
    if (!progress('Extracting the weblog', batch.read, batch.total)) {
      await Promise.allSettled(writes);
      await forget(cache, base);
      throw new Error('Weblog extraction cancelled.');
    }
    if (batch.done) break;
    if (writes.length > 4) await writes.shift();
  }
  await Promise.all(writes);
  // Links (html/index.html → t1-1.html...) share their target's bytes.
  for (const link of links) if (files[link.target]) files[link.path] = files[link.target];
  const paths = Object.keys(files);
  const landing = landingPage(paths);
  if (!landing) {
    await forget(cache, base);
    throw new Error('This weblog archive holds no HTML page.');
  }
  const info = { id, base, landing, url: entryUrl(base, landing), files: paths.length, links: links.length, at: Date.now() };
  await cache.put(base + INDEX, new Response(JSON.stringify({ info, files }), { headers: { 'content-type': 'application/json' } }));
  await evictOld(cache);
  return info;
}

async function forget(cache, base) {
  for (const req of await cache.keys()) if (req.url.startsWith(base)) await cache.delete(req);
}

/** Keeps the storage bounded: only the KEEP most recently extracted weblogs stay. */
async function evictOld(cache) {
  const markers = (await cache.keys()).filter((r) => r.url.endsWith(INDEX));
  if (markers.length <= KEEP) return;
  const infos = await Promise.all(markers.map(async (r) => (await (await cache.match(r)).json()).info));
  infos.sort((a, b) => b.at - a.at);
  for (const old of infos.slice(KEEP)) await forget(cache, old.base);
}

export async function forgetWeblogs() {
  await caches.delete(WEBLOG_CACHE);
  return true;
}
