import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { FileFormatError } from '../util/errors.js';
import { decodePng, isPng, type DecodedImage } from './png.js';

/** True when bytes start with the JPEG SOI marker FF D8. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

/** Decodes PNG (node:zlib) or JPEG (pure-JS `jpeg-js`) bytes, recognised by their magic numbers. */
export function decodeImage(bytes: Uint8Array, file = '<buffer>'): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes, file);
  if (isJpeg(bytes)) {
    try {
      const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
      return { width: d.width, height: d.height, channels: 3, data: d.data };
    } catch (e) {
      throw new FileFormatError(file, `cannot decode JPEG: ${(e as Error).message}`);
    }
  }
  throw new FileFormatError(file, 'unsupported image format (expected PNG or JPEG)');
}

/** Reads and decodes an image file. */
export async function readImageFile(path: string): Promise<DecodedImage> {
  return decodeImage(new Uint8Array(await readFile(path)), path);
}

/**
 * Converts a decoded image to `size`×`size`×`channels` floats in [0, 1]: resize the shorter
 * side to `size` and centre-crop (like torchvision's Resize + CenterCrop), bilinear sampling
 * with pixel centres aligned; alpha is dropped; channels 1 = ITU-R 601 luma.
 */
export function toTensorImage(img: DecodedImage, size: number, channels: 1 | 3): Float32Array {
  const scale = size / Math.min(img.width, img.height);
  const offX = (img.width * scale - size) / 2;
  const offY = (img.height * scale - size) / 2;
  const out = new Float32Array(size * size * channels);
  const colourOf = (x: number, y: number, c: number) => {
    const src = img.channels >= 3 ? c : 0; // grey images repeat their one channel
    return img.data[(y * img.width + x) * img.channels + src];
  };
  for (let oy = 0; oy < size; oy++) {
    const sy = Math.min(img.height - 1, Math.max(0, (oy + 0.5 + offY) / scale - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(img.height - 1, y0 + 1), fy = sy - y0;
    for (let ox = 0; ox < size; ox++) {
      const sx = Math.min(img.width - 1, Math.max(0, (ox + 0.5 + offX) / scale - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(img.width - 1, x0 + 1), fx = sx - x0;
      const rgb = [0, 1, 2].map((c) =>
        (colourOf(x0, y0, c) * (1 - fx) + colourOf(x1, y0, c) * fx) * (1 - fy) + (colourOf(x0, y1, c) * (1 - fx) + colourOf(x1, y1, c) * fx) * fy,
      );
      const o = (oy * size + ox) * channels;
      if (channels === 3) {
        out[o] = rgb[0] / 255;
        out[o + 1] = rgb[1] / 255;
        out[o + 2] = rgb[2] / 255;
      } else out[o] = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
    }
  }
  return out;
}
