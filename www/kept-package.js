// Opening files with what was kept of them at an earlier visit (index-store.js): the page
// reads the kept indexes and model itself and hands them to the worker, so that a package
// seen before is shown without waiting for the worker (which has nothing to read); what the
// worker makes of new files is kept here for the next visit.
import { appVersion, forget, indexKey, modelKey, recall, remember } from './index-store.js';
import { splitPaths } from './listing.js';

const TAR = /\.tar$/i;

/** What is kept of `files`, opened after the files whose index keys are `openKeys`
 * (`complete`: none of those is damaged). Returns { keys: each file's index key, modelKeys:
 * { head, products } the keys of their package model (null when it is not to be kept),
 * indexes: each file's kept index (undefined if none), paths: the paths of each kept index,
 * read (for the listing), head: the model's head kept (or null) }. A kept index whose paths
 * do not read back is dropped from storage. */
export async function keptFor(files, openKeys, complete) {
  const keys = files.map(({ file, name }) => indexKey(file, name));
  const version = await appVersion;
  const all = [...openKeys, ...keys];
  const modelKeys = version && complete ? { head: modelKey('head', all, version), products: modelKey('products', all, version) } : null;
  const found = await recall([...keys.map((k, i) => (TAR.test(files[i].name) ? k : null)), modelKeys?.head ?? null]);
  const head = found.pop();
  const paths = found.map((columns, i) => columns && pathsOf(columns, files[i].name));
  const indexes = found.map((columns, i) => (paths[i] ? columns : undefined));
  const damaged = keys.filter((key, i) => found[i] && !paths[i]);
  if (damaged.length) forget(damaged);
  return { keys, modelKeys, indexes, paths, head: typeof head === 'string' ? head : null };
}

/** The paths of a kept index, or null when they do not read back. */
function pathsOf(columns, name) {
  try {
    return splitPaths(columns, name);
  } catch {
    return null;
  }
}

/** Keeps what the worker made of files opened with `kept` (keptFor's result): the index of
 * each tar read whole, and the model's head when every file opened whole. In a task of its
 * own, after the package is shown. */
export function keepNew(kept, { containers, package: head, modelKept, whole }) {
  const records = containers.flatMap((c, i) => (c.kind === 'tar' && !c.recalled && !c.stopped ? [[kept.keys[i], c.columns]] : []));
  if (!modelKept && whole && kept.modelKeys) records.push([kept.modelKeys.head, head]);
  if (records.length) setTimeout(() => remember(records), 0);
}

/** Every member's products (JSON text): kept with the model's head, or from the worker
 * (which built them, or classifies again), then kept under `key` (null: not to be kept). */
export async function productsText(client, key, modelKept) {
  const [found] = key && modelKept ? await recall([key]) : [undefined];
  if (typeof found === 'string') return found;
  const text = await client.call('products');
  if (key) remember([[key, text]]);
  return text;
}
