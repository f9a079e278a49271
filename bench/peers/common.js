// Shared by the bench's peer pages: hand a peer the FITS member of the chosen tar as a File
// (a slice of the tar: no copy, the same bytes the app reads) and time its first frame.

/** Starts the clock, gives `open(file, t0)` the member at [offset, offset+size) as a File,
 * and resolves with what `open` resolves (the ms to the first frame with the image). */
export function handOver(offset, size, name, open) {
  const tar = document.getElementById('file').files[0];
  const t0 = performance.now();
  const file = new File([tar.slice(offset, offset + size)], name.split('/').pop(), { type: 'image/fits' });
  return open(file, t0);
}

/** The ms from t0 to the end of the frame after the peer said the image is in: the first
 * requestAnimationFrame runs before that frame is drawn, the second once it has been. */
export function firstFrame(t0) {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))));
}
