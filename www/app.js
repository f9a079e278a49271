// almapkg page: wires the components together and owns the small amount of page state
// (what is open, which file is shown, which tab). All file work happens in the worker.
import { WorkerClient } from './client.js';
import { el, humanSize } from './format.js';
import { Tree } from './components/tree.js';
import { ImageView } from './components/image-view.js';
import { Inspector } from './components/inspector.js';
import { Overview } from './components/overview.js';
import { TextView, isText, isNested } from './components/text-view.js';
import { WeblogView, isWeblog } from './components/weblog-view.js';
import { ErrorBar, ProgressBar } from './components/status.js';
import { setupInputs, sampleFiles } from './components/dropzone.js';
import { saveEntry } from './components/save.js';
import { Listing } from './listing.js';
import { setupSplitter } from './components/splitter.js';
import { keepNew, keptFor, productsText } from './kept-package.js';
import { prepare } from './index-store.js';

const $ = (id) => document.getElementById(id);
const client = new WorkerClient(new URL('./worker.js', import.meta.url));
const errors = new ErrorBar($('error'));
const progress = new ProgressBar($('progress'), { oncancel: () => client.cancel() });
const inspector = new Inspector($('inspector'), { onsave: save });
const overview = new Overview($('overview'), { onopen: (path) => openPath(path) });
const textView = new TextView($('text-panel'), { client, oncontdat: (ref, text) => rememberContDat(ref, text) });
const imageView = new ImageView($('image-panel'), { client, inspector, progress, onerror: (e) => errors.show(e.message), onopen: (path) => openPath(path) });
const weblogView = new WeblogView($('weblog-panel'), { client, progress, onerror: (e) => errors.show(e.message) });
const tree = new Tree($('tree'), { onselect: (entry) => select(entry, true) });

/** Files shown in the image viewer: FITS, gzipped FITS, and `.fz` (fpack'ed FITS; the reader
 * says plainly what it cannot decode rather than the page showing nothing). */
const IMAGE = /\.(fits?(\.gz)?|fz)$/i;

// `keys`: index keys of the files open, in order (they name the package model kept).
const state = { containers: [], keys: [], opened: [], files: new Map(), contDat: new Map() };
let nextId = 1; // the id of the next file handed to the worker

client.onprogress = (p) => progress.update(p);
client.oncrash = async (message) => {
  await reopen();
  errors.show(`The file reader stopped unexpectedly (${message}). It was restarted and the package re-opened.`);
};

/** Opens files (adding them to what is already open) and shows the package tree. A package
 * seen before (every file's index and the model kept) is shown at once, from what was kept;
 * the worker takes the files meanwhile. */
async function open(files) {
  if (!performance.getEntriesByName('almapkg:drop').length) performance.mark('almapkg:drop');
  errors.clear();
  progress.start(`Indexing ${files.length} file${files.length > 1 ? 's' : ''}`);
  try {
    const complete = state.containers.every((c) => !c.error && !c.stopped);
    const kept = await keptFor(files, state.keys, complete);
    const ids = files.map(() => nextId++);
    const handOver = () => client.call('open', { files, ids, kept: kept.indexes, head: kept.head });
    state.opened.push(...files);
    files.forEach(({ file }, i) => state.files.set(ids[i], file));
    if (kept.head && kept.indexes.every(Boolean)) {
      const containers = files.map(({ file, name }, i) => ({ id: ids[i], name, size: file.size, kind: 'tar', recalled: true, columns: kept.indexes[i], paths: kept.paths[i] }));
      // Handed to the worker once shown (copying the kept indexes to it takes milliseconds),
      // still in this task, so before anything the user does reaches the worker; handed over
      // even if showing fails, so that the page and the worker agree on what is open.
      try {
        showPackage(containers, kept.head, true);
      } finally {
        handOver().then(({ containers: opened }) => reportProblems(opened), (err) => errors.show(err.message));
      }
    } else {
      const opened = await handOver();
      opened.containers.forEach((c, i) => { if (c.recalled) Object.assign(c, { columns: kept.indexes[i], paths: kept.paths[i] }); });
      showPackage(opened.containers, opened.package, opened.modelKept);
      keepNew(kept, opened);
    }
    state.keys.push(...kept.keys);
    const whole = state.containers.every((c) => !c.error && !c.stopped);
    state.products = loadProducts(kept.modelKeys && whole ? kept.modelKeys.products : null);
  } catch (err) {
    errors.show(err.message);
  } finally {
    progress.stop();
    performance.clearMarks('almapkg:drop');
  }
}

