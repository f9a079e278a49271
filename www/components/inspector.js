// The right-hand panel: facts about what is selected — the file, the image header summary,
// the plane statistics, and the live pixel readout under the cursor.
import { el, num, humanSize, breakable } from '../format.js';
import { HeaderView } from './header-view.js';
import { highlight } from '../highlight.js';

function kv(pairs) {
  return el('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .flatMap(([k, v, testid]) => [el('dt', {}, k), el('dd', { 'data-testid': testid }, Array.isArray(v) ? v : String(v))]));
}

export class Inspector {
  constructor(root, { onsave }) {
    this.root = root;
    this.onsave = onsave;
    this.file = el('section');
    this.image = el('section');
    this.plane = el('section');
    this.pixel = el('section', { 'data-testid': 'pixel-readout', 'aria-live': 'off' });
    this.limits = el('section');
    this.tclean = el('section', { 'data-testid': 'tclean' });
    this.header = new HeaderView();
    this.header.root.hidden = true;
    root.append(this.file, this.image, this.limits, this.pixel, this.plane, this.tclean, this.header.root);
  }

  clear() {
    for (const s of [this.file, this.image, this.plane, this.pixel, this.limits, this.tclean]) s.replaceChildren();
    this.header.root.hidden = true;
    this.path = null;
  }

  /** Shows a file of the package; `path` then names it (facts found later check it). */
  showFile(entry) {
    this.clear();
    this.path = entry.path;
    this.file.append(el('h3', {}, 'File'), kv([
      ['name', breakable(entry.path.split('/').pop())],
      ['size', `${humanSize(entry.size)}`],
      ['bytes', entry.size, 'inspector-bytes'],
      ['in', breakable(entry.containerName)],
      ['offset', entry.offset],
    ]), entry.type === 'dir' ? null : el('button', { type: 'button', class: 'btn small save', 'data-testid': 'save-file', onclick: () => this.onsave(entry) }, 'Save file…'));
  }

  showImage(m) {
    this.channels = m.channels;
    const beam = m.beam ? `${num(m.beam.bmaj_arcsec, 3)}″ × ${num(m.beam.bmin_arcsec, 3)}″, ${num(m.beam.bpa_deg, 3)}°` : null;
    this.image.replaceChildren(el('h3', {}, 'Image'), kv([
      ['object', m.object], ['shape', m.shape.join(' × ')], ['BITPIX', m.bitpix], ['BUNIT', m.bunit],
      ['beam', beam], ['frame', m.frame], ['SPECSYS', m.specsys],
      ['channels', m.channels > 1 ? m.channels : null], ['Stokes', m.stokes_count > 1 ? m.stokes_count : null],
    ]));
    this.header.show((m.header && m.header.cards) || []);
    this.header.root.hidden = false;
  }

  /** The plane's statistics. Stepping through a cube changes only the numbers, so they are
   * set in place: no new nodes to style and lay out on every channel. */
  showPlane(s) {
    const pairs = [['min', num(s.min)], ['max', num(s.max)], ['finite', s.finite], ['NaN/blank', s.nan]];
    const shown = this.plane.querySelectorAll('dd');
    if (shown.length === pairs.length) {
      pairs.forEach(([, v], i) => { shown[i].textContent = String(v); });
      return;
    }
    this.plane.replaceChildren(el('h3', {}, 'Plane statistics'), kv(pairs));
  }

  showPixel(p) {
    this.pixel.replaceChildren(el('h3', {}, 'Cursor'), kv([
      ['x, y', `${p.x}, ${p.y}`],
      ['value', `${num(p.value, 6)}${p.bunit ? ` ${p.bunit}` : ''}`],
      ['RA', p.ra], ['Dec', p.dec],
      ['RA°, Dec°', p.ra_deg !== undefined && p.ra_deg !== null ? `${p.ra_deg.toFixed(6)}, ${p.dec_deg.toFixed(6)}` : null],
      ['frequency', p.freq_ghz ? `${num(p.freq_ghz, 9)} GHz` : null],
      ['velocity', p.vel_kms !== null && p.vel_kms !== undefined && this.channels > 1 ? `${num(p.vel_kms, 5)} km/s` : null],
    ]));
  }

  /** The tclean call that made the image (from casa_commands.log, line `call.line`). */
  showTclean(call, logName) {
    this.tclean.replaceChildren(el('h3', {}, 'Imaging (tclean)'),
      el('p', { class: 'muted' }, breakable(logName), `, line ${call.line}`),
      el('pre', { class: 'mono tclean-call' }, highlight(call.text.replace(/, (?=\w+=)/g, ',\n       '), 'python')));
  }

  /** Manual limits: two number inputs that re-render on change. */
  editLimits(settings, onchange) {
    const input = (key) => el('input', { type: 'number', step: 'any', value: settings[key], 'aria-label': key,
      onchange: (e) => { settings[key] = Number(e.target.value); onchange(); } });
    this.limits.replaceChildren(el('h3', {}, 'Manual limits'), el('div', { class: 'kv' }, el('span', {}, 'low'), input('lo'), el('span', {}, 'high'), input('hi')));
  }
}
