// Every entry of the open files, sorted by path, so that the page touches only what it shows:
// a folder's contents are one contiguous run of the sorted paths (found by binary search),
// its size a difference of two running sums, a path is found without a Map of every entry.
// A 5 000-entry package is then listed in a few milliseconds, on a page whose JavaScript has
// not been optimised yet. Pure data: no DOM, tested in Node.

/** `path` without empty parts (leading, trailing or doubled slashes). */
export function normalPath(path) {
  const clean = !path.startsWith('/') && !path.endsWith('/') && !path.includes('//');
  return clean ? path : path.split('/').filter(Boolean).join('/');
}

const byKey = (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class Listing {
  /** `entries`: the tar entries of every open file ({ path, type, size, container, ... }),
   * in the order the files were opened; where two files hold the same path, the later
   * one is the one shown (as when the tars are unpacked into one folder). */
  constructor(entries) {
    const rows = [];
    for (const entry of entries) {
      const key = normalPath(entry.path);
      if (key) rows.push({ key, entry });
    }
    // Stable, and fast on runs already in order (each tar is mostly sorted).
    rows.sort(byKey);
    this.keys = rows.map((r) => r.key);
    this.entries = rows.map((r) => r.entry);
    // Running sums of file sizes, shadowed duplicates and folders counting nothing.
    this.sums = new Float64Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) {
      const counts = rows[i].entry.type !== 'dir' && !this.shadowed(i);
      this.sums[i + 1] = this.sums[i] + (counts ? rows[i].entry.size : 0);
    }
    this.lowered = null; // lower-case keys, made at the first filter
    this.filterText = null; // the filter `matches` counts for
    this.matches = null; // running count of the files matching it
  }

  /** Whether a later file holds the same path as file `i`. */
  shadowed(i) {
    for (let j = i + 1; j < this.keys.length && this.keys[j] === this.keys[i]; j++) {
      if (this.entries[j].type !== 'dir') return true;
    }
    return false;
  }

  get length() {
    return this.keys.length;
  }

  /** The first index whose key is not below `key`. */
  lowerBound(key, lo = 0, hi = this.keys.length) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The indexes [lo, hi) of the entries inside the folder `path` ('' for the top). */
  range(path) {
    if (!path) return [0, this.keys.length];
    // Every key starting "path/" sorts from "path/" up to "path0" ('0' follows '/').
    const lo = this.lowerBound(`${path}/`);
    return [lo, this.lowerBound(`${path}0`, lo)];
  }

  /** The entry shown at `path` (the last file opened that holds it), or, with `container`,
   * the one in that file; null when there is none. Folder entries count. */
  get(path, container = null) {
    const key = normalPath(path);
    const lo = this.lowerBound(key);
    const hi = this.lowerBound(`${key}\0`, lo);
    if (container === null) return this.shown(lo, hi) ?? (hi > lo ? this.entries[hi - 1] : null);
    for (let i = hi - 1; i >= lo; i--) if (this.entries[i].container === container) return this.entries[i];
    return null;
  }

  /** Of the entries [lo, hi) that share one path, the file shown: the last one opened (as
   * when the tars are unpacked into one folder); a folder header yields to a file. */
  shown(lo, hi) {
    for (let i = hi - 1; i >= lo; i--) if (this.entries[i].type !== 'dir') return this.entries[i];
    return null;
  }

  /** Total size of the files in [lo, hi). */
  size(lo, hi) {
    return this.sums[hi] - this.sums[lo];
  }

  /** The folder's children, at most `limit` of them: sub-folders ({ name, path, dir: true,
   * size }) and files ({ name, path, dir: false, size, entry }), in path order. A folder's
   * own entry (a tar "dir" header) makes it appear even when it is empty. */
  children(path, limit = Infinity) {
    const [lo, hi] = this.range(path);
    const skip = path ? path.length + 1 : 0;
    const out = [];
    const folders = new Set();
    const folder = (name, childPath) => {
      if (folders.has(name)) return;
      folders.add(name);
      const [flo, fhi] = this.range(childPath);
      out.push({ name, path: childPath, dir: true, size: this.size(flo, fhi) });
    };
    for (let i = lo; i < hi && out.length < limit;) {
      const key = this.keys[i];
      const cut = key.indexOf('/', skip);
      if (cut < 0) {
        const end = this.lowerBound(`${key}\0`, i);
        const entry = this.shown(i, end);
        const name = key.slice(skip);
        if (entry) out.push({ name, path: key, dir: false, size: entry.size, entry });
        else folder(name, key);
        i = end;
      } else {
        // The first of the folder's contents, which follow it as one run.
        const childPath = key.slice(0, cut);
        folder(childPath.slice(skip), childPath);
        i = this.range(childPath)[1];
      }
    }
    return out;
  }

  /** Whether any file in the folder `path` has `text` (lower case) in its path. */
  contains(path, text) {
    if (text !== this.filterText) {
      this.lowered ??= this.keys.map((k) => k.toLowerCase());
      this.matches = new Uint32Array(this.keys.length + 1);
      for (let i = 0; i < this.keys.length; i++) {
        const match = this.entries[i].type !== 'dir' && this.lowered[i].includes(text);
        this.matches[i + 1] = this.matches[i] + (match ? 1 : 0);
      }
      this.filterText = text;
    }
    const [lo, hi] = this.range(path);
    return this.matches[hi] > this.matches[lo];
  }
}
