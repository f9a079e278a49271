// A helper of the worker that only reads: given a File and a list of offsets, it reads `len`
// bytes at each (synchronous Blob reads) and sends them back end to end. Each browser read
// costs ~1 ms whatever its size, so a spectrum through thousands of far-apart channels is
// read by several of these at once (read-pool.js).
const reader = new FileReaderSync();

self.onmessage = ({ data: { id, file, offsets, len } }) => {
  try {
    const out = new Uint8Array(offsets.length * len);
    offsets.forEach((at, i) => out.set(new Uint8Array(reader.readAsArrayBuffer(file.slice(at, at + len))), i * len));
    self.postMessage({ id, bytes: out.buffer }, [out.buffer]);
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
