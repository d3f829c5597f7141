/** Issue 2: opening the page, the built-in datasets, a user's own IDX files, and bad input. */
import { expect, test } from '@playwright/test';
import { crashTrainingWorker, idxFile, openApp, upload, uploadOwnDataset, watchPage } from './helpers';

test('MNIST loads by default and shows what load_data() returns, with no console errors', async ({ page }) => {
  const watch = watchPage(page);
  await openApp(page);
  await expect(page.getByRole('radio', { name: /MNIST.*Handwritten/ })).toBeChecked();
  await expect(page.getByTestId('shape-y_train')).toHaveText('(60000,)');
  await expect(page.getByTestId('shape-x_test')).toHaveText('(10000, 28, 28)');
  await expect(page.getByTestId('shape-y_test')).toHaveText('(10000,)');
  await expect(page.getByTestId('first-label')).toHaveText('5');
  await expect(page.getByRole('log')).toContainText('MNIST loaded: 60,000 training images and 10,000 test images');
  const grid = page.getByRole('figure', { name: 'First 25 training images' });
  await expect(grid.getByRole('radio')).toHaveCount(25);
  await expect(grid.getByRole('radio').first()).toHaveAccessibleName(/Training image 0: 5/);
  // White ink on black, as the pixels are; dark on white on request, as the tutorials' cmap=binary plots them.
  const corner = () => grid.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => canvas.getContext('2d')?.getImageData(0, 0, 1, 1).data[0]);
  expect(await corner()).toBe(0);
  await grid.getByRole('checkbox', { name: 'Dark on white, as the tutorials plot them (cmap=plt.cm.binary)' }).check();
  await expect.poll(corner).toBe(255);
  // The class distribution table adds up to the whole training set.
  await page.getByText('Class distribution as a table').click();
  const counts = await page.getByRole('figure', { name: 'Class distribution' }).locator('tbody tr td:first-of-type').allTextContents();
  // Written as the rest of the page writes counts: "5,923".
  expect(counts.every((count) => /^\d,\d{3}$/.test(count))).toBe(true);
  expect(counts.map((count) => Number(count.replace(',', ''))).reduce((a, b) => a + b, 0)).toBe(60000);
  expect(watch.consoleErrors).toEqual([]);
});

