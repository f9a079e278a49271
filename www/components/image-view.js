// The image viewer: one FITS plane on a canvas with stretch, limits, colormap, pan/zoom,
// channel slider, beam and a live pixel readout. Pixels are rendered to RGBA in the worker;
// changing the display re-renders from the plane held there and never re-reads the file.
import { el, num } from '../format.js';
import { Viewport } from './viewport.js';
import { SpectrumPlot } from './spectrum-plot.js';
import { saveCanvas } from './save.js';

const LIMITS = [['minmax', 'min / max'], ['90', '90 %'], ['95', '95 %'], ['99', '99 %'], ['99.5', '99.5 %'],
  ['99.9', '99.9 %'], ['99.99', '99.99 %'], ['zscale', 'zscale'], ['manual', 'manual']];

export class ImageView {
  constructor(panel, { client, inspector, progress, onerror, onopen }) {
    this.panel = panel;
    this.onopen = onopen;
    this.progress = progress;
    this.client = client;
    this.inspector = inspector;
    this.onerror = onerror;
    this.settings = { stretch: 'linear', limits: '99.5', colormap: 'grey', invert: false, lo: 0, hi: 1 };
    this.bitmap = null;
    this.meta = null;
    this.busy = Promise.resolve();
    this.opens = 0; // one per image asked for: only the last one asked for is shown
  }

  /** Opens an image entry; resolves when its first plane is on the canvas. The first plane
   * is asked for with the image, fitted to the panel (the canvas will be a little smaller):
   * the worker reads and renders it while the page lays the view out. Resolves to false
   * when another image was asked for before this one was shown (its replies are dropped). */
  async open(ref) {
    const start = `almapkg:render-start:${ref.path}`;
    performance.mark(start);
    const turn = ++this.opens;
    this.ref = ref;
    this.channel = 0;
    this.stokes = 0;
    this.mapKind = null;
    const meta = this.client.call('image', ref);
    const box = this.panel.getBoundingClientRect();
    const first = this.client.call('plane', { channel: 0, stokes: 0, render: this.renderArgs({ w: box.width, h: box.height }) });
    first.catch(() => {}); // a failure is reported by `meta` (the image did not open) or below
    const m = await meta;
    if (turn !== this.opens) return false;
    this.meta = m;
    this.build();
    const plane = await first;
    if (turn !== this.opens) return false;
    this.showPlane(plane, false);
    performance.measure('almapkg:render', start);
    return true;
  }

