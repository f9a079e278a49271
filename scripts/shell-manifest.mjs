// Lists the app shell (every file of the built site but the sample tars, which are cached on
// first use) and stamps the service worker with a content hash, so that a new deployment is
// a new service worker and a new cache, and old caches can be dropped.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const root = path.resolve(process.argv[2] || 'dist');
const files = [];
(function walk(dir) {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) walk(full);
    else files.push(path.relative(root, full).split(path.sep).join('/'));
  }
})(root);

const shell = files.filter((f) => f !== 'sw.js' && f !== 'shell.json');
const hash = crypto.createHash('sha256');
for (const f of shell) hash.update(f).update(fs.readFileSync(path.join(root, f)));
const version = hash.digest('hex').slice(0, 12);

fs.writeFileSync(path.join(root, 'shell.json'), JSON.stringify({ version, files: ['./', ...shell.map((f) => `./${f}`)] }, null, 1));
const sw = path.join(root, 'sw.js');
fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replaceAll('__SHELL_VERSION__', version));
console.log(`shell: ${shell.length} files, version ${version}`);
