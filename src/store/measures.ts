/**
 * The app's User Timing measures: their names, what their details hold, and the one way the
 * store adds them. DevTools' Performance panel shows them, and `npm run bench` reads them
 * (importing this module, not the store). No DOM beyond `performance`.
 */

/** Each dataset load: from the page asking for it to the page holding its arrays. For the default dataset, its end is the time from opening the page. */
export const DATASET_MEASURE = 'dataset';
/** What a `dataset` measure's detail holds: which dataset, whether it came from this browser's copy, and the worker's own seconds. */
export interface DatasetMeasureDetail {
  readonly id: string;
  readonly fromBrowserCopy: boolean;
  readonly workerSeconds: number;
}

/** Each classification's round trip; its detail says what was classified. */
export const PREDICTION_MEASURE = 'prediction';
/** What a `prediction` measure's detail holds. */
export interface PredictionMeasureDetail {
  /** `drawing`: the pad while it changes; `image`: a test image or a file, on request. */
  readonly source: 'drawing' | 'image';
  readonly workerMs: number;
}

/** The measures' details, by name. */
interface Details {
  readonly [DATASET_MEASURE]: DatasetMeasureDetail;
  readonly [PREDICTION_MEASURE]: PredictionMeasureDetail;
}

/**
 * Adds a measure where the browser takes them with times and details (User Timing 3). It is
 * only a measurement: an older browser, which reads the options as a mark's name and throws,
 * gets none, and what the caller was doing (showing a dataset, an answer) goes on.
 */
export function addMeasure<Name extends keyof Details>(name: Name, start: number, end: number, detail: Details[Name]): void {
  try {
    performance.measure(name, { start, end, detail });
  } catch {
    // No measure in this browser.
  }
}
