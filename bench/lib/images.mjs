// First image (the app vs Aladin Lite, JS9, the native CLI and numpy on the same planes),
// re-stretch, and the wasm memory the app holds after the biggest plane.
import path from 'node:path';
import { IMAGES } from './fixtures.mjs';
import { freshPage, openInApp, clickProduct, timedAction, stretchNames, wasmMemory } from './page.mjs';
import { planeReadFloor, planeRelayFloor } from './floors.mjs';
import { cliRender, hasNumpy, numpyRead } from './native.mjs';
import { launchPeers, peerList, peerFirstImage, webgl2 } from './peers.mjs';
import { row, median, fmtMs } from './report.mjs';
import { rows, notes, repeat, adaptive, part } from './context.mjs';

const MS_TARGET = { 4096: 150, 8192: 500 };

/** Every peer's first image of the plane, or why it has none. */
async function peerBaselines(peers, tar, member, n) {
  const out = [];
  for (const peer of peers.list) {
    const label = `${peer.label} ${peer.version}`;
    if (!peers.browser) { out.push({ label, note: peers.why, peer: true }); continue; }
    try {
      out.push({ label, runs: await adaptive(() => peerFirstImage(peers.browser, peer, tar, member, n)), peer: true });
    } catch (err) {
      out.push({ label, note: `did not draw it: ${err.message.split('\n')[0].slice(0, 160)}`, peer: true });
    }
  }
  return out;
}

/** Starts the peers' browser; when it cannot run, every peer cell says why. */
async function startPeers(root) {
  const list = peerList(root).filter((p) => p.version);
  const missing = peerList(root).filter((p) => !p.version).map((p) => p.pkg);
  if (missing.length) notes.push(`Peers not installed (npm ci installs them): ${missing.join(', ')}.`);
  try {
    const browser = await launchPeers(root);
    await browser.page.goto('about:blank');
    const gl = await webgl2(browser);
    notes.push(gl ? `Peers draw with WebGL2 on "${gl}" (software, SwiftShader via --enable-unsafe-swiftshader).`
      : 'The peers\' browser has no WebGL2 here; Aladin Lite cannot draw without it.');
    return { list, browser };
  } catch (err) {
    return { list, browser: null, why: `n/a: its browser did not start (${err.message.split('\n')[0]})` };
  }
}

export async function firstImages(root, tmp, page, images) {
  const numpy = hasNumpy();
  if (!numpy) notes.push('numpy is not installed: run `bash scripts/setup --bench` as root (or `sudo apt-get install python3-numpy`).');
  const peers = await startPeers(root);
  try {
    for (const { n, name } of IMAGES) {
      await part(`first image ${n}²`, async () => {
        const app = await adaptive(async () => {
          await freshPage(page);
          await openInApp(page, [images.tar]);
          return clickProduct(page, name);
        });
        const memory = await wasmMemory(page);
        const member = images.offsets.get(name);
        const floors = await repeat(async () => ({
          ...await planeReadFloor(page, images.tar, member.data, n * n * 4),
          relay: await planeRelayFloor(page, images.tar, member.data, n * n * 4),
        }));
        const peerRuns = await peerBaselines(peers, images.tar, member, n);
        const png = path.join(tmp, 'cli.png');
        const cli = await adaptive(() => cliRender(root, images.tar, name, png));
        const np = numpy ? { label: 'numpy', runs: await repeat(() => numpyRead(images.tar, member.data, n)) }
          : { label: 'numpy', note: 'n/a: numpy not installed' };
        const max = MS_TARGET[n];
        rows.push(row('first image', `${n}² float32 plane`, app, {
          baselines: [{ label: 'browser read of the plane alone: one read', runs: floors.map((f) => f.one) },
            { label: '8 MiB slices, 4 in flight', runs: floors.map((f) => f.sliced) },
            { label: 'read by a worker, moved to another (as the app)', runs: floors.map((f) => f.relay) }, ...peerRuns, { label: 'native CLI render+PNG', runs: cli }, np],
          target: { max, ahead: true, text: max ? `≤ ${max} ms; ahead of every peer` : 'ahead of every peer' },
          per: `${fmtMs(median(app) / (n * n / 1e6))} ms/Mpx`, extra: { kind: 'render', n },
        }));
        if (n === 4096) await restretch(page);
        if (n === 8192) memoryRow(`after the ${n}² first image`, memory);
      });
    }
  } finally {
    if (peers.browser) await peers.browser.close();
  }
}

async function restretch(page) {
  const names = await stretchNames(page);
  const app = await repeat((i) => timedAction(page, 'almapkg:restretch',
    () => page.selectOption('select[name="stretch"]', names[(i + 1) % names.length])));
  rows.push(row('re-stretch', '4096² plane, stretch select', app, { target: { max: 50, text: '≤ 50 ms' }, per: `${fmtMs(median(app) / 16.8)} ms/Mpx` }));
}

/** A peak wasm memory row (MiB) from the last `almapkg:memory` mark. */
export function memoryRow(what, bytes) {
  if (!Number.isFinite(bytes)) {
    notes.push(`No almapkg:memory mark ${what}: the worker reported no memory size.`);
    return;
  }
  rows.push(row('memory', `peak wasm memory ${what}`, [], { value: Math.round(bytes / 2 ** 20), unit: 'MiB' }));
}
