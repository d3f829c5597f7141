/**
 * The built app served for scripts that drive it in headless Chromium (the bench, the parity
 * run): builds `dist/`, serves it with `vite preview` on a port of their own, hands over a
 * browser page, and tears everything down afterwards. With `PLAYGROUND_URL` set it builds and
 * serves nothing and drives the app already served there (a built `dist/` copied to a machine
 * without the dev dependencies, served by any static server).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chromium, type Browser, type Locator, type Page } from 'playwright';
import { chromiumLaunchOptions } from './chromium';

async function waitForServer(base: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nothing answered at ${base}${process.env.PLAYGROUND_URL === undefined ? ' (vite preview did not start)' : ' (PLAYGROUND_URL)'}`);
}

/** Where the app is served for a script that asked for `port`: `PLAYGROUND_URL` when set. */
export const appBase = (port: number): string => process.env.PLAYGROUND_URL ?? `http://127.0.0.1:${port}/`;

async function withPage<T>(use: (page: Page, browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    return await use(await browser.newPage(), browser);
  } finally {
    await browser.close();
  }
}

/** Builds and serves the app on `port` (or uses `PLAYGROUND_URL`), runs `use` with a fresh page, then stops it all. */
export async function withBuiltApp<T>(port: number, use: (page: Page, base: string, browser: Browser) => Promise<T>): Promise<T> {
  const base = appBase(port);
  if (process.env.PLAYGROUND_URL !== undefined) {
    await waitForServer(base);
    return withPage((page, browser) => use(page, base, browser));
  }
  console.error('Building…');
  execFileSync('npx', ['vite', 'build'], { stdio: 'ignore' });
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  try {
    await waitForServer(base);
    return await withPage((page, browser) => use(page, base, browser));
  } finally {
    if (server.pid !== undefined) process.kill(-server.pid);
  }
}

/** Each built-in dataset's radio on the Data tab, by its accessible name ("MNIST" alone would match Fashion-MNIST's too). */
export const DATASET_RADIO = { mnist: /^MNIST/, 'fashion-mnist': /Fashion-MNIST/ } as const;

/** The backend a run's badge names ("WASM", "WebGL (GPU)"), without the label or Automatic's reason. */
export async function backendShown(page: Page): Promise<string> {
  return ((await page.getByTestId('backend').first().textContent()) ?? '').replace(/^Backend:\s*/, '').split(' Chosen')[0] ?? '';
}

/** The run shown's training history (`history.history` as a table). */
export const historyTable = (page: Page): Locator => page.getByRole('table', { name: /Training history/ });

/**
 * A column of the training history, found by its heading (the columns follow Keras's order,
 * which is not fixed: Keras 3 sorts them): each epoch's cell text, in order; null when the
 * table has no such column.
 */
export async function historyColumn(page: Page, heading: string): Promise<string[] | null> {
  const table = historyTable(page);
  const index = (await table.locator('thead th').allTextContents()).indexOf(heading);
  return index < 0 ? null : table.locator(`tbody tr > :nth-child(${index + 1})`).allTextContents();
}

/**
 * Opens the app and waits until `dataset` is loaded and selected. The page opens on the
 * dataset in use last in this profile, so MNIST is picked as Fashion-MNIST is: explicitly.
 */
export async function openWithDataset(page: Page, base: string, dataset: 'mnist' | 'fashion-mnist'): Promise<void> {
  await page.goto(base);
  await page.getByTestId('shape-x_train').waitFor({ timeout: 60_000 });
  await page.getByRole('radio', { name: DATASET_RADIO[dataset] }).check();
  await page.getByTestId('first-label').getByText(dataset === 'fashion-mnist' ? '9 (Ankle boot)' : '5', { exact: true }).waitFor({ timeout: 60_000 });
}
