// A minimal static server for dist/ on 127.0.0.1, used by `npm start`, the tests and the bench.
// It can mount the site under a sub-path (as GitHub Pages does) and logs every request so
// tests can prove that the page asks for nothing but its own files.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.tar': 'application/x-tar', '.txt': 'text/plain; charset=utf-8', '.fits': 'application/fits',
};

/** Serves `root` at `prefix` (e.g. '/' or '/almapkg/'). Resolves to { url, server, requests }. */
export function startServer(root, { port = 0, prefix = '/' } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url });
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) return send(res, 404, 'not found');
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(path.resolve(root))) return send(res, 403, 'forbidden');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(res, 404, 'not found');
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}${prefix}`;
      resolve({ url, server, requests });
    });
  });
}

function send(res, code, text) {
  res.writeHead(code, { 'content-type': 'text/plain' });
  res.end(text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] || 'dist');
  const port = Number(process.env.PORT || 8080);
  const { url } = await startServer(root, { port });
  console.log(`almapkg is being served at ${url}  (Ctrl+C to stop)`);
}
