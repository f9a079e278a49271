// The package tree: project → science goal → group → member → folders → files, with sizes.
// A WAI-ARIA tree: arrow keys move and fold, Enter opens. A folder's rows are asked of the
// listing (listing.js) when it is first unfolded, so a package of thousands of entries draws
// at once.
import { el, humanSize, exactBytes } from '../format.js';

/** A folder with more files than this starts folded: the Overview lists the products, and
 * drawing thousands of rows would delay the first view of a big package. */
const MANY = 200;

/** Folders with more files than this are filled in just after the first draw. */
const DRAW_AT_ONCE = 24;

/** Folders worth unfolding at first: everything down to the member OUS and its product/
 * folder. */
function worthOpening(node, depth) {
  return depth < 4 || /^member\./.test(node.name) || node.name === 'product';
}

/** The end of a file name kept whole when the name does not fit: its image type and
 * extension (".pbcor.fits", ".pb.fits.gz", ".weblog.tgz"). */
const TAIL = /(\.[^.]+){2}(\.gz)?$/;

/** A file's name as shown: inside a member folder the member's name it repeats becomes "…";
 * a name too long for the panel loses its middle, so that what tells products apart most
 * often (the source at the start, the image type at the end) stays in sight. */
function shortName(node) {
  const member = /(?:^|\/)(member\.uid___[A-Za-z0-9_]+)\//.exec(node.path);
  const own = member && node.name.startsWith(`${member[1]}.`);
  const rest = own ? node.name.slice(member[1].length) : node.name;
  const tail = node.dir ? null : TAIL.exec(rest);
  const head = tail ? rest.slice(0, tail.index) : rest;
  return el('bdi', { class: 'label' },
    el('span', { class: 'head' }, own ? el('span', { class: 'prefix', title: member[1] }, '…') : null, head),
    tail ? el('span', { class: 'tail' }, tail[0]) : null);
}

export class Tree {
  constructor(container, { onselect }) {
    this.container = container;
    this.onselect = onselect;
    this.filter = '';
    container.addEventListener('keydown', (e) => this.key(e));
    container.addEventListener('click', (e) => this.click(e));
  }

  /** Shows the entries of `listing` (a Listing). */
  show(listing) {
    this.listing = listing;
    this.render();
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.render();
  }

  render() {
    this.container.replaceChildren();
    if (!this.listing) return;
    const items = this.kids('', 0);
    this.container.append(...items);
    const first = this.container.querySelector('[role="treeitem"]');
    if (first) first.tabIndex = 0;
  }

  matches(node) {
    if (!this.filter) return true;
    if (!node.dir) return node.path.toLowerCase().includes(this.filter);
    return this.listing.contains(node.path, this.filter);
  }

  /** The rows of the folder at `path`: folders first, then by name. */
  kids(path, depth) {
    return this.listing.children(path)
      .sort((a, b) => (b.dir - a.dir) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => this.item(c, depth));
  }

  item(node, depth) {
    if (!this.matches(node)) return null;
    const entry = node.entry;
    const kind = entry && /\.fits(\.gz)?$/i.test(node.name) ? ' image' : '';
    const link = entry && entry.link ? ' link' : '';
    const li = el('div', {
      role: 'treeitem', tabindex: '-1', class: node.dir ? 'dir' : `file${kind}${link}`,
      'aria-level': depth + 1, dataset: { path: node.path },
    });
    li.node = node;
    const label = entry && entry.link ? `${node.name} → ${entry.link}` : shortName(node);
    li.append(el('div', { class: 'row', title: `${node.path}\n${exactBytes(node.size)}` },
      el('span', { class: 'twisty', 'aria-hidden': 'true' }, node.dir ? '▸' : ''),
      el('span', { class: 'name' }, label),
      el('span', { class: 'size' }, node.dir && node.size === 0 ? '' : humanSize(node.size))));
    if (node.dir) this.setExpanded(li, this.filter !== '' || this.openAtFirst(node, depth), true);
    return li;
  }

  /** Whether a folder is drawn unfolded at first: worth it, and not crowded. */
  openAtFirst(node, depth) {
    if (!worthOpening(node, depth)) return false;
    node.count = this.listing.children(node.path, MANY + 1).length; // up to MANY + 1, for setExpanded
    return node.count <= MANY;
  }

  /** Folds or unfolds a folder. While the tree is first drawn (`drawing`), a folder of many
   * files gets its rows right after, so the package shows at once. */
  setExpanded(li, open, drawing = false) {
    li.setAttribute('aria-expanded', String(open));
    li.querySelector(':scope > .row > .twisty').textContent = open ? '▾' : '▸';
    if (!open) return;
    if (drawing && (li.node.count ?? Infinity) > DRAW_AT_ONCE) setTimeout(() => this.fill(li), 0);
    else this.fill(li);
  }

  /** Draws a folder's rows, once. */
  fill(li) {
    if (li.querySelector(':scope > [role="group"]')) return;
    li.append(el('div', { role: 'group' }, this.kids(li.node.path, Number(li.getAttribute('aria-level')))));
  }

  visibleItems() {
    return [...this.container.querySelectorAll('[role="treeitem"]')].filter((n) => n.offsetParent !== null);
  }

  focus(li) {
    for (const n of this.container.querySelectorAll('[tabindex="0"]')) n.tabIndex = -1;
    li.tabIndex = 0;
    li.focus();
  }

  activate(li) {
    if (li.node.dir) { this.setExpanded(li, li.getAttribute('aria-expanded') !== 'true'); return; }
    for (const n of this.container.querySelectorAll('[aria-selected="true"]')) n.removeAttribute('aria-selected');
    li.setAttribute('aria-selected', 'true');
    this.onselect(li.node.entry);
  }

  /** Selects the file at `path` (from the URL hash or another view), unfolding its folders. */
  reveal(path) {
    const parts = path.split('/');
    let li = null;
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      li = [...this.container.querySelectorAll('[role="treeitem"]')].find((n) => n.dataset.path === p);
      if (!li) return false;
      if (li.node.dir) this.setExpanded(li, true);
    }
    this.focus(li);
    li.scrollIntoView({ block: 'nearest' });
    this.activate(li);
    return true;
  }

  click(e) {
    const li = e.target.closest('[role="treeitem"]');
    if (!li) return;
    this.focus(li);
    this.activate(li);
  }

  key(e) {
    const li = e.target.closest('[role="treeitem"]');
    if (!li) return;
    const items = this.visibleItems();
    const i = items.indexOf(li);
    const open = li.getAttribute('aria-expanded') === 'true';
    const moves = {
      ArrowDown: () => items[i + 1] && this.focus(items[i + 1]),
      ArrowUp: () => items[i - 1] && this.focus(items[i - 1]),
      ArrowRight: () => (li.node.dir && !open ? this.setExpanded(li, true) : items[i + 1] && this.focus(items[i + 1])),
      ArrowLeft: () => (li.node.dir && open ? this.setExpanded(li, false) : li.parentElement.closest('[role="treeitem"]') && this.focus(li.parentElement.closest('[role="treeitem"]'))),
      Home: () => this.focus(items[0]),
      End: () => this.focus(items[items.length - 1]),
      Enter: () => this.activate(li),
      ' ': () => this.activate(li),
    };
    if (moves[e.key]) { e.preventDefault(); e.stopPropagation(); moves[e.key](); }
  }
}