test("a reopened page reads MNIST from this browser's copy, and fetches a damaged copy again", async ({ page }) => {
  const watch = watchPage(page);
  await openApp(page);
  const badge = page.getByRole('radio', { name: /^MNIST\b/ }).locator('xpath=..').locator('.badge');
  // The worker writes its copy once the dataset is in, and the badge says when it has.
  await expect(badge).toHaveText(/^ready in \d+\.\d\d s, kept in this browser$/);
  await page.reload();
  await expect(badge).toHaveText(/^ready in \d+\.\d\d s, from this browser's copy$/);
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await expect(page.getByTestId('first-label')).toHaveText('5');
  await expect(page.getByRole('figure', { name: 'First 25 training images' }).getByRole('radio').nth(1)).toHaveAccessibleName(/Training image 1: 0/);

  // A copy cut short (a disk that filled up, say) is not trusted: the page fetches the file again.
  const damaged = await page.evaluate(async () => {
    const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('datasets');
    const names: string[] = [];
    for await (const name of directory.keys()) names.push(name);
    const handle = await directory.getFileHandle(names.find((name) => name.startsWith('mnist-')) ?? '');
    const writable = await handle.createWritable({ keepExistingData: true });
    await writable.truncate(1000);
    await writable.close();
    return names.length;
  });
  expect(damaged).toBe(4);
  await page.reload();
  await expect(badge).toHaveText(/^ready in \d+\.\d\d s, kept in this browser$/);
  await expect(page.getByTestId('first-label')).toHaveText('5');
  await page.reload();
  await expect(badge).toHaveText(/from this browser's copy$/);
  expect(watch.consoleErrors).toEqual([]);
});

test('turning off "Keep downloaded datasets" removes the copy and is remembered; turning it on keeps MNIST again', async ({ page }) => {
  const watch = watchPage(page);
  await openApp(page);
  const badge = page.getByRole('radio', { name: /^MNIST\b/ }).locator('xpath=..').locator('.badge');
  const keep = page.getByRole('checkbox', { name: 'Keep downloaded datasets in this browser' });
  const status = page.getByTestId('kept-datasets');
  await expect(keep).toBeChecked();
  await expect(status).toHaveText('MNIST is kept (55 MB): a reopened page reads it from disk instead of downloading it.');
  await expect(badge).toHaveText(/, kept in this browser$/);

  // A second tab of the page follows the setting.
  const other = await page.context().newPage();
  await openApp(other);
  const otherKeep = other.getByRole('checkbox', { name: 'Keep downloaded datasets in this browser' });
  await expect(otherKeep).toBeChecked();
  // What one tab keeps, the other shows.
  await other.getByRole('radio', { name: /Fashion-MNIST/ }).check();
  await expect(status).toHaveText('MNIST and Fashion-MNIST are kept (110 MB): a reopened page reads them from disk instead of downloading them.');
  // Back to MNIST there, which the next visit of either tab then opens on.
  await other.getByRole('radio', { name: /MNIST.*Handwritten/ }).check();

  await keep.uncheck();
  await expect(status).toHaveText('Nothing is kept: every visit downloads the datasets again.');
  await expect(badge).toHaveText(/^ready in \d+\.\d\d s$/);
  await expect(otherKeep).not.toBeChecked();
  await expect(other.getByTestId('kept-datasets')).toHaveText('Nothing is kept: every visit downloads the datasets again.');
  await other.close();
  const keptFiles = () =>
    page.evaluate(async () => {
      const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('datasets', { create: true });
      const names: string[] = [];
      for await (const name of directory.keys()) names.push(name);
      return names;
    });
  expect(await keptFiles()).toEqual([]);
  // Turned on again in the same visit, the MNIST loaded before is kept again; and off once more.
  await keep.check();
  await expect(status).toHaveText('MNIST is kept (55 MB): a reopened page reads it from disk instead of downloading it.');
  await keep.uncheck();
  await expect(status).toHaveText('Nothing is kept: every visit downloads the datasets again.');
  expect(await keptFiles()).toEqual([]);

  // The next visit downloads MNIST again and keeps nothing.
  await page.reload();
  await expect(badge).toHaveText(/^ready in \d+\.\d\d s$/);
  await expect(keep).not.toBeChecked();
  await expect(status).toHaveText('Nothing is kept: every visit downloads the datasets again.');
  expect(watch.requests.filter((url) => url.endsWith('/data/mnist/train-images-idx3-ubyte.gz'))).toHaveLength(2);
  expect(await keptFiles()).toEqual([]);

  // Turned on again, the MNIST the page holds is kept at once, and read from disk next time.
  await keep.check();
  await expect(status).toHaveText('MNIST is kept (55 MB): a reopened page reads it from disk instead of downloading it.');
  await page.reload();
  await expect(badge).toHaveText(/from this browser's copy$/);
  await expect(keep).toBeChecked();
  expect(watch.requests.filter((url) => url.endsWith('/data/mnist/train-images-idx3-ubyte.gz'))).toHaveLength(2);
  expect(watch.consoleErrors).toEqual([]);
});

test('MNIST loaded while keeping was off is still kept when turned on after a worker crash', async ({ page }) => {
  const watch = watchPage(page);
  await openApp(page);
  const keep = page.getByRole('checkbox', { name: 'Keep downloaded datasets in this browser' });
  const status = page.getByTestId('kept-datasets');
  await keep.uncheck();
  await expect(status).toHaveText('Nothing is kept: every visit downloads the datasets again.');

  // The worker dies; the page hands its MNIST to the new one instead of fetching it again.
  await crashTrainingWorker(page);
  await expect(page.getByRole('region', { name: 'Training worker' }).getByRole('alert')).toContainText('The training worker crashed');
  await keep.check();
  await expect(status).toHaveText('MNIST is kept (55 MB): a reopened page reads it from disk instead of downloading it.');
  await page.reload();
  const badge = page.getByRole('radio', { name: /^MNIST\b/ }).locator('xpath=..').locator('.badge');
  await expect(badge).toHaveText(/from this browser's copy$/);
  expect(watch.requests.filter((url) => url.endsWith('/data/mnist/train-images-idx3-ubyte.gz'))).toHaveLength(1);
});

test('the pixel table shows an image as 0–255 values and, toggled, normalised to [0, 1]', async ({ page }) => {
  await openApp(page);
  await page.getByRole('radio', { name: /Training image 1: 0/ }).click();
  await expect(page.getByRole('heading', { name: 'Pixels of training image 1 (0)' })).toBeVisible();
  const table = page.locator('table.pixels');
  await expect(table.locator('tr')).toHaveCount(28);
  await expect(table.locator('tr').first().locator('td')).toHaveCount(28);
  const raw = (await table.locator('td').allTextContents()).map(Number);
  expect(Math.max(...raw)).toBe(255);
  expect(raw.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
  await page.getByRole('checkbox', { name: /normalised to \[0, 1\]/ }).check();
  const scaled = (await table.locator('td').allTextContents()).map(Number);
  expect(Math.max(...scaled)).toBe(1);
  expect(scaled.every((v) => v >= 0 && v <= 1)).toBe(true);
  expect(scaled.indexOf(1)).toBe(raw.indexOf(255));

  // The 25 images are one tab stop, a radio group: the arrow keys move through them.
  await page.getByRole('radio', { name: /Training image 1: 0/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: /Training image 2: 4/ })).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Pixels of training image 2 (4)' })).toBeVisible();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.sample-grid'))).toBeNull();
});

test('switching to Fashion-MNIST shows its shapes, class names and first label "Ankle boot"', async ({ page }) => {
  const watch = watchPage(page);
  await openApp(page);
  await page.getByRole('radio', { name: /Fashion-MNIST/ }).check();
  await expect(page.getByTestId('first-label')).toHaveText('9 (Ankle boot)');
  await expect(page.getByRole('heading', { name: 'Fashion-MNIST', exact: true })).toBeVisible();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await expect(page.getByTestId('shape-x_test')).toHaveText('(10000, 28, 28)');
  const grid = page.getByRole('figure', { name: 'First 25 training images' });
  await expect(grid.getByRole('radio').first()).toHaveAccessibleName(/Training image 0: Ankle boot/);
  await page.getByText('Class distribution as a table').click();
  for (const name of ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']) {
    await expect(page.getByRole('figure', { name: 'Class distribution' }).getByRole('rowheader', { name, exact: true })).toHaveCount(1);
  }
  expect(watch.consoleErrors).toEqual([]);
});

test('a progress bar shows bytes received per file while a dataset downloads', async ({ page }) => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/data/fashion-mnist/train-images-idx3-ubyte.gz', async (route) => {
    await held;
    await route.continue();
  });
  await openApp(page);
  await page.getByRole('radio', { name: /Fashion-MNIST/ }).check();
  await expect(page.getByRole('heading', { name: 'Loading Fashion-MNIST…' })).toBeVisible();
  // The server sends the .gz file as it is, as a static host does: the bar counts its gzip
  // bytes (the worker inflates them) and reaches its total; the held file's bar is still short of it.
  const labels = page.getByRole('progressbar', { name: 'train-labels-idx1-ubyte.gz downloaded' });
  await expect(labels).toHaveAttribute('max', '29491');
  await expect(labels).toHaveAttribute('value', '29491');
  // A file under a megabyte counts in kB, not "0.0 / 0.0 MB".
  await expect(labels.locator('xpath=following-sibling::span[1]')).toHaveText('29 / 29 kB');
  await expect(page.getByRole('progressbar', { name: 'train-images-idx3-ubyte.gz downloaded' })).toHaveAttribute('value', '0');
  release();
  await expect(page.getByTestId('first-label')).toHaveText('9 (Ankle boot)');
});

