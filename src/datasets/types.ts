/** The splits a dataset may offer; `train` and `val` come from the official training split. */
export type DatasetSplit = 'train' | 'val' | 'test' | 'trainval';

/**
 * A labelled image set in memory: `images` is n×height×width×channels row-major (NHWC),
 * float32 in [0, 1]; `labels` are class indices into `classNames`.
 */
export interface ImageDataset {
  id: string;
  images: Float32Array;
  labels: Int32Array;
  n: number;
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  /** Where the data came from (folder, file or package), for manifests and `dr datasets`. */
  source?: string;
}

/** Rows `indices` of a dataset, as a new dataset (copying images and labels). */
export function selectImages(ds: ImageDataset, indices: Int32Array, id = ds.id): ImageDataset {
  const size = ds.height * ds.width * ds.channels;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    if (src < 0 || src >= ds.n) throw new RangeError(`selectImages: index ${src} outside 0..${ds.n - 1}`);
    images.set(ds.images.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = ds.labels[src];
  });
  return { ...ds, id, images, labels, n: indices.length };
}

/** Converts bytes 0..255 to floats in [0, 1]. */
export function bytesToUnitFloats(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}
