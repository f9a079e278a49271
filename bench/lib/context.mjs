// What every part of the bench shares: the repeat count, the rows and notes collected so far,
// the log, and the helpers that run a part and repeat a measurement within the time budget.
export const RUNS = Number(process.env.RUNS || 5);
/** BENCH_ONLY=first,cube runs only the parts whose names start so (and writes no
 * BENCHMARKS.md): for working on one number. */
export const ONLY = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
export const started = Date.now();
export const rows = [];
export const notes = [];

export const repeat = async (fn, n = RUNS) => { const out = []; for (let i = 0; i < n; i++) out.push(await fn(i)); return out; };
export const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

/** Runs one part of the bench; a failure becomes a note and the rest still runs. */
export async function part(name, fn) {
  if (ONLY.length && !ONLY.some((k) => name.startsWith(k))) return;
  log(name);
  try {
    await fn();
  } catch (err) {
    notes.push(`${name} failed: ${err.message.split('\n')[0]}`);
    console.error(`bench: ${name} failed: ${err.stack}`);
  }
}

/** Repeats a slow measurement fewer times so the whole bench stays near 10 minutes: all
 * RUNS when the first run is under 5 s, 3 under 20 s, else that one run; `quick` runs when
 * it is under `quickUnder` ms (more runs where single runs scatter widely and each costs
 * little). */
export async function adaptive(fn, { quick = RUNS, quickUnder = 1000 } = {}) {
  const first = await fn(0);
  const ms = typeof first === 'number' ? first : first.ms;
  const n = ms < quickUnder ? quick : ms < 5000 ? RUNS : ms < 20_000 ? Math.min(RUNS, 3) : 1;
  return [first, ...await repeat((i) => fn(i + 1), n - 1)];
}
