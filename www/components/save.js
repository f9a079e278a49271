// Saving one file out of a tar: the entry is a slice of the dropped File, so the browser's
// download streams it from disk; nothing is read into memory, whatever its size.

/** Saves `entry` (a tar entry or a loose file) from `file` under its own name. */
export function saveEntry(file, entry) {
  const name = entry.path.split('/').pop();
  const blob = file.slice(entry.offset, entry.offset + entry.size, 'application/octet-stream');
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its own reference to the Blob by now; free ours a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves a canvas (an exported view) as a PNG file. */
export function saveCanvas(canvas, name) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) return reject(new Error('the browser could not encode the PNG'));
      saveEntry(new File([blob], name), { path: name, offset: 0, size: blob.size });
      resolve();
    }, 'image/png');
  });
}