test('a dataset whose download fails says so beside it, and MNIST stays in use', async ({ page }) => {
  await page.route('**/data/fashion-mnist/t10k-labels-idx1-ubyte.gz', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await openApp(page);
  await page.getByRole('radio', { name: /Fashion-MNIST/ }).click();
  await expect(page.getByRole('alert')).toContainText('Could not load Fashion-MNIST: t10k-labels-idx1-ubyte.gz: expected HTTP 200 OK, found HTTP 404');
  await expect(page.getByRole('radio', { name: /MNIST.*Handwritten/ })).toBeChecked();
  await expect(page.getByTestId('first-label')).toHaveText('5');
});

test('a corrupted IDX file dropped by the user gives a clear error and leaves MNIST usable', async ({ page }) => {
  await openApp(page);
  const images = idxFile([4, 3, 3], new Uint8Array(36));
  const corrupt = Buffer.from(images);
  corrupt[2] = 0x0d; // a float data type where unsigned bytes are expected
  const files = [
    { name: 'train-images-idx3-ubyte', bytes: [...corrupt] },
    { name: 'train-labels-idx1-ubyte', bytes: [...idxFile([4], new Uint8Array([0, 1, 2, 1]))] },
    { name: 't10k-images-idx3-ubyte', bytes: [...idxFile([2, 3, 3], new Uint8Array(18))] },
    { name: 't10k-labels-idx1-ubyte', bytes: [...idxFile([2], new Uint8Array([1, 0]))] },
  ];
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name));
    return transfer;
  }, files);
  await page.getByTestId('idx-drop-zone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('alert')).toHaveText(
    'Your dataset was not loaded: train-images-idx3-ubyte, byte 2: expected data type 0x08 (unsigned byte), found data type 0x0d (32-bit float)',
  );
  await expect(page.getByRole('radio', { name: /MNIST.*Handwritten/ })).toBeChecked();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await page.getByRole('radio', { name: /Training image 3: 1/ }).click();
  await expect(page.getByRole('heading', { name: 'Pixels of training image 3 (1)' })).toBeVisible();
  // Read, the message can be put away.
  await page.getByTestId('idx-drop-zone').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a user’s own IDX files of any image size become a selectable dataset', async ({ page }) => {
  await openApp(page);
  await uploadOwnDataset(page);
  await expect(page.getByRole('radio', { name: /Your dataset 1/ })).toBeChecked();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(6, 5, 7)');
  await expect(page.getByTestId('shape-y_test')).toHaveText('(3,)');
  await expect(page.getByTestId('file-x_train')).toHaveText('my-train-images.idx3.gz');
  await expect(page.getByTestId('file-y_test')).toHaveText('my-test-labels.idx1.gz');
  await expect(page.getByTestId('picked-in-order')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: /Your dataset 1/ })).toHaveAccessibleName(/5×7 images, 3 classes/);
  await expect(page.locator('table.pixels tr')).toHaveCount(5);
  await page.getByRole('radio', { name: /MNIST.*Handwritten/ }).check();
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  await expect(page.getByTestId('empty-classes')).toHaveCount(0);
  await expect(page.getByTestId('file-x_train')).toHaveCount(0);
});

