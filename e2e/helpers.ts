/**
 * Shared steps for the browser tests: open the app and collect console errors, failed
 * requests and every request's origin, set up a quick training run, and build IDX files for
 * upload. Drawing on the pad is in pad.ts.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type CDPSession, type Locator, type Page, type Worker } from '@playwright/test';
import { gzipSync } from 'node:zlib';

/** What a page did during a test that a user should never see. */
export interface PageWatch {
  readonly consoleErrors: string[];
  readonly requests: string[];
}

/** Starts recording console errors, page errors and every request a page makes. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { consoleErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(error.message));
  page.context().on('request', (request) => watch.requests.push(request.url()));
  return watch;
}

/** Opens the app and waits until MNIST, the default dataset, has loaded. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
}

/**
 * The main tab panel on screen. Hidden panels stay mounted (and hold the same controls: Undo,
 * Import runs, a run's name field), so a query a person would make of what they see is made here.
 */
export function shownPanel(page: Page): Locator {
  return page.locator('.main-tabs > [role="tabpanel"]:not([hidden])');
}

/** Picks Fashion-MNIST on the Data tab and waits until it is in use (its first label shown). */
export async function useFashionMnist(page: Page): Promise<void> {
  await page.getByRole('radio', { name: /Fashion-MNIST/ }).check();
  await expect(page.getByTestId('first-label')).toHaveText('9 (Ankle boot)');
}

/** The page's training worker, for tests that reach inside it (a crash, a lost WebGL context). */
export function trainingWorker(page: Page): Worker {
  const worker = page.workers().find((w) => w.url().includes('trainer'));
  if (!worker) throw new Error('no training worker on the page');
  return worker;
}

/** Throws an uncaught 'simulated crash' in the training worker, as a bug there would. */
export async function crashTrainingWorker(page: Page): Promise<void> {
  await trainingWorker(page).evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  });
}

/** Why a run's model, never saved, is gone: it went with a restarted training worker or a lost WebGL context. */
export const MODEL_LOST = 'its model was lost (the training worker restarted, or the WebGL context was lost) before this browser could keep it';

/**
 * Opens the app with room in this browser for a run's record but not for its model (the
 * quickstart's 407 KB of weights), through DevTools' quota override: Chromium checks the quota
 * when it commits a write, after tfjs's model.save has resolved. Returns the session, to lift it again.
 */
export async function leaveNoRoomForModel(page: Page): Promise<{ readonly cdp: CDPSession; readonly origin: string }> {
  await openApp(page);
  // The dataset's copy is written first, so that the room left is known.
  await expect(page.getByRole('radio', { name: /^MNIST\b/ }).locator('xpath=..').locator('.badge')).toHaveText(/, kept in this browser$/);
  const origin = new URL(page.url()).origin;
  const cdp = await page.context().newCDPSession(page);
  const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 100_000 });
  return { cdp, origin };
}

/** Opens Build & train with the quickstart preset, on a subset so that a run takes seconds. */
export async function quickstart(page: Page, epochs: number, images: number): Promise<void> {
  await openApp(page);
  await choosePreset(page, 'quickstart', epochs, images);
}

/** On Build & train, picks a preset and trains it for `epochs` on the first `images` training images. */
export async function choosePreset(page: Page, preset: string, epochs: number, images: number): Promise<void> {
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption(preset);
  await page.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  await page.getByLabel('Training subset (empty = all)').fill(String(images));
}

/** An unsigned-byte IDX file with the given dimensions and data. */
export function idxFile(dims: readonly number[], data: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((dim, i) => out.writeUInt32BE(dim, 4 + 4 * i));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** A file for `setInputFiles`. */
export function upload(name: string, buffer: Buffer): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/octet-stream', buffer };
}

/** Loads a user's own dataset of six 5×7 training images and three test images, 3 classes (some files gzipped). */
export async function uploadOwnDataset(page: Page): Promise<void> {
  const trainImages = new Uint8Array(6 * 5 * 7).map((_, i) => (i * 7) % 256);
  await page.getByLabel('Choose four IDX files').setInputFiles([
    upload('my-train-images.idx3.gz', gzipSync(idxFile([6, 5, 7], trainImages))),
    upload('my-train-labels.idx1', idxFile([6], new Uint8Array([0, 1, 2, 2, 1, 0]))),
    upload('my-test-images.idx3', idxFile([3, 5, 7], new Uint8Array(3 * 5 * 7))),
    upload('my-test-labels.idx1.gz', gzipSync(idxFile([3], new Uint8Array([2, 1, 0])))),
  ]);
}

/** Serious and critical axe violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The live region's latest piece of news, each a line of its own (LiveRegion). */
export function lastAnnouncement(page: Page): Locator {
  return page.getByRole('log').locator('p').last();
}
