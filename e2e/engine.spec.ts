/**
 * The training engine (tfjs: chunks the worker imports once a dataset is in) can fail to
 * download. The dataset stays, the page says what failed, a run asked for then ends with a
 * message instead of waiting forever, and once the chunks download the next Train trains.
 */
import { expect, test } from '@playwright/test';
import { choosePreset, openApp } from './helpers';

test('tfjs failing to download after the dataset is in: the dataset stays, Train fails clearly, the next click trains', async ({ page }) => {
  let reachable = false;
  await page.context().route('**/assets/backend-*.js', (route) => (reachable ? route.continue() : route.abort('connectionreset')));
  await openApp(page);
  const banner = page.getByRole('region', { name: 'Training worker' }).getByRole('alert');
  await expect(banner).toContainText('The training worker crashed (Uncaught Error: the training engine (TensorFlow.js) did not load');
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await expect(page.getByRole('radio', { name: /Training image 0: 5/ })).toBeVisible();

  await choosePreset(page, 'quickstart', 1, 2000);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  // Where it got to, in words: not "Epoch 0/1", as if it were about to start.
  await expect(page.getByText('Failed before training (0 of 1 epoch)')).toBeVisible();
  const controls = page.getByRole('region', { name: 'Training controls' });
  await expect(controls.getByRole('alert')).toContainText('TensorFlow.js) did not load');
  await expect(controls.getByRole('alert')).toContainText('This run was lost with it');

  // The connection is back: the next click trains, however soon it follows the failure.
  reachable = true;
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');
});
