// Pixel checks on screenshots (PNG decoded by the pngjs library).
import { PNG } from 'pngjs';

// Fraction of pixels whose colour differs from `rgb` by more than `tolerance`
// in any channel.
export function fractionDifferentFrom(pngBuffer, rgb, tolerance = 6) {
  const png = PNG.sync.read(pngBuffer);
  let different = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (Math.abs(png.data[o] - rgb[0]) > tolerance || Math.abs(png.data[o + 1] - rgb[1]) > tolerance ||
        Math.abs(png.data[o + 2] - rgb[2]) > tolerance) {
      different++;
    }
  }
  return { fraction: different / n, width: png.width, height: png.height };
}
