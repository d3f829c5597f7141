/** Issue 7: the WASM and WebGL backends train a CNN with our kernels, and 'Automatic' takes WASM where WebGL has no GPU. */
import { expect, test } from '@playwright/test';
import { SOFTWARE_RENDERER } from '../src/training/renderer';
import { choosePreset, openApp, useFashionMnist, watchPage } from './helpers';

for (const backend of ['wasm', 'webgl'] as const) {
  const label = backend === 'wasm' ? 'WASM' : 'WebGL';
  test(`the Fashion CNN trains on the ${label} backend, with the filter gradient this app registers for it`, async ({ page }) => {
    const watch = watchPage(page);
    await openApp(page);
    await useFashionMnist(page);
    await choosePreset(page, 'fashionCnn', 1, 640);
    await page.getByLabel('Backend').selectOption(backend);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('backend')).toContainText(`Backend: ${label}`);
    await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 180_000 });
    await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');
    // Ten steps of Adam on 640 images beat chance (10%) by far (56% measured on WASM) unless training is broken: NaNs, one class.
    // Whether each kernel's gradient is right is checked against the cpu backend in wasmKernels.test.ts and webglKernels.test.ts,
    // which also checks that WebGL's is registered (tfjs's own would pass this test too).
    const accuracy = Number.parseFloat(/([\d.]+)%/.exec((await page.getByTestId('test-accuracy').textContent()) ?? '')?.[1] ?? '0');
    expect(accuracy).toBeGreaterThan(30);
    // The binaries came from this page's origin, under its CSP.
    if (backend === 'wasm') expect(watch.requests.filter((url) => url.endsWith('.wasm')).length).toBeGreaterThan(0);
    expect(watch.consoleErrors).toEqual([]);
  });
}

test('a seeded run with dropout gives the same history on WASM as on WebGL: both draw the same masks', async ({ page }) => {
  await openApp(page);
  const histories: number[][][] = [];
  for (const [backend, label] of [['wasm', 'WASM'], ['webgl', 'WebGL']] as const) {
    await choosePreset(page, 'mlpDropout', 2, 1280);
    await page.getByLabel('Backend').selectOption(backend);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('backend')).toContainText(`Backend: ${label}`);
    await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
    const rows = page.getByRole('table', { name: /Training history/ }).locator('tbody tr');
    await expect(rows).toHaveCount(2);
    // loss, accuracy, val_loss, val_accuracy of each epoch, as the table shows them (4 decimals).
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent).slice(0, 4)));
    histories.push(cells.map((row) => row.map(Number)));
  }
  const [wasm = [], webgl = []] = histories;
  // Measured: the same to all 4 decimals (float32 sums in other orders could move the last one).
  // A WebGL mask drawn with its two keys swapped made them differ by 0.0018 in loss and 0.0061 in accuracy.
  for (const [epoch, row] of wasm.entries()) {
    for (const [column, value] of row.entries()) expect(Math.abs(value - (webgl[epoch]?.[column] ?? NaN)), `epoch ${epoch + 1}, column ${column + 1}`).toBeLessThan(0.0005);
  }
});

test('Automatic takes WebGL on a GPU, and WASM, saying why, on a software renderer', async ({ page }) => {
  await openApp(page);
  // What this browser's WebGL runs on, asked of WebGL itself, not of the app under test.
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  });
  const software = SOFTWARE_RENDERER.exec(renderer)?.[0];
  await choosePreset(page, 'quickstart', 1, 500);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const badge = page.getByTestId('backend');
  if (software === undefined) {
    await expect(badge).toContainText('Backend: WebGL');
    await expect(badge).not.toContainText('software renderer');
  } else {
    await expect(badge).toContainText('Backend: WASM');
    await expect(badge).toContainText(`WebGL runs on ${software}`);
    await expect(badge).toContainText('(no GPU); WASM is faster here.');
  }
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
});
