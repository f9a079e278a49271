// A helper of the worker that only reads, so that the worker's own thread stays free to
// decode: a Blob read's bytes reach a worker through its thread, so reads made by a worker
// that is busy decoding wait for it. Two kinds of request:
// - `offsets`: `len` bytes at each offset, sent back end to end. Each browser read costs
//   ~1 ms whatever its size, so a spectrum through thousands of far-apart channels is shared
//   among several of these (read-pool.js), each with many reads in flight (2 000 reads
//   measured here: one at a time 2.3-4.1 s; 16 in flight in each of 4 helpers ~1.0 s);
// - `chunk`: the `len` bytes at `offset` read as `chunk`-byte slices, `inflight` at once,
//   each sent (moved, not copied) as soon as it and those before it have landed (planes.js).
const OFFSETS_IN_FLIGHT = 16;

async function readOffsets({ id, file, offsets, len }) {
  const out = new Uint8Array(offsets.length * len);
  let next = 0;
  const readOn = async () => {
    while (next < offsets.length) {
      const i = next++;
      out.set(new Uint8Array(await file.slice(offsets[i], offsets[i] + len).arrayBuffer()), i * len);
    }
  };
  await Promise.all(Array.from({ length: OFFSETS_IN_FLIGHT }, readOn));
  self.postMessage({ id, bytes: out.buffer }, [out.buffer]);
}

async function readSlices({ id, file, offset, len, chunk, inflight }) {
  const reads = [];
  let next = 0;
  const issue = () => {
    const at = next;
    next = Math.min(len, at + chunk);
    reads.push(file.slice(offset + at, offset + next).arrayBuffer());
  };
  while (next < len && reads.length < inflight) issue();
  while (reads.length) {
    const bytes = await reads.shift();
    if (next < len) issue();
    self.postMessage({ id, bytes }, [bytes]);
  }
}

self.onmessage = async ({ data }) => {
  try {
    if (data.chunk) await readSlices(data);
    else await readOffsets(data);
  } catch (err) {
    self.postMessage({ id: data.id, error: String(err && err.message ? err.message : err) });
  }
};
