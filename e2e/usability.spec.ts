/** Issue 4: the page stays usable while a model trains, and the main views pass an axe audit. */
import { expect, test } from '@playwright/test';
import { openApp, seriousViolations } from './helpers';

test('while a model trains, a person can switch tabs, scroll and edit the next model; long tasks are recorded', async ({ page }, testInfo) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  // All 60000 images: long enough, even on WASM, for the page to be used while it trains.
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByLabel('Training subset (empty = all)').fill('60000');
  // Tasks while training, from the Train click (as `npm run bench` counts them). Playwright's
  // role and label queries below run on the page's main thread too, so they are in the figure.
  // Each step is a User Timing mark, so that the log says what each long task followed.
  await page.evaluate(() => {
    const store = window as unknown as { longTasks: { start: number; duration: number }[] };
    store.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) store.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
  });
  const step = (name: string) => page.evaluate((mark) => performance.mark(`step: ${mark}`), name);
  await step('Train');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('running-metrics')).toBeVisible();
  // Use the page while the worker trains.
  await step('Data tab');
  await page.getByRole('tab', { name: 'Data' }).click();
  await step('training image 4');
  await page.getByRole('radio', { name: /Training image 4: 9/ }).click();
  await expect(page.getByRole('heading', { name: 'Pixels of training image 4 (9)' })).toBeVisible();
  await step('scroll');
  await page.mouse.wheel(0, 800);
  await step('Build & train tab');
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await step('edit units');
  await page.getByLabel('Layer 2 units').fill('256');
  await expect(page.getByTestId('total-params')).toContainText('203,530');
  await step('watch');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const longTasks = await page.evaluate(() => {
    const steps = performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('step: '));
    return (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.map(({ start, duration }) => {
      const after = steps.filter((mark) => mark.startTime <= start).at(-1);
      return { ms: Math.round(duration), after: after ? `${after.name.slice(6)} +${Math.round(start - after.startTime)} ms` : 'before Train' };
    });
  });
  const figures = { count: longTasks.length, longestMs: Math.max(0, ...longTasks.map((task) => task.ms)), tasks: longTasks };
  testInfo.annotations.push({ type: 'main-thread long tasks during training', description: JSON.stringify(figures) });
  console.log(`main-thread long tasks during training: ${JSON.stringify(figures)}`);
  // The run went on to the end while the page was used: all three epochs are in its history.
  await expect(page.getByRole('table', { name: /Training history/ }).locator('tbody tr')).toHaveCount(3);
});

test('the data view and the dashboard with results have no serious or critical accessibility violations', async ({ page }) => {
  await openApp(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Training subset (empty = all)').fill('1000');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 90_000 });
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('tab', { name: 'Confusion matrix' }).click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('tab', { name: 'Predictions' }).click();
  expect(await seriousViolations(page)).toEqual([]);
});
