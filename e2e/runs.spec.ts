/** Issue 6: runs outlive the page — saved, restored, renamed, deleted with undo, exported and imported. */
import { readFile } from 'node:fs/promises';
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { choosePreset, crashTrainingWorker, lastAnnouncement, leaveNoRoomForModel, MODEL_LOST, openApp, quickstart, shownPanel, uploadOwnDataset, watchPage } from './helpers';
import { draw } from './pad';

/** What such a run says where this browser cannot keep it either. */
const LOST = `${MODEL_LOST}. Its charts and results stay until the page is reloaded.`;

/** Trains the quickstart preset briefly and waits until this browser has saved it; returns its name. */
async function trainSavedRun(page: Page, epochs: number): Promise<string> {
  await quickstart(page, epochs, 1500);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  return page.getByLabel(/^Name of run /).inputValue();
}

/** How many run records and tfjs models this origin holds in IndexedDB. */
function storedCounts(page: Page): Promise<{ runs: number; models: number }> {
  return page.evaluate(async () => {
    const count = (database: string, store: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open(database);
        request.onerror = () => reject(new Error(`${database} did not open`));
        request.onsuccess = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            resolve(0);
            return;
          }
          const counting = db.transaction(store).objectStore(store).count();
          counting.onsuccess = () => {
            db.close();
            resolve(counting.result);
          };
          counting.onerror = () => reject(new Error(`${store} could not be counted`));
        };
      });
    return { runs: await count('digit-fashion-playground', 'runs'), models: await count('tensorflowjs', 'model_info_store') };
  });
}

/** Trains the quickstart briefly with no room in this browser for its model (leaveNoRoomForModel). Returns the session, to lift the quota again. */
async function trainWithoutRoomForModel(page: Page): Promise<{ readonly cdp: CDPSession; readonly origin: string }> {
  const room = await leaveNoRoomForModel(page);
  await choosePreset(page, 'quickstart', 1, 1000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Not saved: kept until the page is reloaded.');
  return room;
}

test('a finished run survives a reload with its history and its new name, and still classifies drawings', async ({ page }) => {
  const watch = watchPage(page);
  await trainSavedRun(page, 2);
  const name = page.getByLabel(/^Name of run /);
  const original = await name.inputValue();
  // Emptied, the field says the run keeps its name, not that it is saved.
  await name.fill('');
  await expect(name).toHaveAccessibleDescription(`A run needs a name: left empty, it keeps “${original}”.`);
  await name.fill('Tiny MLP');
  await expect(page.getByTestId('run-saved')).toHaveText('Enter or leaving the field keeps the new name; Escape, the old one.');
  await name.press('Enter');
  await expect(page.getByLabel('Name of run Tiny MLP')).toHaveValue('Tiny MLP');
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  expect(await storedCounts(page)).toEqual({ runs: 1, models: 1 });

  await page.reload();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByLabel('Name of run Tiny MLP')).toHaveValue('Tiny MLP');
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  // Its progress reads as done, at its last step, not as an epoch about to start.
  const epochBar = page.getByRole('progressbar', { name: /^Epoch 2\/2, step (\d+)\/\1$/ });
  await expect(epochBar).toBeVisible();
  expect(await epochBar.getAttribute('value')).toBe(await epochBar.getAttribute('max'));
  await expect(page.getByRole('progressbar', { name: 'Run 100%' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Training history of Tiny MLP' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');

  // The Draw tab lists the restored run, and its model is loaded from IndexedDB to classify.
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByLabel('Model', { exact: true }).locator('option', { hasText: 'Tiny MLP (MNIST) — finished' })).toHaveCount(1);
  await draw(page, [
    [
      [140, 45],
      [140, 235],
    ],
  ]);
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+\.\d+%\)$/);
  expect(watch.consoleErrors).toEqual([]);
});