  build() {
    const m = this.meta;
    this.canvas = el('canvas', { 'data-testid': 'image-canvas', 'aria-label': `Image ${this.ref.name}` });
    this.viewport = new Viewport(this.canvas, { onchange: () => { this.draw(); this.refine(); } });
    this.colorbar = el('canvas', { width: 256, height: 1, 'aria-hidden': 'true' });
    this.cbLo = el('span');
    this.cbHi = el('span');
    const select = (name, options, value) => el('select', { name, onchange: (e) => this.set(name, e.target.value) },
      options.map(([v, label]) => el('option', { value: v, selected: v === value }, label)));
    this.controls = {
      stretch: select('stretch', m.stretches.map((s) => [s, s]), this.settings.stretch),
      limits: select('limits', LIMITS, this.settings.limits),
      colormap: select('colormap', m.colormaps.map((c) => [c, c]), this.settings.colormap),
    };
    const invert = el('input', { type: 'checkbox', name: 'invert', onchange: (e) => this.set('invert', e.target.checked) });
    this.channelInput = el('input', { type: 'range', min: 0, max: Math.max(0, m.channels - 1), value: 0, step: 1,
      'data-testid': 'channel', 'aria-label': 'Channel', oninput: (e) => this.setChannel(Number(e.target.value)) });
    this.channelLabel = el('span', { class: 'mono channel-label' });
    this.playButton = el('button', { type: 'button', class: 'btn small', 'aria-pressed': 'false', onclick: () => this.togglePlay() }, 'play');
    this.fps = el('select', { name: 'fps', 'aria-label': 'Frames per second' }, [2, 5, 10, 20, 30].map((f) => el('option', { value: f, selected: f === 10 }, `${f} fps`)));
    const toolbar = el('div', { class: 'image-toolbar' },
      el('span', { class: 'title', title: this.ref.path }, this.ref.name),
      m.channels > 1 ? el('label', {}, 'channel', this.channelInput, this.channelLabel, this.playButton, this.fps) : null,
      m.stokes_count > 1 ? el('label', {}, 'Stokes', el('select', { name: 'stokes', 'data-testid': 'stokes', onchange: (e) => { this.stokes = Number(e.target.value); this.queue(() => this.loadPlane(true)); } },
        m.stokes_names.map((name, i) => el('option', { value: i }, name)))) : null,
      (this.ref.companions || []).length ? el('span', { class: 'companions' }, 'see also',
        this.ref.companions.map((c) => el('button', { type: 'button', class: 'chip', title: c.path, onclick: () => this.onopen(c.path) }, c.role))) : null,
      m.channels > 1 ? el('button', { type: 'button', class: 'btn small', 'data-testid': 'moment0', title: 'Integrated intensity over all channels', onclick: () => this.showMap('moment0') }, 'moment 0') : null,
      m.channels > 1 ? el('button', { type: 'button', class: 'btn small', 'data-testid': 'peak', title: 'Peak intensity over all channels', onclick: () => this.showMap('peak') }, 'peak') : null,
      el('label', {}, 'stretch', this.controls.stretch),
      el('label', {}, 'limits', this.controls.limits),
      el('label', {}, 'colormap', this.controls.colormap),
      el('label', {}, invert, 'invert'),
      el('button', { type: 'button', class: 'btn small', onclick: () => this.viewport.fit(), title: 'Fit (0)' }, 'fit'),
      el('button', { type: 'button', class: 'btn small', onclick: () => this.viewport.oneToOne(), title: '1:1 (1)' }, '1:1'),
      el('button', { type: 'button', class: 'btn small', 'data-testid': 'export-png', onclick: () => this.exportPng() }, 'Export PNG'));
    const wrap = el('div', { class: 'canvas-wrap' }, this.canvas);
    this.notice = el('div', { class: 'notice', 'data-testid': 'preview-notice', hidden: true });
    this.cbUnit = el('span', {}, m.bunit || '');
    const bar = el('div', { class: 'colorbar' }, this.cbLo, this.colorbar, this.cbHi, this.cbUnit);
    this.spectrum = new SpectrumPlot({ onchannel: (ch) => this.setChannel(ch) });
    this.spectrum.root.hidden = m.channels < 2;
    this.panel.replaceChildren(el('div', { class: 'image-view' }, toolbar, this.notice, wrap, bar, this.spectrum.root));
    this.canvas.addEventListener('pointermove', (e) => this.hover(e));
    this.canvas.addEventListener('click', (e) => this.pick(e));
    new ResizeObserver(() => {
      this.viewport.resized();
      this.draw();
    }).observe(wrap);
    this.updateChannelLabel();
    this.inspector.showImage(m);
  }

  set(name, value) {
    this.settings[name] = value;
    if (name === 'limits' && value === 'manual') this.inspector.editLimits(this.settings, () => this.rerender());
    return this.timed('almapkg:restretch', () => this.rerender());
  }

  /** Runs `task` and records its duration as a performance measure (read by the bench). */
  async timed(name, task) {
    const start = `${name}:start`;
    performance.mark(start);
    const result = await task();
    performance.measure(name, start);
    return result;
  }

  /** Cycles a select (keyboard `c` and `s`). */
  cycle(name) {
    const sel = this.controls[name];
    sel.selectedIndex = (sel.selectedIndex + 1) % sel.options.length;
    this.set(name, sel.value);
  }

