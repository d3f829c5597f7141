/**
 * Issue 3: when the training worker crashes, the run it was training ends with a message
 * that says so, every finished run is kept, and the restarted worker trains the next run.
 */
import { expect, test } from '@playwright/test';
import { crashTrainingWorker, quickstart } from './helpers';

test('a worker crash mid-run fails that run with a clear message, keeps the finished run, and the next run trains', async ({ page }) => {
  await quickstart(page, 1, 2000);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');

  // A long run, and while it trains an uncaught error in the worker, as a bug there would throw.
  await page.getByLabel('Epochs', { exact: true }).fill('5');
  await page.getByLabel('Training subset (empty = all)').fill('60000');
  await train.click();
  await expect(page.getByTestId('running-metrics')).toBeVisible();
  await crashTrainingWorker(page);

  const banner = page.getByRole('region', { name: 'Training worker' }).getByRole('alert');
  await expect(banner).toContainText('The training worker crashed');
  await expect(banner).toContainText('simulated crash');
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await expect(page.getByRole('region', { name: 'Training controls' }).getByRole('alert')).toContainText('This run was lost with it; finished runs are kept.');

  // The finished run is intact: listed as finished beside the failed one, its results in the comparison.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'failed']);
  const rows = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr');
  await expect(rows.nth(0).locator('[data-column="epochsDone"]')).toHaveText('1/1');

  // The restarted worker has the dataset (handed over by the page, not fetched again) and trains.
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Training subset (empty = all)').fill('2000');
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
});

test('a run that exhausts the WASM memory fails as out of memory, the worker is replaced, and the run queued behind it trains', async ({ page }) => {
  // Dense(300000) after Flatten: 940 MB a copy of its kernel, and a training step holds seven
  // (the weights, their gradient, Adam's two moments, and the step's three new ones): more than
  // the WASM module's 4 GB. It aborts, and afterwards failed every later run at once ("memory
  // access out of bounds"). (Dense(100000), 1.2 GB by the builder's estimate, used to exhaust
  // it too, before Adam's step became one kernel; it now trains.)
  await quickstart(page, 1, 2000);
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByLabel('Layer 2 units', { exact: true }).fill('300000');
  await expect(page.getByText(/Training this model takes about 3\.\d GB/).first()).toBeVisible();
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await page.getByLabel('Layer 2 units', { exact: true }).fill('128');
  await train.click();

  const banner = page.getByRole('region', { name: 'Training worker' }).getByRole('alert');
  await expect(banner).toHaveText(
    'The WASM backend could not go on after running out of memory, so the training worker was restarted. Runs waiting in the queue train next; finished runs, their charts and saved models are kept.',
    { timeout: 120_000 },
  );
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['failed', 'finished'], { timeout: 90_000 });
  const rows = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr');
  await expect(rows.nth(1).locator('[data-column="epochsDone"]')).toHaveText('1/1');
  await expect(rows.nth(1).locator('[data-column="backend"]')).toHaveText('WASM');
  // The failed run's record was written by the page, not the worker: the restart cost it nothing.
  await expect(page.getByText(/could not be saved in this browser/)).toHaveCount(0);
});
