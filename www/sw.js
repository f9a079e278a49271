// The service worker: keeps the app shell available offline (precached under a versioned
// cache; old versions removed on activation). Built into dist/sw.js with the version stamped.
const VERSION = '__SHELL_VERSION__';
const SHELL = `almapkg-shell-${VERSION}`;

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

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cached = await caches.match(event.request, { ignoreSearch: true, cacheName: SHELL });
    return cached || fetch(event.request);
  })());
});