  /** Shows channel `ch`. Requests made while a plane is loading collapse into one load
   * of the latest channel, so dragging the slider never builds a backlog. */
  setChannel(ch) {
    const max = Math.max(0, this.meta.channels - 1);
    this.channel = Math.min(max, Math.max(0, ch));
    this.channelInput.value = this.channel;
    this.updateChannelLabel();
    this.spectrum.setChannel(this.channel);
    if (!this.channelLoad) {
      this.channelLoad = this.timed('almapkg:channel', () => this.queue(() => {
        this.channelLoad = null;
        return this.loadPlane(true);
      }));
    }
    return this.channelLoad;
  }

  /** Computes a moment map over the whole cube (streamed, with progress and Cancel) and shows it. */
  showMap(kind) {
    return this.queue(async () => {
      this.progress.start(kind === 'peak' ? 'Computing the peak intensity map' : 'Computing the moment 0 map', { delay: 0 });
      try {
        this.summary = await this.timed('almapkg:moments', () => this.client.call('moments', { kind }));
        this.inspector.showPlane(this.summary);
        this.channelLabel.textContent = kind === 'peak' ? 'showing the peak intensity map' : 'showing the moment 0 map';
        this.mapKind = kind;
        await this.rerenderNow();
      } finally {
        this.progress.stop();
      }
    });
  }

  /** Plays through the channels at the chosen frame rate; each frame waits for the last. */
  togglePlay() {
    this.playing = !this.playing;
    this.playButton.setAttribute('aria-pressed', String(this.playing));
    this.playButton.textContent = this.playing ? 'pause' : 'play';
    const step = async () => {
      if (!this.playing) return;
      const started = performance.now();
      await this.setChannel((this.channel + 1) % this.meta.channels);
      setTimeout(step, Math.max(0, 1000 / Number(this.fps.value) - (performance.now() - started)));
    };
    step();
  }

  /** The FITS pixel under a pointer event, or null outside the image. */
  pixelAt(e) {
    if (!this.summary) return null;
    const r = this.canvas.getBoundingClientRect();
    const p = this.viewport.toImage(e.clientX - r.left, e.clientY - r.top);
    const x = Math.floor(p.x);
    const y = this.summary.height - 1 - Math.floor(p.y);
    if (x < 0 || y < 0 || x >= this.summary.width || y >= this.summary.height) return null;
    return { x, y };
  }

  /** A click (not a drag) on a cube plots the spectrum through that pixel. */
  async pick(e) {
    const at = this.pixelAt(e);
    if (!at || this.viewport.dragged || this.meta.channels < 2) return;
    // The plot fills in while the spectrum is read; a newer click stops the older read.
    const request = this.spectrumRequest = (this.spectrumRequest || 0) + 1;
    const show = (values) => {
      if (request !== this.spectrumRequest) return;
      const data = { ...at, values, total: this.meta.channels, axis: this.meta.spectral, bunit: this.meta.bunit };
      this.spectrum.show(data, this.channel, this.ref.shade || []);
    };
    const values = await this.timed('almapkg:spectrum', () => this.client.call('spectrum', { ...at, container: this.ref.container }, [], show))
      .catch((err) => { if (!/superseded/.test(err.message)) this.onerror(err); return null; });
    if (values) show(values);
  }

