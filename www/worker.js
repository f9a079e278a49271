// The worker: owns the dropped Files and the wasm core. Most reads are synchronous
// (FileReaderSync over Blob.slice), which lets the Rust core use plain Read/Seek code; tar
// headers are walked with asynchronous reads, every tar at once (walkTars); image planes are
// read by a helper worker as concurrent slices, pushed into the core as they land
// (planes.js), and the far-apart reads of a spectrum are shared with a pool of helpers
// (read-pool.js).
import init, { Session, TarReading, parse_text, tclean_for_image, warm_up, warm_up_memory } from './pkg/almapkg.js';
import { extractWeblog, forgetWeblogs } from './weblog-store.js';
import { PlaneReader } from './planes.js';
import { ReadPool } from './read-pool.js';

const files = new Map(); // container id → File
const reader = new FileReaderSync();
let session = null;
let cancelled = false;
const planes = new PlaneReader(files);
const readers = new ReadPool();
let spectrumRequest = 0; // a newer spectrum request stops the one being read
const MOMENT_PLANES_IN_FLIGHT = 6; // more reads in flight read a cube faster (1 GiB: 4.0 -> 3.7 s)
let wasmMemory = null; // the module's linear memory: it only grows, so its size is the peak
let colorbarShown = null; // the settings of the colour bar the page has (it depends on no plane)
let openComplete = true; // false once a damaged tar is open (its model is not kept)

/** Called by wasm for every read: exactly `len` bytes at `offset` of container `id`. */
function readAt(id, offset, len) {
  const file = files.get(id);
  if (!file) throw new Error(`no open file with id ${id}`);
  return new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + len)));
}

/** Walks the headers of the tars in `list` that have no kept index (`kept[i]`), all at once,
 * with asynchronous reads: each read costs ~1 ms whatever its size, mostly waiting, so the
 * walks share the time (three 500-entry tars: 0.76-0.83x the time of reading them one after
 * another, BENCHMARKS.md).
 * Reports how far they have gone every 100 ms; a Cancel stops them where they are (their
 * entries so far are listed). Returns a TarReading, or undefined, per file. */
async function walkTars(list, kept) {
  cancelled = false;
  const readings = list.map(({ file, name }, i) => (/\.tar$/i.test(name) && kept[i] === undefined ? new TarReading(file.size) : undefined));
  const walking = list.filter((_, i) => readings[i]);
  const label = walking.length === 1 ? `Indexing ${walking[0].name}` : `Indexing ${walking.length} tars`;
  const total = walking.reduce((sum, { file }) => sum + file.size, 0);
  let last = performance.now();
  const report = () => {
    if (performance.now() - last < 100) return;
    last = performance.now();
    progress(label, readings.reduce((sum, r) => sum + (r ? r.position() : 0), 0), total);
  };
  await Promise.all(readings.map(async (reading, i) => {
    if (!reading) return;
    const { file } = list[i];
    for (let read = reading.next_read(); read; read = reading.next_read()) {
      const [offset, len] = read;
      if (cancelled) {
        reading.fail(offset, 'indexing was cancelled here');
        continue;
      }
      try {
        reading.supply(offset, new Uint8Array(await file.slice(offset, offset + len).arrayBuffer()));
      } catch (err) {
        reading.fail(offset, `the file could not be read (${err.message || err})`);
      }
      report();
    }
  }));
  return readings;
}

/** The frame's pixels (`rgba`, a view of wasm memory, which ImageData will not wrap: its
 * buffer can grow) copied into a buffer kept from frame to frame: a fresh one each frame
 * cost ~2 ms more, mostly the first touch of its memory. */
let pixels = new Uint8ClampedArray(0);
function framePixels(rgba) {
  if (pixels.length < rgba.length) pixels = new Uint8ClampedArray(rgba.length);
  const frame = pixels.subarray(0, rgba.length);
  frame.set(rgba);
  return frame;
}

/** Reports progress of a long step to the page; returns false once the user cancelled. */
function progress(label, done, total, unit = 'bytes') {
  self.postMessage({ type: 'progress', label, done, total, unit });
  return !cancelled;
}

const ready = init({ module_or_path: new URL('./pkg/almapkg_bg.wasm', import.meta.url) })
  .then((wasm) => {
    wasmMemory = wasm.memory;
    session = new Session(readAt);
    self.postMessage({ type: 'ready' });
    // Then, in a task of its own, warm the image pipeline up (see warm_up); 'warm' tells the
    // page (and the bench, which measures only after it) that this is done.
    setTimeout(() => {
      warm_up();
      // The first image's memory (64 MiB) is mapped ahead unless the device has little.
      if (!(navigator.deviceMemory < 4)) warm_up_memory();
      self.postMessage({ type: 'warm', memory: wasmMemory.buffer.byteLength });
    }, 0);
  });

