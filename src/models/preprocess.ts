import { UsageError, OptionError } from '../util/errors.js';

/** Memory order of one image batch handed to a model: batch, height, width, channels or batch, channels, height, width. */
export type TensorLayout = 'NHWC' | 'NCHW';

/**
 * How dataset images (NHWC floats in [0, 1]) become model input. Order of operations, as in
 * torchvision's `Resize(resize) → CenterCrop(height×width) → ToTensor → Normalize(mean, std)`:
 * 1. channel conversion (grayscale → RGB by copying; RGB → grayscale by ITU-R 601 luma);
 * 2. bilinear resize (half-pixel centres, like PyTorch `align_corners=False`, no antialias) so
 *    the SHORTER side equals `resize`, or straight to height×width when `resize` is null;
 * 3. centre crop to height×width (offsets rounded as torchvision does);
 * 4. per channel `(x − mean[c]) / std[c]`;
 * 5. layout NHWC or NCHW.
 */
export interface PreprocessSpec {
  /** Preset name, or `custom`. Recorded in the cache metadata. */
  name: string;
  height: number;
  width: number;
  channels: 1 | 3;
  /** Shorter side after resizing, before the centre crop; null resizes straight to height×width. */
  resize: number | null;
  /** Per-channel mean (length `channels`) on the [0, 1] scale. */
  mean: number[];
  /** Per-channel standard deviation (length `channels`). */
  std: number[];
  /** Input layout; undefined lets the model loader choose (NCHW for ONNX, NHWC for TF.js). */
  layout?: TensorLayout;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** Named presets. `imagenet` is torchvision's eval transform; `imagenet-upsample` is the paper's "upsampled to 224" for small images. */
export const PREPROCESS_PRESETS: Readonly<Record<string, PreprocessSpec>> = {
  imagenet: { name: 'imagenet', height: 224, width: 224, channels: 3, resize: 256, mean: IMAGENET_MEAN, std: IMAGENET_STD },
  'imagenet-upsample': { name: 'imagenet-upsample', height: 224, width: 224, channels: 3, resize: null, mean: IMAGENET_MEAN, std: IMAGENET_STD },
  // ImageNet-21k ViTs (timm augreg) normalise with 0.5/0.5.
  half: { name: 'half', height: 224, width: 224, channels: 3, resize: 224, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  'half-upsample': { name: 'half-upsample', height: 224, width: 224, channels: 3, resize: null, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  // The miniature zoo: 28×28 grayscale in [0, 1], NHWC, no normalisation.
  zoo: { name: 'zoo', height: 28, width: 28, channels: 1, resize: null, mean: [0], std: [1], layout: 'NHWC' },
};

/** Names accepted by {@link resolvePreprocess}. */
export const PREPROCESS_PRESET_NAMES = Object.keys(PREPROCESS_PRESETS);

/**
 * A spec from a preset name, a JSON object string (`{"height":..,"mean":[..],..}`, missing
 * fields taken from `base` or `imagenet`) or a partial spec. Throws a UsageError on bad values.
 */
export function resolvePreprocess(input: string | Partial<PreprocessSpec> | undefined, base?: PreprocessSpec): PreprocessSpec {
  if (input === undefined) {
    if (!base) throw new UsageError('preprocessing: no preset given and the model declares none');
    return checkPreprocess({ ...base });
  }
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (trimmed.startsWith('{')) {
      let parsed: Partial<PreprocessSpec>;
      try {
        parsed = JSON.parse(trimmed);
      } catch (err: any) {
        throw new OptionError('preprocess', `invalid JSON (${err.message})`);
      }
      return resolvePreprocess({ name: 'custom', ...parsed }, base);
    }
    const preset = PREPROCESS_PRESETS[trimmed];
    if (!preset) throw new OptionError('preprocess', `unknown preset '${input}' (known: ${PREPROCESS_PRESET_NAMES.join(', ')}, or a JSON object)`);
    return checkPreprocess({ ...preset, mean: [...preset.mean], std: [...preset.std] });
  }
  const from = base ?? PREPROCESS_PRESETS.imagenet;
  return checkPreprocess({ ...from, name: 'custom', ...input } as PreprocessSpec);
}

/** Throws a UsageError naming the bad field; returns the spec. */
export function checkPreprocess(spec: PreprocessSpec): PreprocessSpec {
  const bad = (msg: string) => new UsageError(`preprocessing '${spec.name}': ${msg}`);
  if (!Number.isInteger(spec.height) || !Number.isInteger(spec.width) || spec.height < 1 || spec.width < 1) throw bad(`height and width must be positive integers, got ${spec.height}×${spec.width}`);
  if (spec.channels !== 1 && spec.channels !== 3) throw bad(`channels must be 1 or 3, got ${spec.channels}`);
  if (spec.resize !== null && (!Number.isInteger(spec.resize) || spec.resize < Math.min(spec.height, spec.width))) {
    throw bad(`resize must be null or an integer >= the crop's shorter side, got ${spec.resize}`);
  }
  if (spec.mean.length !== spec.channels || spec.std.length !== spec.channels) throw bad(`mean and std need ${spec.channels} values each`);
  if (spec.std.some((s) => !(s > 0))) throw bad('std values must be positive');
  if (spec.layout !== undefined && spec.layout !== 'NHWC' && spec.layout !== 'NCHW') throw bad(`layout must be NHWC or NCHW, got ${spec.layout}`);
  return spec;
}

/** One axis of a bilinear resize + crop: for each output position, the two source indices and the weight of the second. */
interface AxisMap {
  i0: Int32Array;
  i1: Int32Array;
  frac: Float32Array;
}

/**
 * Source positions for `outSize` outputs taken at offset `cropStart` from an axis resized from
 * `inSize` to `resizedSize`, with PyTorch's half-pixel rule (negative coordinates clamp to 0).
 */
function axisMap(inSize: number, resizedSize: number, outSize: number, cropStart: number): AxisMap {
  const scale = inSize / resizedSize;
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(0, (o + cropStart + 0.5) * scale - 0.5);
    const lo = Math.min(Math.floor(src), inSize - 1);
    i0[o] = lo;
    i1[o] = Math.min(lo + 1, inSize - 1);
    frac[o] = src - lo;
  }
  return { i0, i1, frac };
}

/** Resized (h, w) before cropping: shorter side → `resize` (longer side truncated as torchvision does), or the crop size. */
export function resizedSize(h: number, w: number, spec: PreprocessSpec): [number, number] {
  if (spec.resize === null) return [spec.height, spec.width];
  if (h <= w) return [spec.resize, Math.floor((spec.resize * w) / h)];
  return [Math.floor((spec.resize * h) / w), spec.resize];
}

/**
 * Applies `spec` to a batch. `images`: n×h×w×c row-major floats in [0, 1] (c = 1 or 3).
 * Returns n×H×W×C (NHWC) or n×C×H×W (NCHW) Float32Array with H, W, C from the spec.
 */
export function preprocessImages(
  images: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  spec: PreprocessSpec,
  layout: TensorLayout = spec.layout ?? 'NHWC',
): Float32Array {
  if (c !== 1 && c !== 3) throw new RangeError(`preprocessImages: images must have 1 or 3 channels, got ${c}`);
  if (images.length !== n * h * w * c) throw new RangeError(`preprocessImages: expected n×h×w×c = ${n}×${h}×${w}×${c} values, got ${images.length}`);
  const H = spec.height;
  const W = spec.width;
  const C = spec.channels;
  const [rh, rw] = resizedSize(h, w, spec);
  if (rh < H || rw < W) throw new RangeError(`preprocessImages: resized ${rh}×${rw} is smaller than the crop ${H}×${W}`);
  const top = Math.round((rh - H) / 2);
  const left = Math.round((rw - W) / 2);
  const ys = axisMap(h, rh, H, top);
  const xs = axisMap(w, rw, W, left);
  const out = new Float32Array(n * H * W * C);
  const scale = spec.std.map((s) => 1 / s);
  const plane = H * W;
  // Channel source: grayscale→RGB repeats channel 0; RGB→grayscale mixes by luma weights.
  const luma = [0.299, 0.587, 0.114];
  const px = new Float32Array(3);
  for (let b = 0; b < n; b++) {
    const img = b * h * w * c;
    const dst = b * plane * C;
    for (let y = 0; y < H; y++) {
      const y0 = ys.i0[y] * w;
      const y1 = ys.i1[y] * w;
      const fy = ys.frac[y];
      for (let x = 0; x < W; x++) {
        const x0 = xs.i0[x];
        const x1 = xs.i1[x];
        const fx = xs.frac[x];
        const w00 = (1 - fy) * (1 - fx);
        const w01 = (1 - fy) * fx;
        const w10 = fy * (1 - fx);
        const w11 = fy * fx;
        for (let k = 0; k < c; k++) {
          px[k] =
            w00 * images[img + (y0 + x0) * c + k] +
            w01 * images[img + (y0 + x1) * c + k] +
            w10 * images[img + (y1 + x0) * c + k] +
            w11 * images[img + (y1 + x1) * c + k];
        }
        for (let k = 0; k < C; k++) {
          let v: number;
          if (C === c) v = px[k];
          else if (c === 1) v = px[0];
          else v = luma[0] * px[0] + luma[1] * px[1] + luma[2] * px[2];
          v = (v - spec.mean[k]) * scale[k];
          if (layout === 'NHWC') out[dst + (y * W + x) * C + k] = v;
          else out[dst + k * plane + y * W + x] = v;
        }
      }
    }
  }
  return out;
}

/**
 * A preprocessing guess from a model's input size when neither the user nor a manifest or
 * registry entry names one: 28×28×1 → `zoo`; 3 channels → `imagenet` (with the model's size);
 * otherwise plain [0, 1] images resized to the input size.
 */
export function preprocessForInputShape(height: number, width: number, channels: number): PreprocessSpec {
  if (height === 28 && width === 28 && channels === 1) return resolvePreprocess('zoo');
  if (channels === 3) {
    const base = resolvePreprocess('imagenet');
    return { ...base, height, width, resize: Math.max(Math.round(Math.min(height, width) * (256 / 224)), Math.min(height, width)) };
  }
  if (channels !== 1) throw new RangeError(`model input has ${channels} channels; only 1 or 3 are supported`);
  return { name: 'unit', height, width, channels: 1, resize: null, mean: [0], std: [1] };
}