  /** Exports the view as shown, with the colour bar, limits, units and file name. */
  async exportPng() {
    const strip = 46;
    const out = el('canvas', { width: this.canvas.width, height: this.canvas.height + strip });
    const ctx = out.getContext('2d');
    ctx.fillStyle = '#0b0e12';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(this.canvas, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.colorbar, 90, this.canvas.height + 8, out.width - 180, 12);
    ctx.fillStyle = '#d8dee9';
    ctx.font = '12px sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText(num(this.settings.lo), 84, this.canvas.height + 19);
    ctx.textAlign = 'left';
    ctx.fillText(`${num(this.settings.hi)} ${this.summary.unit || ''}`, out.width - 84, this.canvas.height + 19);
    const ch = this.mapKind ? `  ${this.mapKind} map` : this.meta.channels > 1 ? `  channel ${this.channel}` : '';
    ctx.fillText(`${this.ref.name}${ch}  ${this.settings.stretch}, ${this.settings.colormap}`, 8, this.canvas.height + 38);
    const suffix = this.mapKind ? `.${this.mapKind}` : this.meta.channels > 1 ? `.ch${this.channel}` : '';
    await saveCanvas(out, `${this.ref.name.replace(/\.fits(\.gz)?$/i, '')}${suffix}.png`);
  }

  updateChannelLabel() {
    const s = this.meta.spectral && this.meta.spectral[this.channel];
    // Frequency and velocity when the header defines them (no velocity without a rest frequency).
    const parts = [String(this.channel)];
    if (s && Number.isFinite(s.freq_ghz)) parts.push(`${num(s.freq_ghz, 8)} GHz`);
    if (s && Number.isFinite(s.vel_kms)) parts.push(`${num(s.vel_kms, 5)} km/s`);
    this.channelLabel.textContent = parts.join('  ');
  }

  /** Serialises worker work so fast slider moves never interleave planes. */
  queue(task) {
    this.busy = this.busy.then(task).catch((err) => this.onerror(err));
    return this.busy;
  }

  /** Loads the current channel and draws it: the plane and its frame come back in one
   * reply. Stepping through a cube keeps the view; otherwise the frame is made for the view
   * fitted to the canvas. */
  async loadPlane(keepView) {
    const sameView = keepView && this.summary && !this.mapKind;
    this.mapKind = null;
    const render = this.renderArgs(sameView ? this.shownBox() : this.viewport.cssSize());
    this.showPlane(await this.client.call('plane', { channel: this.channel, stokes: this.stokes, render }), sameView);
  }

  /** Shows a plane's statistics and its frame. */
  showPlane({ info, frame }, keepView) {
    this.summary = info;
    this.inspector.showPlane(info);
    this.notice.hidden = info.stride === 1;
    this.notice.textContent = `Preview: this ${this.meta.shape[0]} × ${this.meta.shape[1]} plane is too large to hold at full resolution, so 1 pixel in ${info.stride} along each axis is shown. Readout coordinates are those of the full plane.`;
    this.showFrame(frame, keepView);
  }

  rerender() {
    return this.queue(() => this.rerenderNow());
  }

  /** The plane's extent on screen at the current zoom (CSS pixels). */
  shownBox() {
    const { width, height } = this.summary;
    const { w, h } = this.viewport.cssSize();
    const scale = this.viewport.width === width ? this.viewport.scale : Math.min(w / width, h / height);
    return { w: width * scale, h: height * scale };
  }

  /** Render arguments for drawing the plane in a box of `w` × `h` CSS pixels: the worker
   * renders about as many pixels as the box holds on this screen (with a margin), so a
   * 4096² plane seen in a 700 px window costs ~700² pixels; zooming in asks for more. */
  renderArgs({ w, h }) {
    const scale = (window.devicePixelRatio || 1) * 1.25;
    return { settings: this.settings, colorbarWidth: 256, box: { width: w * scale, height: h * scale } };
  }

  async rerenderNow() {
    this.showFrame(await this.client.call('render', this.renderArgs(this.shownBox())), true);
  }

