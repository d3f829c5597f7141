/**
 * Issue 3: a lost WebGL context ends the run training on it with a clear message, never a
 * silent hang; finished runs are kept and still classify (their saved models reload on the
 * next backend), and the next run trains on WASM, saying why. The context is lost for real,
 * with WEBGL_lose_context, as a GPU reset would lose it.
 */
import { expect, test, type Page } from '@playwright/test';
import { choosePreset, leaveNoRoomForModel, MODEL_LOST, quickstart, trainingWorker } from './helpers';

/** Before tfjs makes its WebGL context, keeps a handle on every WebGL2 context the worker makes. */
async function watchWebglContexts(page: Page): Promise<void> {
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
}

/** Loses every WebGL context the worker made; says how many there were. */
function loseWebglContexts(page: Page): Promise<number> {
  return trainingWorker(page).evaluate(() => {
    const contexts = (self as unknown as { webglContexts: WebGL2RenderingContext[] }).webglContexts;
    for (const gl of contexts) gl.getExtension('WEBGL_lose_context')?.loseContext();
    return contexts.length;
  });
}

/** Trains the quickstart on the first 2000 images on WebGL, to the end, its model saved. */
async function finishedWebglRun(page: Page): Promise<void> {
  await quickstart(page, 1, 2000);
  await watchWebglContexts(page);
  await page.getByLabel('Backend').selectOption('webgl');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('backend')).toContainText('WebGL');
  await expect(page.getByTestId('run-saved')).toContainText('Saved in this browser.');
}

/** Classifies test image #0 on the Draw tab with the newest finished run. */
async function classifyTestImage(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Draw' }).click();
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d /);
}

test('losing the WebGL context mid-run fails that run with a message, and the finished run is kept and still classifies', async ({ page }) => {
  await finishedWebglRun(page);
  await page.getByLabel('Epochs', { exact: true }).fill('5');
  await page.getByLabel('Training subset (empty = all)').fill('60000');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('running-metrics')).toBeVisible();
  expect(await loseWebglContexts(page)).toBeGreaterThan(0);

  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await expect(page.getByRole('region', { name: 'Training controls' }).getByRole('alert')).toContainText('The WebGL context was lost');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'failed']);
  // Its model comes back from IndexedDB on another backend.
  await classifyTestImage(page);
});

test('losing the WebGL context while nothing trains keeps the finished run usable, and the next run trains on WASM', async ({ page }) => {
  await finishedWebglRun(page);
  expect(await loseWebglContexts(page)).toBeGreaterThan(0);
  await classifyTestImage(page);

  // The next run asks for WebGL again, falls back to WASM, says why, and trains.
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('backend')).toContainText('WASM');
  await expect(page.getByTestId('backend')).toContainText('its context was lost in this tab');
});

test('losing the WebGL context keeps a finished run that could not be saved without its model, saying so, and it outlives a reload', async ({ page }) => {
  // No room for its model: only the WebGL context holds it when the context goes.
  await leaveNoRoomForModel(page);
  await choosePreset(page, 'quickstart', 1, 1000);
  await watchWebglContexts(page);
  await page.getByLabel('Backend').selectOption('webgl');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Not saved: kept until the page is reloaded.');
  const accuracy = (await page.getByTestId('test-accuracy').textContent()) ?? '';

  expect(await loseWebglContexts(page)).toBeGreaterThan(0);
  const kept = `Saved without its model: ${MODEL_LOST}. Its charts and results are kept.`;
  await expect(page.getByTestId('run-saved')).toHaveText(kept);
  await expect(page.getByRole('button', { name: /^Export / })).toBeDisabled();
  await page.reload();
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByTestId('run-saved')).toHaveText(kept);
  await expect(page.getByTestId('test-accuracy')).toHaveText(accuracy);
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByRole('option', { name: /finished, model lost$/ })).toBeDisabled();
});
