/**
 * Shared steps for the browser tests: open the app and collect console errors, failed
 * requests and every request's origin, and build IDX files for upload.
 */
import { expect, type Page } from '@playwright/test';

/** What a page did during a test that a user should never see. */
export interface PageWatch {
  readonly consoleErrors: string[];
  readonly requests: string[];
}

/** Starts recording console errors, page errors and every request a page makes. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { consoleErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(error.message));
  page.context().on('request', (request) => watch.requests.push(request.url()));
  return watch;
}

/** Opens the app and waits until MNIST, the default dataset, has loaded. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('shape-x_train')).toHaveText('(60000, 28, 28)');
}

/** An unsigned-byte IDX file with the given dimensions and data. */
export function idxFile(dims: readonly number[], data: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((dim, i) => out.writeUInt32BE(dim, 4 + 4 * i));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** A file for `setInputFiles`. */
export function upload(name: string, buffer: Buffer): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/octet-stream', buffer };
}
