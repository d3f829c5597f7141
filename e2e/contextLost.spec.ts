/**
 * Issue 3: a lost WebGL context ends the run training on it with a clear message, never a
 * silent hang; the finished run is kept and still classifies (its saved model reloads on the
 * next backend), and the next run trains on WASM, saying why.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { quickstart } from './helpers';

function trainingWorker(page: Page): Worker {
  const worker = page.workers().find((w) => w.url().includes('trainer'));
  if (!worker) throw new Error('no training worker on the page');
  return worker;
}

test('losing the WebGL context mid-run fails that run with a message, keeps the finished run, and the next run trains on WASM', async ({ page }) => {
  await quickstart(page, 1, 2000);
  // Before tfjs makes its WebGL context, keep a handle on every WebGL2 context the worker makes,
  // so the test can lose them the way a GPU reset would (WEBGL_lose_context).
  await trainingWorker(page).evaluate(() => {
    const scope = self as unknown as { webglContexts: WebGL2RenderingContext[] };
    scope.webglContexts = [];
    const original = Object.getOwnPropertyDescriptor(OffscreenCanvas.prototype, 'getContext')?.value as (this: OffscreenCanvas, ...args: unknown[]) => unknown;
    OffscreenCanvas.prototype.getContext = function (this: OffscreenCanvas, ...args: unknown[]) {
      const context = original.apply(this, args);
      if (context instanceof WebGL2RenderingContext) scope.webglContexts.push(context);
      return context;
    } as OffscreenCanvas['getContext'];
  });
  await page.getByLabel('Backend').selectOption('webgl');
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('backend')).toContainText('WebGL');
  await expect(page.getByTestId('run-saved')).toContainText('Saved in this browser.');

  // A long run on WebGL, and mid-run the context is lost.
  await page.getByLabel('Epochs').fill('5');
  await page.getByLabel('Training images (empty = all)').fill('60000');
  await train.click();
  await expect(page.getByTestId('running-metrics')).toBeVisible();
  const lost = await trainingWorker(page).evaluate(() => {
    const contexts = (self as unknown as { webglContexts: WebGL2RenderingContext[] }).webglContexts;
    for (const gl of contexts) gl.getExtension('WEBGL_lose_context')?.loseContext();
    return contexts.length;
  });
  expect(lost).toBeGreaterThan(0);

  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await expect(page.getByRole('region', { name: 'Training controls' }).getByRole('alert')).toContainText('The WebGL context was lost');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'failed']);

  // The finished run still classifies: its model comes back from IndexedDB on another backend.
  await page.getByRole('tab', { name: 'Draw' }).click();
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d /);

  // The next run asks for WebGL again, falls back to WASM, says why, and trains.
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Training images (empty = all)').fill('2000');
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('backend')).toContainText('WASM');
  await expect(page.getByTestId('backend')).toContainText('its context was lost in this tab');
});
