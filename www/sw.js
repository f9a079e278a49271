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

/** A weblog file, exactly as the pipeline's own local server would give it (query ignored). */
async function weblogResponse(url) {
  url.search = '';
  url.hash = '';
  if (url.pathname.endsWith('/')) url.pathname += 'index.html';
  const cache = await caches.open(WEBLOG_CACHE);
  const hit = await cache.match(url.href);
  return hit || new Response(`${decodeURIComponent(url.pathname.slice(WEBLOG_PATH.length))} is not in this weblog.`,
    { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(WEBLOG_PATH)) {
    event.respondWith(weblogResponse(url));
    return;
  }
  event.respondWith((async () => {
    const cached = await caches.match(event.request, { ignoreSearch: true, cacheName: SHELL });
    return cached || fetch(event.request);
  })());
});
