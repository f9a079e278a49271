// The FITS header, card by card, with a search box: keyword, value and comment in columns.
import { el } from '../format.js';

export class HeaderView {
  constructor() {
    this.search = el('input', { type: 'search', class: 'filter', placeholder: 'Search the header', 'aria-label': 'Search the FITS header', oninput: () => this.filter() });
    this.body = el('tbody');
    this.root = el('section', { class: 'header-view', 'data-testid': 'header-view' }, el('h3', {}, 'FITS header'), this.search,
      el('table', { class: 'table cards mono' }, this.body));
  }

  /** `cards`: [{key, value, comment}] as the worker sends them. */
  show(cards) {
    this.rows = cards.map((c) => {
      const row = el('tr', { title: c.raw || '' }, el('td', {}, c.key || ''), el('td', {}, c.value ?? ''), el('td', { class: 'muted' }, c.comment || ''));
      row.text = `${c.key} ${c.value ?? ''} ${c.comment || ''}`.toLowerCase();
      return row;
    });
    this.body.replaceChildren(...this.rows);
    this.filter();
  }

  filter() {
    const q = this.search.value.trim().toLowerCase();
    for (const r of this.rows || []) r.hidden = q !== '' && !r.text.includes(q);
  }
}
