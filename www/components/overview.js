// The Overview tab: the package as ALMA users think of it. Per member OUS a summary line,
// shortcuts to its README, weblog, cont.dat and casa_commands.log, and a product table
// grouped source → intent → spw, each token explained on hover.
import { el, humanSize, exactBytes } from '../format.js';

const COLUMNS = ['source', 'intent', 'spw', 'specmode', 'Stokes', 'image', 'companions', 'size'];

/** Rows drawn at once: as many as a window's height could show below the ~200 px above the
 * first table (header, tabs, member line; rows are 25 px or more). Longer lists get the rest
 * a batch at a time right after, so a package of thousands of files shows its first screen
 * without waiting for them all. */
const firstRows = () => Math.max(10, Math.ceil((window.innerHeight - 200) / 25));
const BATCH = 400;

/** Appends `make(item)` for every item to `parent`: the first rows now, then BATCH per task,
 * in order; `after` runs after each later batch. */
function appendInBatches(parent, items, make, after = () => {}) {
  const first = firstRows();
  parent.append(...items.slice(0, first).map(make));
  for (let at = first; at < items.length; at += BATCH) {
    setTimeout(() => {
      parent.append(...items.slice(at, at + BATCH).map(make));
      after();
    }, 0);
  }
}

export class Overview {
  constructor(panel, { onopen }) {
    this.panel = panel;
    this.onopen = onopen; // (path) => void
  }

  /** `pkg`: the worker's package model; `listing`: the entries (listing.js); `containers`:
   * opened files; `modelKept`: the model was kept from an earlier visit, not built again. */
  show(pkg, listing, containers, modelKept) {
    this.pkg = pkg;
    this.listing = listing;
    this.explain = pkg.explanations || {};
    this.tables = new Map(); // member → its product table's rows so far, and how to add more
    this.filterText = el('input', { type: 'search', class: 'filter', placeholder: 'Filter products (source, spw, cube…)', 'aria-label': 'Filter products', oninput: () => this.applyFilter() });
    const members = pkg.members.map((m) => this.member(m));
    const problems = containers.filter((c) => c.error || c.stopped);
    const recalled = containers.filter((c) => c.recalled).length;
    this.panel.replaceChildren(el('div', { class: 'overview' },
      el('div', { class: 'overview-head' }, el('h2', {}, pkg.projects.length ? `Project ${pkg.projects.join(', ')}` : 'Opened files'), this.filterText),
      recalled ? el('p', { class: 'muted', 'data-testid': 'recalled' }, `${recalled} of ${containers.length} files listed from the index kept at an earlier visit (same name, size and date): no header was read${modelKept ? ', no file name classified again' : ''}.`) : null,
      problems.length ? el('ul', { class: 'bad' }, problems.map((c) => el('li', {}, `${c.name}: ${c.error || c.stopped}`))) : null,
      members,
      pkg.loose.length ? this.loose(pkg.loose) : null));
  }

  /** Adds the rows of `pkg` (the model shown, its product lists now whole) that the head
   * of the model did not hold. */
  showProducts(pkg) {
    if (pkg !== this.pkg) return;
    for (const m of pkg.members) {
      const table = this.tables.get(m);
      if (table && m.products.length > table.shown) table.add(m.products.slice(table.shown));
    }
  }

  /** Adds a shortcut to a member's row (e.g. a cont.dat found inside auxproducts.tgz). */
  addLink(memberUid, label, testid, onclick) {
    const section = [...this.panel.querySelectorAll('[data-testid="member"]')].find((s) => s.dataset.uid === memberUid);
    if (section) section.querySelector('.member-links').append(el('button', { type: 'button', class: 'btn small', 'data-testid': testid, onclick }, label));
  }

  tip(token) {
    return this.explain[token] || null;
  }

  token(value, key = value) {
    if (value === null || value === undefined || value === '') return '';
    return el('span', { class: this.tip(key) ? 'token' : null, title: this.tip(key) }, String(value));
  }

