// Text files of a delivery read in the page: README, scripts and XML (highlighted),
// cont.dat as a table, casa_commands.log folded by pipeline stage, and nested .tgz archives
// (auxproducts, caltables) listed on demand with their small files readable.
import { el, humanSize, num } from '../format.js';
import { highlight, languageOf } from '../highlight.js';

const TEXT = /(readme|\.txt|\.log|\.py|\.xml|\.dat|\.csv|\.json|\.html?|\.md)$/i;
const NESTED = /\.(tgz|tar\.gz)$/i;

export function isText(name) {
  return TEXT.test(name) || /(^|\/)README$/.test(name);
}

export function isNested(name) {
  return NESTED.test(name);
}

export class TextView {
  constructor(panel, { client, oncontdat }) {
    this.panel = panel;
    this.client = client;
    this.oncontdat = oncontdat;
    this.turns = 0; // one per file asked for: a late reply for an earlier file is dropped
  }

  /** Shows a text entry of the package. */
  async open(ref) {
    const turn = this.begin(ref.name);
    const { text, truncated } = await this.reading(turn, this.client.call('text', ref));
    if (turn !== this.turns) return;
    const note = truncated ? el('p', { class: 'muted' }, `Showing the first ${humanSize(text.length)} of ${humanSize(ref.size)}.`) : null;
    await this.showText(ref.name, text, note, null, turn);
  }

  /** Starts showing `name`: at once its name and that it is being read (a large file or a
   * busy worker takes a moment, and the file shown before must not pass for it). Returns
   * the turn that the results for `name` must still hold to be shown. */
  begin(name) {
    this.panel.replaceChildren(el('div', { class: 'text-view', 'aria-busy': 'true', 'data-testid': 'text-loading' },
      el('h2', { class: 'mono' }, name), el('p', { class: 'muted' }, 'Reading…')));
    return ++this.turns;
  }

  /** `promise`, with its failure also said in place of "Reading…" (still this turn's). */
  async reading(turn, promise) {
    try {
      return await promise;
    } catch (err) {
      if (turn === this.turns) this.panel.querySelector('[aria-busy] p')?.replaceChildren(`Could not read this file: ${err.message}`);
      throw err;
    }
  }

  /** Shows `text` as the file `name` (a table for cont.dat, stages for casa_commands.log),
   * unless another file was asked for since `turn` began (by default, it begins here). */
  async showText(name, text, note = null, back = null, turn = this.begin(name)) {
    let body;
    if (/cont\.dat$/i.test(name)) body = await this.contDat(text);
    else if (/casa_commands\.log$/i.test(name)) body = await this.casaCommands(text);
    else body = el('pre', { class: 'mono' }, highlight(text, languageOf(name)));
    if (turn !== this.turns) return;
    this.panel.replaceChildren(el('div', { class: 'text-view', 'data-testid': 'text-view' },
      back, el('h2', { class: 'mono' }, name), note, body));
  }

  /** A short note in place of a file the page cannot show. */
  showNote(name, text) {
    this.turns++;
    this.panel.replaceChildren(el('div', { class: 'text-view', 'data-testid': 'text-view' },
      el('h2', { class: 'mono' }, name), el('p', { class: 'muted', 'data-testid': 'no-viewer' }, text)));
  }

  /** cont.dat as a table: field, spw, ranges (GHz) with their frame, flags. */
  async contDat(text) {
    let parsed;
    try {
      parsed = await this.client.call('parse', { kind: 'cont_dat', text });
    } catch (err) {
      return el('div', {}, el('p', { class: 'bad' }, `Could not read this cont.dat: ${err.message}`), el('pre', { class: 'mono' }, text));
    }
    const rows = parsed.fields.flatMap((f) => f.spws.map((s) => el('tr', {},
      el('td', { class: 'mono' }, f.field), el('td', { class: 'num' }, s.spw), el('td', { class: 'mono muted' }, s.name || ''),
      el('td', { class: 'mono' }, s.all ? 'all continuum' : s.none ? 'no continuum found' : s.ranges.length ? s.ranges.map((r) => `${num(r.lo_ghz, 10)}–${num(r.hi_ghz, 10)} GHz ${r.frame}`).join('\n') : '(findcont found nothing: all continuum)'),
      el('td', {}, s.flags.join(', ')))));
    return el('table', { class: 'table contdat', 'data-testid': 'cont-dat-table' },
      el('caption', { class: 'muted' }, `cont.dat, format v${parsed.version}`),
      el('thead', {}, el('tr', {}, ['field', 'spw', 'spw name', 'continuum ranges', 'flags'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows));
  }

  /** casa_commands.log folded by pipeline stage; each stage lists its CASA calls. */
  async casaCommands(text) {
    const parsed = await this.client.call('parse', { kind: 'casa_commands', text });
    return el('div', { class: 'stages', 'data-testid': 'casa-stages' }, parsed.stages.map((s) => el('details', { class: 'stage' },
      el('summary', { class: 'mono' }, s.index ? `${s.index}. ${s.task_call}` : '(before the first stage)', el('span', { class: 'muted' }, `  ${s.calls.length} call${s.calls.length === 1 ? '' : 's'}`)),
      s.description ? el('p', { class: 'muted' }, s.description) : null,
      el('pre', { class: 'mono' }, highlight(s.calls.map((c) => c.text).join('\n\n'), 'python')))));
  }

  /** Lists a nested archive; its small files open in place. */
  async openNested(ref) {
    const turn = this.begin(ref.name);
    const { items } = await this.reading(turn, this.client.call('tgz', { ref }));
    if (turn !== this.turns) return [];
    const show = () => this.panel.replaceChildren(listing);
    const back = el('button', { type: 'button', class: 'btn small', onclick: show }, `← ${ref.name}`);
    const decoder = new TextDecoder();
    const rows = items.map((i) => el('tr', {},
      el('td', { class: 'mono' }, i.data && isText(i.path)
        ? el('button', { type: 'button', class: 'linkish mono', onclick: () => this.showText(i.path.split('/').pop(), decoder.decode(i.data), el('p', { class: 'muted' }, `in ${ref.name}`), back) }, i.path)
        : i.path + (i.target ? ` → ${i.target}` : '')),
      el('td', { class: 'num' }, i.target ? 'link' : humanSize(i.size))));
    const listing = el('div', { class: 'text-view', 'data-testid': 'nested-listing' },
      el('h2', { class: 'mono' }, ref.name), el('p', { class: 'muted' }, `${items.length} entries, inflated in the page.`),
      el('table', { class: 'table' }, el('tbody', {}, rows)));
    show();
    for (const i of items) if (/(^|\/)cont\.dat$/.test(i.path) && i.data) this.oncontdat(ref, decoder.decode(i.data));
    return items;
  }
}
