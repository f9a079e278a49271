// The service worker: keeps the app shell available offline (precached under a versioned
// cache; old versions removed on activation), and serves the extracted pipeline weblog
// under ./weblog/<id>/ from Cache Storage, where the worker put it. Built into dist/sw.js
// with the version stamped.
const VERSION = '__SHELL_VERSION__';
const SHELL = `almapkg-shell-${VERSION}`;
const WEBLOG_CACHE = 'almapkg-weblog';
const WEBLOG_PATH = new URL('./weblog/', self.registration.scope).pathname;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const list = await (await fetch('./shell.json', { cache: 'no-cache' })).json();
    const cache = await caches.open(SHELL);
    await cache.addAll(list.files.map((f) => new Request(f, { cache: 'no-cache' })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('almapkg-shell-') && key !== SHELL) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

const TYPES = {
  html: 'text/html; charset=utf-8', htm: 'text/html; charset=utf-8', css: 'text/css', js: 'text/javascript',
  json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
  svg: 'image/svg+xml', txt: 'text/plain; charset=utf-8', log: 'text/plain; charset=utf-8', py: 'text/plain; charset=utf-8',
  xml: 'text/xml', pdf: 'application/pdf', woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject', csv: 'text/plain; charset=utf-8',
};

/** The policy every weblog response carries: scripts and styles of its own, data only from its own folder. */
function policy(base) {
  return [`default-src ${base}`, `script-src ${base} 'unsafe-inline' 'unsafe-eval'`, `style-src ${base} 'unsafe-inline'`,
    `img-src ${base} data: blob:`, `font-src ${base} data:`, `connect-src ${base}`, `frame-src ${base}`,
    "object-src 'none'", "form-action 'none'", `base-uri ${base}`].join('; ');
}

/** Weblogs seen by this service worker: base URL → { at, files, packs } (index and pack
 * Blobs, which are handles on the stored bytes, not copies). Rebuilt from Cache Storage on
 * demand after the service worker was stopped, and checked again on every page load of the
 * weblog frame (`fresh`), so a weblog extracted anew is never served from an old index. */
const weblogs = new Map();

async function weblogAt(cache, base, fresh) {
  if (!weblogs.has(base) || fresh) {
    const index = await cache.match(`${base}.almapkg-index.json`);
    if (!index) {
      weblogs.delete(base);
      return null;
    }
    const { info, files } = await index.json();
    if (weblogs.get(base)?.at !== info.at) weblogs.set(base, { at: info.at, files, packs: new Map() });
  }
  return weblogs.get(base);
}

async function packBlob(cache, base, weblog, n) {
  if (!weblog.packs.has(n)) {
    const hit = await cache.match(`${base}.almapkg-pack-${n}`);
    if (!hit) return null;
    weblog.packs.set(n, await hit.blob());
  }
  return weblog.packs.get(n);
}

/** A weblog file, exactly as the pipeline's own local server would give it (query ignored). */
async function weblogResponse(url, fresh) {
  url.search = '';
  url.hash = '';
  if (url.pathname.endsWith('/')) url.pathname += 'index.html';
  const rest = url.pathname.slice(WEBLOG_PATH.length);
  const id = rest.split('/')[0];
  const base = new URL(`${WEBLOG_PATH}${id}/`, url).href;
  const path = decodeURIComponent(rest.slice(id.length + 1));
  const cache = await caches.open(WEBLOG_CACHE);
  const weblog = await weblogAt(cache, base, fresh);
  const [n, offset, length] = (weblog && weblog.files[path]) || [];
  const pack = n === undefined ? null : await packBlob(cache, base, weblog, n);
  if (!pack) {
    return new Response(`${path} is not in this weblog.`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const ext = (/\.([a-z0-9]+)$/i.exec(path) || [])[1];
  const type = TYPES[(ext || '').toLowerCase()] || 'application/octet-stream';
  return new Response(pack.slice(offset, offset + length), {
    headers: { 'content-type': type, 'content-security-policy': policy(base), 'x-content-type-options': 'nosniff' },
  });
}

/** The weblog storage was emptied (package closed): forget what this worker remembers. */
self.addEventListener('message', (event) => {
  if (event.data === 'weblogs-forgotten') weblogs.clear();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(WEBLOG_PATH)) {
    event.respondWith(weblogResponse(url, event.request.mode === 'navigate'));
    return;
  }
  event.respondWith((async () => {
    const cached = await caches.match(event.request, { ignoreSearch: true, cacheName: SHELL });
    return cached || fetch(event.request);
  })());
});
