// Tiny writers for the bench's own fixtures: ustar headers and 4-D float32 FITS images with
// real (noise + source) pixels, for shapes the generator does not write (8192²) and for
// planes that must not be holes (a histogram of zeros would flatter the renderer).
import fs from 'node:fs';

const BLOCK = 2880;

/** A 512-byte ustar header for a regular file or a directory; a name over 100 bytes is split
 * at a '/' into the ustar prefix (≤ 155 bytes) and name. */
export function ustarHeader(name, size, { dir = false } = {}) {
  const cut = Buffer.byteLength(name) > 100 ? name.indexOf('/', Buffer.byteLength(name) - 101) : -1;
  const [prefix, base] = cut > 0 ? [name.slice(0, cut), name.slice(cut + 1)] : ['', name];
  if (Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`tar name too long for the bench writer: ${name}`);
  const h = Buffer.alloc(512);
  const put = (off, len, text) => h.write(text, off, len, 'latin1');
  const octal = (off, len, n) => put(off, len, n.toString(8).padStart(len - 1, '0') + '\0');
  put(0, 100, base);
  put(345, 155, prefix);
  octal(100, 8, dir ? 0o755 : 0o644);
  octal(108, 8, 1000);
  octal(116, 8, 1000);
  octal(124, 12, size);
  octal(136, 12, 1_600_000_000);
  put(148, 8, '        ');
  put(156, 1, dir ? '5' : '0');
  put(257, 8, 'ustar\u000000');
  put(265, 32, 'bench');
  put(297, 32, 'bench');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** Writes a tar from `items` ({ name, size, write(out) } — `write` emits exactly `size` bytes
 * through `out.write(buffer)`, and may leave holes with `out.skip(bytes)`: the file is sparse
 * there and reads back as zeros). */
export function writeTar(file, items) {
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  const out = {
    write(buf) { fs.writeSync(fd, buf, 0, buf.length, pos); pos += buf.length; },
    skip(bytes) { pos += bytes; },
  };
  try {
    for (const item of items) {
      out.write(ustarHeader(item.name, item.size));
      item.write(out);
      const pad = (512 - (item.size % 512)) % 512;
      if (pad) out.write(Buffer.alloc(pad));
    }
    out.write(Buffer.alloc(1024));
  } finally {
    fs.closeSync(fd);
  }
}

/** A tar entry holding a small text file. */
export function textItem(name, text) {
  const bytes = Buffer.from(text);
  return { name, size: bytes.length, write: (out) => out.write(bytes) };
}

function card(key, value) {
  const v = typeof value === 'string' ? `'${value.padEnd(8)}'` : typeof value === 'boolean' ? (value ? 'T' : 'F') : String(value);
  const text = key === 'END' ? 'END' : `${key.padEnd(8)}= ${typeof value === 'string' ? v : v.padStart(20)}`;
  return text.padEnd(80);
}

/** The primary header of an n×n×channels×1 float32 ALMA-like image. */
function fitsHeader(n, channels) {
  const cards = [
    card('SIMPLE', true), card('BITPIX', -32), card('NAXIS', 4), card('NAXIS1', n), card('NAXIS2', n),
    card('NAXIS3', channels), card('NAXIS4', 1), card('EXTEND', true), card('BSCALE', 1.0), card('BZERO', 0.0),
    card('BMAJ', 1.5e-5), card('BMIN', 1.2e-5), card('BPA', 30.0), card('BTYPE', 'Intensity'), card('OBJECT', 'BENCH'),
    card('BUNIT', 'Jy/beam'), card('RADESYS', 'ICRS'), card('EQUINOX', 2000.0),
    card('CTYPE1', 'RA---SIN'), card('CRVAL1', 270.0), card('CDELT1', -5.555555555556e-6), card('CRPIX1', n / 2 + 1), card('CUNIT1', 'deg'),
    card('CTYPE2', 'DEC--SIN'), card('CRVAL2', -20.0), card('CDELT2', 5.555555555556e-6), card('CRPIX2', n / 2 + 1), card('CUNIT2', 'deg'),
    card('CTYPE3', 'FREQ'), card('CRVAL3', 2.30538e11), card('CDELT3', 4.88e5), card('CRPIX3', 1.0), card('CUNIT3', 'Hz'),
    card('CTYPE4', 'STOKES'), card('CRVAL4', 1.0), card('CDELT4', 1.0), card('CRPIX4', 1.0), card('CUNIT4', ''),
    card('RESTFRQ', 2.30538e11), card('SPECSYS', 'LSRK'), card('END'),
  ];
  const text = cards.join('');
  return Buffer.from(text.padEnd(Math.ceil(text.length / BLOCK) * BLOCK), 'latin1');
}

/** Big-endian float32 Gaussian noise (σ = 2 mJy), reused at shifting offsets for every row. */
function noisePool(count) {
  const pool = Buffer.alloc(count * 4);
  let seed = 12345;
  const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed + 1) / 0x80000001; };
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(rand()));
    const t = 2 * Math.PI * rand();
    pool.writeFloatBE(0.002 * r * Math.cos(t), i * 4);
    if (i + 1 < count) pool.writeFloatBE(0.002 * r * Math.sin(t), i * 4 + 4);
  }
  return pool;
}

let pool = null;

/** A tar entry holding an n×n×channels float32 FITS image: noise plus a Gaussian source
 * whose peak moves with the channel. Only the first `real` channels are written; the rest
 * are holes (zeros), for cubes too big to write in full. */
export function fitsItem(name, n, channels = 1, real = channels) {
  const header = fitsHeader(n, channels);
  const dataLen = n * n * channels * 4;
  const size = header.length + Math.ceil(dataLen / BLOCK) * BLOCK;
  pool ||= noisePool(1 << 20);
  return {
    name, size, header: header.length,
    write(out) {
      out.write(header);
      // Rows are written a few MiB at a time (one write per row is slow for GB cubes).
      const perChunk = Math.max(1, Math.floor((4 << 20) / (n * 4)));
      const chunk = Buffer.alloc(perChunk * n * 4);
      let filled = 0;
      const sigma2 = 2 * (n / 64) ** 2;
      for (let c = 0; c < Math.min(real, channels); c++) {
        const peak = 0.5 * Math.exp(-(((c - channels / 2) / (channels / 4 + 1)) ** 2));
        for (let j = 0; j < n; j++) {
          const row = chunk.subarray(filled * n * 4, (filled + 1) * n * 4);
          const start = ((j * 7919 + c * 104729) % (pool.length / 4 - n)) * 4;
          pool.copy(row, 0, start, start + n * 4);
          const dy2 = (j - n / 2) ** 2;
          if (dy2 < 9 * sigma2) addSource(row, n, dy2, sigma2, peak);
          if (++filled === perChunk) { out.write(chunk); filled = 0; }
        }
      }
      if (filled) out.write(chunk.subarray(0, filled * n * 4));
      const holes = Math.max(0, channels - real) * n * n * 4;
      if (holes) out.skip(holes);
      const pad = size - header.length - dataLen;
      if (pad) out.write(Buffer.alloc(pad));
    },
  };
}

function addSource(row, n, dy2, sigma2, peak) {
  const half = Math.ceil(3 * Math.sqrt(sigma2));
  for (let i = Math.max(0, n / 2 - half); i < Math.min(n, n / 2 + half); i++) {
    const v = row.readFloatBE(i * 4) + peak * Math.exp(-((i - n / 2) ** 2 + dy2) / sigma2);
    row.writeFloatBE(v, i * 4);
  }
}
