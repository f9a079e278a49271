// Driving the real app in chromium: open tars through the app's own file input, click
// products, and read the app's performance measures (`almapkg:*`).
const TIMEOUT = 120_000;

/** How many measures of that name the page has recorded so far. */
export function measureCount(page, name) {
  return page.evaluate((n) => performance.getEntriesByName(n, 'measure').length, name);
}

/** Runs `action`, waits for one more `name` measure than before, returns its duration (ms). */
export async function timedAction(page, name, action, timeout = TIMEOUT) {
  const before = await measureCount(page, name);
  await action();
  await page.waitForFunction(([n, k]) => performance.getEntriesByName(n, 'measure').length > k, [name, before], { timeout, polling: 50 });
  return page.evaluate((n) => performance.getEntriesByName(n, 'measure').at(-1).duration, name);
}

/** A fresh page state: a new load of the app, until its worker has the wasm ready and warmed
 * up (the `almapkg:warm` mark; see `warm_up` in src/web). */
export async function freshPage(page) {
  // Without the #file=… of the last run: the app would reopen that file itself once the
  // package is dropped again, and the measured open would race with it.
  const url = new URL(page.url());
  url.hash = '';
  await page.goto(url.href, { waitUntil: 'networkidle', timeout: TIMEOUT });
  await page.getByTestId('dropzone').waitFor({ timeout: TIMEOUT });
  try {
    await page.waitForFunction(() => performance.getEntriesByName('almapkg:warm').length > 0, null, { timeout: TIMEOUT });
  } catch (err) {
    throw new Error(`${err.message.split('\n')[0]} waiting for the worker's warm-up; ${await pageState(page)}`);
  }
}

/** What a page that stopped short was doing: its app marks, workers and last console lines. */
async function pageState(page) {
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name).filter((n) => n.startsWith('almapkg')))
    .catch((e) => [`(page not readable: ${e.message})`]);
  const workers = page.workers().map((w) => w.url().split('/').pop());
  return `marks: ${marks.join(', ') || 'none'}; workers: ${workers.join(', ') || 'none'}; console: ${(page.consoleLines || []).slice(-5).join(' | ') || 'nothing'}`;
}

/** Keeps the page's last console lines (for pageState), once per page. */
export function keepConsole(page) {
  page.consoleLines = [];
  const keep = (line) => {
    page.consoleLines.push(line.slice(0, 200));
    if (page.consoleLines.length > 20) page.consoleLines.shift();
  };
  page.on('console', (m) => keep(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => keep(`pageerror: ${e.message}`));
}

/** Opens tars with the app's file input; returns `almapkg:index` (ms). */
export function openInApp(page, tars, timeout = TIMEOUT) {
  return timedAction(page, 'almapkg:index', () => page.setInputFiles('#file', tars, { timeout: TIMEOUT }), timeout);
}

/** Clicks a file in the package tree; returns `almapkg:render` (ms). */
export function clickProduct(page, entryPath) {
  const item = page.locator(`[role="treeitem"][data-path="${entryPath}"]`);
  return timedAction(page, 'almapkg:render', () => item.click({ timeout: TIMEOUT }));
}

/** Puts `tar` in a file input of the bench's own, which the app does not listen to. */
export async function benchInput(page, tar) {
  await page.evaluate(() => {
    if (document.getElementById('bench-floor')) return;
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-floor', hidden: true });
    document.body.append(input);
  });
  await page.setInputFiles('#bench-floor', tar, { timeout: TIMEOUT });
}

/** What one `Blob.slice(...).arrayBuffer()` costs in this browser, for a tar block and for
 * the app's 1 MiB read window: median ms over reads spread through the file. */
export async function readCost(page, tar) {
  await benchInput(page, tar);
  return page.evaluate(async () => {
    const file = document.getElementById('bench-floor').files[0];
    const cost = async (len) => {
      const times = [];
      for (let i = 0; i < 15; i++) {
        const off = Math.floor((file.size - len) * (i / 15) / 512) * 512;
        const t0 = performance.now();
        await file.slice(off, off + len).arrayBuffer();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[7];
    };
    return { block: await cost(512), window: await cost(1 << 20) };
  });
}

/** Loses the tree's focus so the app's keyboard shortcuts reach the image view. */
export function blurFocus(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.blur());
}

/** Clicks the image canvas at a fraction of its size (a spectrum pick on a cube). */
export async function clickCanvas(page, fx, fy) {
  const box = await page.getByTestId('image-canvas').boundingBox();
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
}

/** The stretch names the image view offers. */
export function stretchNames(page) {
  return page.locator('select[name="stretch"] option').evaluateAll((os) => os.map((o) => o.value));
}

/** Navigation timing of the current page plus the end of the first `almapkg:index`. */
export function loadTiming(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const index = performance.getEntriesByName('almapkg:index', 'measure')[0];
    return {
      dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : NaN,
      ready: index ? index.startTime + index.duration : NaN,
    };
  });
}

/** The worker's wasm memory now (bytes): the last `almapkg:memory` mark, its peak so far. */
export function wasmMemory(page) {
  return page.evaluate(() => {
    const marks = performance.getEntriesByName('almapkg:memory', 'mark');
    return marks.length ? marks.at(-1).detail : NaN;
  });
}