test('four files whose names and counts do not tell train from test are taken in the order they came, and the page says so', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Choose four IDX files').setInputFiles([
    upload('b.idx', idxFile([3, 2, 2], new Uint8Array(12).fill(9))),
    upload('a.idx', idxFile([3, 2, 2], new Uint8Array(12))),
    upload('d.idx', idxFile([3], new Uint8Array([0, 1, 1]))),
    upload('c.idx', idxFile([3], new Uint8Array([1, 0, 0]))),
  ]);
  await expect(page.getByTestId('file-x_train')).toHaveText('b.idx');
  await expect(page.getByTestId('file-y_train')).toHaveText('d.idx');
  await expect(page.getByTestId('file-x_test')).toHaveText('a.idx');
  await expect(page.getByTestId('picked-in-order')).toHaveText(
    'The two image files, and the two label files, have the same count, and their names do not tell train from test, so x_train and y_train came from the first of each as the files came. If that is the wrong way round, put "train" in one name and "test" in the other, and load the four files again.',
  );
});

test('one stray label byte that makes 256 classes is pointed out, with where it is', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Choose four IDX files').setInputFiles([
    upload('train-images.idx3', idxFile([6, 5, 7], new Uint8Array(6 * 5 * 7))),
    upload('train-labels.idx1', idxFile([6], new Uint8Array([0, 1, 2, 255, 1, 0]))),
    upload('test-images.idx3', idxFile([3, 5, 7], new Uint8Array(3 * 5 * 7))),
    upload('test-labels.idx1', idxFile([3], new Uint8Array([2, 1, 0]))),
  ]);
  await expect(page.getByRole('radio', { name: /Your dataset 1/ })).toHaveAccessibleName(/5×7 images, 256 classes/);
  await expect(page.getByTestId('empty-classes')).toHaveText(
    'No training image has classes 3–254 (252 of 256). The class count comes from the largest label, 255, first at byte 11 of train-labels.idx1: if that is a stray byte, fix the file and load the four files again.',
  );
});

test('the app talks to its own origin only, and is cross-origin isolated under a strict CSP', async ({ page }) => {
  const watch = watchPage(page);
  const response = await page.goto('/');
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
  const headers = response?.headers() ?? {};
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  const origin = new URL(page.url()).origin;
  const foreign = watch.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
  expect(watch.requests.length).toBeGreaterThan(4);
  expect(foreign).toEqual([]);
});

test('the main tabs work from the keyboard: arrows, Home and End move between them', async ({ page }) => {
  await openApp(page);
  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  await tab('Data').focus();
  await page.keyboard.press('ArrowRight');
  await expect(tab('Build & train')).toBeFocused();
  await expect(tab('Build & train')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(tab('Compare')).toBeFocused();
  await expect(page.getByRole('tabpanel', { name: 'Compare' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(tab('Data')).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await expect(tab('Data')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Data' })).toBeVisible();
});
