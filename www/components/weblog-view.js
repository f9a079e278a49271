// The Weblog tab: each member's pipeline weblog, inflated into browser storage on demand and
// shown in a sandboxed frame served by the service worker, exactly as the pipeline's own
// local web server would show it (relative links, sub-page loads, history, localStorage).
import { el, humanSize } from '../format.js';

const WEBLOG = /(^|\/)qa\/[^/]*weblog\.(tgz|tar\.gz)$/i;

export function isWeblog(path) {
  return WEBLOG.test(path);
}

/** A short stable id for one weblog of one dropped file (FNV-1a of what identifies it). */
function weblogId(entry) {
  let h = 0x811c9dc5;
  for (const ch of `${entry.containerName}|${entry.containerSize}|${entry.offset}|${entry.path}`) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function memberOf(path) {
  const m = /member\.(uid___[A-Za-z0-9_]+)/.exec(path);
  return m ? m[1] : path.split('/').slice(-3, -2)[0] || 'package';
}

export class WeblogView {
  constructor(panel, { client, progress, onerror }) {
    this.panel = panel;
    this.client = client;
    this.progress = progress;
    this.onerror = onerror;
    this.weblogs = [];
  }

  /** Lists the weblogs of `listing` (listing.js), one button per member. */
  show(listing) {
    this.weblogs = listing.files(isWeblog);
    this.list = el('div', { class: 'weblog-list' },
      this.weblogs.length ? null : el('p', { class: 'muted' }, 'No pipeline weblog (qa/*.weblog.tgz) in the opened files.'),
      this.weblogs.map((w) => el('button', { type: 'button', class: 'btn', 'data-testid': 'weblog-button', title: w.path, onclick: () => this.open(w) },
        `Weblog of ${memberOf(w.path)} (${humanSize(w.size)})`)));
    this.frameHolder = el('div', { class: 'weblog-holder' });
    this.panel.replaceChildren(el('div', { class: 'weblog-view' }, this.list, this.frameHolder));
  }

  async open(entry) {
    if (!('serviceWorker' in navigator)) throw new Error('This browser cannot show the weblog in the page (no service worker support).');
    performance.mark('almapkg:weblog-start');
    await navigator.serviceWorker.ready;
    this.progress.start(`Extracting the weblog of ${memberOf(entry.path)}`);
    try {
      const ref = { container: entry.container, offset: entry.offset, size: entry.size };
      const info = await this.client.call('weblog', { ref, id: weblogId(entry) });
      this.showFrame(info);
    } catch (err) {
      this.onerror(new Error(`${entry.path.split('/').pop()}: ${err.message}`));
    } finally {
      this.progress.stop();
    }
  }

  showFrame(info) {
    const frame = el('iframe', {
      src: info.url, title: 'Pipeline weblog', 'data-testid': 'weblog-frame',
      // Scripts must run (the weblog loads sub-pages with XHR) and same-origin is needed for
      // the service worker and localStorage; top navigation and plugins stay forbidden.
      sandbox: 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads allow-modals',
      referrerpolicy: 'no-referrer',
    });
    // From the click to the weblog's first page loaded in the frame (read by the bench).
    frame.addEventListener('load', () => performance.measure('almapkg:weblog', 'almapkg:weblog-start'), { once: true });
    const bar = el('div', { class: 'weblog-bar' },
      el('span', { class: 'mono muted' }, `${info.files} files`),
      el('a', { href: info.url, target: '_blank', rel: 'noopener', class: 'btn small' }, 'Open in a new tab'));
    this.frameHolder.replaceChildren(bar, frame);
  }
}
