/**
 * `npm run parity`: Keras parity of the MLP presets. Trains each in the real built app (headless
 * Chromium, the worker, the backend the app picks or `--backend`) for its tutorial's full
 * epochs, batch size and validation split, and prints the accuracy reached beside the
 * tutorial's figure. A preset is at parity within 1 percentage point (our strongest preset:
 * at or above its floor). It takes minutes per preset without a GPU, so it is a script to
 * run, not a test.
 *
 *   npm run parity                                  all MLP presets
 *   npm run parity -- --presets quickstart,linear   some of them
 *   npm run parity -- --backend wasm                force a backend
 *   npm run parity -- --smoke                       1 epoch on 3000 images: checks the script only
 *   npm run parity -- --epochs 2 --images 20000     a shortened run (not a result)
 *   npm run parity -- --hours 2                     give up on a preset after 2 hours (default 4)
 *   npm run parity -- --presets strongest --dataset fashion-mnist --port 4193
 *                                                   train on another dataset than the preset's own
 *                                                   (on another port, beside a run already going)
 *
 * Each epoch's history row is printed as it arrives, so a run that is cut short still says
 * how far it got.
 */
import { cpus } from 'node:os';
import type { Page } from 'playwright';
import { PRESETS, type Preset, type PresetId } from '../src/training/presets';
import { historyColumn, historyTable, openWithDataset, withBuiltApp } from './appServer';

const MLP_PRESETS: readonly PresetId[] = ['quickstart', 'quickstartAsWritten', 'kerasGuide', 'mlpDropout', 'dlwpCh2', 'linear', 'basicClassification', 'fashionMlp'];

const option = (name: string): string | null => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? null : (process.argv[index + 1] ?? null);
};
/** A shortened run (`--smoke`, or `--epochs N --images M`): checks the script or a model quickly, not a result. */
const epochsOverride = option('epochs') ?? (process.argv.includes('--smoke') ? '1' : null);
const imagesOverride = option('images') ?? (process.argv.includes('--smoke') ? '3000' : null);
const smoke = epochsOverride !== null || imagesOverride !== null;
const backend = option('backend') ?? 'auto';
const presets = (option('presets')?.split(',') ?? MLP_PRESETS) as PresetId[];
const hours = Number(option('hours') ?? 4);
/** `--port`: another port lets two parity runs (say one per dataset) share a machine. */
const PORT = Number(option('port') ?? 4191);
if (!Number.isInteger(PORT) || PORT <= 0) throw new Error(`--port takes a port number, not ${option('port') ?? ''}`);
const datasetOverride = ((name: string | null): Preset['dataset'] | null => {
  if (name === null || name === 'mnist' || name === 'fashion-mnist') return name;
  throw new Error(`--dataset must be mnist or fashion-mnist, not ${name}`);
})(option('dataset'));

interface ParityResult {
  readonly preset: PresetId;
  readonly dataset: string;
  readonly metric: string;
  readonly reached: number;
  readonly tutorial: number;
  readonly differencePoints: number;
  readonly atParity: boolean;
  readonly minutes: number;
  readonly backend: string;
}

async function train(page: Page, base: string, id: PresetId): Promise<ParityResult> {
  const preset: Preset = PRESETS[id];
  const dataset = datasetOverride ?? preset.dataset;
  await openWithDataset(page, base, dataset);
  await page.getByRole('tab', { name: 'Build & train' }).click();
  await page.getByLabel('Preset').selectOption(id);
  if (epochsOverride !== null) await page.getByLabel('Epochs', { exact: true }).fill(epochsOverride);
  if (imagesOverride !== null) await page.getByLabel('Training subset (empty = all)').fill(imagesOverride);
  await page.getByLabel('Backend').selectOption(backend);
  const started = Date.now();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const result = page.getByTestId('test-accuracy');
  const failed = page.getByTestId('run-status').getByText('failed', { exact: true });
  const history = historyTable(page).locator('tbody tr');
  let printed = 0;
  const printNewEpochs = async (): Promise<void> => {
    const rows = await history.count();
    if (printed === 0 && rows > 0) {
      console.error(`  ${preset.id} on ${dataset}: ${(await page.getByTestId('backend').textContent()) ?? ''}`);
      console.error(`  ${preset.id}: ${(await historyTable(page).locator('thead th').allTextContents()).join(' | ')}`);
    }
    for (; printed < rows; printed++) console.error(`  ${preset.id}: epoch ${(await history.nth(printed).locator('th, td').allTextContents()).join(' | ')}`);
  };
  for (const deadline = started + hours * 3_600_000; ; ) {
    try {
      await result.or(failed).waitFor({ timeout: 60_000 });
      break;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    }
    await printNewEpochs();
    if (Date.now() > deadline) throw new Error(`${preset.title} did not finish within ${hours} h; the epochs printed above are how far it got.`);
  }
  await printNewEpochs();
  if (await failed.isVisible()) throw new Error(`${preset.title} failed: ${(await page.getByRole('alert').allTextContents()).join(' ')}`);
  const minutes = (Date.now() - started) / 60_000;
  const test = Number((await result.textContent())?.match(/([\d.]+)%/)?.[1]) / 100;
  const valAccuracy = Number((await historyColumn(page, 'val_accuracy'))?.at(-1) ?? Number.NaN);
  const { metric, onOtherDataset } = preset.expectedResult;
  // On the other dataset only a preset that states an aim there has one; others print NaN.
  const value = dataset === preset.dataset ? preset.expectedResult.value : onOtherDataset?.dataset === dataset ? onOtherDataset.value : NaN;
  const reached = metric === 'validation accuracy' ? valAccuracy : test;
  const differencePoints = (reached - value) * 100;
  const floor = preset.expectedResult.floor === true;
  const badge = ((await page.getByTestId('backend').textContent()) ?? '').replace(/^Backend:\s*/, '').split(/ — | Chosen automatically/)[0] ?? '';
  return { preset: id, dataset, metric, reached, tutorial: value, differencePoints, atParity: floor ? differencePoints >= 0 : Math.abs(differencePoints) <= 1, minutes, backend: badge };
}

async function main(): Promise<void> {
  const results = await withBuiltApp(PORT, async (page, base) => {
    const out: ParityResult[] = [];
    for (const id of presets) {
      console.error(`Training ${PRESETS[id].title}…`);
      out.push(await train(page, base, id));
    }
    return out;
  });
  console.log(`\nKeras parity on ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), ${new Date().toISOString()}${smoke ? ' — SHORTENED RUN, not a result' : ''}`);
  console.log('| preset | dataset | tutorial | reached here | difference | at parity (±1 pt, or ≥ floor) | time | backend |\n|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;
    console.log(`| ${PRESETS[r.preset].title} | ${r.dataset} | ${r.metric} ${pct(r.tutorial)} | ${pct(r.reached)} | ${r.differencePoints >= 0 ? '+' : ''}${r.differencePoints.toFixed(2)} pt | ${r.atParity ? 'yes' : 'NO'} | ${r.minutes.toFixed(1)} min | ${r.backend} |`);
  }
  console.log(`\n${JSON.stringify({ smoke, backend, results }, null, 2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
