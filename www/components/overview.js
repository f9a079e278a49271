// The Overview tab: what was opened — each dropped file, and the member OUSs found in them.
import { el, humanSize, exactBytes } from '../format.js';

const MEMBER = /(?:^|\/)(member\.uid___[A-Za-z0-9_]+)(?:\/|$)/;

export class Overview {
  constructor(panel) {
    this.panel = panel;
  }

  show(containers, entries) {
    const members = new Map();
    for (const e of entries) {
      const m = MEMBER.exec(e.path);
      if (!m) continue;
      const info = members.get(m[1]) || { files: 0, bytes: 0 };
      info.files += 1;
      info.bytes += e.size;
      members.set(m[1], info);
    }
    const rows = containers.map((c) => el('tr', {},
      el('td', { class: 'mono' }, c.name),
      el('td', {}, c.kind === 'tar' ? 'tar' : c.kind),
      el('td', { class: 'num' }, c.entries ? c.entries.length : ''),
      el('td', { class: 'num', title: exactBytes(c.size) }, humanSize(c.size)),
      el('td', { class: c.error || c.stopped ? 'bad' : 'muted' }, c.error || c.stopped || 'ok')));
    this.panel.replaceChildren(el('div', { class: 'overview' },
      el('h2', {}, 'Opened files'),
      el('table', { class: 'table' }, el('thead', {}, el('tr', {}, ['file', 'type', 'entries', 'size', 'status'].map((h) => el('th', {}, h)))), el('tbody', {}, rows)),
      members.size ? el('h2', {}, 'Member OUSs') : null,
      members.size ? el('ul', {}, [...members].map(([name, info]) => el('li', { class: 'mono' }, `${name} — ${info.files} files, ${humanSize(info.bytes)}`))) : null));
  }
}
