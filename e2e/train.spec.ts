/** Issues 3 and 4: train a preset in the worker on WebGL and read what the dashboard shows. */
import { expect, test } from '@playwright/test';
import { choosePreset, lastAnnouncement, openApp, quickstart, seriousViolations, uploadOwnDataset, useFashionMnist, watchPage } from './helpers';

test('the quickstart preset trains in the worker on WebGL, streaming batches and epochs, then is evaluated', async ({ page }) => {
  const watch = watchPage(page);
  await quickstart(page, 2, 3000);
  // model.summary()'s totals, in Keras's words and units.
  await expect(page.getByTestId('total-params')).toHaveText('101,770 (397.54 KB)');
  await expect(page.locator('.model-summary dt:text-is("Non-trainable params") + dd')).toHaveText('0 (0.00 B)');
  await page.getByText('The same model in tf.keras (Python)').click();
  const code = page.getByLabel('tf.keras code for this model');
  await expect(code).toContainText("Dense(128, activation='relu'");
  await expect(code).toContainText('from_logits=True');
  await expect(code).toContainText('epochs=2');
  // Its long lines wrap in the builder's column: nothing to scroll sideways to read.
  expect(await code.evaluate((pre) => pre.scrollWidth - pre.clientWidth)).toBe(0);
  // 'Automatic' takes WASM where WebGL has no GPU (as here); this test is about WebGL.
  await page.getByLabel('Backend').selectOption('webgl');
  // Before the first run the curves are there, empty, and say what will fill them.
  await expect(page.getByText('Train a model to see its loss and accuracy here')).toBeVisible();
  await expect(page.locator('.live-charts .recharts-wrapper')).toHaveCount(2);
  // Their epoch axes are ticked already, 0 to the 2 epochs planned, each chart's.
  await expect(page.locator('.live-charts .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')).toHaveText(['0', '1', '2', '0', '1', '2']);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('backend')).toContainText('Backend: WebGL');
  // Keras's progress-bar figures, and the time the whole run has left.
  await expect(page.getByTestId('running-metrics')).toContainText(/loss \d\.\d{4} · accuracy \d\.\d{4} · \d+ samples\/s · ETA (\d+ min )?\d+ s/);
  // The tab's title follows the run, for a user in another tab.
  await expect(page).toHaveTitle(/^\d+% · ETA (\d+ min )?\d+ s · TensorFlow quickstart .*#1 — Digit & Fashion training playground$/);
  const history = page.getByRole('table', { name: /Training history/ });
  await expect(history.locator('tbody tr')).toHaveCount(1);
  await expect(history.locator('tbody tr')).toHaveCount(2);
  // The charts gained a point per epoch: loss and accuracy, training and validation, 2 epochs each.
  await expect(page.locator('.live-charts .recharts-line-dot')).toHaveCount(8);
  // Epoch 1's val_loss is below its loss, as early on it usually is: the page says why, beside the curves.
  await expect(page.getByTestId('curve-note')).toHaveText(/^In epoch 1, val_loss \(\d\.\d{4}\) is below loss \(\d\.\d{4}\)\. That is usual early on, not a bug: /);
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page).toHaveTitle('Digit & Fashion training playground');
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');
  const accuracy = Number((await page.getByTestId('test-accuracy').textContent())?.match(/([\d.]+)%/)?.[1]);
  expect(accuracy).toBeGreaterThan(85);
  // validation_split 0.1 of the 3000-image subset: the last 300 images.
  await expect(page.getByText('2,700 training images, 300 for validation')).toBeVisible();
  expect(watch.consoleErrors).toEqual([]);

  // Hovering a curve reads its epoch and values as the history table writes them, not as raw floats.
  const lossChart = page.locator('.live-charts .recharts-wrapper').first();
  const box = await lossChart.boundingBox();
  await lossChart.hover({ position: { x: (box?.width ?? 200) * 0.4, y: (box?.height ?? 200) / 2 } });
  const tooltip = lossChart.locator('.recharts-tooltip-wrapper');
  // Where the point lies, as the progress line counts (2,700 images are 85 steps of 32), and the running mean's value.
  await expect(tooltip).toContainText(/epoch [12], step \d+\/85|end of epoch 1/);
  await expect(tooltip).toContainText(/loss, epoch so far : \d+\.\d{4}/);
  expect(await tooltip.textContent()).not.toMatch(/\d\.\d{5}/);

  // The Keras log reads as the notebook's output would, with this run's figures: 2,700 images are
  // 85 steps of 32; the test set's 10,000, 313 steps of evaluate's 32.
  const firstEpoch = await history.locator('tbody tr').first().locator('td').allTextContents();
  await page.getByRole('tab', { name: 'Keras log' }).click();
  await expect(page.getByRole('heading', { name: 'Keras log', level: 3 })).toBeVisible();
  const log = ((await page.getByLabel(/^Keras log of TensorFlow quickstart/).textContent()) ?? '').trimEnd().split('\n');
  // Its long epoch lines wrap, as a notebook's output does: val_loss is not past a sideways scroll.
  expect(await page.getByLabel(/^Keras log of TensorFlow quickstart/).evaluate((pre) => pre.scrollWidth - pre.clientWidth)).toBe(0);
  expect(log.slice(0, 3)).toEqual(['Epoch 1/2', expect.stringMatching(/^85\/85 ━{20} \d+s \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$/), 'Epoch 2/2']);
  expect(log[1]).toContain(`- accuracy: ${firstEpoch[0]} - loss: ${firstEpoch[1]} - val_accuracy: ${firstEpoch[2]} - val_loss: ${firstEpoch[3]}`);
  expect(log[4]).toMatch(new RegExp(`^313/313 - \\d+s - \\d+(ms|us|s)/step - accuracy: ${(accuracy / 100).toFixed(4).replace('.', '\\.')} - loss: \\d\\.\\d{4}$`));
  expect(log.slice(5, 7)).toEqual([`Test accuracy: ${(accuracy / 100).toFixed(4)}`, '(5, 10)']);
  expect(log.slice(-2)).toEqual([expect.stringMatching(/^Predicted: \[\d \d \d \d \d\]$/), 'Actual:    [7 2 1 0 4]']);
  // print(probabilities[0]): test image 0's 10 probabilities as numpy prints them, which add up to 1, the largest its prediction.
  const row = log.slice(7, -2).join(' ');
  expect(row).toMatch(/^\[.*\]$/);
  const probabilities = row.slice(1, -1).trim().split(/\s+/).map(Number);
  expect(probabilities).toHaveLength(10);
  expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 4);
  expect(log.at(-2)?.charAt('Predicted: ['.length)).toBe(String(probabilities.indexOf(Math.max(...probabilities))));
  expect(await seriousViolations(page)).toEqual([]);

  // Confusion matrix: counts add up to the test images evaluated; a cell opens its images.
  await page.getByRole('tab', { name: 'Confusion matrix' }).click();
  const cells = page.locator('.confusion-table td button');
  const counts = (await cells.evaluateAll((buttons) => buttons.map((b) => Number(b.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
  expect(counts).toBe(10000);
  await page.getByRole('button', { name: /images of 7 predicted as 7 / }).click();
  await expect(page.getByRole('figure', { name: /Test images of 7 predicted as 7/ }).getByRole('img')).toHaveCount(60);
  // Its caption, and what is said, give how many of the cell's images are shown.
  const sevens = Number(await page.getByRole('button', { name: /images of 7 predicted as 7 / }).getAttribute('data-count')).toLocaleString('en-US');
  await expect(page.getByRole('figure', { name: `Test images of 7 predicted as 7 (the first 60 of ${sevens})` })).toBeVisible();
  await expect(lastAnnouncement(page)).toHaveText(`Test images of 7 predicted as 7 (the first 60 of ${sevens}), under the matrix.`);
  // The same cell again puts them away, as its pressed state says.
  await page.getByRole('button', { name: /images of 7 predicted as 7 / }).click();
  await expect(page.getByRole('figure', { name: /Test images of 7 predicted as 7/ })).toHaveCount(0);
  await expect(lastAnnouncement(page)).toHaveText('Closed the test images of 7 predicted as 7.');
  // By keyboard, the matrix is one Tab stop (the cell last used) and the arrow keys move between cells.
  await expect(page.locator('.confusion-table button[tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: /images of 7 predicted as 8 / })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  // The images are brought into view, the cell kept in focus; Escape puts them away.
  const sixAsEight = page.getByRole('figure', { name: /of 6 (was )?predicted as 8/ });
  await expect(sixAsEight).toBeInViewport();
  await expect(page.getByRole('button', { name: /images of 6 predicted as 8 / })).toBeFocused();
  // In high contrast, which drops shadows, the chosen cell keeps a frame.
  await page.emulateMedia({ forcedColors: 'active' });
  expect(await page.locator('.confusion-table button[aria-pressed="true"]').evaluate((cell) => getComputedStyle(cell).borderTopStyle)).toBe('solid');
  // A dark high-contrast theme keeps the charts' own colours, made for a light page: they are brightened there (contrast.test.ts), and only there.
  const chartFilter = () => page.locator('.recharts-surface').first().evaluate((svg) => getComputedStyle(svg).filter);
  await page.emulateMedia({ forcedColors: 'active', colorScheme: 'dark' });
  expect(await chartFilter()).toBe('brightness(1.6)');
  await page.emulateMedia({ forcedColors: 'active', colorScheme: 'light' });
  expect(await chartFilter()).toBe('none');
  await page.emulateMedia({ forcedColors: 'none', colorScheme: 'dark' });
  expect(await chartFilter()).toBe('none');
  await page.emulateMedia({ forcedColors: 'none', colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await expect(sixAsEight).toHaveCount(0);
  await expect(page.getByRole('button', { name: /images of 6 predicted as 8 / })).toBeFocused();
  await page.keyboard.press('Control+End');
  await expect(page.getByRole('button', { name: /images of 9 predicted as 9 / })).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.confusion-table') === null)).toBe(true);

  // Prediction grid: each card's probabilities sum to 1 (within rounding).
  await page.getByRole('tab', { name: 'Predictions' }).click();
  const cards = page.getByRole('listitem', { name: /^Test image \d+$/ });
  await expect(cards).toHaveCount(48);
  const sums = await page.locator('.cards .bars').evaluateAll((lists) => lists.map((list) => Array.from(list.querySelectorAll('li'), (li) => Number(li.getAttribute('data-probability'))).reduce((a, b) => a + b, 0)));
  for (const sum of sums) expect(sum).toBeCloseTo(1, 4);
  // The sample's mistakes are counted against the test set's, which the test accuracy gives.
  const mistakes = (10_000 - Math.round(accuracy * 100)).toLocaleString('en-US');
  await expect(page.getByTestId('prediction-count')).toHaveText(new RegExp(`^The first 48 test images: (none|\\d+) of them wrong \\(${mistakes} mistakes on all 10,000 test images\\)\\.$`));
  // The quickstart outputs logits: the page says its percentages are their softmax, the tutorial's probability_model.
  await expect(page.getByTestId('probability-words')).toContainText('The model outputs logits, raw scores (its last layer has no softmax): the percentages are their softmax');
  // Each card is numbered as the test set counts (Draw's "classify test image #" takes the number).
  await expect(cards.first()).toContainText('#0');
  await expect(cards.first()).toContainText('true: 7');
  await page.getByRole('radio', { name: 'Most confident mistakes' }).check();
  await expect(cards.first()).toContainText('✗ wrong');
  await expect(page.getByTestId('prediction-count')).toHaveText(`The 48 mistakes the model was surest of, of its ${mistakes} mistakes on all 10,000 test images.`);
  // A mistake's bars mark the true class and the wrong prediction, as the tutorial's plot_value_array colours them.
  const mistake = cards.first().locator('.bars');
  await expect(mistake.locator('li.true-class')).toHaveCount(1);
  await expect(mistake.locator('li.wrong-prediction')).toHaveCount(1);
  const predictedName = ((await cards.first().locator('p', { hasText: 'predicted:' }).locator('strong').last().textContent()) ?? '').trim();
  await expect(mistake.locator('li.wrong-prediction .bar-label')).toHaveText(predictedName);
});

test('before Train, the time to train is estimated from a run trained on this page: its speed for the same layers, scaled by the work per image for another model', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'quickstart', 1, 1000);
  // WASM, as on a machine without a GPU: there a dataset's zeros change its speed (below).
  await page.getByLabel('Backend').selectOption('wasm');
  // No run has trained here: nothing to go by.
  await expect(page.getByTestId('train-estimate')).toHaveCount(0);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const name = (await page.getByLabel(/^Name of run /).first().inputValue()).trim();
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect(page.getByTestId('train-estimate')).toHaveText(
    new RegExp(`^(About \\d+ s|Under a second) to train \\(1 epoch of (\\d+ s|under a second), then the test set\\) on WASM: ${escaped} trained the same layers at batch 32 there at [\\d,]+ images/s\\.$`),
  );
  // Another batch size is another speed: scaled, and said to be rough.
  await page.getByLabel('Batch size', { exact: true }).fill('128');
  await expect(page.getByTestId('train-estimate')).toContainText(`a rough guide: ${name} trained these layers there at `);
  await expect(page.getByTestId('train-estimate')).toContainText(' at batch 32, and batch 128 trains at another speed.');
  // Another model: its speed scaled by the work of a training step per image.
  await page.getByLabel('Layer 2 units').fill('256');
  await expect(page.getByTestId('train-estimate')).toContainText(`a rough guide, from ${name}'s speed there, scaled by a training step's multiply-adds per image: 409,000 for this model, 205,000 for that one (a model of another kind may do its multiply-adds at another rate).`);
  await page.getByLabel('Epochs', { exact: true }).fill('');
  // Train is off (no epochs): no estimate beside it.
  await expect(page.getByTestId('train-estimate')).toHaveCount(0);
  // On Fashion-MNIST, the same layers' run on MNIST is what there is, and the estimate says where it trained.
  await page.getByRole('tab', { name: 'Data' }).click();
  await useFashionMnist(page);
  await choosePreset(page, 'basicClassification', 1, 1000);
  await expect(page.getByTestId('train-estimate')).toContainText(`${name} trained the same layers at batch 32 there at `);
  await expect(page.getByTestId('train-estimate')).toContainText(' That run trained on MNIST, whose images may train at another speed.');
});

test('a model that learnt its few training images far better than the test images says so, as the tutorials do after evaluate', async ({ page }) => {
  // 500 images, 20 epochs, no validation split: it all but learns them by heart.
  await openApp(page);
  await choosePreset(page, 'quickstartAsWritten', 20, 500);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const trained = ((await page.getByRole('table', { name: /^Training history of / }).locator('tbody tr').last().locator('td').nth(0).textContent()) ?? '').trim();
  const tested = ((await page.getByTestId('test-accuracy').textContent()) ?? '').match(/Test accuracy: ([\d.]+)%/)?.[1] ?? '';
  const gap = page.getByTestId('test-gap');
  await expect(gap).toHaveText(
    new RegExp(
      `^Test accuracy, ${tested.replace('.', '\\.')}%, is below the last epoch’s accuracy in training, (\\d+\\.\\d\\d)%: the model does better on the images it learnt from than on images it has not seen\\. That gap is what the TensorFlow tutorials call overfitting; a validation split would show it epoch by epoch, as val_accuracy\\.$`,
    ),
  );
  // The history's cell has 4 decimals, the note a percentage to 2: the same figure, rounded once or twice.
  const inTraining = Number(((await gap.textContent()) ?? '').match(/in training, ([\d.]+)%/)?.[1]);
  expect(Math.abs(inTraining - Number(trained) * 100)).toBeLessThan(0.011);
});

test('validating on the test set (validation_data), as the experts\' quickstart does, measures it after every epoch: the last epoch\'s val_ figures are the test figures', async ({ page }) => {
  await quickstart(page, 2, 2000);
  await page.getByLabel('Validate on').selectOption('test');
  await expect(page.getByLabel('Validation split')).toHaveValue('0');
  // Back on the split, 10% is held out again; then the test set once more.
  await page.getByLabel('Validate on').selectOption('split');
  await expect(page.getByLabel('Validation split')).toHaveValue('0.1');
  await page.getByLabel('Validate on').selectOption('test');
  await page.getByText('The same model in tf.keras (Python)').click();
  await expect(page.getByLabel('tf.keras code for this model')).toContainText('validation_data=(x_test, y_test),');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  // Every one of the 2,000 images trains: none is held out.
  await expect(page.getByRole('region', { name: 'Training controls' })).toContainText('2,000 training images, validated on the 10,000 test images');
  const history = page.getByRole('table', { name: /^Training history of / });
  await expect(history.getByRole('columnheader', { name: 'val_accuracy' })).toBeVisible();
  const [valAccuracy, valLoss] = (await history.locator('tbody tr').last().locator('td').allTextContents()).slice(2, 4);
  // The same weights on the same 10,000 images: exactly the figures evaluate gives.
  await expect(page.getByTestId('test-accuracy')).toHaveText(`Test accuracy: ${(Number(valAccuracy) * 100).toFixed(2)}% · test loss ${valLoss ?? ''} (10,000 test images)`);
});

test("class_weight set in the builder reaches the code, the run's settings and its training", async ({ page }) => {
  await quickstart(page, 1, 2000);
  const weights = page.getByText('Class weights (class_weight): none');
  await weights.click();
  await page.getByLabel('Weight of class 5', { exact: true }).fill('2');
  await expect(page.getByText('Class weights (class_weight): {5: 2}')).toBeVisible();
  await page.getByText('The same model in tf.keras (Python)').click();
  await expect(page.getByLabel('tf.keras code for this model')).toContainText('class_weight={0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 2.0, 6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0},');
  // A weight that is no weight is named, on its own field, and Train waits for it; "Go to it" opens the weights again.
  await page.getByLabel('Weight of class 5', { exact: true }).fill('-1');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toHaveAccessibleDescription(/^Train is off: The weight of class 5 must be a number, 0 or more \(got -1\)/);
  await expect(page.getByLabel('Weight of class 4', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByText('Class weights (class_weight): {5: -1}').click();
  await expect(page.getByLabel('Weight of class 5', { exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Go to it' }).click();
  await expect(page.getByLabel('Weight of class 5', { exact: true })).toBeFocused();
  await page.getByLabel('Weight of class 5', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  // The run is named by its changes from the preset, the weight the third.
  await expect(page.getByRole('region', { name: 'Training controls' }).locator('.progress-block > p > strong').first()).toHaveText('TensorFlow quickstart (epochs 1, training subset 2000, 1 more change) #1');
  // The model being edited keeps it over a reload, as it keeps every setting.
  await page.reload();
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByText('Class weights (class_weight): {5: 2}')).toBeVisible();
});

test('the accuracy axis zooms to the epochs once the first has ended, and runs from 0 on request, for epoch 1\'s climb', async ({ page }) => {
  await openApp(page);
  await choosePreset(page, 'quickstartAsWritten', 3, 1000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const ticks = page.getByRole('figure', { name: 'Accuracy' }).locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
  await expect(ticks.first()).not.toHaveText('0.00');
  await expect(ticks.last()).toHaveText('1.00');
  await page.getByRole('checkbox', { name: 'Accuracy axis from 0' }).check();
  await expect(ticks.first()).toHaveText('0.00');
  await expect(ticks.last()).toHaveText('1.00');
});

test('a learning-rate decay set in the builder is in the Keras code and in each epoch\'s history', async ({ page }) => {
  await quickstart(page, 3, 2000);
  await page.getByLabel('Learning-rate decay per epoch').fill('0.5');
  await page.getByText('The same model in tf.keras (Python)').click();
  await expect(page.getByLabel('tf.keras code for this model')).toContainText('LearningRateScheduler(lambda epoch: 0.001 * 0.5 ** epoch)');
  await page.getByLabel('Learning-rate decay per epoch').fill('1.5');
  await expect(page.getByRole('list', { name: 'Problems with this model' })).toContainText('The learning-rate decay multiplies the rate after each epoch');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await page.getByLabel('Learning-rate decay per epoch').fill('0.5');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const history = page.getByRole('table', { name: /Training history/ });
  await expect(history.getByRole('columnheader', { name: 'learning_rate' })).toBeVisible();
  await expect(history.locator('tbody tr td:nth-of-type(5)')).toHaveText(['0.0010', '5.0000e-04', '2.5000e-04']);
});

test('EarlyStopping set in the builder ends a run whose val_accuracy stops rising, and says which weights the test set measured', async ({ page }) => {
  await quickstart(page, 8, 2000);
  // A learning rate so small that nothing is learnt: val_accuracy stays where the first epoch left it.
  await page.getByLabel('Learning rate', { exact: true }).fill('1e-12');
  await page.getByLabel('Early stopping').check();
  await page.getByLabel('Monitor', { exact: true }).selectOption('val_accuracy');
  await page.getByLabel('Patience (epochs)').fill('1');
  await page.getByLabel('Min delta (least improvement)').fill('0.001');
  await page.getByText('The same model in tf.keras (Python)').click();
  const code = page.getByLabel('tf.keras code for this model');
  await expect(code).toContainText("EarlyStopping(monitor='val_accuracy', min_delta=0.001, patience=1, restore_best_weights=True, verbose=1)");
  await expect(code).toContainText('callbacks=[early_stopping]');
  // With no validation split there is no val_accuracy to watch: the builder says so, and repairs it.
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await page.getByLabel('Validation split').fill('0');
  await expect(page.getByLabel('Monitor', { exact: true })).toHaveAccessibleDescription(/^Error: EarlyStopping watches val_accuracy, which only a validation split gives/);
  await expect(train).toBeDisabled();
  // Beside Train, why it is off, and the way to the field at fault.
  await expect(train).toHaveAccessibleDescription(/^Train is off: EarlyStopping watches val_accuracy, which only a validation split gives/);
  // Described by why it is off, not also by the button after the reason (read twice: "… Go to it").
  await expect(train).not.toHaveAccessibleDescription(/Go to it/);
  await page.getByRole('button', { name: 'Go to it' }).click();
  await expect(page.getByLabel('Monitor', { exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Hold out 10% for validation' }).click();
  await expect(page.getByLabel('Validation split')).toHaveValue('0.1');
  await expect(page.getByLabel('Validation split')).toBeFocused();
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const rows = page.getByRole('table', { name: /Training history/ }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('early-stop')).toHaveText(
    /^EarlyStopping ended training after epoch 2 of 8: val_accuracy had not risen by more than 0\.001 in the epoch since its best, 0\.\d{4} at epoch 1\. The model has epoch 1's weights back, and the test set measured those\.$/,
  );
  await expect(rows.first().locator('td').nth(2)).toContainText('★ best, weights kept');
  // The Keras log prints what EarlyStopping (verbose=1) does as training ends.
  await page.getByRole('tab', { name: 'Keras log' }).click();
  await expect(page.getByLabel(/^Keras log of /)).toContainText('Epoch 2: early stopping\nRestoring model weights from the end of the best epoch: 1.\n');
  // 2 of 8 epochs of 1,800 images, their 2 validation passes of 200 and the test set's 10,000,
  // a forward pass's image a third of a training one: 7,067 of 18,267 images' worth, 38.7%.
  await expect(page.getByText(/^Run 38% · ended early$/)).toBeVisible();
  // Compare says so too, and that its test accuracy is of epoch 1's weights, not of the last epoch's.
  await page.getByRole('tab', { name: 'Compare' }).click();
  const row = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr');
  await expect(row.locator('[data-column="epochsDone"]')).toHaveText('2/8, stopped early');
  await expect(row.locator('[data-column="testAccuracy"]')).toHaveText(/^\d+\.\d\d% \(epoch 1's weights\)$/);
});

test("the first layer's weights are pictured as the run trains, and again after each epoch", async ({ page }) => {
  // Epochs of 20,000 images last a second or more even on WASM: long enough to see one between epochs.
  await quickstart(page, 3, 20000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('tab', { name: 'First layer' }).click();
  const caption = page.locator('.layer-pictures-figure figcaption');
  await expect(page.getByRole('heading', { name: 'First layer', level: 3 })).toBeVisible();
  await expect(caption).toHaveText(/^dense, after epoch [12] of 3: 128 units, each unit's 784 weights laid over the 28×28 image it sees\. Red where a bright pixel raises/);
  await expect(caption).toContainText('after epoch 3 of 3', { timeout: 90_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  const pictures = page.getByRole('img', { name: /^128 units of layer dense, after epoch 3 of 3:/ });
  // 16 pictures to a row, 8 rows, a pixel between them; trained weights are not blank: they take many colours.
  const drawn = await pictures.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) colours.add(((pixels[i] ?? 0) << 16) | ((pixels[i + 1] ?? 0) << 8) | (pixels[i + 2] ?? 0));
    return { width: canvas.width, height: canvas.height, colours: colours.size };
  });
  expect(drawn).toMatchObject({ width: 16 * 29 - 1, height: 8 * 29 - 1 });
  expect(drawn.colours).toBeGreaterThan(500);
  expect(await seriousViolations(page)).toEqual([]);
});

test('stopping a run mid-way keeps its history and its model', async ({ page }) => {
  // Epochs of 20000 images last a second or more even on WASM, so Stop lands mid-run.
  await quickstart(page, 30, 20000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const history = page.getByRole('table', { name: /Training history/ });
  await expect(history.locator('tbody tr').nth(1)).toBeVisible();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  await expect(lastAnnouncement(page)).toHaveText(/^TensorFlow quickstart .*#1 stopped; its model and history are kept\. Test accuracy \d+\.\d\d% on 10,000 test images\.$/);
  const kept = await history.locator('tbody tr').count();
  expect(kept).toBeGreaterThanOrEqual(2);
  expect(kept).toBeLessThan(30);
  await expect(page.getByTestId('test-accuracy')).toBeVisible();

  // After a reload the run still says where it stopped, not "Epoch 0/30 · Run 0%".
  const reached = await page.getByText(/^Epoch \d+\/30, step \d+\/563$/).textContent();
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  await page.reload();
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  await expect(page.getByText(reached ?? '')).toBeVisible();
  await expect(page.getByText(/^Run [1-9]\d*% · stopped (in|after) epoch \d+$/)).toBeVisible();
});

test('leaving the page while a run trains asks first; once it has ended and is saved, it does not', async ({ page }) => {
  await quickstart(page, 2, 20000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('running-metrics')).toBeVisible();
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  // Staying on the page, the run goes on to its end, and is saved (until then, leaving would lose it).
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  page.on('dialog', (unexpected) => {
    throw new Error(`asked ${unexpected.type()} after the run ended`);
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
});

test("a run that ends while its tab is out of sight leaves how it ended in the tab's title until the tab is seen", async ({ page }) => {
  await quickstart(page, 1, 1000);
  // Headless Chromium keeps a background tab visible: the page is told it is hidden, as a browser tells it.
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((to) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => to });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  // Hidden before Train, so that even a run over in an instant ends out of sight; the title follows the run meanwhile.
  await setVisibility('hidden');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page).toHaveTitle(/^Finished · test \d+\.\d\d% · TensorFlow quickstart .*#1 — Digit & Fashion training playground$/, { timeout: 90_000 });
  const tested = (await page.getByTestId('test-accuracy').textContent())?.match(/(\d+\.\d\d)%/)?.[1];
  await expect(page).toHaveTitle(new RegExp(`^Finished · test ${tested?.replace('.', '\\.')}% · `));
  await setVisibility('visible');
  await expect(page).toHaveTitle('Digit & Fashion training playground');
});

test('pause holds training and resume continues it', async ({ page }) => {
  // Epochs of 20000 images last a second or more even on WASM, long enough to pause after the first.
  await quickstart(page, 30, 20000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('table', { name: /Training history/ }).locator('tbody tr')).toHaveCount(1);
  // From the keyboard: focus stays on the button through Pause and Resume, and goes to Train after Stop.
  await page.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeFocused();
  await expect(page.getByRole('table', { name: /Training history/ }).locator('tbody tr')).toHaveCount(3);
  await page.getByRole('button', { name: 'Stop' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeFocused();
});

test("scrolled down to the curves, a mouse user pauses, resumes and stops from a copy of the buttons at the window's foot", async ({ page }) => {
  await quickstart(page, 30, 20000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('running-metrics')).toBeVisible();
  const floating = page.getByTestId('floating-controls');
  // With the controls in sight, there is no copy.
  await expect(floating).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(floating).toContainText(/^Epoch \d+\/30, step \d+\/563 · Run \d+%/);
  // The copy is for the pointer: assistive technology and the Tab key find the one pair of buttons above.
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(1);
  await floating.getByText('Pause', { exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await floating.getByText('Resume', { exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await floating.getByText('Stop', { exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  await expect(floating).toHaveCount(0);
});

test('the test evaluation counts its images and the time left, and Pause holds it', async ({ page }) => {
  // The strongest preset's test evaluation (10,000 images through four convolutions) lasts
  // seconds on a CPU; one epoch of 200 images before it, a second or two.
  await openApp(page);
  await choosePreset(page, 'strongest', 1, 200);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const evaluating = page.getByTestId('evaluating');
  await expect(evaluating).toHaveText(/^Training done: evaluating on the test set \([\d,]+ of 10,000 images\)…$/, { timeout: 60_000 });
  await expect(page.getByTestId('running-metrics')).toContainText(/ · ETA (\d+ min )?\d+ s$/);
  await expect(page).toHaveTitle(/^\d\d?% · evaluating · ETA (\d+ min )?\d+ s · Strongest \(ours\)/);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(evaluating).toHaveText(/^Training done; paused while evaluating on the test set \([\d,]+ of 10,000 images\)\. Resume to finish\.$/);
  const held = (await evaluating.textContent()) ?? '';
  // The bars say how far the test set is, not that the run is at 100% because its epochs are.
  const done = held.match(/\(([\d,]+) of/)?.[1] ?? '';
  const testBar = page.getByRole('progressbar', { name: `Test set: ${done} of 10,000 images` });
  await expect(testBar).toHaveAttribute('value', done.replaceAll(',', ''));
  await expect(testBar).toHaveAttribute('max', '10000');
  await expect(page.getByRole('progressbar', { name: /^Run \d\d?%$/ })).toBeVisible();
  await expect(page).toHaveTitle(/^Paused at \d\d?% · Strongest \(ours\)/);
  // The worker is free while it holds: it answers Draw, and the count has not moved since.
  await page.getByRole('tab', { name: 'Draw' }).click();
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d/);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(evaluating).toHaveText(held);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)', { timeout: 120_000 });
  await expect(evaluating).toHaveCount(0);
  await expect(page.getByRole('progressbar', { name: 'Run 100%' })).toBeVisible();
});

test("a layer added to a preset goes in before its output layer, where the tutorial has its Dropout", async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('quickstart');
  await expect(page.getByText('Conv2D and pooling layers go in before the Flatten (layer 1), other layers before the output layer (layer 3); ↑ and ↓ move them.')).toBeVisible();
  await page.getByRole('group', { name: 'Add a layer' }).getByRole('button', { name: '+ Dropout' }).click();
  await expect(page.getByRole('list', { name: 'Layers' }).locator('.layer-title')).toHaveText(['1. Flatten()', '2. Dense(128, relu)', '3. Dropout(0.2)', '4. Dense(10)']);
  // Focus stays on "+ Dropout", for another: the page says what went where.
  await expect(lastAnnouncement(page)).toHaveText('Added Dropout(0.2) as layer 3 of 4.');
  // Every card has ↑ ↓ ✕ on its title's line, whatever its fields: the buttons are in the same place on each.
  for (const card of await page.getByRole('list', { name: 'Layers' }).getByRole('listitem').all()) {
    const title = await card.locator('.layer-title').boundingBox();
    const remove = await card.getByRole('button', { name: /^Remove layer/ }).boundingBox();
    if (title === null || remove === null) throw new Error('a layer card is not laid out');
    expect(remove.y < title.y + title.height && title.y < remove.y + remove.height).toBe(true);
  }
  await expect(page.locator('.model-summary tbody tr').nth(2)).toContainText(/dropout \(Dropout\)\s*\(None, 128\)\s*0/);
  await expect(page.getByTestId('total-params')).toHaveText('101,770 (397.54 KB)');

  // From the keyboard, the arrow that moved a layer stays with it: Enter again moves it on, not back.
  const titles = page.getByRole('list', { name: 'Layers' }).locator('.layer-title');
  await page.getByRole('button', { name: 'Move layer 3 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(titles).toHaveText(['1. Flatten()', '2. Dropout(0.2)', '3. Dense(128, relu)', '4. Dense(10)']);
  await expect(page.getByRole('button', { name: 'Move layer 2 up' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(titles).toHaveText(['1. Dropout(0.2)', '2. Flatten()', '3. Dense(128, relu)', '4. Dense(10)']);
  await expect(lastAnnouncement(page)).toHaveText('Moved Dropout(0.2) to layer 1 of 4.');
  // At the top its ↑ is disabled, so focus is on its ↓.
  await expect(page.getByRole('button', { name: 'Move layer 1 down' })).toBeFocused();
  // A removed layer's place gets the focus, on the layer now there, not on its ✕ (Enter again would remove that one too).
  await page.getByRole('button', { name: 'Remove layer 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(titles).toHaveText(['1. Flatten()', '2. Dense(128, relu)', '3. Dense(10)']);
  await expect(titles.first()).toBeFocused();
  await expect(lastAnnouncement(page)).toHaveText('Removed Dropout(0.2), layer 1: the model has 3 layers.');
});

test("'Start empty' has no layers, and the tutorial's layers typed in make the quickstart; a second Flatten is flagged", async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('empty');
  const titles = page.getByRole('list', { name: 'Layers' }).locator('.layer-title');
  await expect(titles).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toHaveAccessibleDescription(/^Train is off: The model has no layers: add at least a Dense layer with 10 units/);
  const add = page.getByRole('group', { name: 'Add a layer' });
  await add.getByRole('button', { name: '+ Flatten' }).click();
  // Typed twice, as a tutorial follower who thought the model had none might: flagged, with the fix.
  await add.getByRole('button', { name: '+ Flatten' }).click();
  await expect(page.locator('.model-builder').getByText('Layer 2 (Flatten): its input (None, 784) is already flat, so this Flatten changes nothing.')).toBeVisible();
  await page.getByRole('button', { name: 'Remove this Flatten' }).click();
  await expect(titles).toHaveText(['1. Flatten()']);
  // The button went with the layer: the focus goes to the layer left in its place, not to the page.
  await expect(titles.first()).toBeFocused();
  await add.getByRole('button', { name: '+ Dense' }).click();
  await page.getByLabel('Layer 2 units').fill('128');
  await add.getByRole('button', { name: '+ Dense' }).click();
  await page.getByLabel('Layer 3 units').fill('10');
  await page.getByLabel('Layer 3 activation').selectOption('softmax');
  await expect(titles).toHaveText(['1. Flatten()', '2. Dense(128, relu)', '3. Dense(10, softmax)']);
  await expect(page.getByTestId('total-params')).toHaveText('101,770 (397.54 KB)');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('an invalid model is explained before training can start', async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Layer 2 units').fill('0');
  await expect(page.locator('.model-builder').getByText('Layer 2 (Dense): units must be a whole number of at least 1 (got 0).')).toBeVisible();
  // Said beside Train too, which it turns off.
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toHaveAccessibleDescription(/^Train is off: Layer 2 \(Dense\): units must be a whole number of at least 1 \(got 0\)\./);
  // A screen reader on the field hears what is wrong with it, and that it is wrong.
  await expect(page.getByLabel('Layer 2 units')).toHaveAccessibleDescription('Layer 2 (Dense): units must be a whole number of at least 1 (got 0).');
  await expect(page.getByLabel('Layer 2 units')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  // Too wide to train in a tab: warned at the field before Train, which stays on.
  await page.getByLabel('Layer 2 units').fill('1000000');
  await expect(page.getByLabel('Layer 2 units')).toHaveAccessibleDescription(/^Training this model takes about 12 GB .* most of it for Layer 2 \(Dense\)\. .* likely fail with an out-of-memory error/);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await page.getByLabel('Layer 2 units').fill('64');
  await expect(page.getByLabel('Layer 2 units')).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByLabel('Layer 2 units')).toHaveAccessibleDescription('');
  await page.getByLabel('Epochs').fill('0');
  await expect(page.getByLabel('Epochs')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Epochs')).toHaveAccessibleDescription(/Epochs must be a whole number from 1 to 1,000 \(got 0\)/);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await page.getByLabel('Epochs').fill('5');
  await page.getByRole('checkbox', { name: 'from_logits' }).uncheck();
  await expect(page.getByText(/ends in raw scores \(logits, no activation\), not softmax/)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'from_logits' })).toHaveAccessibleDescription(/ends in raw scores \(logits, no activation\), not softmax.* Tick from_logits, or end the model with softmax\.$/);
  await expect(page.getByRole('checkbox', { name: 'from_logits' })).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();

  // A layer that does not fit its input: Train's "Go to it" reaches the layer, and the summary stops there instead of totalling part of the model.
  await page.getByRole('button', { name: '+ MaxPooling2D' }).click();
  await page.getByRole('button', { name: 'Move layer 1 down' }).click();
  await page.getByRole('button', { name: 'Move layer 2 down' }).click();
  await expect(page.getByRole('list', { name: 'Layers' }).locator('.layer-title')).toHaveText(['1. Flatten()', '2. Dense(64, relu)', '3. MaxPooling2D(2×2)', '4. Dense(10)']);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toHaveAccessibleDescription(/^Train is off: Layer 3 \(MaxPooling2D\): MaxPooling2D needs an image .* was already flattened\. Move it before the Flatten layer/);
  await page.getByRole('button', { name: 'Go to it' }).click();
  await expect(page.getByRole('list', { name: 'Layers' }).locator('.layer-title').nth(2)).toBeFocused();
  await expect(page.getByTestId('summary-stopped')).toHaveText('Layer 3 and after: not summarised until the error in layer 3 is fixed.');
  await expect(page.getByTestId('total-params')).toHaveText('– (not known until every layer is valid)');
});

test("the quickstart as written trains as the tutorial's cells do: all 60,000 images, 1875 steps an epoch, no validation", async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('quickstartAsWritten');
  await expect(page.getByRole('list', { name: 'Layers' }).locator('.layer-title')).toHaveText(['1. Flatten()', '2. Dense(128, relu)', '3. Dropout(0.2)', '4. Dense(10)']);
  await expect(page.getByTestId('total-params')).toHaveText('101,770 (397.54 KB)');
  await page.getByText('The same model in tf.keras (Python)').click();
  await expect(page.getByLabel('tf.keras code for this model')).toContainText('validation_split=0.0,');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.locator('.progress-block > p').first()).toContainText(/: finished · 60,000 training images$/);
  const accuracy = Number((await page.getByTestId('test-accuracy').textContent())?.match(/([\d.]+)%/)?.[1]);
  expect(accuracy).toBeGreaterThan(93);
  // Its history has no val_ columns, as Keras's history.history has no val_ keys without validation.
  await expect(page.getByRole('table', { name: /^Training history of / }).getByRole('columnheader')).toHaveText(['epoch', 'accuracy', 'loss', 'time', 'samples/s']);
  await page.getByRole('tab', { name: 'Keras log' }).click();
  const log = ((await page.getByLabel(/^Keras log of TensorFlow quickstart, as written/).textContent()) ?? '').split('\n');
  expect(log[0]).toMatch(/^1875\/1875 ━{20} \d+s \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$/);
});

test('a preset made for the other dataset says so, and one click trains it where its tutorial did', async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('fashionCnn');
  const note = page.getByTestId('preset-dataset');
  await expect(note).toContainText('This preset is made for Fashion-MNIST; the page is using MNIST');
  await note.getByRole('button', { name: 'Use Fashion-MNIST' }).click();
  await expect(note).toHaveCount(0);
  // The button went with its note: the keyboard's focus goes to the preset, not to the top of the page.
  await expect(page.getByLabel('Preset')).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Build and train on Fashion-MNIST' })).toBeVisible();
  // Our strongest preset aims at both datasets, and the MNIST presets at MNIST.
  await page.getByLabel('Preset').selectOption('strongest');
  await expect(note).toHaveCount(0);
  // Its random shifts are the first layer of the exported code's model.summary(), so the summary here lists them first too.
  const firstRow = page.locator('.model-summary tbody tr').first().locator('td');
  await expect(firstRow).toHaveText(['random_translation (RandomTranslation)', '(None, 28, 28, 1)', '0']);
  await expect(page.getByTestId('summary-augmentation')).toContainText('random_translation shifts the training images at random, in training only.');
  await expect(page.getByTestId('total-params')).toContainText('469,098');
  await page.getByLabel('Preset').selectOption('quickstart');
  await expect(note).toContainText('This preset is made for MNIST; the page is using Fashion-MNIST');
  await expect(firstRow).toHaveText(['flatten (Flatten)', '(None, 784)', '0']);
  await expect(page.getByTestId('summary-augmentation')).toHaveCount(0);
  // The quickstart's layers are also the clothing tutorial's: the note offers that one.
  await expect(note).toContainText('Its layers are those of “TensorFlow basic classification”, made for Fashion-MNIST.');
  await note.getByRole('button', { name: 'Use TensorFlow basic classification' }).click();
  await expect(note).toHaveCount(0);
  await expect(page.getByLabel('Preset')).toBeFocused();
  await expect(page.getByLabel('Preset')).toHaveValue('basicClassification');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('10');
});

test('a reload keeps the dataset picked and the model being edited', async ({ page }) => {
  await openApp(page);
  await useFashionMnist(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('fashionCnn');
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByLabel('Layer 1 filters').fill('16');
  const params = await page.getByTestId('total-params').textContent();

  await page.reload();
  await expect(page.getByRole('radio', { name: /Fashion-MNIST/ })).toBeChecked();
  await expect(page.getByTestId('first-label')).toHaveText('9 (Ankle boot)');
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByLabel('Preset')).toHaveValue('fashionCnn');
  await expect(page.getByLabel('Preset').locator('option:checked')).toHaveText(/, modified$/);
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('3');
  await expect(page.getByLabel('Layer 1 filters')).toHaveValue('16');
  await expect(page.getByTestId('total-params')).toHaveText(params ?? '');

  // The builder says what differs from the preset, and takes it back in one click.
  const changes = page.getByTestId('preset-changes');
  await expect(changes).toHaveText('Changed from the preset: Conv2D 32 → 16 filters, epochs 10 → 3. Reset to Fashion CNN');
  await changes.getByRole('button', { name: 'Reset to Fashion CNN' }).click();
  await expect(changes).toHaveCount(0);
  await expect(page.getByLabel('Preset')).toBeFocused();
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('10');
  await expect(page.getByTestId('total-params')).toContainText('302,026');

  // Another preset picked from the menu replaces an edited model, which can be brought back.
  await page.getByLabel('Epochs', { exact: true }).fill('4');
  await page.getByLabel('Preset').selectOption('fashionMlp');
  await expect(page.getByLabel('Epochs', { exact: true })).not.toHaveValue('4');
  const replaced = page.getByTestId('replaced-draft');
  await expect(replaced).toHaveText('Fashion CNN (epochs 4) was replaced. Bring it back');
  await replaced.getByRole('button', { name: 'Bring it back' }).click();
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('4');
  await expect(page.getByLabel('Preset')).toHaveValue('fashionCnn');
  await expect(page.getByLabel('Preset')).toBeFocused();
  await expect(replaced).toHaveCount(0);
});

test('a model remembered from a 3-class dataset opens on MNIST with its output named as the problem, and one click repairs it', async ({ page }) => {
  await openApp(page);
  await uploadOwnDataset(page);
  await expect(page.getByRole('radio', { name: /Your dataset 1/ })).toBeChecked();
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Layer 3 units').fill('3');
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect(train).toBeEnabled();

  // A user's own dataset is not kept across visits: the page opens on MNIST, with the 3-unit model.
  await page.reload();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await page.getByRole('tab', { name: 'Build & train' }).click();
  const layers = page.getByRole('list', { name: 'Layers' });
  await expect(layers).toContainText('the model must end with 10 outputs, one per class, but this layer has 3 units.');
  await expect(train).toBeDisabled();
  await layers.getByRole('button', { name: 'Set its units to 10' }).click();
  await expect(page.getByLabel('Layer 3 units')).toHaveValue('10');
  // The repair's button went with the problem: the focus goes to the field it changed.
  await expect(page.getByLabel('Layer 3 units')).toBeFocused();
  await expect(layers).not.toContainText('one per class');
  await expect(train).toBeEnabled();
  await expect(page.getByLabel('Preset')).toHaveValue('quickstart');
  await expect(page.getByLabel('Preset').locator('option:checked')).not.toHaveText(/modified/);

  // The from_logits warning offers its repair too.
  await page.getByLabel('from_logits', { exact: true }).uncheck();
  await page.getByRole('list', { name: 'Problems with this model' }).getByRole('button', { name: 'Tick from_logits' }).click();
  await expect(page.getByLabel('from_logits', { exact: true })).toBeChecked();
  await expect(page.getByLabel('from_logits', { exact: true })).toBeFocused();
  await expect(page.getByRole('list', { name: 'Problems with this model' })).toHaveCount(0);
});

test('the confusion matrix fits beside the charts at 1280 px, with recall on its rows, precision and F1 under its columns, and scikit-learn\'s report of them', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page);
  await useFashionMnist(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByLabel('Training subset (empty = all)').fill('1000');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 90_000 });
  await page.getByRole('tab', { name: 'Confusion matrix' }).click();
  const table = page.locator('.confusion-table');
  await expect(table.locator('thead th')).toHaveText(['true ↓ / predicted →', 'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot', 'recall']);
  await expect(table.locator('tfoot th')).toHaveText(['precision', 'F1']);
  await expect(table.locator('tfoot td.num')).toHaveCount(20);
  // The same figures as a notebook's classification_report prints them; its accuracy is the run's test accuracy.
  await page.getByText("The same figures as scikit-learn's classification_report prints them").click();
  const report = page.getByRole('region', { name: 'classification_report' });
  await expect(report).toContainText(/^\s+precision {4}recall {2}f1-score {3}support\n\n {1}T-shirt\/top {7}\d\.\d\d/);
  await expect(report).toContainText(/\n {4}accuracy {27}\d\.\d\d {5}10000\n/);
  const testAccuracy = Number((await page.getByTestId('test-accuracy').textContent())?.match(/([\d.]+)%/)?.[1]) / 100;
  const reported = Number((await report.textContent())?.match(/accuracy +(\d\.\d\d)/)?.[1]);
  expect(Math.abs(reported - testAccuracy)).toBeLessThanOrEqual(0.005);
  expect(await report.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  // Nothing of it is behind a sideways scroll.
  const box = page.locator('.confusion .table-scroll');
  expect(await box.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  // Its last column ends inside the 1280 px window (it may start below the fold: that is scrolled to).
  const recall = await table.locator('thead th').last().boundingBox();
  expect((recall?.x ?? Infinity) + (recall?.width ?? 0)).toBeLessThanOrEqual(1280);
});

test('the keyboard reaches Train from its tab in two keys, past the builder', async ({ page }) => {
  await quickstart(page, 1, 500);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('button', { name: 'Skip to Train' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect(train).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
});
