// The in-browser peers (Aladin Lite, JS9) opening the same FITS planes as the app, in the
// same chromium, each through its own documented API on a bench-only page (bench/peers/),
// served with the peer libraries from node_modules by a server of the repo root. The app
// never loads them: dist/ holds neither.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const TIMEOUT = 120_000;

/** Name, version (read from node_modules) and page of each peer. */
export function peerList(root) {
  const version = (pkg) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  return [
    { label: 'Aladin Lite', pkg: 'aladin-lite', page: 'bench/peers/aladin.html' },
    { label: 'JS9', pkg: 'js9', page: 'bench/peers/js9.html' },
  ].map((p) => ({ ...p, version: fs.existsSync(path.join(root, 'node_modules', p.pkg)) ? version(p.pkg) : null }));
}

// The app's flags, plus the software WebGL (SwiftShader) both peers draw with: without
// --enable-unsafe-swiftshader chromium gives no WebGL at all under --disable-gpu.
const ARGS = ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];

/** A chromium and a server of the repo root for the peer pages; returns { page, url, close }. */
export async function launchPeers(root) {
  const server = await startServer(root);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'almapkg-peers-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ARGS, viewport: { width: 1280, height: 800 },
  });
  // Both peers reach for the network (Aladin its default HiPS survey); nothing may leave.
  await context.route((u) => u.hostname !== '127.0.0.1' && !['data:', 'blob:'].includes(u.protocol), (r) => r.abort('blockedbyclient'));
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    page, url: server.url, errors,
    async close() {
      await context.close();
      server.server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Loads the peer's page fresh (library and wasm initialised) and chooses the tar in it. */
async function freshPeerPage(b, peer, tar) {
  await b.page.goto(b.url + peer.page, { waitUntil: 'load', timeout: TIMEOUT });
  await b.page.waitForFunction(() => window.benchReady === true, null, { timeout: TIMEOUT, polling: 50 });
  await b.page.setInputFiles('#file', tar);
}

/** One first image by a peer: ms from handing it the File to the frame after its "image is
 * in" callback (see bench/peers/common.js). */
export async function peerFirstImage(b, peer, tar, member, n) {
  await freshPeerPage(b, peer, tar);
  return b.page.evaluate(([offset, size, name, side]) => window.benchOpen(offset, size, name, side),
    [member.offset, member.size, member.name, n]);
}

/** The WebGL2 renderer the peers' browser has here (Aladin Lite needs one), or null. */
export function webgl2(b) {
  return b.page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
    return gl ? gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : null;
  });
}
