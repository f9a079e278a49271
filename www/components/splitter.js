// The handle on the package panel's edge: drag it, or focus it and press ← / →, to give the
// tree more room (ALMA file names run to 80 characters); the width is kept for next time.
const KEY = 'almapkg.side-width';
const STEP = 24; // px per arrow key
const MIN = 180;

/** Makes `handle` (inside the panel it resizes) set the CSS variable --side on `root`. */
export function setupSplitter(handle, root = document.documentElement) {
  const panel = handle.parentElement;
  const apply = (px) => {
    const max = Math.round(window.innerWidth * 0.6);
    const width = Math.round(Math.min(Math.max(px, MIN), max));
    root.style.setProperty('--side', `${width}px`);
    handle.setAttribute('aria-valuemin', String(MIN));
    handle.setAttribute('aria-valuemax', String(max));
    handle.setAttribute('aria-valuenow', String(width));
    return width;
  };
  const keep = (width) => localStorage.setItem(KEY, String(width));
  const saved = Number(localStorage.getItem(KEY));
  if (saved) apply(saved);

  handle.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const left = panel.getBoundingClientRect().left;
    const move = (ev) => apply(ev.clientX - left);
    const up = (ev) => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      keep(apply(ev.clientX - left));
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  handle.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: -STEP, ArrowRight: STEP }[e.key];
    if (!step) return;
    e.preventDefault();
    e.stopPropagation(); // not a channel step in the image view
    keep(apply(panel.getBoundingClientRect().width + step));
  });
}
