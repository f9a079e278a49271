// The files the bench measures, all in one temp dir removed at the end: sparse product tars
// from the project's generator, an auxiliary-like tar of many small files, and a tar of
// real-pixel images written by bench/lib/writers.mjs (cubes: cube.mjs; weblog: weblog.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeTar, textItem, fitsItem } from './writers.mjs';

/** Sparse packages: size in GB and entry count. Two at 50 GB show cost vs size vs entries. */
export const PACKAGES = [
  { gb: 1, entries: 50 },
  { gb: 10, entries: 500 },
  { gb: 50, entries: 50 },
  { gb: 50, entries: 5000 },
];

/** A delivery split over three product tars, indexed together. */
export const SPLIT = { gb: 10, entries: 500, count: 3 };

/** Images for the first-render bench (one plane each); the cubes are in cube.mjs. */
export const IMAGES = [1024, 4096, 8192].map((n) => ({ n, name: `bench/img${n}.cont.I.tt0.pbcor.fits` }));

export function makeTempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'almapkg-bench-'));
}

/** Runs the generator for one sparse package; returns its tar path and first (big cube) entry. */
export function sparsePackage(root, dir, { gb, entries, seed = null }) {
  const out = path.join(dir, `pkg-${gb}gb-${entries}`);
  const args = [out, '--size', 'large', '--gb', String(gb), '--entries', String(entries), ...(seed === null ? [] : ['--seed', String(seed)])];
  const stdout = execFileSync(path.join(root, 'target/release/make-package'), args, { encoding: 'utf8', timeout: 120_000 });
  const tar = stdout.trim().split(/\s+/).pop();
  return { gb, entries, tar, bytes: fs.statSync(tar).size, disk: fs.statSync(tar).blocks * 512 };
}

/** A package split over `count` product tars of `entries` entries each (`_001_of_003.tar`...,
 * as the archive splits big deliveries), each generated with its own seed. */
export function splitPackage(root, dir, { gb, entries, count = 3 }) {
  const parts = Array.from({ length: count }, (_, i) => {
    const part = sparsePackage(root, path.join(dir, `split-${i + 1}`), { gb, entries, seed: i + 1 });
    const tar = part.tar.replace(/_001_of_001\.tar$/, `_00${i + 1}_of_00${count}.tar`);
    fs.renameSync(part.tar, tar);
    return { ...part, tar };
  });
  const sum = (k) => parts.reduce((s, p) => s + p[k], 0);
  return { gb, entries: sum('entries'), tars: parts.map((p) => p.tar), bytes: sum('bytes'), disk: sum('disk') };
}

/** An auxiliary-like tar: a few hundred small weblog-like files, where read windows pay. */
export function auxTar(dir, count = 600) {
  const file = path.join(dir, 'aux-small-files.tar');
  const items = [];
  for (let i = 0; i < count; i++) {
    const stage = `stage${Math.floor(i / 20) + 1}`;
    const body = `<html><body><h1>${stage} file ${i}</h1>${'<p>pipeline weblog text</p>'.repeat(5 + (i * 37) % 150)}</body></html>\n`;
    items.push(textItem(`2019.1.00123.S/qa/weblog/html/${stage}/t2-4m_details_${i}.html`, body));
  }
  writeTar(file, items);
  return { tar: file, entries: count, bytes: fs.statSync(file).size };
}

/** The tar of real-pixel images; returns each member's { name, offset, size } (its bytes in
 * the tar, for the peers) and `data` (where its pixels start, for numpy). */
export function imageTar(dir) {
  const file = path.join(dir, 'images.tar');
  const items = IMAGES.map(({ n, name }) => fitsItem(name, n));
  writeTar(file, items);
  const offsets = new Map();
  let pos = 0;
  for (const item of items) {
    offsets.set(item.name, { name: item.name, offset: pos + 512, size: item.size, data: pos + 512 + item.header });
    pos += 512 + Math.ceil(item.size / 512) * 512;
  }
  return { tar: file, offsets };
}

export function removeTempDir(dir) {
  if (dir && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
}