  /** Puts a rendered frame (bitmap, limits, colour bar) on screen. */
  showFrame(r, keepView) {
    if (this.bitmap) this.bitmap.close();
    this.bitmap = r.bitmap;
    this.step = r.step;
    this.canvas.dataset.step = r.step; // how many plane pixels one drawn pixel stands for
    this.settings.lo = r.lo;
    this.settings.hi = r.hi;
    if (r.colorbar) this.colorbar.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(r.colorbar), 256, 1), 0, 0);
    this.cbLo.textContent = num(r.lo);
    this.cbHi.textContent = num(r.hi);
    this.cbUnit.textContent = this.summary.unit || '';
    this.viewport.setImage(this.summary.width, this.summary.height, keepView);
    this.draw();
  }

  /** After a zoom: when the bitmap has become coarser than the screen, render more pixels. */
  refine() {
    const dpr = window.devicePixelRatio || 1;
    if (!(this.step > 1) || this.viewport.scale * dpr * this.step < 1.6) return;
    clearTimeout(this.refineTimer);
    this.refineTimer = setTimeout(() => this.queue(() => this.rerenderNow()), 120);
  }

  draw() {
    if (!this.bitmap || !this.canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = this.viewport.cssSize();
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#0b0e12';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(...this.viewport.transform());
    // The bitmap holds every step-th pixel: drawn scaled back to image coordinates, its top
    // row being image row height - rows * step (FITS rows count from the bottom).
    const step = this.step || 1;
    const { width: bw, height: bh } = this.bitmap;
    ctx.imageSmoothingEnabled = this.viewport.scale * step < 1;
    ctx.drawImage(this.bitmap, 0, this.summary.height - bh * step, bw * step, bh * step);
    this.drawBeam(ctx);
  }

  /** The restoring beam as an ellipse in the bottom-left corner, at the image's scale. */
  drawBeam(ctx) {
    const beam = (this.meta.beams && this.meta.beams[this.channel]) || this.meta.beam;
    const cdelt = this.meta.pixel_arcsec * ((this.summary && this.summary.stride) || 1);
    if (!beam || !cdelt) return;
    const s = this.viewport.transform()[0];
    const rx = (beam.bmin_arcsec / 2 / cdelt) * s;
    const ry = (beam.bmaj_arcsec / 2 / cdelt) * s;
    if (!(rx > 0.5 && ry > 0.5)) return;
    const pad = Math.max(rx, ry) + 8;
    // The image's bottom-left corner on the canvas, kept inside the visible area.
    const [, , , , tx, ty] = this.viewport.transform();
    const cx = Math.min(Math.max(tx, 0), this.canvas.width - 2 * pad) + pad;
    const cy = Math.max(Math.min(ty + s * this.summary.height, this.canvas.height), 2 * pad) - pad;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    // BPA is measured from north through east: on a north-up, east-left image that is a
    // counter-clockwise rotation on screen.
    ctx.ellipse(cx, cy, rx, ry, (-beam.bpa_deg * Math.PI) / 180, 0, 2 * Math.PI);
    ctx.strokeStyle = '#f0c060';
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }

  /** Cursor → pixel readout; one request in flight at a time, the latest position wins. */
  hover(e) {
    const at = this.pixelAt(e);
    if (!at) return;
    this.pendingPixel = at;
    if (this.pixelBusy) return;
    this.pixelBusy = true;
    const next = () => {
      const q = this.pendingPixel;
      this.pendingPixel = null;
      if (!q) { this.pixelBusy = false; return; }
      this.client.call('pixel', q).then((info) => this.inspector.showPixel(info), () => {}).then(next);
    };
    next();
  }

  key(e) {
    const actions = {
      '+': () => this.viewport.zoomBy(1.25), '=': () => this.viewport.zoomBy(1.25), '-': () => this.viewport.zoomBy(0.8),
      0: () => this.viewport.fit(), 1: () => this.viewport.oneToOne(),
      c: () => this.cycle('colormap'), s: () => this.cycle('stretch'),
      ArrowLeft: () => this.setChannel(this.channel - 1), ArrowRight: () => this.setChannel(this.channel + 1),
    };
    if (!actions[e.key]) return false;
    actions[e.key]();
    return true;
  }
}