/** Shows the package after files were added: `containers` the files, `head` the head of
 * the package model (JSON text), `modelKept`: it was kept from an earlier visit. */
function showPackage(containers, head, modelKept) {
  state.package = JSON.parse(head);
  state.modelKept = modelKept;
  addContainers(containers);
}

/** After a worker crash: the Files are still here, so open them again in the new worker. */
async function reopen() {
  const files = state.opened;
  state.opened = [];
  state.containers = [];
  state.keys = [];
  state.files = new Map();
  state.contDat = new Map();
  if (files.length) await open(files);
}

/** Shows what went wrong with opened files (none could be opened, a tar is damaged). */
function reportProblems(containers) {
  const problems = [];
  for (const c of containers) {
    if (c.error) problems.push(`${c.name}: ${c.error}`);
    else if (c.stopped) problems.push(`${c.name}: ${c.stopped}. The entries before that point are listed.`);
  }
  if (problems.length) errors.show(problems.join('\n'));
}

function addContainers(containers) {
  state.containers.push(...containers);
  reportProblems(containers);
  const listing = new Listing(state.containers.filter((c) => c.columns));
  if (!listing.length) return;
  state.listing = listing;
  $('app').classList.remove('empty');
  $('close').hidden = false;
  tree.show(listing);
  overview.show(state.package, listing, state.containers, state.modelKept);
  for (const member of state.contDat.keys()) offerContDat(member);
  showSummary();
  performance.measure('almapkg:index', 'almapkg:drop');
  // What the first screen does not show, in a task of its own: after the files are handed
  // to the worker (see open), which the background reads and a file named in the URL need.
  setTimeout(() => {
    weblogView.show(listing);
    loadAuxProducts();
    const hash = new URLSearchParams(location.hash.slice(1)).get('file');
    const single = listing.length === 1 ? listing.keys[0] : null;
    if (hash) tree.reveal(hash);
    else if (single && (IMAGE.test(single) || isText(single))) tree.reveal(single); // a single FITS or text file dropped: show it
  }, 0);
}

/** Every member's products (the model's second part), once the package is on screen: the
 * Overview draws its first rows from the model's head and the rest from these (kept under
 * `key`, null: not to be kept). Resolves to the whole model, or null if it could not be read
 * or another package was opened since. */
async function loadProducts(key) {
  const shown = state.package;
  try {
    const perMember = JSON.parse(await productsText(client, key, state.modelKept));
    if (state.package !== shown) return null;
    perMember.forEach((products, i) => { shown.members[i].products = products; });
    overview.showProducts(shown);
    return shown;
  } catch (err) {
    errors.show(`The product list could not be read: ${err.message}`);
    return null;
  }
}

/** Saves a file out of the package; links are saved as the file they point to. */
function save(entry) {
  const target = followLink(entry);
  if (!target) { errors.show(brokenLink(entry)); return; }
  saveEntry(state.files.get(target.container), { ...target, path: entry.path });
}

/** The file a link leads to in its own tar (itself for a file); null when it leads nowhere. */
function followLink(entry) {
  let target = entry;
  for (let hops = 0; target && target.link && hops < 16; hops++) {
    const dir = target.path.split('/').slice(0, -1);
    const wanted = target.type === 'symlink' ? normalise([...dir, ...target.link.split('/')]) : target.link;
    target = state.listing.get(wanted, entry.container);
  }
  return target && !target.link ? target : null;
}

function brokenLink(entry) {
  return `${entry.path} is a link to ${entry.link}, which does not lead to a file in the package (missing target, a loop of links, or a path outside the package).`;
}

function normalise(parts) {
  const out = [];
  for (const p of parts) { if (p === '..') out.pop(); else if (p && p !== '.') out.push(p); }
  return out.join('/');
}

function showSummary() {
  const code = /^(?:[^/]+\/)?(\d{4}\.\d\.\d{5}\.[A-Z])\//;
  let project = null;
  for (const key of state.listing.keys) if ((project = code.exec(key))) break; // the first will do
  const tars = state.containers.filter((c) => c.kind === 'tar').length;
  const bytes = state.containers.reduce((s, c) => s + (c.size || 0), 0);
  $('summary').textContent = [project && project[1], tars ? `${tars} tar${tars > 1 ? 's' : ''}` : null, humanSize(bytes)].filter(Boolean).join(' · ');
}

