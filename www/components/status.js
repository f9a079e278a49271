// The two status strips under the top bar: the one place errors appear (data-testid="error"),
// and the progress bar of long work, shown only when it takes longer than ~200 ms.
import { el, humanSize } from '../format.js';

export class ErrorBar {
  constructor(root) {
    this.root = root;
  }

  /** Shows a message saying what is wrong and where; the rest of the page stays usable. */
  show(message) {
    const msg = el('span', { class: 'msg' }, message);
    const close = el('button', { type: 'button', class: 'btn small', onclick: () => this.clear() }, 'Dismiss');
    this.root.replaceChildren(msg, close);
    this.root.hidden = false;
  }

  clear() {
    this.root.hidden = true;
    this.root.replaceChildren();
  }
}

export class ProgressBar {
  constructor(root, { oncancel }) {
    this.root = root;
    this.fill = root.querySelector('.bar span');
    this.label = root.querySelector('.label');
    this.cancel = root.querySelector('.cancel');
    this.cancel.addEventListener('click', oncancel);
    this.timer = null;
  }

  /** Starts a task: the bar appears only if the task is still running after `delay` ms.
   * `cancellable`: whether it can be stopped (the sample's download cannot). */
  start(label, { delay = 200, cancellable = true } = {}) {
    this.cancel.hidden = !cancellable;
    this.update({ label });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.root.hidden = false; }, delay);
  }

  update({ label, done, total, unit = 'bytes' }) {
    const known = total > 0;
    this.root.querySelector('.bar').classList.toggle('indeterminate', !known);
    this.fill.style.transform = known ? `scaleX(${Math.min(1, done / total).toFixed(3)})` : '';
    const amount = unit === 'bytes' ? ` — ${humanSize(done)} of ${humanSize(total)}` : '';
    this.label.textContent = known ? `${label}${amount} (${Math.floor((100 * done) / total)} %)` : label;
  }

  stop() {
    clearTimeout(this.timer);
    this.root.hidden = true;
  }
}
