// Small formatting helpers shared by the components.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** A size in human units (decimal, as the ALMA archive shows them): "4.2 GB". */
export function humanSize(bytes) {
  let v = Number(bytes);
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) { v /= 1000; i++; }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[i]}`;
}

/** Exact byte count with thousands separators, for hover titles. (Not toLocaleString: its
 * first call sets up the browser's number formatting, ~15 ms, on the way to the first screen.) */
export function exactBytes(bytes) {
  return `${String(Math.trunc(Number(bytes))).replace(/\B(?=(\d{3})+$)/g, ',')} bytes`;
}

/** Creates an element: el('div', {class: 'x', dataset: {a: 1}}, child, 'text', [more]).
 * Written without per-call arrays (Object.entries, flat): it builds every row of the first
 * screen, before V8 has optimised anything. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  appendAll(node, children);
  return node;
}

function appendAll(node, children) {
  for (const c of children) {
    if (Array.isArray(c)) appendAll(node, c);
    else if (c !== null && c !== undefined && c !== false) node.append(c);
  }
}

/** A long ALMA name with line-break opportunities after its separators (`_`, `.`, `/`,
 * `-`): in a narrow panel it wraps between its parts, not in the middle of "auxiliary". */
export function breakable(name) {
  return String(name).split(/(?<=[._/-])(?=[^._/-])/).flatMap((part, i) => (i ? [document.createElement('wbr'), part] : [part]));
}

/** A number with a sensible number of significant digits for a readout. */
export function num(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}