/** The product lists of the package open (the model's second part, JSON text), when this
 * worker built the model; null when the page had the model's head kept. */
let productsText = null;

let opening = Promise.resolve(); // the open op running, if any

/** The `open` op's work; see there. */
async function openFiles({ files: list, ids, kept = [], head = null }) {
  list.forEach(({ file }, i) => files.set(ids[i], file));
  const readings = await walkTars(list, kept);
  const containers = [];
  for (const [i, { file, name }] of list.entries()) {
    const id = ids[i];
    try {
      const added = session.add_file(id, name, file.size, kept[i], readings[i]);
      const recalled = kept[i] !== undefined && added.columns === kept[i];
      if (recalled) delete added.columns;
      openComplete &&= !added.stopped;
      containers.push({ id, name, recalled, ...added });
    } catch (err) {
      files.delete(id);
      containers.push({ id, name, size: file.size, kind: 'error', error: String(err.message || err) });
    }
  }
  const whole = openComplete && !containers.some((c) => c.kind === 'error');
  if (head && whole) {
    productsText = null;
    return { containers, package: head, modelKept: true, whole };
  }
  const model = session.package();
  productsText = model.products;
  return { containers, package: model.head, modelKept: false, whole };
}

const ops = {
  /** Adds dropped files (tars, FITS, text, folder contents) under the ids the page gave
   * them, and indexes the tars — unless `kept[i]` holds the index of file i from an earlier
   * visit (the page keeps them: index-store.js). Each file's entries go back as its compact
   * index (`columns`), except a kept one, which the page has. The package model is built
   * unless the page had its head kept (`head`), and only if every file opened whole; it goes
   * back as its head's JSON text, the products following on request (`products`). Tars are
   * walked with asynchronous reads, so the worker takes messages meanwhile: a Cancel stops
   * the walks, and any other op (another open too) waits until this open is done. */
  open(args) {
    const run = opening.then(() => openFiles(args));
    opening = run.catch(() => {});
    return run;
  },
  /** Every member's products (JSON text: an array per member), when the page has none kept:
   * those of the model built last, or classified again. */
  products() {
    productsText ??= session.package().products;
    return productsText;
  },
  /** Closes every file and forgets the package. */
  async close() {
    planes.reset();
    openComplete = true;
    productsText = null;
    files.clear();
    session.clear();
    await forgetWeblogs();
    return true;
  },
  weblog: (args) => extractWeblog(session, files.get(args.ref.container), args, progress, () => cancelled = false),
  /** Removes every extracted weblog from browser storage (the package was closed). */
  forgetWeblogs: () => forgetWeblogs(),
  /** Lists a small nested archive (auxproducts, caltables...): names, sizes, and the bytes
   * of files up to 4 MiB (text files to read in the page). */
  tgz({ ref }) {
    session.tgz_open(ref.container, ref.offset, ref.size, { max_total_bytes: 64 * 2 ** 30, max_file_bytes: 64 * 2 ** 30, max_kept_bytes: 4 << 20 });
    const items = [];
    for (;;) {
      const batch = session.tgz_next(64 << 20); // its pack is a view: sliced (copied) before the next call
      for (const i of batch.items) {
        if (i.length === undefined) items.push(i);
        else items.push({ path: i.path, size: i.length, data: batch.pack.slice(i.offset, i.offset + i.length).buffer });
      }
      if (batch.done) break;
    }
    return { result: { items }, transfer: items.filter((i) => i.data).map((i) => i.data) };
  },
  /** Moment maps streamed over the cube: the next planes are read (concurrent slices) while
   * this one is added; progress and Cancel between planes. */
  async moments({ kind }) {
    cancelled = false;
    const total = session.moments_start();
    const reading = [];
    let next = 0;
    const readNext = () => {
      const load = session.moments_load(next++);
      reading.push(planes.read(load).then(() => load, (err) => { load.free(); throw err; }));
    };
    try {
      while (reading.length < MOMENT_PLANES_IN_FLIGHT && next < total) readNext();
      while (reading.length) {
        const load = await reading.shift();
        if (next < total) readNext();
        const [done] = session.moments_add(load);
        if (!progress(`Computing the ${kind === 'peak' ? 'peak intensity' : 'moment 0'} map (channel ${done} of ${total})`, done, total, 'channels')) {
          throw new Error('Moment map cancelled.');
        }
      }
    } finally {
      // Planes still being read after a failure or Cancel: let them land, then free them.
      for (const pending of reading) pending.then((load) => load.free(), () => {});
    }
    return session.moments_show(kind);
  },
  /** The tclean call (imaging parameters) of a product, from its casa_commands.log. */
  tclean({ log, name }) {
    const { text } = ops.text(log);
    return tclean_for_image(text, name);
  },
  /** Parses cont.dat or casa_commands.log text into a structure the page can lay out. */
  parse: ({ kind, text }) => parse_text(kind, text),
  /** Opens an image and starts reading its first plane while the page lays out the view. */
  image(ref) {
    planes.reset();
    colorbarShown = null; // a new view: it has no colour bar yet
    session.open_image(ref.container, ref.offset, ref.size, ref.name);
    planes.fetch(session, 0, 0).catch(() => {});
    return session.image_meta();
  },
  /** Shows a plane (read by concurrent slices, or already read ahead), then reads ahead.
   * With `render` (the render op's arguments) the frame comes back in the same reply. */
  async plane({ channel, stokes, render }) {
    await planes.fetch(session, channel, stokes);
    const info = session.load_plane(channel, stokes);
    // The neighbours are read once this reply is on its way.
    setTimeout(() => planes.ahead(session, channel, stokes), 0);
    if (!render) return info;
    const frame = ops.render(render);
    return { result: { info, frame: frame.result }, transfer: frame.transfer };
  },
  /** Renders the plane and hands the page an ImageBitmap (moved, not copied), and the colour
   * bar when it has changed (null otherwise). */
  render({ settings, colorbarWidth = 256, box }) {
    const { rgba, lo, hi, width, height, step } = session.render(settings, box.width, box.height);
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d').putImageData(new ImageData(framePixels(rgba), width, height), 0, 0);
    const bitmap = canvas.transferToImageBitmap();
    const bar = `${settings.stretch}|${settings.colormap}|${settings.invert}|${colorbarWidth}`;
    const colorbar = bar === colorbarShown ? null : session.colorbar(settings, colorbarWidth).buffer;
    colorbarShown = bar;
    return { result: { bitmap, step, colorbar, lo, hi }, transfer: colorbar ? [bitmap, colorbar] : [bitmap] };
  },
  pixel: ({ x, y }) => session.pixel(x, y),
  /** The spectrum at a pixel, read in growing parts: each part goes to the page as it comes
   * (one read per channel costs ~1 ms here, so 2 000 channels take seconds; the reads of
   * far-apart channels are shared among the reader pool). */
  async spectrum({ container, x, y }, partial) {
    const request = ++spectrumRequest;
    let values = new Float32Array(0);
    for (let batch = 32; ; batch = Math.min(batch * 2, 512)) {
      const reads = session.spectrum_reads(x, y, values.length, batch);
      const part = reads
        ? session.decode_pixels(await readers.read(files.get(container), reads.offsets, reads.len))
        : session.spectrum(x, y, values.length, batch);
      const grown = new Float32Array(values.length + part.length);
      grown.set(values);
      grown.set(part, values.length);
      values = grown;
      if (part.length < batch) return Array.from(values);
      partial(Array.from(values));
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (request !== spectrumRequest) throw new Error('superseded by a newer spectrum');
    }
  },
  /** Reads a text entry (README, cont.dat, logs, scripts), at most `max` bytes. */
  text({ container, offset, size, max = 4 << 20 }) {
    const file = files.get(container);
    const len = Math.min(size, max);
    const text = reader.readAsText(file.slice(offset, offset + len));
    return { text, truncated: size > len };
  },
};

self.onmessage = async (e) => {
  const { id, op, args } = e.data;
  if (op === 'cancel') { cancelled = true; return; }
  try {
    await ready;
    if (op !== 'open') await opening; // what comes after an open sees the files it added
    const partial = (result) => self.postMessage({ type: 'partial', id, result });
    const out = await ops[op](args, partial);
    const memory = wasmMemory.buffer.byteLength;
    if (out && out.transfer) self.postMessage({ id, ok: true, memory, result: out.result }, out.transfer);
    else self.postMessage({ id, ok: true, memory, result: out });
  } catch (err) {
    // A RuntimeError is a trap inside wasm: the module is unusable and the page restarts us.
    const crashed = err instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, ok: false, crashed, error: String(err && err.message ? err.message : err) });
  }
};
