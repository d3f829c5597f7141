/** Issue 5: draw digits on the pad and have a well-trained model classify them. */
import { expect, test, type Page } from '@playwright/test';
import { choosePreset, openApp } from './helpers';
import { DIGITS, draw } from './pad';

/** The centre of mass of the 28×28 image the page shows, read off its canvas. */
async function inputCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.getByRole('img', { name: /image the model receives/ }).locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    let mass = 0;
    let x = 0;
    let y = 0;
    for (let i = 0; i < width * height; i++) {
      const v = data[4 * i] ?? 0;
      mass += v;
      x += v * (i % width);
      y += v * Math.floor(i / width);
    }
    return { x: x / mass, y: y / mass };
  });
}

test('digits drawn with the mouse are centred like MNIST and classified by a model trained on all of MNIST', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await page.getByRole('tab', { name: 'Draw' }).click();
  await draw(page, DIGITS['1'] ?? []);
  await expect(page.getByTestId('prediction')).toHaveText('Train a model first: there is nothing to classify with yet.');

  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption('dlwpCh2');
  // The preset as Deep Learning with Python trains it: 5 epochs of all 60000 images, which
  // 'Automatic' runs on WASM where there is no GPU (under a minute here, 2 cores).
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy')).toBeVisible({ timeout: 400_000 });
  const accuracy = Number((await page.getByTestId('test-accuracy').textContent())?.match(/([\d.]+)%/)?.[1]);
  expect(accuracy).toBeGreaterThanOrEqual(98);

  await page.getByRole('tab', { name: 'Draw' }).click();
  for (const [digit, strokes] of Object.entries(DIGITS)) {
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(page.getByTestId('prediction')).toHaveText('The pad is empty: draw something to classify.');
    await draw(page, strokes);
    await expect(page.getByTestId('prediction')).toHaveText(new RegExp(`^Prediction: ${digit} \\(\\d+\\.\\d+%\\)$`));
    const centre = await inputCentre(page);
    expect(Math.abs(centre.x - 14)).toBeLessThan(1);
    expect(Math.abs(centre.y - 14)).toBeLessThan(1);
    const probabilities = await page.getByRole('list', { name: 'Class probabilities' }).locator('li').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-probability'))));
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    await expect(page.getByTestId('small-drawing')).toHaveCount(0);
  }
  // Deep Learning with Python's model ends in softmax: its percentages are its own output.
  await expect(page.getByTestId('probability-words')).toHaveText('The percentages are the model’s own output: its last layer is a softmax, and model.predict returns them as they are.');
  // The same in Python: the drawing as a batch of one image, and predict's (1, 10) answer, whose largest is the prediction.
  await page.getByText('The same in Python: model.predict on a batch of one').click();
  const session = page.getByTestId('predict-python');
  await expect(session).toContainText('>>> image = picture.reshape(784,)');
  await expect(session).toContainText('>>> print(batch.shape)\n(1, 784)');
  await expect(session).toContainText('>>> print(probabilities.shape)  # a row for each image in the batch\n(1, 10)');
  const predicted = ((await page.getByTestId('prediction').textContent()) ?? '').match(/^Prediction: (\d)/)?.[1];
  expect(((await session.textContent()) ?? '').trimEnd().split('\n').at(-1)).toBe(predicted);
  // A 7 drawn small, in a corner: scaled to MNIST's 20×20 box, its strokes come out thick, and the panel says so.
  await page.getByRole('button', { name: 'Clear' }).click();
  await draw(page, [[[30, 30], [62, 30], [44, 72]]]);
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: /);
  await expect(page.getByTestId('small-drawing')).toHaveText(
    /^Drawn small \(2\d% of the pad across\), its strokes come out about [6-9] pixels thick once it is scaled to fill 20×20 pixels, as MNIST's digits were; theirs are about 2\. Draw it larger for a fairer answer\. Whatever it is shown, the model picks one of its 10 classes: softmax has no "none of these"\.$/,
  );

  // The answers follow the pen: the page classifies the drawing before the pen lifts.
  await page.getByRole('button', { name: 'Clear' }).click();
  const answer = page.getByTestId('prediction');
  const live = page.locator('.draw-result [aria-live="polite"]');
  await expect(live).toHaveText('The pad is empty: draw something to classify.');
  // Count how often the answer on screen and the line a screen reader reads change during one stroke.
  const changes = async (): Promise<{ shown: number; read: number }> => page.evaluate(() => (window as unknown as { changes: { shown: number; read: number } }).changes);
  await page.evaluate(() => {
    const counts = { shown: 0, read: 0 };
    (window as unknown as { changes: typeof counts }).changes = counts;
    const watch = (element: Element | null, key: keyof typeof counts): void => {
      if (element) new MutationObserver(() => counts[key]++).observe(element, { childList: true, characterData: true, subtree: true });
    };
    watch(document.querySelector('[data-testid="prediction"]'), 'shown');
    watch(document.querySelector('.draw-result [aria-live="polite"]'), 'read');
  });
  const box = await page.getByLabel(/^Drawing pad/).boundingBox();
  if (!box) throw new Error('the pad is not on screen');
  // A 7 in one stroke: its bar alone is answered first, then the whole 7.
  await page.mouse.move(box.x + 75, box.y + 55);
  await page.mouse.down();
  await page.mouse.move(box.x + 205, box.y + 55, { steps: 4 });
  await expect(answer).toHaveText(/^Prediction: /);
  const bar = await answer.textContent();
  await page.mouse.move(box.x + 125, box.y + 240, { steps: 6 });
  await expect(answer).toHaveText(/^Prediction: 7 /);
  await expect(answer).not.toHaveText(bar ?? '');
  await page.mouse.up();
  // The screen reader's line waits for the answer to settle, and reads it once.
  await expect(live).toHaveText((await answer.textContent()) ?? '');
  const { shown, read } = await changes();
  expect(shown).toBeGreaterThanOrEqual(2);
  expect(read).toBe(1);

  // Undo takes the last stroke away; a keyboard user can classify a test image instead.
  await page.getByRole('button', { name: 'Undo stroke' }).click();
  await expect(page.getByTestId('prediction')).toHaveText('The pad is empty: draw something to classify.');
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  // MNIST's first test image is a 7, and the answer says whether the model got it.
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: 7 \(\d+\.\d+%\)\. Test image #0 is labelled 7: right\.$/);
  // A number past the last test image is explained, not quietly replaced by the last one.
  await page.getByLabel('Or classify test image #').fill('99999');
  await expect(page.getByLabel('Or classify test image #')).toHaveAccessibleDescription(/Test images are numbered from 0 to 9,999: enter a whole number in that range\.$/);
  await expect(page.getByLabel('Or classify test image #')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Classify test image' })).toBeDisabled();
  await page.getByLabel('Or classify test image #').fill('9999');
  await expect(page.getByRole('button', { name: 'Classify test image' })).toBeEnabled();
  await expect(page.getByTestId('latency')).toContainText(/Answered in \d+\.\d ms/);

  // An image file (a 7 in black ink on white, as a scan or a photo has it) is answered by its name, and a blank one says it has no ink.
  const png = (strokes: readonly (readonly (readonly [number, number])[])[]): Promise<Buffer> =>
    page
      .evaluate((lines) => {
        const canvas = document.createElement('canvas');
        canvas.width = 280;
        canvas.height = 280;
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2d context');
        context.fillStyle = '#fff';
        context.fillRect(0, 0, 280, 280);
        context.strokeStyle = '#000';
        context.lineWidth = 22;
        context.lineCap = 'round';
        context.lineJoin = 'round';
        for (const line of lines) {
          context.beginPath();
          line.forEach(([x, y], i) => (i === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
          context.stroke();
        }
        return canvas.toDataURL('image/png').split(',')[1] ?? '';
      }, strokes)
      .then((base64) => Buffer.from(base64, 'base64'));
  const imageFile = page.getByLabel('Classify an image file…');
  await imageFile.setInputFiles({ name: 'seven.png', mimeType: 'image/png', buffer: await png(DIGITS['7'] ?? []) });
  await expect(answer).toHaveText(/^Prediction for seven\.png: 7 \(\d+\.\d+%\)$/);
  await imageFile.setInputFiles({ name: 'blank.png', mimeType: 'image/png', buffer: await png([]) });
  await expect(answer).toHaveText('blank.png: The image is blank: there is no ink to classify.');
  // A file the browser cannot decode says why, from its size and first bytes, not only "could not be decoded".
  const seven = await png(DIGITS['7'] ?? []);
  await imageFile.setInputFiles({ name: 'cut.png', mimeType: 'image/png', buffer: seven.subarray(0, 60) });
  await expect(page.getByRole('alert')).toHaveText('cut.png could not be read as an image: it starts as a PNG image, but its data is damaged or cut short (60 bytes).');
  await imageFile.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
  await expect(page.getByRole('alert')).toHaveText('empty.png could not be read as an image: the file is empty (0 bytes).');
});

test('a drawing gives the model the same 28×28 image on a high-density screen as on an ordinary one', async ({ page, browser, baseURL }) => {
  /** Draws a 7 on a fresh page and reads the image the page says the model receives, once the answers have settled. */
  const inputPixels = async (on: Page): Promise<number[]> => {
    await openApp(on);
    await on.getByRole('tab', { name: 'Draw' }).click();
    await draw(on, DIGITS['7'] ?? []);
    const preview = on.getByRole('img', { name: /image the model receives/ }).locator('canvas');
    const read = () => preview.evaluate((canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')?.getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0) ?? []));
    let last: number[] = [];
    await expect
      .poll(async () => {
        const now = await read();
        const settled = now.some((v) => v > 0) && now.every((v, i) => v === last[i]);
        last = now;
        return settled;
      })
      .toBe(true);
    return last;
  };
  const ordinary = await inputPixels(page);
  const dense = await browser.newContext({ baseURL, deviceScaleFactor: 3 });
  try {
    const densePage = await dense.newPage();
    expect(await densePage.evaluate(() => window.devicePixelRatio)).toBe(3);
    const sharp = await inputPixels(densePage);
    expect(sharp).toHaveLength(784);
    expect(sharp).toEqual(ordinary);
  } finally {
    await dense.close();
  }
});

test('Draw answers with the classes of the model it uses, and takes the model of the dataset in use', async ({ page }) => {
  await openApp(page);
  const trainAndWait = async (preset: string, finished: string[]): Promise<void> => {
    await choosePreset(page, preset, 1, 1000);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect(page.getByRole('list', { name: 'Runs' }).getByTestId('queue-status')).toHaveText(finished, { timeout: 120_000 });
  };
  await trainAndWait('quickstart', ['finished']);

  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('radio', { name: /^Fashion-MNIST\b/ }).check();
  await expect(page.getByTestId('first-label')).toHaveText('9 (Ankle boot)');
  await page.getByRole('tab', { name: 'Draw' }).click();
  // The only model learnt digits: it says so, and its test images and answers are MNIST's.
  await expect(page.getByTestId('other-dataset')).toHaveText(/was trained on MNIST, not on Fashion-MNIST: it answers with MNIST's classes\.$/);
  await expect(page.getByText("of MNIST's 10,000")).toBeVisible();
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+\.\d+%\)\. Test image #0 is labelled 7: (right|wrong)\.$/);
  await expect(page.getByTestId('draw-hint')).toHaveText(/^Draw one digit, 0 to 9/);

  // A Fashion-MNIST model trained next is the one Draw uses, with its classes and test images.
  await trainAndWait('fashionMlp', ['finished', 'finished']);
  await page.getByRole('tab', { name: 'Draw' }).click();
  await expect(page.getByTestId('other-dataset')).toHaveCount(0);
  await expect(page.getByText("of Fashion-MNIST's 10,000")).toBeVisible();
  // Under the pad, what to draw for this model: clothing, filled in, not a digit.
  await expect(page.getByTestId('draw-hint')).toHaveText(/^This model knows clothing, not digits: draw one item .* as a filled silhouette/);
  await page.getByRole('button', { name: 'Classify test image' }).click();
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: (T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) \(\d+\.\d+%\)\. Test image #0 is labelled Ankle boot: (right|wrong)\.$/);
  const modelMenu = page.getByRole('region', { name: 'Draw to classify' }).getByLabel('Model', { exact: true });
  await expect(modelMenu.locator('option')).toHaveText([/^Newest run \(Fashion MLP.*\)$/, /\(MNIST\) — finished$/, /\(Fashion-MNIST\) — finished$/]);

  // Choosing another model asks it about the image on show: no answer stays under a model that did not give it.
  const digitAnswer = /^Prediction: \d \(\d+\.\d+%\)/;
  const articleAnswer = /^Prediction: (T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) \(\d+\.\d+%\)/;
  const [, mnistRun = '', fashionRun = ''] = await modelMenu.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  await modelMenu.selectOption(mnistRun);
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: \d \(\d+\.\d+%\)\. Test image #0 is labelled 7: (right|wrong)\.$/);
  await draw(page, DIGITS['1'] ?? []);
  await expect(page.getByTestId('prediction')).toHaveText(digitAnswer);
  await modelMenu.selectOption(fashionRun);
  await expect(page.getByTestId('prediction')).toHaveText(articleAnswer);
  await expect(page.getByRole('list', { name: 'Class probabilities' }).locator('.bar-label').first()).toHaveText('T-shirt/top');
  await modelMenu.selectOption(mnistRun);
  await expect(page.getByTestId('prediction')).toHaveText(digitAnswer);
  await expect(page.getByRole('list', { name: 'Class probabilities' }).locator('.bar-label').first()).toHaveText('0');
});

test('an answer from a model in training says so, and is asked again after each epoch and when training ends', async ({ page }) => {
  await openApp(page);
  // Three epochs of all of MNIST: several seconds each, even on WASM.
  await choosePreset(page, 'quickstart', 3, 60000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('tab', { name: 'Draw' }).click();
  const modelMenu = page.getByRole('region', { name: 'Draw to classify' }).getByLabel('Model', { exact: true });
  await expect(modelMenu.locator('option').nth(1)).toHaveText(/— running$/);
  await page.getByLabel('Or classify test image #').fill('0');
  await page.getByRole('button', { name: 'Classify test image' }).click();
  const stage = page.getByTestId('model-stage');
  await expect(stage).toHaveText(/is still training \(epoch [1-3] of 3 when asked\): this answer comes from the weights it had then/);
  // Each finished epoch asks again, without a click.
  await expect(stage).toHaveText(/\(epoch [23] of 3 when asked\)/, { timeout: 60_000 });
  await expect(modelMenu.locator('option').nth(1)).toHaveText(/— finished$/, { timeout: 120_000 });
  // Training over, the answer is the finished model's: no note, and MNIST's first test image, a 7, is right.
  await expect(stage).toHaveCount(0);
  await expect(page.getByTestId('prediction')).toHaveText(/^Prediction: 7 \(\d+\.\d+%\)\. Test image #0 is labelled 7: right\.$/);
});

test('the pad for a keyboard and a screen reader: named with its strokes, one answer read when it settles, Enter classifies a test image', async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Draw' }).click();
  const pad = page.getByRole('application', { name: /^Drawing pad/ });
  await expect(pad).toHaveAccessibleName(/ Empty\.$/);
  // A drag with the right button draws nothing: that button opens the page's menu.
  const box = await pad.boundingBox();
  if (!box) throw new Error('the pad is not on screen');
  await page.mouse.move(box.x + 140, box.y + 45);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(box.x + 140, box.y + 235, { steps: 8 });
  await page.mouse.up({ button: 'right' });
  await expect(pad).toHaveAccessibleName(/ Empty\.$/);
  await expect(page.getByTestId('prediction')).toHaveText('The pad is empty: draw something to classify.');

  await draw(page, DIGITS['1'] ?? []);
  await expect(pad).toHaveAccessibleName(/ 1 stroke\.$/);
  const noModel = 'Train a model first: there is nothing to classify with yet.';
  await expect(page.getByTestId('prediction')).toHaveText(noModel);
  // The answer on screen follows the pen and is not live; a hidden live line reads the answer it settles on.
  await expect(page.getByTestId('prediction')).toHaveAttribute('aria-live', 'off');
  await expect(page.locator('.draw-result [aria-live="polite"]')).toHaveText(noModel);

  // Undo from the keyboard empties the pad and disables itself: the focus goes to Clear, not to the page.
  await page.getByRole('button', { name: 'Undo stroke' }).focus();
  await page.keyboard.press('Enter');
  await expect(pad).toHaveAccessibleName(/ Empty\.$/);
  await expect(page.getByRole('button', { name: 'Clear' })).toBeFocused();
  await expect(page.getByTestId('prediction')).toHaveText('The pad is empty: draw something to classify.');

  // The keyboard draws too: a pen starts at the centre, arrows move it a 28×28 pixel, Space puts it down and lifts it.
  await pad.focus();
  const said = pad.locator('[aria-live="polite"]');
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowUp');
  await expect(said).toHaveText('Pen up at column 14, row 5.');
  await page.keyboard.press('Space');
  await expect(said).toHaveText('Pen down at column 14, row 5.');
  for (let i = 0; i < 18; i++) await page.keyboard.press('ArrowDown');
  await expect(said).toHaveText('Drawing at column 14, row 23.');
  await page.keyboard.press('Space');
  await expect(pad).toHaveAccessibleName(/ 1 stroke\.$/);
  await expect(page.getByTestId('prediction')).toHaveText(noModel);
  // The ink on the pad: a vertical bar from row 5 to row 23 (pad pixels 50 to 230), a pen's width wide.
  const ink = await pad.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) return null;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const scale = canvas.width / 280;
    let [left, right, top, bottom] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < canvas.width * canvas.height; i++) {
      if ((data[i * 4] ?? 0) < 128) continue;
      const [x, y] = [(i % canvas.width) / scale, Math.floor(i / canvas.width) / scale];
      [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
    }
    return { left: Math.round(left), right: Math.round(right), top: Math.round(top), bottom: Math.round(bottom) };
  });
  // Within 5 px (antialiasing): centred on column 14, the round caps 11 px past rows 5 and 23.
  expect(ink?.left).toBeCloseTo(129, -1);
  expect(ink?.right).toBeCloseTo(151, -1);
  expect(ink?.top).toBeCloseTo(39, -1);
  expect(ink?.bottom).toBeCloseTo(241, -1);
  // A click while the keyboard's pen draws lifts it and keeps its stroke.
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(said).toHaveText('Drawing at column 17, row 23.');
  await pad.click({ position: { x: 20, y: 20 } });
  await expect(said).toHaveText('Pen up.');
  await expect(pad).toHaveAccessibleName(/ 2 strokes\.$/);
  // Ctrl+Z on the pad undoes a stroke, and the focus stays on the pad.
  await page.keyboard.press('Control+z');
  await expect(said).toHaveText('Stroke undone. 1 stroke.');
  await page.keyboard.press('Control+z');
  await expect(pad).toHaveAccessibleName(/ Empty\.$/);
  await expect(said).toHaveText('Stroke undone. Empty.');
  await expect(pad).toBeFocused();

  // Enter in the test image's field classifies it, as in any form.
  await page.getByLabel('Or classify test image #').fill('3');
  await page.getByLabel('Or classify test image #').press('Enter');
  await expect(page.getByTestId('prediction')).toHaveText(noModel);
});