function showTab(name) {
  for (const t of document.querySelectorAll('[role="tab"]')) t.setAttribute('aria-selected', String(t.dataset.tab === name));
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.dataset.panel !== name;
  $('app').classList.toggle('no-inspector', name === 'weblog');
  state.tab = name;
}

/** Shows a file: FITS in the image viewer, text in the text viewer. */
async function select(entry, push) {
  inspector.showFile(entry);
  if (push) history.pushState({ file: entry.path }, '', `#file=${encodeURIComponent(entry.path)}`);
  const target = followLink(entry);
  if (!target) { errors.show(brokenLink(entry)); return; }
  const ref = { container: target.container, offset: target.offset, size: target.size, name: entry.path.split('/').pop(), path: entry.path };
  try {
    if (IMAGE.test(ref.name)) {
      showTab('image');
      const product = await productOf(entry.path);
      if (await imageView.open({ ...ref, shade: continuumRanges(entry.path, product), companions: companionsOf(entry.path, product) })) showTclean(entry);
    } else if (isWeblog(entry.path)) {
      showTab('weblog');
      await weblogView.open(entry);
    } else if (isText(ref.name)) {
      showTab('text');
      await textView.open(ref);
    } else if (isNested(ref.name)) {
      showTab('text');
      await textView.openNested(ref);
    } else {
      showTab('text');
      textView.showNote(ref.name, 'The page has no viewer for this kind of file: use Save (in the inspector) to get it.');
    }
  } catch (err) {
    errors.show(`${ref.name}: ${err.message}`);
  }
}

/** The member OUS folder a path lies in. */
function memberOf(path) {
  const m = /^(.*\/member\.uid___[A-Za-z0-9_]+)\//.exec(path);
  return m ? m[1] : null;
}

/** Keeps a cont.dat found in a nested archive (for spectra) and offers it in the Overview. */
async function rememberContDat(ref, text) {
  const member = memberOf(ref.path || '');
  const known = state.contDat; // replaced when the package is closed or opened again
  if (!member || known.has(member)) return;
  try {
    const parsed = await client.call('parse', { kind: 'cont_dat', text });
    if (state.contDat !== known) return;
    known.set(member, { parsed, text, from: ref.name });
    offerContDat(member);
  } catch (err) {
    if (state.contDat === known) errors.show(`${ref.name}: cont.dat: ${err.message}`);
  }
}

/** A "cont.dat" button on the member's row of the Overview. */
function offerContDat(member) {
  const { text, from } = state.contDat.get(member);
  const uid = member.split('/').pop().replace(/^member\./, '');
  overview.addLink(uid, 'cont.dat', 'open-contdat', () => { showTab('text'); textView.showText('cont.dat', text, el('p', { class: 'muted' }, `from ${from}`)); });
}

/** Continuum ranges (GHz) of `product`, the one of the image at `path`, from its member's
 * cont.dat. */
function continuumRanges(path, product) {
  const member = memberOf(path);
  const contdat = member && state.contDat.has(member) && state.contDat.get(member).parsed;
  if (!contdat || !product || !product.spws) return [];
  const source = product.source.replace(/^_+|_+$/g, '');
  return contdat.fields.filter((f) => f.field.replace(/^_+|_+$/g, '') === source)
    .flatMap((f) => f.spws.filter((s) => product.spws.includes(s.spw)))
    .flatMap((s) => s.ranges.map((r) => [r.lo_ghz, r.hi_ghz]));
}

/** Shows the tclean call that made this image, when its member's casa_commands.log is open. */
async function showTclean(entry) {
  const member = state.package && state.package.members.find((m) => entry.path.startsWith(`${m.path}/`));
  const logPath = member && member.casa_commands[0];
  const log = logPath && state.listing.get(logPath);
  if (!log) return;
  const call = await client.call('tclean', { log: { container: log.container, offset: log.offset, size: log.size }, name: entry.path.split('/').pop() }).catch(() => null);
  if (call && inspector.path === entry.path) inspector.showTclean(call, logPath.split('/').pop()); // still shown
}

/** The product the image at `path` belongs to (as its primary or a companion), if any. */
async function productOf(path) {
  const pkg = await state.products;
  const products = pkg ? pkg.members.flatMap((m) => m.products) : [];
  return products.find((p) => p.primary === path || p.companions.some((c) => c.path === path));
}

