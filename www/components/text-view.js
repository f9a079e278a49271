// Text files of a delivery read in the page: README, cont.dat, logs, scripts, XML.
import { el, humanSize } from '../format.js';
import { highlight, languageOf } from '../highlight.js';

const TEXT = /(readme|\.txt|\.log|\.py|\.xml|\.dat|\.csv|\.json|\.html?|\.md)$/i;

export function isText(name) {
  return TEXT.test(name) || /(^|\/)README$/.test(name);
}

export class TextView {
  constructor(panel, { client }) {
    this.panel = panel;
    this.client = client;
  }

  async open(ref) {
    const { text, truncated } = await this.client.call('text', ref);
    const note = truncated ? el('p', { class: 'muted' }, `Showing the first ${humanSize(text.length)} of ${humanSize(ref.size)}.`) : null;
    this.panel.replaceChildren(el('div', { class: 'text-view', 'data-testid': 'text-view' },
      el('h2', { class: 'mono' }, ref.name), note, el('pre', { class: 'mono' }, highlight(text, languageOf(ref.name)))));
  }
}
