// Reading image planes the fast way. A plane is read by a helper worker as several Blob
// slices in flight at once (the helper reads while wasm decodes, here, the ones that have
// landed), and after a channel is shown its neighbours are read ahead, so stepping through a
// cube finds the next plane already decoded. Planes read here are kept by the session (a
// memory-bounded cache) until shown.

import { SliceReader } from './read-pool.js';

// Exported for the bench, whose plane floor reads the same way (bench/lib/floors.mjs).
export const CHUNK = 8 << 20; // bytes per Blob read: fewer, larger reads are faster here
export const IN_FLIGHT = 3; // reads outstanding at once
const AHEAD_MAX_BYTES = 64 << 20; // larger planes are read only when asked for

export class PlaneReader {
  /** `files`: container id → File (the worker's open files). */
  constructor(files) {
    this.files = files;
    this.reader = new SliceReader();
    this.inflight = new Map(); // "channel/stokes" → promise of the plane kept
    this.last = 0;
  }

  /** A new image is open: reads in flight belong to the old one (the session drops them). */
  reset() {
    this.inflight.clear();
    this.last = 0;
  }

  /** Resolves once plane (channel, stokes) is in the session's memory (read here, or already
   * there), or when the session reads it itself (gzip, strided previews). */
  fetch(session, channel, stokes, maxBytes = Infinity) {
    const key = `${channel}/${stokes}`;
    const running = this.inflight.get(key);
    if (running) return running;
    let load;
    try {
      load = session.plane_start(channel, stokes);
    } catch (err) {
      return Promise.reject(err); // e.g. past the last channel
    }
    if (!load) return Promise.resolve();
    if (load.len > maxBytes) {
      load.free();
      return Promise.resolve();
    }
    const done = this.read(load)
      .then(() => session.plane_keep(load), (err) => { load.free(); throw err; })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, done);
    return done;
  }

  /** Reads the plane's bytes in order into `load`, IN_FLIGHT slices at a time, in a helper
   * worker: this worker decodes each slice while the next ones are read. */
  async read(load) {
    const file = this.files.get(load.container);
    if (!file) throw new Error(`no open file with id ${load.container}`);
    const slices = this.reader.slices(file, load.offset, load.len, CHUNK, IN_FLIGHT);
    load.reserve(); // memory for the plane grows while the helper reads
    for await (const bytes of slices) {
      // Straight into the plane's memory when it can take the raw bytes (float32), else pushed.
      const room = load.room(bytes.length);
      if (room) {
        room.set(bytes);
        load.commit(bytes.length);
      } else {
        load.push(bytes);
      }
    }
  }

  /** After `channel` is shown: reads the next two channels in the direction of travel and
   * the one behind. Failures are left for the moment the user asks for that plane. */
  ahead(session, channel, stokes) {
    const step = channel >= this.last ? 1 : -1;
    this.last = channel;
    for (const c of [channel + step, channel + 2 * step, channel - step]) {
      if (c >= 0) this.fetch(session, c, stokes, AHEAD_MAX_BYTES).catch(() => {});
    }
  }
}
