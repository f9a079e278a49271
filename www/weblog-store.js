// The weblog in browser storage: the worker inflates the nested .tgz in batches and puts each
// file in Cache Storage under ./weblog/<id>/<path>, where the service worker serves it with
// a Content-Security-Policy that allows nothing outside that folder. Cache Storage survives
// the service worker being stopped; it is emptied when the package is closed, and only the
// most recent few weblogs are kept.

const WEBLOG_CACHE = 'almapkg-weblog';
const KEEP = 3;
const BATCH = 8 << 20;
const DONE = '.almapkg-weblog.json';

const TYPES = {
  html: 'text/html; charset=utf-8', htm: 'text/html; charset=utf-8', css: 'text/css', js: 'text/javascript',
  json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
  svg: 'image/svg+xml', txt: 'text/plain; charset=utf-8', log: 'text/plain; charset=utf-8', py: 'text/plain; charset=utf-8',
  xml: 'text/xml', pdf: 'application/pdf', woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject', csv: 'text/plain; charset=utf-8',
};

/** The app's root URL: this module lives in www/. */
const appRoot = () => new URL('../', import.meta.url);

export function weblogBase(id) {
  return new URL(`weblog/${id}/`, appRoot()).href;
}

/** The URL a browser would request for a member path (percent-encoded as the URL parser does). */
export function entryUrl(base, path) {
  return new URL(path.replace(/%/g, '%25').replace(/\?/g, '%3F').replace(/#/g, '%23'), base).href;
}

/** The policy every weblog response carries: scripts and styles of its own, data only from its own folder. */
function policy(base) {
  return [`default-src ${base}`, `script-src ${base} 'unsafe-inline' 'unsafe-eval'`, `style-src ${base} 'unsafe-inline'`,
    `img-src ${base} data: blob:`, `font-src ${base} data:`, `connect-src ${base}`, `frame-src ${base}`,
    "object-src 'none'", "form-action 'none'", `base-uri ${base}`].join('; ');
}

function response(path, data, base) {
  const ext = (/\.([a-z0-9]+)$/i.exec(path) || [])[1];
  const type = TYPES[(ext || '').toLowerCase()] || 'application/octet-stream';
  return new Response(data, { headers: { 'content-type': type, 'content-security-policy': policy(base), 'x-content-type-options': 'nosniff' } });
}

/** The page a user lands on: html/index.html (a symlink to t1-1.html) or t1-1.html. */
function landingPage(paths) {
  const pick = (re) => paths.filter((p) => re.test(p)).sort()[0];
  return pick(/(^|\/)html\/index\.html$/) || pick(/(^|\/)html\/t1-1\.html$/) || pick(/(^|\/)index\.html$/) || pick(/\.html$/);
}

/** Inflates the weblog entry `ref` into storage (once; later calls reuse it). */
export async function extractWeblog(session, { ref, id, limits }, progress, resetCancel) {
  resetCancel();
  const base = weblogBase(id);
  const cache = await caches.open(WEBLOG_CACHE);
  const done = await cache.match(base + DONE);
  if (done) return done.json();
  session.tgz_open(ref.container, ref.offset, ref.size, limits);
  const paths = [];
  const links = [];
  for (;;) {
    const batch = session.tgz_next(BATCH);
    await Promise.all(batch.items.filter((i) => i.data).map((i) => {
      paths.push(i.path);
      return cache.put(entryUrl(base, i.path), response(i.path, i.data, base));
    }));
    links.push(...batch.items.filter((i) => i.target !== undefined));
    if (!progress('Extracting the weblog', batch.read, batch.total)) {
      await forget(cache, base);
      throw new Error('Weblog extraction cancelled.');
    }
    if (batch.done) break;
  }
  for (const link of links) {
    const target = await cache.match(entryUrl(base, link.target));
    if (target) {
      await cache.put(entryUrl(base, link.path), response(link.path, await target.arrayBuffer(), base));
      paths.push(link.path);
    }
  }
  const landing = landingPage(paths);
  if (!landing) throw new Error('This weblog archive holds no HTML page.');
  const info = { id, base, landing, url: entryUrl(base, landing), files: paths.length, links: links.length, at: Date.now() };
  await cache.put(base + DONE, new Response(JSON.stringify(info), { headers: { 'content-type': 'application/json' } }));
  await evictOld(cache);
  return info;
}

async function forget(cache, base) {
  for (const req of await cache.keys()) if (req.url.startsWith(base)) await cache.delete(req);
}

/** Keeps the storage bounded: only the KEEP most recently extracted weblogs stay. */
async function evictOld(cache) {
  const markers = (await cache.keys()).filter((r) => r.url.endsWith(DONE));
  if (markers.length <= KEEP) return;
  const infos = await Promise.all(markers.map(async (r) => (await cache.match(r)).json()));
  infos.sort((a, b) => b.at - a.at);
  for (const old of infos.slice(KEEP)) await forget(cache, old.base);
}

export async function forgetWeblogs() {
  await caches.delete(WEBLOG_CACHE);
  return true;
}
