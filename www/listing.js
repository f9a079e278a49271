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

/** Entry types by the number the compact index keeps them as (src/tar_index/compact.rs). */
const KINDS = ['file', 'dir', 'symlink', 'hardlink', 'other'];
const DIR = KINDS.indexOf('dir');

/** The paths of a compact index (UTF-8, a NUL after each): decoded and split in one call
 * each, so the page makes no object per path but the path itself. Throws when they are not
 * as many as the entries (an index damaged in storage). */
export function splitPaths({ paths, kinds }, name) {
  const out = new TextDecoder().decode(paths).split('\0');
  out.pop(); // what follows the last NUL
  if (out.length !== kinds.length) throw new Error(`${name}: its index lists ${out.length} paths for ${kinds.length} entries: close the package and drop the file again.`);
  return out;
}

export class Listing {
  /** `containers`: the open files ({ id, name, size, columns, paths? }: `columns` the
   * compact index of each, src/tar_index/compact.rs, `paths` its paths if already split), in
   * the order they were opened; where two files hold the same path, the later one is the
   * one shown (as when the tars are unpacked into one folder). An entry object is made only
   * when asked for (`entry`). */
  constructor(containers) {
    this.containers = containers;
    const paths = containers.map((c) => c.paths ?? splitPaths(c.columns, c.name));
    if (containers.length === 1) {
      // One file's paths come sorted as JS compares strings: nothing to merge.
      const { kinds, sizes } = containers[0].columns;
      this.keys = paths[0];
      this.file = new Uint32Array(this.keys.length);
      this.row = new Uint32Array(this.keys.length);
      for (let i = 0; i < this.row.length; i++) this.row[i] = i;
      Object.assign(this, { kinds, sizes });
    } else {
      this.merge(paths);
    }
    this.links = containers.map(({ columns }) => new Map(columns.links));
    this.made = new Array(this.keys.length); // entry objects made so far
    this.shadowed = this.shadowedFlags();
    this.sums = this.sizeSums();
    this.lowered = null; // lower-case keys, made at the first filter
    this.filterText = null; // the filter `matches` counts for
    this.matches = null; // running count of the files matching it
  }

  /** Sorts the paths of several files (`paths`, each file's sorted) into one order; where
   * two files hold one path, the later file's entry comes later. */
  merge(paths) {
    const keys = paths.flat();
    const from = new Uint32Array(keys.length); // per key: which file
    const rows = new Uint32Array(keys.length); // per key: its row in that file's columns
    for (let c = 0, at = 0; c < paths.length; c++) {
      for (let row = 0; row < paths[c].length; row++, at++) { from[at] = c; rows[at] = row; }
    }
    // A stable sort merges the sorted runs in a pass each.
    const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    this.keys = order.map((i) => keys[i]);
    this.file = Uint32Array.from(order, (i) => from[i]);
    this.row = Uint32Array.from(order, (i) => rows[i]);
    const column = (name, Type) => Type.from(order, (i) => this.containers[from[i]].columns[name][rows[i]]);
    this.kinds = column('kinds', Uint8Array);
    this.sizes = column('sizes', Float64Array);
  }

  /** Per entry, 1 where a later file holds the same path (the entry is not shown). From
   * the end, since duplicates are adjacent: a plain loop, like sizeSums, as both run on
   * every entry before the page's code is optimised. */
  shadowedFlags() {
    const { keys, kinds } = this;
    const flags = new Uint8Array(keys.length);
    for (let i = keys.length - 2; i >= 0; i--) {
      if (keys[i] === keys[i + 1] && (flags[i + 1] || kinds[i + 1] !== DIR)) flags[i] = 1;
    }
    return flags;
  }

  /** Running sums of file sizes, folders and shadowed entries counting nothing. */
  sizeSums() {
    const { kinds, sizes, shadowed } = this;
    const sums = new Float64Array(kinds.length + 1);
    for (let i = 0; i < kinds.length; i++) sums[i + 1] = sums[i] + (kinds[i] === DIR || shadowed[i] ? 0 : sizes[i]);
    return sums;
  }

  isDir(i) {
    return this.kinds[i] === DIR;
  }

  /** Entry `i`: { path, type, size, offset, link?, container (its id), containerName,
   * containerSize }, made once. */
  entry(i) {
    if (this.made[i]) return this.made[i];
    const { id, name, size, columns } = this.containers[this.file[i]];
    const row = this.row[i];
    const entry = { path: this.keys[i], type: KINDS[this.kinds[i]] ?? 'other', size: this.sizes[i], offset: columns.offsets[row], container: id, containerName: name, containerSize: size };
    const link = this.links[this.file[i]].get(row);
    if (link !== undefined) entry.link = link;
    this.made[i] = entry;
    return entry;
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
    if (container === null) return this.shown(lo, hi) ?? (hi > lo ? this.entry(hi - 1) : null);
    for (let i = hi - 1; i >= lo; i--) if (this.containers[this.file[i]].id === container) return this.entry(i);
    return null;
  }

  /** Of the entries [lo, hi) that share one path, the file shown: the last one opened (as
   * when the tars are unpacked into one folder); a folder header yields to a file. */
  shown(lo, hi) {
    for (let i = hi - 1; i >= lo; i--) if (!this.isDir(i)) return this.entry(i);
    return null;
  }

  /** The entries of the files shown (not folders, not a path held again by a later file)
   * whose path passes `test`, in path order. */
  files(test) {
    const out = [];
    for (let i = 0; i < this.keys.length; i++) {
      if (test(this.keys[i]) && !this.isDir(i) && !this.shadowed[i]) out.push(this.entry(i));
    }
    return out;
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
        // Most paths are held once: a search only when the next key repeats this one.
        const end = this.keys[i + 1] === key ? this.lowerBound(`${key}\0`, i) : i + 1;
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
        const match = !this.isDir(i) && this.lowered[i].includes(text);
        this.matches[i + 1] = this.matches[i] + (match ? 1 : 0);
      }
      this.filterText = text;
    }
    const [lo, hi] = this.range(path);
    return this.matches[hi] > this.matches[lo];
  }
}
