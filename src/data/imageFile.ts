/**
 * Why an image file a person chose could not be decoded, from its size and first bytes: the
 * browser's own words ("The source image could not be decoded") are the same for an empty
 * file, a photo cut short and a file that is no image at all.
 */

import { asciiText } from './idx';

/** Image formats browsers decode, by the bytes they start with. */
const SIGNATURES: readonly { readonly name: string; readonly test: (head: Uint8Array) => boolean }[] = [
  { name: 'PNG', test: (h) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => h[i] === b) },
  { name: 'JPEG', test: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
  { name: 'GIF', test: (h) => ascii(h, 0, 4) === 'GIF8' },
  { name: 'WebP', test: (h) => ascii(h, 0, 4) === 'RIFF' && ascii(h, 8, 12) === 'WEBP' },
  { name: 'BMP', test: (h) => ascii(h, 0, 2) === 'BM' },
  { name: 'AVIF', test: (h) => ascii(h, 4, 12) === 'ftypavif' },
];

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** How many bytes of a file `imageFileProblem` looks at. */
export const IMAGE_HEAD_BYTES = 16;

/** Why a file of `size` bytes starting with `head` is not an image the browser could decode. */
export function imageFileProblem(head: Uint8Array, size: number): string {
  if (size === 0) return 'the file is empty (0 bytes)';
  const bytes = `${size.toLocaleString('en-US')} byte${size === 1 ? '' : 's'}`;
  const format = SIGNATURES.find((signature) => signature.test(head));
  if (format) return `it starts as a ${format.name} image, but its data is damaged or cut short (${bytes})`;
  const start = ascii(head, 0, head.length).trimStart();
  if (start.startsWith('<svg') || start.startsWith('<?xml')) return 'it is an SVG drawing (XML text), which this page cannot read: save it as a PNG';
  const shown = head.subarray(0, 8);
  const text = asciiText(shown);
  if (text !== null) return `it is text ("${text.replace(/\s/g, ' ')}…"), not an image`;
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `its first bytes, ${hex}, are not those of a PNG, JPEG, GIF, WebP, BMP or AVIF image (${bytes})`;
}
