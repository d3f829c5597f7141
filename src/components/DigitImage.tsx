/** One grayscale image (uint8 pixels, row-major) drawn on a canvas and scaled up without blurring. */
import { useEffect, useRef } from 'react';

interface DigitImageProps {
  readonly pixels: Uint8Array | Float32Array;
  readonly width: number;
  readonly height: number;
  /** Displayed size of the longer side, in CSS pixels. */
  readonly size: number;
  readonly label: string;
  /** Dark ink on white, as matplotlib's cmap=plt.cm.binary draws it (the tutorials' plots), rather than the pixels' own white on black. */
  readonly binary?: boolean;
}

export function DigitImage({ pixels, width, height, size, label, binary = false }: DigitImageProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    const scale = pixels instanceof Float32Array ? 255 : 1;
    for (let i = 0; i < width * height; i++) {
      const value = binary ? 255 - (pixels[i] ?? 0) * scale : (pixels[i] ?? 0) * scale;
      image.data[4 * i] = value;
      image.data[4 * i + 1] = value;
      image.data[4 * i + 2] = value;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels, width, height, binary]);
  const ratio = size / Math.max(width, height);
  return (
    <span role="img" aria-label={label} className="digit-image-frame">
      <canvas ref={canvas} className="digit-image" width={width} height={height} style={{ width: width * ratio, height: height * ratio }} />
    </span>
  );
}