test('a failed run is kept with what went wrong, and the next run is numbered after it', async ({ page }) => {
  await quickstart(page, 1, 1500);
  // A learning rate that makes the loss overflow within a few steps.
  await page.getByLabel('Optimizer').selectOption('sgd');
  await page.getByLabel('Learning rate', { exact: true }).fill('1e30');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('failed', { timeout: 60_000 });
  await expect(page.getByRole('alert').filter({ hasText: 'training diverged' })).toContainText('Try a much lower learning rate: 1e+30 is far above the 0.0001 to 0.1 that usually trains');
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  expect(await storedCounts(page)).toEqual({ runs: 1, models: 0 });

  await page.reload();
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  // Restored, its message is there to read, not announced again.
  await expect(page.locator('.progress-block .error')).toContainText('training diverged');
  await expect(page.locator('.progress-block .error')).not.toHaveAttribute('role', 'alert');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.01');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Compare' }).click();
  const queue = page.getByRole('list', { name: 'Runs' });
  await expect(queue.getByTestId('queue-status')).toHaveText(['failed', 'finished']);
  await expect(queue.getByRole('listitem').nth(1)).toContainText('#2');
  // Draw lists the failed run without offering it: it has no model to classify with.
  await page.getByRole('tab', { name: 'Draw' }).click();
  const models = page.getByRole('combobox', { name: 'Model', exact: true }).locator('option');
  await expect(models).toHaveText([/^Newest run \(.*#2\)$/, /#1 \(MNIST\) — failed, no model$/, /#2 \(MNIST\) — finished$/]);
  await expect(models.nth(1)).toBeDisabled();
});

test('a run saved, renamed or deleted in one tab of the app is shown, renamed or taken away in another, without a reload', async ({ page }) => {
  await openApp(page);
  const other = await page.context().newPage();
  await openApp(other);
  await other.getByRole('tab', { name: 'Compare' }).click();
  const otherRuns = other.getByRole('list', { name: 'Runs' });
  const name = await trainSavedRun(page, 1);
  await expect(otherRuns.getByRole('checkbox', { name: `Compare ${name}` })).toBeVisible();
  await expect(otherRuns.getByTestId('queue-status')).toHaveText(['finished']);
  // Its model is there to classify with: Draw answers with it.
  await other.getByRole('tab', { name: 'Draw' }).click();
  await draw(other, [[[140, 45], [140, 235]]]);
  await expect(other.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+\.\d+%\)$/);
  await other.getByRole('tab', { name: 'Compare' }).click();

  const field = page.getByLabel(`Name of run ${name}`);
  await field.fill('Renamed elsewhere');
  await field.press('Enter');
  await expect(otherRuns.getByRole('checkbox', { name: 'Compare Renamed elsewhere' })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Renamed elsewhere' }).click();
  await expect(otherRuns.getByRole('listitem')).toHaveCount(0);
  await expect(lastAnnouncement(other)).toHaveText('Renamed elsewhere was deleted in another tab.');
  // Undo in the first tab brings it back in the other.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(otherRuns.getByRole('checkbox', { name: 'Compare Renamed elsewhere' })).toBeVisible();
  await other.close();
});

test('a deleted run can be brought back with Undo, and stays deleted when the page is reloaded during the undo', async ({ page }) => {
  const name = await trainSavedRun(page, 1);
  // The name field shows the whole name, not its first 30 characters.
  const nameField = shownPanel(page).getByLabel(`Name of run ${name}`);
  expect(name.length).toBeGreaterThan(40);
  expect(await nameField.evaluate((field) => field.scrollWidth <= field.clientWidth)).toBe(true);
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(shownPanel(page).getByTestId('undo-delete')).toHaveText(`Deleted ${name}. Undo`);
  await expect(page.getByTestId('run-status')).toBeHidden();
  // The keyboard's focus goes to Undo, not to the page, and back to the run after it.
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  await expect(shownPanel(page).getByLabel(`Name of run ${name}`)).toHaveValue(name);
  await expect(page.getByRole('button', { name: `Delete ${name}` })).toBeFocused();
  await expect(shownPanel(page).getByTestId('undo-delete')).toBeHidden();
  // Brought back, it is kept again: record and model.
  await expect.poll(() => storedCounts(page)).toEqual({ runs: 1, models: 1 });

  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(shownPanel(page).getByTestId('undo-delete')).toBeVisible();
  // The record leaves IndexedDB at once; the model waits for the undo to pass, or for the next visit.
  await expect.poll(() => storedCounts(page)).toEqual({ runs: 0, models: 1 });
  await expect(shownPanel(page).getByTestId('undo-delete')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await expect.poll(() => storedCounts(page)).toEqual({ runs: 0, models: 0 });
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByTestId('run-status')).toBeHidden();
});

test('Enter pressed twice on Delete deletes one run, not also the one shown next under the same button', async ({ page }) => {
  const first = await trainSavedRun(page, 1);
  const second = await trainSavedRun(page, 2);
  await page.getByRole('button', { name: `Delete ${second}` }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // The run shown in its place is named, and stepping back from Undo does not reach that run's Delete.
  await expect(shownPanel(page).getByTestId('undo-delete')).toHaveText(`Deleted ${second}. Shown now: ${first}. Undo`);
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeFocused();
  await expect(shownPanel(page).getByLabel(`Name of run ${first}`)).toHaveValue(first);
  await page.keyboard.press('Shift+Tab');
  // Undo is the saved runs' first control: Shift+Tab leaves them, rather than landing on the shown run's actions.
  await expect(page.getByRole('region', { name: 'Saved runs' }).locator(':focus')).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Delete ${first}` })).not.toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeFocused();
  await expect.poll(() => storedCounts(page)).toEqual({ runs: 1, models: 2 });
  // The undo holds while Undo has the focus (a late Enter there is still an undo); once the user
  // moves on, it runs out in 10 s, and the focus stays where they put it, not on another Delete.
  const nameField = shownPanel(page).getByLabel(`Name of run ${first}`);
  await nameField.focus();
  await expect(shownPanel(page).getByTestId('undo-delete')).toBeHidden({ timeout: 15_000 });
  await expect(nameField).toBeFocused();
});

test("a run on the user's own files finds them again when the same files are loaded after a reload", async ({ page }) => {
  await openApp(page);
  await uploadOwnDataset(page);
  const own = page.getByRole('radio', { name: /Your dataset/ });
  await expect(own).toHaveCount(1);
  await choosePreset(page, 'quickstart', 1, 6);
  await page.getByLabel('Layer 3 units').fill('3');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  const name = await page.getByLabel(/^Name of run /).inputValue();
  // The same files again are the same dataset, not a second one.
  await page.getByRole('tab', { name: 'Data' }).click();
  await uploadOwnDataset(page);
  await expect(own).toHaveCount(1);
  await expect(own).toHaveAccessibleName(/^Your dataset 1\b/);

  await page.reload();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByText(`(load Your dataset 1 on the Data tab for the test images ${name} learnt from)`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Classify test image' })).toBeDisabled();
  // Loaded again, the files are "Your dataset 1" once more, and the run's test images are theirs.
  await page.getByRole('tab', { name: 'Data' }).click();
  await uploadOwnDataset(page);
  await expect(own).toHaveCount(1);
  await expect(own).toHaveAccessibleName(/^Your dataset 1\b/);
  await expect(own).toBeChecked();
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByText("of Your dataset 1's 3")).toBeVisible();
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: [0-2] \(\d+\.\d+%\)\. Test image #0 is labelled 2: (right|wrong)\.$/);
});

test('an exported run file imports into a fresh browser profile, model and all; other files are explained', async ({ page, browser, baseURL }, testInfo) => {
  const name = await trainSavedRun(page, 1);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: `Export ${name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${name}.run.json`);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);

  const profile = await browser.newContext({ baseURL });
  try {
    const fresh = await profile.newPage();
    const watch = watchPage(fresh);
    await openApp(fresh);
    await fresh.getByRole('tab', { name: 'Build & train' }).click();
    await shownPanel(fresh).getByLabel('Import runs').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
    await expect(fresh.getByRole('list', { name: 'Problems with run files' })).toHaveText(/^notes\.json is not a run export of this playground/);
    // Edited by hand: a spec that is not the model in the file, and a weight that is not a number.
    const exported = JSON.parse(await readFile(file, 'utf8')) as { run: { spec: { layers: { units?: number }[] } }; weights: string };
    const forged = structuredClone(exported);
    forged.run.spec.layers[1] = { ...forged.run.spec.layers[1], units: 64 };
    const weights = Buffer.from(exported.weights, 'base64');
    weights.writeFloatLE(Number.NaN, 8);
    const damaged = { ...exported, weights: weights.toString('base64') };
    const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
    await shownPanel(fresh).getByLabel('Import runs').setInputFiles([
      { name: 'forged.run.json', mimeType: 'application/json', buffer: json(forged) },
      { name: 'damaged.run.json', mimeType: 'application/json', buffer: json(damaged) },
    ]);
    await expect(fresh.getByRole('list', { name: 'Problems with run files' }).getByRole('listitem')).toHaveText([
      'damaged.run.json cannot be imported: the model\'s weights are damaged: value 2 of "dense/kernel" (byte 8 of its weights.bin) is NaN, where a trained model has a finite number.',
      "forged.run.json cannot be imported: its model.json is not the model its run describes: layer 2 of its model (dense) outputs (None, 128), but its spec's Dense(64, relu) outputs (None, 64).",
    ]);

    await shownPanel(fresh).getByLabel('Import runs').setInputFiles(file);
    await expect(shownPanel(fresh).getByLabel(`Name of run ${name}`)).toHaveValue(name);
    await expect(fresh.getByRole('list', { name: 'Problems with run files' })).toBeHidden();
    await expect(fresh.getByTestId('run-status')).toHaveText('finished');
    await expect(fresh.getByRole('table', { name: `Training history of ${name}` }).locator('tbody tr')).toHaveCount(1);
    await expect(fresh.getByTestId('run-saved')).toHaveText('Saved in this browser.');

    await fresh.getByRole('tab', { name: 'Draw' }).click();
    await fresh.getByLabel('Or classify test image #').fill('0');
    await fresh.getByRole('button', { name: 'Classify test image' }).click();
    await expect(fresh.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+\.\d+%\)\. Test image #0 is labelled 7: (right|wrong)\.$/);
    expect(watch.consoleErrors).toEqual([]);
  } finally {
    await profile.close();
  }
});

test('without IndexedDB (as in some private windows) the page says runs will not be kept, and trains in memory', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  await quickstart(page, 1, 1500);
  await expect(page.getByRole('alert').filter({ hasText: 'IndexedDB is unavailable' })).toHaveText(/runs last only until the page is reloaded\.$/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Not saved: kept until the page is reloaded.');

  // Its model lived only in the training worker: when that restarts, the run says the model is gone, and nothing offers to use it.
  await crashTrainingWorker(page);
  await expect(page.getByRole('region', { name: 'Training worker' }).getByRole('alert')).toContainText('The training worker crashed');
  await expect(page.getByTestId('run-saved')).toHaveText(`Not saved: ${LOST}`);
  await expect(page.getByRole('button', { name: /^Export / })).toBeDisabled();
  await expect(page.getByRole('button', { name: /^Save .* again$/ })).toHaveCount(0);
  await expect(page.getByTestId('test-accuracy')).toContainText('(10,000 test images)');
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByRole('option', { name: /finished, model lost$/ })).toBeDisabled();
  // "Newest run" stands for no run: none has a model to draw with.
  await expect(shownPanel(page).getByRole('option', { name: 'Newest run', exact: true })).toHaveCount(1);
});

test('a run the browser had no room to save says so until it is saved, after later runs save, and saves again on request', async ({ page }) => {
  // The browser's quota used up for run records, until the page says it is not.
  await page.addInitScript(() => {
    const { put } = Object.getOwnPropertyDescriptors(IDBObjectStore.prototype);
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'runs' && (globalThis as { quotaFull?: boolean }).quotaFull !== false) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return (put.value as IDBObjectStore['put']).apply(this, args);
    };
  });
  await quickstart(page, 1, 1000);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Not saved: kept until the page is reloaded.');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be saved in this browser' })).toContainText('storage quota is used up');

  // Room again: the next run saves and the page's message goes, but the first is still unsaved.
  await page.evaluate(() => ((globalThis as { quotaFull?: boolean }).quotaFull = false));
  await train.click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  await page.getByRole('tab', { name: 'Compare' }).click();
  const first = page.getByRole('group', { name: /^Actions for TensorFlow quickstart .*#1$/ });
  await expect(first.getByTestId('run-saved')).toHaveText('Not saved: kept until the page is reloaded.');
  await first.getByRole('button', { name: /^Save .* again$/ }).click();
  await expect(first.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  await expect(first.getByRole('textbox')).toBeFocused();

  // Both are there after a reload.
  await page.reload();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(['finished', 'finished']);
});

test('a model whose write the browser cancels as it commits it (quota used up) is not called saved, and saves once there is room', async ({ page }) => {
  const { cdp, origin } = await trainWithoutRoomForModel(page);
  await expect(page.getByRole('alert').filter({ hasText: 'could not be saved in this browser' })).toContainText('storage quota is used up');
  expect((await storedCounts(page)).runs).toBe(0);

  // Room again (the quota the browser sets itself): Save again keeps it, model and all.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByRole('button', { name: /^Save .* again$/ }).click();
  await expect(page.getByTestId('run-saved')).toHaveText('Saved in this browser.');
  await page.reload();
  await page.getByRole('tab', { name: 'Draw' }).click();
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+\.\d+%\)\. Test image #0 is labelled 7: (right|wrong)\.$/);
});

test('a run whose unsaved model goes with a restarted worker keeps its charts and results after a reload, without the model', async ({ page }) => {
  // No room for the model, so the worker alone holds it when it crashes.
  await trainWithoutRoomForModel(page);
  const accuracy = (await page.getByTestId('test-accuracy').textContent()) ?? '';

  await crashTrainingWorker(page);
  await expect(page.getByTestId('run-saved')).toHaveText(`Saved without its model: ${MODEL_LOST}. Its charts and results are kept.`);
  expect((await storedCounts(page)).runs).toBe(1);
  await page.reload();
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await expect(page.getByTestId('run-saved')).toHaveText(`Saved without its model: ${MODEL_LOST}. Its charts and results are kept.`);
  await expect(page.getByTestId('test-accuracy')).toHaveText(accuracy);
  await expect(page.getByRole('table', { name: /^Training history of / }).locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Export / })).toBeDisabled();
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByRole('option', { name: /finished, model lost$/ })).toBeDisabled();
});

test('a run training, and one queued, when the page is reloaded are kept as failed runs that say so, with the history trained so far', async ({ page }) => {
  await quickstart(page, 5, 60000);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(page.getByRole('table', { name: /^Training history of / }).locator('tbody tr')).toHaveCount(1, { timeout: 90_000 });
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await train.click();
  // The browser's "Leave site?", accepted.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await page.getByRole('tab', { name: 'Compare' }).click();
  const runs = page.getByRole('list', { name: 'Runs' });
  await expect(runs.getByTestId('queue-status')).toHaveText(['failed', 'failed']);
  await expect(runs.getByRole('listitem').nth(0)).toContainText(
    /The page was reloaded or closed while this run was training: it was lost, with its model\. Its history up to epoch [1-4] of 5 is kept\./,
  );
  await expect(runs.getByRole('listitem').nth(1)).toContainText('The page was reloaded or closed while this run was waiting to train: it was lost, with its model. "Open in builder" puts its model there to train it again.');
  const rows = page.getByRole('table', { name: 'Comparison of runs' }).locator('tbody tr');
  // The table says they failed, and where: "1/5" alone read as a run still training.
  await expect(rows.nth(0).locator('[data-column="epochsDone"]')).toHaveText(/^[1-4]\/5, failed( in epoch [2-5])?$/);
  await expect(rows.nth(1).locator('[data-column="epochsDone"]')).toHaveText('0/1, failed before training');
  // Kept for good: the next visit has them too, once.
  await page.reload();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(runs.getByTestId('queue-status')).toHaveText(['failed', 'failed']);

  // The first run's model goes back in the builder to train again (5 epochs, where the builder
  // held the second's 1), and the model it replaced can be brought back.
  await runs.getByRole('listitem').nth(0).getByRole('button', { name: /^Open the model of .* in the builder$/ }).click();
  await expect(page.getByRole('tab', { name: 'Build & train' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('5');
  await page.getByRole('button', { name: 'Bring it back' }).click();
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('1');
});
