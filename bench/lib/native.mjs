// Baselines outside the browser (GNU tar, the native CLI, numpy) and facts about the machine
// and the built site.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';

/** Wall time (ms) of a command; throws with its stderr if it fails. */
export function wallTime(cmd, args, { timeout = 120_000 } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout, maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).trim()}`);
  return ms;
}

/** `tar -tf` (GNU tar), output discarded. */
export function tarList(tar) {
  return wallTime('tar', ['-tf', tar]);
}

/** The native CLI renders one plane to a PNG (same limits and colormap as the page). */
export function cliRender(root, tar, entry, png) {
  return wallTime(path.join(root, 'target/release/almapkg'), ['render', `${tar}::${entry}`, '-o', png]);
}

/** The first Python with numpy: `python3` on PATH, else Debian's own (python3-numpy is
 * installed for /usr/bin/python3, which a pyenv or venv on PATH hides); null if none. */
export const PYTHON = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) || null;

export function hasNumpy() {
  return PYTHON !== null;
}

const NUMPY_READ = `
import sys, time, numpy as np
path, offset, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
a = np.fromfile(path, dtype='>f4', count=n * n, offset=offset).astype(np.float32).reshape(n, n)
lo, hi = np.nanpercentile(a, [0.25, 99.75])
print((time.perf_counter() - t0) * 1000)
`;

/** numpy reads the plane at `offset` and takes the 99.5 % limits; in-process time (ms). */
export function numpyRead(tar, offset, n) {
  const r = spawnSync(PYTHON, ['-c', NUMPY_READ, tar, String(offset), String(n)], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`numpy read failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Sum of gzip -9 sizes of the site's files, the built-in sample excluded. */
export function transferSize(dist) {
  let total = 0;
  let files = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (path.relative(dist, p) !== 'sample') walk(p); } else {
        total += zlib.gzipSync(fs.readFileSync(p), { level: 9 }).length;
        files++;
      }
    }
  };
  walk(dist);
  return { bytes: total, files };
}

/** CPU, cores, RAM, OS, chromium and tar versions. */
export function machine() {
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'unknown';
  };
  return {
    cpu: os.cpus()[0]?.model?.trim() || 'unknown',
    cores: os.cpus().length,
    ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    chromium: run(process.env.CHROMIUM || '/usr/bin/chromium', ['--version']),
    tar: run('tar', ['--version']),
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
