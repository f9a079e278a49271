// The package tree: project → science goal → group → member → folders → files, with sizes.
// A WAI-ARIA tree: arrow keys move and fold, Enter opens; children render when first unfolded
// so a package of thousands of entries draws at once.
import { el, humanSize, exactBytes } from '../format.js';

/** Builds the folder hierarchy from the merged entries of every dropped file. Folders are
 * found by their path in a map, so each entry costs a lookup or two, not one per folder on
 * its path (a 5 000-entry package is built on a fresh page, before V8 optimises this). */
export function buildTree(entries) {
  const root = { name: '', path: '', children: new Map(), size: 0, dir: true };
  const folders = new Map([['', root]]);
  const child = (parent, path, name, dir) => {
    let node = parent.children.get(name);
    if (!node) {
      node = { name, path, children: new Map(), size: 0, dir };
      parent.children.set(name, node);
    }
    return node;
  };
  const folder = (path) => {
    let node = folders.get(path);
    if (!node) {
      const cut = path.lastIndexOf('/');
      node = child(folder(cut < 0 ? '' : path.slice(0, cut)), path, path.slice(cut + 1), true);
      folders.set(path, node);
    }
    return node;
  };
  for (const entry of entries) {
    const path = normalPath(entry.path);
    if (!path) continue;
    const cut = path.lastIndexOf('/');
    const node = child(folder(cut < 0 ? '' : path.slice(0, cut)), path, path.slice(cut + 1), entry.type === 'dir');
    if (entry.type !== 'dir') { node.entry = entry; node.dir = false; }
  }
  addSizes(root);
  return root;
}

/** Sets each folder's size to the sum of its files'; returns the node's size. */
function addSizes(node) {
  if (!node.dir) return (node.size = node.entry.size);
  let size = 0;
  for (const c of node.children.values()) size += addSizes(c);
  return (node.size = size);
}

/** `path` without empty parts (leading, trailing or doubled slashes). */
function normalPath(path) {
  const clean = !path.startsWith('/') && !path.endsWith('/') && !path.includes('//');
  return clean ? path : path.split('/').filter(Boolean).join('/');
}

/** A folder with more files than this starts folded: the Overview lists the products, and
 * drawing thousands of rows would delay the first view of a big package. */
const MANY = 200;

/** Folders with more files than this are filled in just after the first draw. */
const DRAW_AT_ONCE = 24;

/** Folders worth unfolding at first: everything down to the member OUS and its product/ folder. */
function openByDefault(node, depth) {
  if (node.children.size > MANY) return false;
  return depth < 4 || /^member\./.test(node.name) || node.name === 'product';
}

/** Inside a member folder its files repeat the member's name: show it as "…" so the part
 * that tells products apart stays visible in a narrow panel. */
function shortName(node) {
  const member = /(?:^|\/)(member\.uid___[A-Za-z0-9_]+)\//.exec(node.path);
  if (!member || node.dir || !node.name.startsWith(`${member[1]}.`)) return el('bdi', {}, node.name);
  return el('bdi', {}, el('span', { class: 'prefix', title: member[1] }, '…'), node.name.slice(member[1].length));
}

export class Tree {
  constructor(container, { onselect }) {
    this.container = container;
    this.onselect = onselect;
    this.filter = '';
    container.addEventListener('keydown', (e) => this.key(e));
    container.addEventListener('click', (e) => this.click(e));
  }

  show(entries) {
    this.root = buildTree(entries);
    this.render();
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.render();
  }

  render() {
    this.container.replaceChildren();
    if (!this.root) return;
    const items = [...this.root.children.values()].map((c) => this.item(c, 0));
    this.container.append(...items);
    const first = this.container.querySelector('[role="treeitem"]');
    if (first) first.tabIndex = 0;
  }

  matches(node) {
    if (!this.filter) return true;
    if (!node.dir) return node.path.toLowerCase().includes(this.filter);
    return [...node.children.values()].some((c) => this.matches(c));
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
    if (node.dir) this.setExpanded(li, this.filter !== '' || openByDefault(node, depth), true);
    return li;
  }

  /** Folds or unfolds a folder. While the tree is first drawn (`drawing`), a folder of many
   * files gets its rows right after, so the package shows at once. */
  setExpanded(li, open, drawing = false) {
    li.setAttribute('aria-expanded', String(open));
    li.querySelector(':scope > .row > .twisty').textContent = open ? '▾' : '▸';
    if (!open) return;
    if (drawing && li.node.children.size > DRAW_AT_ONCE) setTimeout(() => this.fill(li), 0);
    else this.fill(li);
  }

  /** Draws a folder's rows, once. */
  fill(li) {
    if (li.querySelector(':scope > [role="group"]')) return;
    const depth = Number(li.getAttribute('aria-level'));
    const kids = [...li.node.children.values()]
      .sort((a, b) => (b.dir - a.dir) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => this.item(c, depth));
    li.append(el('div', { role: 'group' }, kids));
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
