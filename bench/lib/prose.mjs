// The sentences of BENCHMARKS.md that depend on the numbers: generated from the rows of this
// run (their `extra` fields) so the text never contradicts the table.
import { fmtMs } from './report.mjs';

const ratio = (a, b) => (a / b).toFixed(a / b < 10 ? 2 : 0);

/** The rows grouped by `key(row)`, each group sorted by `order(row)`, groups of one left out. */
function groups(rows, key, order) {
  const by = new Map();
  for (const r of rows) by.set(key(r), [...(by.get(key(r)) || []), r]);
  return [...by].filter(([, g]) => g.length > 1).map(([k, g]) => [k, g.sort((a, b) => order(a) - order(b))]);
}

/** Index cost vs package size (same entries) and vs entries (same size). */
function indexScaling(rows) {
  const idx = rows.filter((r) => r.extra && r.extra.kind === 'index' && r.extra.product);
  const out = [];
  for (const [entries, group] of groups(idx, (r) => r.extra.entries, (r) => r.extra.bytes)) {
    const [small, big] = [group[0], group.at(-1)];
    const cost = big.med / small.med;
    out.push(`At ${entries} entries, a ${ratio(big.extra.bytes, small.extra.bytes)}× bigger package `
      + `(${(small.extra.bytes / 1e9).toFixed(1)} → ${(big.extra.bytes / 1e9).toFixed(1)} GB) cost ${ratio(big.med, small.med)}× the time `
      + `(${fmtMs(small.med)} → ${fmtMs(big.med)} ms): ${cost < 1.5 ? 'flat in package size' : 'NOT flat in package size'}.`);
  }
  for (const [gb, group] of groups(idx, (r) => r.extra.gb, (r) => r.extra.entries)) {
    const [few, many] = [group[0], group.at(-1)];
    const grew = many.med / few.med;
    const more = many.extra.entries / few.extra.entries;
    out.push(`At --gb ${gb}, from ${few.extra.entries} to ${many.extra.entries} entries (${ratio(many.extra.entries, few.extra.entries)}×) the time grew `
      + `${ratio(many.med, few.med)}× (per entry ${(few.med / few.extra.entries * 1000).toFixed(0)} → ${(many.med / many.extra.entries * 1000).toFixed(0)} µs): `
      + `${grew <= more * 1.2 ? 'at most linear in entries' : 'MORE than linear in entries'}.`);
  }
  return out;
}

/** First-image cost per megapixel of the plane, across sizes. */
function renderScaling(rows) {
  const img = rows.filter((r) => r.extra && r.extra.kind === 'render' && Number.isFinite(r.med));
  if (img.length < 2) return [];
  const per = img.map((r) => ({ n: r.extra.n, ms: r.med, perMpx: r.med / (r.extra.n ** 2 / 1e6) }));
  const [mid, big] = per.slice(-2);
  const linear = big.perMpx / mid.perMpx;
  return [`First image per megapixel of the plane: ${per.map((p) => `${p.n}² ${fmtMs(p.perMpx)} ms/Mpx`).join(', ')}. `
    + `From ${mid.n}² to ${big.n}² (4× the pixels) the time grew ${ratio(big.ms, mid.ms)}×: `
    + `${linear < 0.8 ? 'less than linear' : linear <= 1.25 ? 'linear in the plane\'s pixels' : 'MORE than linear'}`
    + ' (the whole plane is read and summarised for its limits; what is drawn is about the window\'s size, so the smallest plane carries the fixed costs).'];
}

/** The "Scaling" section: sentences made from this run's numbers. */
export function scalingSection(rows) {
  const lines = [...indexScaling(rows), ...renderScaling(rows)];
  return lines.length ? lines.map((l) => `- ${l}`).join('\n') : '- Not enough rows in this run to compare sizes.';
}