  member(m) {
    const s = m.summary;
    const facts = [
      `${s.source_count} source${s.source_count === 1 ? '' : 's'}`,
      s.spws.length ? `spw ${s.spws.join(', ')}` : null,
      `${s.product_count} products`,
      humanSize(s.total_bytes),
      s.cycle !== null && s.cycle !== undefined ? `Cycle ${s.cycle}` : null,
    ].filter(Boolean).join(' · ');
    const link = (label, path, testid) => path ? el('button', { type: 'button', class: 'btn small', 'data-testid': testid, title: path, onclick: () => this.onopen(path) }, label) : null;
    return el('section', { class: 'member', 'data-testid': 'member', dataset: { uid: m.uid } },
      el('h3', { class: 'mono' }, m.uid, el('span', { class: 'muted' }, `  ${[m.project, m.group && `group ${m.group}`].filter(Boolean).join(' · ')}`)),
      el('p', { class: 'member-summary' }, facts),
      el('div', { class: 'member-links' },
        link('README', m.readme, 'open-readme'),
        ...m.weblogs.map((w) => link('Weblog', w, 'open-weblog')),
        ...m.cont_dat.map((c) => link('cont.dat', c, 'open-contdat')),
        ...m.casa_commands.map((c) => link('casa_commands.log', c, 'open-casa-commands'))),
      m.products.length ? this.table(m) : el('p', { class: 'muted' }, 'No FITS products in the opened files for this member.'));
  }

  /** The product table of `member`, with the products it has so far; more come by `add`. */
  table(member) {
    const body = el('tbody');
    let last = {};
    const row = (p) => {
      const { row, group } = this.row(p, last);
      last = group;
      return row;
    };
    const table = {
      shown: 0,
      add: (more) => {
        table.shown += more.length;
        appendInBatches(body, more, row, () => { if (this.filterText.value) this.applyFilter(); });
      },
    };
    table.add(member.products);
    this.tables.set(member, table);
    return el('table', { class: 'table products', 'data-testid': 'product-table' },
      el('thead', {}, el('tr', {}, COLUMNS.map((c) => el('th', { class: c === 'size' ? 'num' : null }, c)))), body);
  }

  /** One product's row; source, intent and spw are left blank when they repeat the row above. */
  row(p, last) {
    const entry = this.listing.get(p.primary);
    const group = { source: p.source, intent: p.intent, spw: p.spws.join(',') };
    const same = (k) => last[k] === group[k] && (k === 'source' || same(k === 'intent' ? 'source' : 'intent'));
    const cells = [
      el('td', { class: 'mono' }, same('source') ? '' : p.source),
      el('td', {}, same('intent') ? '' : this.token(p.intent)),
      el('td', { class: 'mono' }, same('spw') ? '' : p.spws.join(', ')),
      el('td', {}, this.token(p.specmode)),
      el('td', {}, this.token(p.stokes)),
      el('td', {}, this.token(p.imagetype), p.datatype ? [' ', this.token(p.datatype)] : null, p.manual ? [' ', this.token('manual')] : null),
      el('td', { class: 'companions' }, p.companions.map((c) => el('button', { type: 'button', class: 'chip', title: `${this.tip(c.role) || c.role}\n${c.path}`, onclick: (e) => { e.stopPropagation(); this.onopen(c.path); } }, c.role))),
      el('td', { class: 'num', title: entry ? exactBytes(entry.size) : '' }, entry ? humanSize(entry.size) : ''),
    ];
    const row = el('tr', { tabindex: '0', class: 'product', title: p.primary, onclick: () => this.onopen(p.primary), onkeydown: (e) => { if (e.key === 'Enter') this.onopen(p.primary); } }, cells);
    row.search = [p.source, p.intent, `spw${p.spws.join('_')}`, p.specmode, p.stokes, p.imagetype, p.datatype, p.primary].join(' ').toLowerCase();
    return { row, group };
  }

  loose(files) {
    const list = el('ul', { class: 'loose' });
    appendInBatches(list, files, (f) => el('li', {}, el('button', { type: 'button', class: 'linkish mono', title: this.tip(`kind:${f.kind}`), onclick: () => this.onopen(f.path) }, f.path), el('span', { class: 'muted' }, `  ${humanSize(f.size)}`)));
    return el('section', { class: 'member' }, el('h3', {}, 'Other files'), list);
  }

  applyFilter() {
    const words = this.filterText.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of this.panel.querySelectorAll('tr.product')) row.hidden = !words.every((w) => row.search.includes(w));
  }
}
