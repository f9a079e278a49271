// Shared set-up for the browser end-to-end tests: serve dist/ on 127.0.0.1, drive the Debian
// chromium through playwright-core, log every request, and generate test packages with the
// project's own generator. Not a test file itself (tests are *.test.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = path.join(ROOT, 'test-output');
export const CORPUS = path.resolve(ROOT, '../shared/corpus');
fs.mkdirSync(OUT, { recursive: true });

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Chromium resolves Google hosts in the background despite the flags above: map every
  // host but ours to nothing so that no byte can leave, and so the request log is complete.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];

/** Starts the server and a browser; returns { page, context, server, requests, close }. */
export async function launch({ prefix = '/', offline = false } = {}) {
  const server = await startServer(path.join(ROOT, 'dist'), { prefix });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'almapkg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 }, offline,
  });
  const requests = [];
  context.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  await context.route((u) => u.hostname !== '127.0.0.1' && !['data:', 'blob:'].includes(u.protocol), (r) => r.abort('blockedbyclient'));
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(server.url);
  return {
    page, context, server, requests, consoleErrors, url: server.url,
    async close() {
      await context.close();
      server.server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

let generated = null;
/** Generates the small test package once per test process; returns the tar paths. */
export function testPackage() {
  if (generated) return generated;
  const dir = path.join(OUT, 'package-small');
  fs.rmSync(dir, { recursive: true, force: true });
  execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'make-package', '--', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  generated = fs.readdirSync(dir).filter((f) => f.endsWith('.tar')).sort().map((f) => path.join(dir, f));
  return generated;
}

/** Drops files on the page the way a user does: a DataTransfer and drag events. */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
  const dt = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { name, b64 } of items) dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('body', type, { dataTransfer: dt });
}

/** Makes `page` (from its next load) hold the worker's replies to `op` calls until the test
 * lets them through: `window.release(re)` delivers those whose file name (or parse kind)
 * matches `re`;
 * `window.held` lists what is held. For tests of replies that arrive late. */
export function holdReplies(page, op) {
  return page.addInitScript((held) => {
    const Real = Worker;
    window.held = [];
    window.Worker = class extends Real {
      postMessage(msg, transfer) {
        if (msg?.op === held) (this.names ||= new Map()).set(msg.id, msg.args.name ?? msg.args.ref?.name ?? msg.args.kind);
        return super.postMessage(msg, transfer);
      }
      set onmessage(fn) {
        super.onmessage = (e) => {
          const name = this.names?.get(e.data?.id);
          if (name) window.held.push({ name, deliver: () => fn(e) });
          else fn(e);
        };
      }
    };
    window.release = (re) => window.held.filter((h) => new RegExp(re).test(h.name)).forEach((h) => h.deliver());
  }, op);
}

/** Counts distinct colours in the image canvas: a rendered sky has many, a blank one 1–2. */
export function canvasColours(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="image-canvas"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
}

export async function screenshot(page, name) {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A minimal ustar writer for hand-made test archives (long names split into prefix/name). */
export function makeTar(entries) {
  const blocks = [];
  for (const { name, data = Buffer.alloc(0), type = '0', link = '' } of entries) {
    const h = Buffer.alloc(512);
    const cut = name.length > 100 ? name.lastIndexOf('/', name.length - 1 - 0) : -1;
    const [prefix, base] = cut > 0 && name.length - cut - 1 <= 100 ? [name.slice(0, cut), name.slice(cut + 1)] : ['', name];
    h.write(base, 0, 100, 'utf8');
    h.write(prefix, 345, 155, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(type, 156);
    h.write(link, 157, 100, 'utf8');
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Generates a package whose weblog is packed from `dir` (e.g. the real corpus pages). */
export function packageWithWeblog(dir, name) {
  const out = path.join(OUT, name);
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'make-package', '--', out, '--weblog-from', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return fs.readdirSync(out).filter((f) => f.endsWith('_auxiliary.tar')).sort().map((f) => path.join(out, f));
}
