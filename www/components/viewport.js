// Pan and zoom of an image drawn on a canvas: the image stays at its native resolution in an
// offscreen bitmap, and only the transform changes, so panning never re-renders pixels.

export class Viewport {
  constructor(canvas, { onchange }) {
    this.canvas = canvas;
    this.onchange = onchange;
    this.scale = 1;
    this.cx = 0; // image pixel (native, top-left origin) at the canvas centre
    this.cy = 0;
    this.width = 0;
    this.height = 0;
    this.size = null; // the canvas's CSS size, kept by `resized`
    this.listen();
  }

  setImage(width, height, keepView) {
    const same = keepView && width === this.width && height === this.height;
    this.width = width;
    this.height = height;
    if (!same) this.fit();
  }

  /** The canvas's CSS size. Kept from the last `resized` (the owner's ResizeObserver), so
   * drawing a frame never forces the page to lay out the text it has just changed. */
  cssSize() {
    if (!this.size) this.resized();
    return this.size;
  }

  /** Measures the canvas again (its box changed). */
  resized() {
    const r = this.canvas.getBoundingClientRect();
    this.size = { w: Math.max(1, r.width), h: Math.max(1, r.height) };
  }

  fit() {
    const { w, h } = this.cssSize();
    this.scale = Math.min(w / this.width, h / this.height) * 0.96;
    this.cx = this.width / 2;
    this.cy = this.height / 2;
    this.onchange();
  }

  oneToOne() {
    this.scale = 1 / (window.devicePixelRatio || 1);
    this.onchange();
  }

  zoomBy(factor, at) {
    const { w, h } = this.cssSize();
    const px = at ? at.x : w / 2;
    const py = at ? at.y : h / 2;
    const before = this.toImage(px, py);
    this.scale = Math.min(64, Math.max(1 / 64, this.scale * factor));
    const after = this.toImage(px, py);
    this.cx += before.x - after.x;
    this.cy += before.y - after.y;
    this.onchange();
  }

  /** Canvas CSS pixel → image pixel (native resolution, top-left origin, fractional). */
  toImage(px, py) {
    const { w, h } = this.cssSize();
    return { x: this.cx + (px - w / 2) / this.scale, y: this.cy + (py - h / 2) / this.scale };
  }

  /** The canvas 2D transform (device pixels) that draws image pixels at their place. */
  transform() {
    const dpr = window.devicePixelRatio || 1;
    const { w, h } = this.cssSize();
    const s = this.scale * dpr;
    return [s, 0, 0, s, (w / 2 - this.cx * this.scale) * dpr, (h / 2 - this.cy * this.scale) * dpr];
  }

  listen() {
    let drag = null;
    this.canvas.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, cx: this.cx, cy: this.cy };
      this.dragged = false;
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) this.dragged = true;
      this.cx = drag.cx - (e.clientX - drag.x) / this.scale;
      this.cy = drag.cy - (e.clientY - drag.y) / this.scale;
      this.onchange();
    });
    const end = () => { drag = null; };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = this.canvas.getBoundingClientRect();
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), { x: e.clientX - r.left, y: e.clientY - r.top });
    }, { passive: false });
  }
}