/** The other images of `product`, the one `path` belongs to (pbcor ↔ pb, mask, tt1...). */
function companionsOf(path, product) {
  if (!product) return [];
  return [{ role: product.imagetype, path: product.primary }, ...product.companions].filter((c) => c.path !== path);
}

/** Reads each member's auxproducts.tgz in the background to find its cont.dat. */
async function loadAuxProducts() {
  const { listing, contDat } = state; // this package's: the loop stops if it is closed
  const aux = state.package.members.flatMap((m) => m.auxproducts).filter((path) => !contDat.has(memberOf(path)));
  for (const path of aux) {
    const entry = listing.get(path);
    if (!entry) continue;
    const name = path.split('/').pop();
    const ref = { container: entry.container, offset: entry.offset, size: entry.size, name, path };
    try {
      const { items } = await client.call('tgz', { ref });
      if (state.contDat !== contDat) return;
      const cont = items.find((i) => /(^|\/)cont\.dat$/.test(i.path) && i.data);
      if (cont) await rememberContDat(ref, new TextDecoder().decode(cont.data));
    } catch (err) {
      if (state.contDat !== contDat) return;
      errors.show(`${name}: ${err.message}`);
    }
  }
}

/** Opens a file by its path (from the Overview): selects it in the tree and shows it. */
function openPath(path) {
  if (!tree.reveal(path)) {
    const entry = state.listing.get(path);
    if (entry) select(entry, true);
  }
}

window.addEventListener('popstate', () => {
  const path = new URLSearchParams(location.hash.slice(1)).get('file');
  if (path) tree.reveal(path);
});

/** Closes the package: forgets the files, empties the weblog storage, back to the start. */
async function closePackage() {
  await client.call('close');
  navigator.serviceWorker?.controller?.postMessage('weblogs-forgotten');
  Object.assign(state, { containers: [], keys: [], opened: [], files: new Map(), contDat: new Map(), package: null, products: null, listing: null });
  for (const id of ['tree', 'overview', 'image-panel', 'text-panel', 'weblog-panel']) $(id).replaceChildren();
  inspector.clear();
  errors.clear();
  $('summary').textContent = '';
  $('close').hidden = true;
  $('app').classList.add('empty');
  showTab('overview');
  history.pushState({}, '', location.pathname);
}

function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('almapkg.theme', theme);
}
setTheme(localStorage.getItem('almapkg.theme') || 'dark');
$('theme').addEventListener('click', () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
$('close').addEventListener('click', closePackage);

for (const t of document.querySelectorAll('[role="tab"]')) t.addEventListener('click', () => showTab(t.dataset.tab));
$('filter').addEventListener('input', (e) => tree.setFilter(e.target.value));
$('help-btn').addEventListener('click', () => $('help').showModal());

window.addEventListener('keydown', (e) => {
  if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '?') { $('help').showModal(); return; }
  if (e.key === '/') { e.preventDefault(); $('filter').focus(); return; }
  if (e.target.closest('[role="tree"]')) return;
  if (e.key === 'w' && weblogView.weblogs.length) { showTab('weblog'); weblogView.open(weblogView.weblogs[0]); return; }
  if (state.tab === 'image' && imageView.key(e)) e.preventDefault();
});

prepare(); // opens the kept-index database now, not when the first file is dropped
setupSplitter($('splitter'));
setupInputs({
  onfiles: open,
  onsample: async () => {
    performance.mark('almapkg:drop');
    progress.start('Loading the sample package', { cancellable: false });
    try {
      await open(await sampleFiles());
    } catch (err) {
      errors.show(`Could not load the sample package: ${err.message}`);
    }
  },
});

/** Offline support; when a new version has been installed, offer to switch to it. */
async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const hadController = !!navigator.serviceWorker.controller;
  const reg = await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: new URL('../', import.meta.url).pathname });
  const offer = (worker) => {
    if (!hadController || !worker) return;
    const bar = $('update');
    bar.hidden = false;
    bar.querySelector('button').onclick = () => {
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
      worker.postMessage('skip-waiting');
    };
  };
  if (reg.waiting) offer(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker.addEventListener('statechange', () => { if (worker.state === 'installed') offer(worker); });
  });
}
registerServiceWorker().catch((err) => console.warn('almapkg: offline support unavailable:', err.message));
