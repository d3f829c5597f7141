import { describe, expect, it } from 'vitest';
import { imageFileProblem } from './imageFile';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('why an image file could not be decoded', () => {
  it('says a file is empty', () => {
    expect(imageFileProblem(new Uint8Array(0), 0)).toBe('the file is empty (0 bytes)');
  });

  it('names the format a damaged or cut-short image starts as, with its size', () => {
    expect(imageFileProblem(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), 200)).toBe('it starts as a PNG image, but its data is damaged or cut short (200 bytes)');
    expect(imageFileProblem(bytes(0xff, 0xd8, 0xff, 0xe0), 1_500)).toBe('it starts as a JPEG image, but its data is damaged or cut short (1,500 bytes)');
    expect(imageFileProblem(text('RIFF\u0000\u0001\u0000\u0000WEBPVP8 '), 90)).toMatch(/^it starts as a WebP image/);
    expect(imageFileProblem(text('GIF89a'), 6)).toMatch(/^it starts as a GIF image/);
  });

  it('says a text file is text, and shows the first bytes of anything else', () => {
    expect(imageFileProblem(text('hello\nworld'), 11)).toBe('it is text ("hello wo…"), not an image');
    expect(imageFileProblem(text('<svg xmlns="http://www.w3.org/2000/svg"'), 900)).toBe('it is an SVG drawing (XML text), which this page cannot read: save it as a PNG');
    expect(imageFileProblem(bytes(0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0xea, 0x60, 1), 47_040_016)).toBe(
      'its first bytes, 00 00 08 03 00 00 ea 60, are not those of a PNG, JPEG, GIF, WebP, BMP or AVIF image (47,040,016 bytes)',
    );
  });
});
