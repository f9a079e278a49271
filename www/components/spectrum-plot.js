// The spectrum at a pixel: a line plot with labelled axes (velocity or frequency against the
// pixel value), the current channel marked, optional shaded ranges (cont.dat continuum).
// Clicking the plot moves to that channel.
import { el, num } from '../format.js';
import { saveEntry } from './save.js';

/** Min and max of an array of any length (spreading 10^5 values into Math.min would not). */
function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function ticks(lo, hi, count = 5) {
  const span = hi - lo || Math.abs(hi) || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(v);
  return out;
}

export class SpectrumPlot {
  constructor({ onchannel }) {
    this.onchannel = onchannel;
    this.canvas = el('canvas', { 'aria-label': 'Spectrum at the selected pixel' });
    this.caption = el('span', { class: 'spectrum-caption mono' }, 'Click a pixel to plot its spectrum.');
    this.csvButton = el('button', { type: 'button', class: 'btn small', 'data-testid': 'spectrum-csv', hidden: true,
      title: 'Save the spectrum as CSV: channel, frequency, velocity, value', onclick: () => this.saveCsv() }, 'Save CSV');
    this.root = el('div', { class: 'spectrum', 'data-testid': 'spectrum' }, el('div', { class: 'spectrum-head' }, this.caption, this.csvButton), this.canvas);
    this.canvas.addEventListener('click', (e) => this.click(e));
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  /** Whether a channel (its axis entry) lies in one of the shaded continuum ranges. */
  inContinuum(a) {
    return Boolean(a) && this.shade.some(([lo, hi]) => a.freq_ghz >= lo && a.freq_ghz <= hi);
  }

  /** `data`: {x, y, values, total, axis: [{freq_ghz, vel_kms}], bunit}: `values` may be the
   * first channels of `total` while the rest is read. `shade`: [[lo_ghz, hi_ghz]] (cont.dat). */
  show(data, channel, shade = []) {
    this.data = data;
    this.channel = channel;
    this.shade = shade;
    const n = Math.max(data.total || 0, data.values.length);
    const index = Array.from({ length: n }, (_, i) => i);
    const useVel = data.axis.length && data.axis.every((a) => a.vel_kms !== null && a.vel_kms !== undefined);
    this.xs = index.map((i) => (useVel ? data.axis[i].vel_kms : data.axis[i] ? data.axis[i].freq_ghz : i));
    if (this.xs.some((x) => x === null || x === undefined)) this.xs = index;
    this.xlabel = useVel ? 'radio velocity (km/s)' : data.axis.length ? 'frequency (GHz)' : 'channel';
    const reading = data.values.length < n ? `, reading… ${data.values.length} of ${n} channels` : ` — ${n} channels`;
    const continuum = data.axis.filter((a) => this.inContinuum(a)).length;
    this.root.dataset.continuumChannels = continuum;
    const legend = continuum ? ` · ${continuum} continuum channels (cont.dat) shaded` : '';
    this.caption.textContent = `Spectrum at pixel (${data.x}, ${data.y})${reading}${legend}`;
    this.csvButton.hidden = data.values.length < n;
    this.draw();
  }

  /** The spectrum as CSV (one row a channel), saved as spectrum_<x>_<y>.csv. */
  saveCsv() {
    const { x, y, values, axis, bunit } = this.data;
    const lines = [`channel,frequency_GHz,velocity_km_s,value_${(bunit || 'value').replace(/[^\w.\/-]/g, '_')}`];
    values.forEach((v, i) => {
      const a = axis[i] || {};
      lines.push([i, a.freq_ghz ?? '', a.vel_kms ?? '', Number.isFinite(v) ? v : 'NaN'].join(','));
    });
    const name = `spectrum_${x}_${y}.csv`;
    const file = new File([`${lines.join('\n')}\n`], name, { type: 'text/csv' });
    saveEntry(file, { path: name, offset: 0, size: file.size });
  }

  setChannel(channel) {
    this.channel = channel;
    this.draw();
  }

  frame() {
    const r = this.canvas.getBoundingClientRect();
    return { w: r.width, h: r.height, left: 64, right: 12, top: 8, bottom: 34 };
  }

  draw() {
    if (!this.data) return;
    const dpr = window.devicePixelRatio || 1;
    const f = this.frame();
    this.canvas.width = Math.round(f.w * dpr);
    this.canvas.height = Math.round(f.h * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const styles = getComputedStyle(document.documentElement);
    const fg = styles.getPropertyValue('--fg2').trim() || '#999';
    const accent = styles.getPropertyValue('--accent').trim() || '#5fb3d9';
    const finite = this.data.values.filter(Number.isFinite);
    let [ylo, yhi] = finite.length ? extent(finite) : [0, 1];
    const pad = (yhi - ylo) * 0.06 || 1;
    ylo -= pad; yhi += pad;
    const [xlo, xhi] = extent(this.xs);
    const px = (x) => f.left + ((x - xlo) / (xhi - xlo || 1)) * (f.w - f.left - f.right);
    const py = (y) => f.top + (1 - (y - ylo) / (yhi - ylo)) * (f.h - f.top - f.bottom);
    this.px = px;
    ctx.font = '11px ui-monospace, monospace';
    // Continuum channels (cont.dat ranges) shaded: each channel whose frequency falls in a
    // range fills the span halfway to its neighbours, whatever the x axis shows.
    ctx.fillStyle = 'rgba(124,196,137,0.18)';
    this.data.axis.forEach((a, i) => {
      if (!this.inContinuum(a)) return;
      const x0 = px((this.xs[Math.max(0, i - 1)] + this.xs[i]) / 2);
      const x1 = px((this.xs[Math.min(this.xs.length - 1, i + 1)] + this.xs[i]) / 2);
      ctx.fillRect(Math.min(x0, x1), f.top, Math.abs(x1 - x0) || 1, f.h - f.top - f.bottom);
    });
    ctx.strokeStyle = fg;
    ctx.fillStyle = fg;
    ctx.lineWidth = 1;
    ctx.strokeRect(f.left, f.top, f.w - f.left - f.right, f.h - f.top - f.bottom);
    ctx.textAlign = 'center';
    for (const t of ticks(Math.min(xlo, xhi), Math.max(xlo, xhi))) ctx.fillText(num(t, 5), px(t), f.h - f.bottom + 13);
    ctx.fillText(this.xlabel, (f.left + f.w) / 2, f.h - 4);
    ctx.textAlign = 'right';
    for (const t of ticks(ylo, yhi, 4)) ctx.fillText(num(t, 3), f.left - 4, py(t) + 4);
    ctx.save();
    ctx.translate(12, (f.top + f.h - f.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(this.data.bunit || 'value', 0, 0);
    ctx.restore();
    ctx.strokeStyle = accent;
    ctx.beginPath();
    let pen = false;
    this.data.values.forEach((v, i) => {
      if (!Number.isFinite(v)) { pen = false; return; }
      if (pen) ctx.lineTo(px(this.xs[i]), py(v)); else ctx.moveTo(px(this.xs[i]), py(v));
      pen = true;
    });
    ctx.stroke();
    if (this.xs[this.channel] !== undefined) {
      ctx.strokeStyle = '#f0c060';
      ctx.beginPath();
      ctx.moveTo(px(this.xs[this.channel]), f.top);
      ctx.lineTo(px(this.xs[this.channel]), f.h - f.bottom);
      ctx.stroke();
    }
  }

  click(e) {
    if (!this.data) return;
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    let best = 0;
    this.xs.forEach((v, i) => { if (Math.abs(this.px(v) - x) < Math.abs(this.px(this.xs[best]) - x)) best = i; });
    this.onchannel(best);
  }
}
