/** Issue 6: queue models, compare them side by side, and share them as a link. */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { PRESETS } from '../src/training/presets';
import { encodeShare } from '../src/training/specUrl';
import { choosePreset, lastAnnouncement, openApp, seriousViolations, uploadOwnDataset, useFashionMnist, watchPage } from './helpers';

/** Queues a preset on a small subset from the builder. */
async function queuePreset(page: Page, preset: string, epochs: number, images: number): Promise<void> {
  await choosePreset(page, preset, epochs, images);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

test('two queued models both finish and are compared: overlaid curves, table, spec diff, confusion difference', async ({ page, browser }) => {
  const watch = watchPage(page);
  await openApp(page);
  await queuePreset(page, 'quickstart', 2, 2000);
  await queuePreset(page, 'linear', 2, 2000);

  await page.getByRole('tab', { name: 'Compare' }).click();
  const queue = page.getByRole('list', { name: 'Runs' });
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  await expect(queue.getByTestId('queue-status')).toHaveText(['finished', 'finished'], { timeout: 90_000 });

  const table = page.getByRole('table', { name: 'Comparison of runs' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  // Each run's name says how it differs from its preset.
  await expect(rows.nth(0).getByRole('rowheader')).toContainText('TensorFlow quickstart (epochs 2, training subset 2000) #1');
  await expect(rows.nth(0).locator('[data-column="params"]')).toHaveText('101,770');
  await expect(rows.nth(1).getByRole('rowheader')).toContainText('Linear classifier');
  await expect(rows.nth(1).locator('[data-column="params"]')).toHaveText('7,850');
  await expect(rows.nth(0).locator('[data-column="epochsDone"]')).toHaveText('2/2');
  // 2,000 images less the tenth held out for validation.
  await expect(rows.nth(0).locator('[data-column="trainCount"]')).toHaveText('1,800');
  // The backend each trained on, named as the rest of the page names it (WebGL, WASM), not as tfjs does ('webgl').
  await expect(rows.locator('[data-column="backend"]')).toHaveText([/^(WebGL|WASM|cpu)$/, /^(WebGL|WASM|cpu)$/]);
  // Both have a test accuracy, so one of them is marked best, in words.
  await expect(table.locator('[data-column="testAccuracy"]').filter({ hasText: '★ best' })).toHaveCount(1);

  // Sorting by test loss puts the lower loss first.
  await table.getByRole('button', { name: 'test loss' }).click();
  const losses = await table.locator('[data-column="testLoss"]').allTextContents();
  expect(Number.parseFloat(losses[0] ?? '')).toBeLessThanOrEqual(Number.parseFloat(losses[1] ?? ''));
  await expect(table.getByRole('columnheader', { name: 'test loss' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(lastAnnouncement(page)).toHaveText('Runs sorted by test loss, lowest first.');

  // Each run draws in its own colour and its own marker, so that colour is not the only sign; the table, the lines and the key agree.
  const markers = (scope: Locator): Promise<string[]> =>
    scope.locator('[data-marker]').evaluateAll((found) => found.map((m) => `${m.getAttribute('data-marker') ?? ''} ${m.firstElementChild?.getAttribute('stroke') ?? ''}`));
  const inTable = await markers(table.locator('tbody'));
  expect(new Set(inTable).size).toBe(2);
  expect(new Set(inTable.map((m) => m.split(' ')[0])).size).toBe(2);
  const strokes = await page.locator('.compare-charts .recharts-line path.recharts-curve').evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke')));
  // Loss and accuracy: train and validation for the quickstart (validation_split 0.1), train only for the linear model.
  expect(strokes).toHaveLength(6);
  expect(new Set(strokes).size).toBe(2);
  // Two epochs on each of the six lines, each point marked.
  const onLines = await markers(page.locator('.compare-charts figure'));
  expect(onLines).toHaveLength(12);
  expect(new Set(onLines)).toEqual(new Set(inTable));
  // The charts' key names each run beside its colour and marker, and the two line styles.
  const key = page.getByTestId('compare-key').locator('li');
  await expect(key).toHaveText([/TensorFlow quickstart \(epochs 2, training subset 2000\) #1$/, /Linear classifier.* #2$/, 'training', 'validation']);
  expect((await markers(page.getByTestId('compare-key'))).toSorted()).toEqual(inTable.toSorted());
  const curves = page.getByRole('table', { name: 'Learning curves of the compared runs' });
  await page.getByText('The curves as a table').click();
  await expect(curves.locator('tbody tr')).toHaveCount(2);

  await expect(page.getByTestId('spec-diff')).toContainText('−Dense(128, relu)');
  await expect(page.getByTestId('spec-diff')).toContainText('validation split 0.1 → 0');

  await expect(page.getByRole('table', { name: /^Confusion matrix of / })).toHaveCount(2);
  const difference = page.getByRole('table', { name: /^Confusion difference, Linear classifier.* #2 minus TensorFlow quickstart.* #1/ });
  await expect(difference.locator('tbody tr')).toHaveCount(10);
  expect(await seriousViolations(page)).toEqual([]);

  // A link to both names each model as the table does, run number and all, so that they read apart.
  await page.getByRole('button', { name: 'Link to the compared models' }).click();
  const other = await browser.newContext();
  const visitor = await other.newPage();
  await visitor.goto(await page.getByLabel('Share link').inputValue());
  const shared = visitor.getByRole('region', { name: /Shared with you: 2 models for MNIST/ });
  await expect(shared.locator('li > strong')).toHaveText(['TensorFlow quickstart (epochs 2, training subset 2000) #1', 'Linear classifier (epochs 2, training subset 2000) #2']);
  await other.close();

  // Taking a run out of the comparison removes it from the table, not from the runs.
  await page.getByRole('checkbox', { name: /^Compare Linear classifier.* #2$/ }).uncheck();
  await expect(rows).toHaveCount(1);
  await expect(queue.getByRole('listitem')).toHaveCount(2);
  // With none ticked, the panel says how to compare again instead of going blank.
  await page.getByRole('checkbox', { name: /^Compare TensorFlow quickstart.* #1$/ }).uncheck();
  await expect(page.getByTestId('none-compared')).toHaveText('No run is ticked for comparison: tick "Compare …" beside a run above to see its curves and figures here.');
  await expect(page.getByRole('button', { name: 'Link to the compared models' })).toBeDisabled();
  await page.getByRole('checkbox', { name: /^Compare TensorFlow quickstart.* #1$/ }).check();
  await expect(rows).toHaveCount(1);

  // Build & train shows the newest run; Show brings the first there, its results with it, the focus on the run picker.
  await queue.getByRole('button', { name: /^Show TensorFlow quickstart.* #1 in Build & train$/ }).click();
  await expect(page.getByRole('tab', { name: 'Build & train' })).toHaveAttribute('aria-selected', 'true');
  const picker = page.getByLabel('Run shown');
  await expect(picker).toBeFocused();
  await expect(picker.locator('option:checked')).toHaveText(/^TensorFlow quickstart .* #1 \(MNIST\) — finished$/);
  await expect(page.getByRole('region', { name: 'Training controls' }).locator('.progress-block > p > strong').first()).toHaveText(/^TensorFlow quickstart .* #1$/);
  await page.getByRole('tab', { name: 'Keras log' }).click();
  await expect(page.getByLabel(/^Keras log of TensorFlow quickstart .* #1$/)).toContainText('Epoch 2/2');
  // And back to the other with the picker.
  await picker.selectOption({ label: (await picker.locator('option', { hasText: 'Linear classifier' }).textContent()) ?? '' });
  await expect(page.getByLabel(/^Keras log of Linear classifier .* #2$/)).toBeVisible();
  await page.getByRole('tab', { name: 'Compare' }).click();

  // Both runs are kept in this browser, and so is the comparison's choice: after a reload, the one taken out is still out.
  await page.reload();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(rows).toHaveCount(1);
  await page.getByRole('checkbox', { name: /^Compare Linear classifier.* #2$/ }).check();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).locator('[data-column="params"]')).toHaveText('7,850');
  await expect(page.locator('.compare-charts .recharts-line path.recharts-curve')).toHaveCount(6);
  expect(watch.consoleErrors).toEqual([]);
});

test('in Compare, any run in training can be paused and resumed, and a waiting run stopped at once', async ({ page }) => {
  await openApp(page);
  // Epochs of 20000 images last a second or more even on WASM: long enough to pause the first.
  await queuePreset(page, 'quickstart', 3, 20000);
  await queuePreset(page, 'linear', 1, 2000);
  await queuePreset(page, 'linear', 2, 2000);
  await page.getByRole('tab', { name: 'Compare' }).click();
  const queue = page.getByRole('list', { name: 'Runs' });
  const status = queue.getByTestId('queue-status');
  await expect(status.first()).toContainText('training');
  // The first run is not the one Build & train shows (the newest is): Compare pauses and resumes it.
  await queue.getByRole('button', { name: /^Pause TensorFlow quickstart/ }).click();
  await expect(status).toHaveText(['paused', 'waiting', 'waiting']);
  // Build & train, on the newest run, says what it waits for, and offers to resume it there.
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByText(/^Epoch 0\/2, waiting: TensorFlow quickstart .*#1 is paused before it$/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Resume TensorFlow quickstart .*#1$/ })).toBeVisible();
  await expect(page.locator('.tabpanel:not([hidden]) .backend')).toHaveText('Backend: chosen when it starts');
  await page.getByRole('tab', { name: 'Compare' }).click();
  // Stopped while it waits (from the keyboard), the last run ends now, not when the queue reaches it;
  // its Stop button goes, and focus goes to the run's checkbox, not to the top of the page.
  const last = queue.getByRole('listitem').nth(2);
  await last.getByRole('button', { name: /^Stop / }).focus();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(['paused', 'waiting', 'stopped']);
  await expect(last.getByRole('checkbox', { name: /^Compare / })).toBeFocused();
  // The same when a run ends with focus on its Resume (then Pause) button.
  await queue.getByRole('button', { name: /^Resume TensorFlow quickstart/ }).focus();
  await page.keyboard.press('Enter');
  await expect(queue.getByRole('button', { name: /^Pause TensorFlow quickstart/ })).toBeFocused();
  await expect(status).toHaveText(['finished', 'finished', 'stopped'], { timeout: 90_000 });
  await expect(queue.getByRole('listitem').first().getByRole('checkbox', { name: /^Compare / })).toBeFocused();
  // The stopped run has no line in the overlaid curves, and their key says why.
  await expect(page.getByTestId('compare-key').locator('li').nth(2)).toHaveText(/#3 \(stopped before training\)$/);
  // It has no model to export or draw with, and says it is not kept; the table says where it ended.
  await expect(last.getByRole('button', { name: /^Export / })).toBeDisabled();
  await expect(last.getByTestId('run-saved')).toHaveText('Not kept: it was stopped before it trained, so it has no model or results. It goes when the page is reloaded.');
  await expect(page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr').nth(2).locator('[data-column="epochsDone"]')).toHaveText('0/2, stopped before training');
  // Build & train shows the newest run, the one stopped before the worker took it up: no backend to name, and no "starting…" for ever.
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  await expect(page.locator('.tabpanel:not([hidden]) .backend')).toHaveCount(0);
  await expect(page.getByRole('progressbar', { name: 'Run 0% · stopped before training' })).toBeVisible();
  // Gone after a reload, its number is not given again: the next run is #4, not a second #3.
  // A run taken out of the comparison stays out.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await queue.getByRole('checkbox', { name: /^Compare Linear classifier.* #2$/ }).uncheck();
  await page.reload();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(status).toHaveText(['finished', 'finished']);
  await expect(queue.getByRole('checkbox', { name: /^Compare Linear classifier.* #2$/ })).not.toBeChecked();
  await expect(page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr')).toHaveCount(1);
  await queuePreset(page, 'linear', 1, 600);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(queue.getByRole('checkbox', { name: /^Compare Linear classifier.* #4$/ })).toBeVisible();
  // From its tab, the keyboard skips the queue's Tab stops to the comparison in two keys.
  await page.getByRole('tab', { name: 'Compare' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Skip to the comparison' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Learning curves, overlaid' })).toBeFocused();
});

test('a shared link recreates the same models in another browser, and a damaged one says so', async ({ page, browser }) => {
  await openApp(page);
  await useFashionMnist(page);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('fashionCnn');
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await expect(page.getByTestId('total-params')).toContainText('302,026');
  await page.getByRole('button', { name: 'Link to this model' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toMatch(/#share=[A-Za-z0-9_-]+$/);

  const other = await browser.newContext();
  const visitor = await other.newPage();
  await visitor.goto(link);
  const banner = visitor.getByRole('region', { name: /Shared with you: 1 model for Fashion-MNIST/ });
  await expect(banner).toContainText('Conv2D(32, 2×2, relu) → MaxPooling2D(2×2)');
  await expect(banner).toContainText('3 epochs');
  // The link's dataset is selected for the visitor.
  await expect(banner.getByRole('button', { name: 'Train it' })).toBeEnabled();
  await banner.getByRole('button', { name: 'Open Fashion CNN (epochs 3) in the builder' }).click();
  await expect(visitor.getByRole('tab', { name: 'Build & train' })).toHaveAttribute('aria-selected', 'true');
  // The builder knows it as the preset it was edited from.
  await expect(visitor.getByLabel('Preset')).toHaveValue('fashionCnn');
  await expect(visitor.getByLabel('Preset').locator('option:checked')).toHaveText(/, modified$/);
  await expect(visitor.getByTestId('total-params')).toContainText('302,026');
  await expect(visitor.getByLabel('Epochs', { exact: true })).toHaveValue('3');
  await other.close();

  // Pasting a cut-short link into the open tab.
  await page.goto(`/#share=${link.split('#share=')[1]?.slice(0, 20) ?? ''}`);
  await expect(page.getByRole('region', { name: 'Shared link' }).getByRole('alert')).toContainText('This share link is damaged');
  // Dismissed from the keyboard, the banner goes and the focus goes to the tab on show, not to the page.
  await page.getByRole('region', { name: 'Shared link' }).getByRole('button', { name: 'Dismiss' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Shared link' })).toBeHidden();
  await expect(page.getByRole('tablist', { name: 'Playground' }).getByRole('tab', { selected: true })).toBeFocused();
});

test('a link to two models queues both with one click, and focus follows to Compare, where they train; a third the builder would refuse is left out, saying why', async ({ page }) => {
  const quick = { ...PRESETS.quickstart.spec, fit: { ...PRESETS.quickstart.spec.fit, epochs: 1, trainLimit: 500 } };
  const stopping = { ...quick.fit, learningRateDecay: 0.5, earlyStopping: { monitor: 'loss' as const, minDelta: 0, patience: 2, restoreBestWeights: true } };
  const threeOutputs = { ...quick, layers: [...quick.layers.slice(0, -1), { type: 'dense' as const, units: 3, activation: 'linear' as const, useBias: true }] };
  const link = await encodeShare({
    dataset: 'mnist',
    runs: [
      { name: 'Quick A #1', spec: quick },
      { name: 'Quick B #2', spec: { ...quick, compile: { ...quick.compile, learningRate: 0.01 }, fit: stopping } },
      { name: 'Three #3', spec: threeOutputs },
    ],
  });
  await page.goto(`/#share=${link}`);
  const banner = page.getByRole('region', { name: /Shared with you: 3 models for MNIST/ });
  // Each model's training is said in full before it is queued: its rate's decay and its callbacks too.
  await expect(banner.getByRole('listitem')).toHaveText([
    /^Quick A #1: Flatten → Dense\(128, relu\) → Dense\(10\); adam, lr 0\.001, loss from logits, 1 epoch, batch 32, the first 500 training images, validation split 0\.1 Open Quick A #1 in the builder$/,
    /; adam, lr 0\.01 ×0\.5 after each epoch, .*, EarlyStopping on loss, patience 2, best weights Open Quick B #2 in the builder$/,
    /It cannot train here: Layer 3 \(Dense\): the model must end with 10 outputs, one per class, but this layer has 3 units\. Set its units to 10\. Open Three #3 in the builder$/,
  ]);
  await banner.getByRole('button', { name: 'Train the 2 models that can' }).click();
  await expect(banner).toBeHidden();
  // The banner that had focus is gone: the Compare tab, now selected, takes it.
  const compare = page.getByRole('tab', { name: 'Compare' });
  await expect(compare).toHaveAttribute('aria-selected', 'true');
  await expect(compare).toBeFocused();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'finished'], { timeout: 90_000 });
});

test("a link to a model far too large for a tab says so in the banner, with the builder's words, before Train it", async ({ page }) => {
  const quick = PRESETS.quickstart.spec;
  const huge = { ...quick, layers: [...quick.layers.slice(0, 1), { type: 'dense' as const, units: 1_000_000_000, activation: 'relu' as const, useBias: true }, ...quick.layers.slice(-1)] };
  await page.goto(`/#share=${await encodeShare({ dataset: 'mnist', runs: [{ name: 'Huge', spec: huge }] })}`);
  const banner = page.getByRole('region', { name: /Shared with you: 1 model for MNIST/ });
  await expect(banner.getByRole('listitem')).toContainText(/Training this model takes about [\d,]+ GB .* No browser tab gets that much .*: the run will fail with an out-of-memory error\./);
});

test("a link to a model for the user's own dataset describes that dataset, and a visitor's matching one trains it", async ({ page, browser }) => {
  await openApp(page);
  await uploadOwnDataset(page);
  await expect(page.getByRole('radio', { name: /Your dataset 1/ })).toBeChecked();
  await choosePreset(page, 'quickstart', 2, 6);
  // Three classes: the output layer needs three units.
  await page.getByLabel('Layer 3 units').fill('3');
  await page.getByRole('button', { name: 'Link to this model' }).click();
  const link = await page.getByLabel('Share link').inputValue();

  const other = await browser.newContext();
  const visitor = await other.newPage();
  await visitor.goto(link);
  const banner = visitor.getByRole('region', { name: /Shared with you: 1 model for “Your dataset 1”, the sharer's own dataset/ });
  await expect(banner).toContainText('Load your copy of it (5×7 images, 3 classes) as IDX files on the Data tab to train the model.');
  const trainAll = banner.getByRole('button', { name: 'Train it' });
  await expect(trainAll).toBeDisabled();
  await expect(visitor.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await uploadOwnDataset(visitor);
  await expect(banner).toContainText('They will train on Your dataset 1 (5×7 images, 3 classes), which matches it.');
  // With another dataset selected, the banner points at the matching one already loaded.
  await visitor.getByRole('radio', { name: /MNIST.*Handwritten/ }).check();
  await expect(banner).toContainText('Select Your dataset 1 on the Data tab: it matches (5×7 images, 3 classes).');
  await expect(trainAll).toBeDisabled();
  await visitor.getByRole('radio', { name: /Your dataset 1/ }).check();
  await trainAll.click();
  // Queued once: the page shows the run, and neither the banner nor a reload offers the model again.
  await expect(visitor.getByRole('tab', { name: 'Build & train' })).toHaveAttribute('aria-selected', 'true');
  await expect(banner).toBeHidden();
  // The banner that had focus is gone: focus goes to the training controls (Train, or their region while Train is disabled).
  await expect.poll(() => visitor.evaluate(() => document.activeElement?.closest('[aria-label="Training controls"]') !== null)).toBe(true);
  expect(new URL(visitor.url()).hash).toBe('');
  await expect(visitor.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  await other.close();
});

test('runs on two datasets: each is ranked on its own, the link says which runs it leaves out, and a reload keeps their sizes', async ({ page }) => {
  await openApp(page);
  await queuePreset(page, 'quickstart', 1, 600);
  await queuePreset(page, 'linear', 1, 600);
  await page.getByRole('tab', { name: 'Data' }).click();
  await useFashionMnist(page);
  await queuePreset(page, 'fashionMlp', 1, 600);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'finished', 'finished'], { timeout: 90_000 });

  // Test accuracy on Fashion-MNIST is no rival to accuracy on MNIST: the one Fashion-MNIST run has no mark.
  const rows = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr');
  const accuracy = rows.locator('[data-column="testAccuracy"]');
  await expect(accuracy.filter({ hasText: '★ best on MNIST' })).toHaveCount(1);
  await expect(accuracy.nth(2)).not.toContainText('★');

  await page.getByRole('button', { name: 'Link to the compared models' }).click();
  await expect(page.locator('.share-link [role="status"]')).toContainText(
    /A link names one dataset: it holds the 2 models trained on MNIST, and leaves out Fashion MLP.* #3 \(Fashion-MNIST\)\.$/,
  );

  // Two runs on different datasets: the change names the dataset first, and their confusion matrices are not subtracted (digit 4 is no Coat).
  const to = page.locator('.pair-pickers select').nth(1);
  await expect(to.locator('option:checked')).toHaveText(/^Linear classifier/);
  await expect(page.getByRole('table', { name: /^Confusion difference, Linear classifier/ })).toBeVisible();
  await to.selectOption({ label: (await to.locator('option', { hasText: 'Fashion MLP' }).textContent()) ?? '' });
  await expect(page.getByTestId('spec-diff')).toHaveText(/^From TensorFlow quickstart.* to Fashion MLP.*: dataset MNIST → Fashion-MNIST, /);
  await expect(page.getByTestId('difference-refused')).toHaveText(/ learnt MNIST and Fashion MLP.* learnt Fashion-MNIST: their classes are not the same, so their matrices cannot be subtracted\./);
  await expect(page.getByRole('table', { name: /^Confusion difference/ })).toHaveCount(0);

  // Reopened with Fashion-MNIST in use, the MNIST runs still count their parameters: their records keep the image size.
  await page.reload();
  await expect(page.getByTestId('first-label')).toHaveText('9 (Ankle boot)');
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(rows.locator('[data-column="params"]')).toHaveText(['101,770', '7,850', /^\d{1,3}(,\d{3})+$/]);
});

test('no tab makes the page scroll sideways, on a desktop or on a phone, with runs to compare', async ({ page }) => {
  await openApp(page);
  await queuePreset(page, 'quickstart', 1, 500);
  await queuePreset(page, 'fashionCnn', 1, 300);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'finished'], { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr')).toHaveCount(2);
  const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // Checked once the shown tab's charts are drawn: a chart held at an older width was one cause.
  const chartsDrawn = (count: number) => expect.poll(() => page.locator('.tabpanel:not([hidden]) .recharts-wrapper').count()).toBeGreaterThanOrEqual(count);
  for (const width of [1280, 390, 360, 320]) {
    await page.setViewportSize({ width, height: 800 });
    for (const [tab, charts] of [['Compare', 2], ['Data', 1], ['Build & train', 2], ['Draw', 0]] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await chartsDrawn(charts);
      await expect.poll(sideways, { message: `${tab} at ${width} px` }).toBeLessThanOrEqual(0);
    }
  }
  // In a box narrower than the table, the run names stay put as the values scroll sideways, and cast a shade over them once they have.
  await page.setViewportSize({ width: 800, height: 800 });
  await page.getByRole('tab', { name: 'Compare' }).click();
  const box = page.locator('.compare-scroll');
  const runName = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody th').first();
  await expect.poll(() => box.evaluate((b) => b.scrollWidth - b.clientWidth)).toBeGreaterThan(100);
  // The heading above the names (the corner) casts the same shade over the headings beside it.
  const corner = page.getByRole('table', { name: 'Comparison of runs' }).locator('thead th').first();
  const shade = () => Promise.all([runName, corner].map((cell) => cell.evaluate((th) => Number(getComputedStyle(th, '::after').opacity))));
  await expect.poll(shade).toEqual([0, 0]);
  const before = await runName.boundingBox();
  await box.evaluate((b) => b.scrollBy({ left: 100, behavior: 'instant' }));
  await expect.poll(shade).toEqual([1, 1]);
  expect((await runName.boundingBox())?.x).toBe(before?.x);
  await box.evaluate((b) => b.scrollTo({ left: 0, behavior: 'instant' }));
  await expect.poll(shade).toEqual([0, 0]);
  // On a phone, Compare's table (as cards) and its confusion matrices show every value without scrolling sideways in their boxes.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole('tab', { name: 'Compare' }).click();
  const cutOff = () =>
    page.locator('.compare-panel').locator('.table-scroll, .scroll-x').evaluateAll((boxes) => boxes.filter((box) => box.scrollWidth > box.clientWidth).map((box) => box.querySelector('table')?.getAttribute('aria-label')));
  await expect.poll(cutOff).toEqual([]);
  await expect(page.getByRole('table', { name: /^Confusion matrix of / })).toHaveCount(2);
  await expect(page.getByRole('table', { name: /^Confusion difference/ })).toBeVisible();
  const testAccuracy = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr').first().locator('[data-column="testAccuracy"]');
  await testAccuracy.scrollIntoViewIfNeeded();
  await expect(testAccuracy).toBeInViewport({ ratio: 1 });
  await expect(testAccuracy).toContainText('%');
  // Each value sits beside its column's name, written before it by the card's CSS.
  expect(await testAccuracy.evaluate((cell) => getComputedStyle(cell, '::before').content)).toContain('test accuracy');
});
