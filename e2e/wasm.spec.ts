/** Issue 7: the WASM backend trains a CNN, and 'Automatic' takes it where WebGL has no GPU. */
import { expect, test } from '@playwright/test';
import { choosePreset, openApp, watchPage } from './helpers';

test('the Fashion CNN trains on the WASM backend, with its binaries served under the page\'s CSP', async ({ page }) => {
  const watch = watchPage(page);
  await openApp(page);
  await page.getByRole('radio', { name: /Fashion-MNIST/ }).click();
  await expect(page.getByTestId('first-label')).toContainText('Ankle boot');
  await choosePreset(page, 'fashionCnn', 1, 640);
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('backend')).toHaveText('Backend: WASM');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('test-accuracy')).toContainText('(10000 test images)');
  expect(watch.requests.filter((url) => url.endsWith('.wasm')).length).toBeGreaterThan(0);
  expect(watch.consoleErrors).toEqual([]);
});

test('Automatic takes WebGL on a GPU, and WASM, saying why, on a software renderer', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'quickstart', 1, 500);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const badge = page.getByTestId('backend');
  await expect(badge).toContainText(/Backend: (WebGL|WASM)/);
  const text = (await badge.textContent()) ?? '';
  if (text.includes('WASM')) expect(text).toMatch(/WebGL runs on (SwiftShader|llvmpipe|softpipe|software|basic render)\S* \(no GPU\); WASM is faster here\./i);
  else expect(text).not.toContain('software renderer');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
});
