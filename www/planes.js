// Reading image planes the fast way. A plane is read as several Blob slices in flight at
// once (the browser reads them while wasm decodes the ones that have landed), and after a
// channel is shown its neighbours are read ahead, so stepping through a cube finds the next
// plane already decoded. Planes read here are kept by the session (a memory-bounded cache)
// until shown.

const CHUNK = 8 << 20; // bytes per Blob read: fewer, larger reads are faster here
const IN_FLIGHT = 3; // reads outstanding at once
const AHEAD_MAX_BYTES = 64 << 20; // larger planes are read only when asked for

export class PlaneReader {
  /** `files`: container id → File (the worker's open files). */
  constructor(files) {
    this.files = files;
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

  /** Reads the plane's bytes in order into `load`, IN_FLIGHT slices at a time. */
  async read(load) {
    const file = this.files.get(load.container);
    if (!file) throw new Error(`no open file with id ${load.container}`);
    const { offset, len } = load;
    const reads = [];
    let next = 0;
    const issue = () => {
      const at = next;
      next = Math.min(len, at + CHUNK);
      reads.push(file.slice(offset + at, offset + next).arrayBuffer());
    };
    while (next < len && reads.length < IN_FLIGHT) issue();
    while (reads.length) {
      const bytes = new Uint8Array(await reads.shift());
      if (next < len) issue();
      if (bytes.length === 0) throw new Error(`short read at byte ${offset} of the file (was it changed?)`);
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
