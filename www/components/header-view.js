// The FITS header, card by card, with a search box: keyword, value and comment in columns.
// Only the first cards (or the first matches of a search) become table rows: a hostile or
// huge header (up to 100 000 cards) must not freeze the page building rows nobody reads.
import { el } from '../format.js';

/** Rows drawn at most; the rest are reached by searching. */
const SHOWN = 1000;

export class HeaderView {
  constructor() {
    this.search = el('input', { type: 'search', class: 'filter', placeholder: 'Search the header', 'aria-label': 'Search the FITS header', oninput: () => this.filter() });
    this.body = el('tbody');
    this.cards = [];
    this.root = el('section', { class: 'header-view', 'data-testid': 'header-view' }, el('h3', {}, 'FITS header'), this.search,
      el('table', { class: 'table cards mono' }, this.body));
  }

  /** `cards`: [{key, value, comment}] as the worker sends them. */
  show(cards) {
    // Searched as "KEY value comment", blanks collapsed: "comment 12" finds COMMENT cards.
    const text = (c) => [c.key, c.value, c.comment].filter((v) => v !== null && v !== undefined && String(v).trim() !== '').join(' ');
    this.cards = cards.map((c) => ({ card: c, text: text(c).toLowerCase() }));
    this.filter();
  }

  filter() {
    const q = this.search.value.trim().toLowerCase();
    const matches = q ? this.cards.filter((c) => c.text.includes(q)) : this.cards;
    const rows = matches.slice(0, SHOWN).map(({ card: c }) =>
      el('tr', { title: c.raw || '' }, el('td', {}, c.key || ''), el('td', {}, c.value ?? ''), el('td', { class: 'muted' }, c.comment || '')));
    const more = matches.length - rows.length;
    const note = more > 0 ? el('tr', { 'data-testid': 'header-more' }, el('td', { colspan: 3, class: 'muted' },
      `… ${more} more card${more > 1 ? 's' : ''} of ${this.cards.length}: search to find one.`)) : null;
    this.body.replaceChildren(...rows, ...(note ? [note] : []));
  }
}
