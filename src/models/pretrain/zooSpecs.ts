import type { ZooArchitecture } from './architectures.js';

/** The training objective of a zoo model. */
export type ZooLoss =
  | { kind: 'ce' }
  /** Adversarial training on L2 PGD examples (inputs in [0, 1], 28×28). */
  | { kind: 'pgd-l2'; eps: number; steps: number }
  /** Matryoshka: summed CE of linear heads on the first k features for each k in `nesting`. */
  | { kind: 'mrl'; nesting: number[] }
  /** CE + alpha·DeCov(penultimate). */
  | { kind: 'decov'; alpha: number };

/** One model of the miniature zoo: everything needed to re-train it reproducibly. */
export interface ZooModelSpec {
  name: string;
  architecture: ZooArchitecture;
  width: number;
  loss: ZooLoss;
  /** Dropout rate on the penultimate layer during training (0 = none). */
  dropout: number;
  /** Pre-training data: fraction of the 60,000 Fashion-MNIST training images and which classes. */
  data: { fraction: number; classes: number[] };
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** What the model stands for in the paper's experiments. */
  purpose: string;
  /**
   * Frozen-trunk model: copy and freeze every layer before `penultimate` from this zoo model
   * and train only `penultimate` + `classifier` on its trunk features (cheap variants for
   * the width and regulariser experiments).
   */
  trunkFrom?: string;
}

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

function spec(name: string, purpose: string, over: Partial<ZooModelSpec>): ZooModelSpec {
  return {
    name, purpose,
    architecture: 'resnet', width: 128, loss: { kind: 'ce' }, dropout: 0,
    data: { fraction: 1, classes: ALL }, epochs: 3, batchSize: 128, learningRate: 2e-3, seed: 0,
    ...over,
  };
}

/** L2 radius used for the adversarially trained models (pixel values in [0, 1], 784 pixels). */
export const ZOO_PGD = { eps: 1.0, steps: 2 } as const;

const head = (name: string, purpose: string, over: Partial<ZooModelSpec>) => spec(name, purpose, { trunkFrom: 'resnet', epochs: 3, ...over });

/**
 * The zoo, in training order. Full networks: `resnet`, `resnet-l2`, `mlp`, `vgg` and the
 * pre-training-data variants. The width, regulariser and Matryoshka variants share the
 * trained `resnet` trunk (frozen) and train their own penultimate Dense + classifier; their
 * common baseline is `resnet-w128` (same recipe, width 128, cross-entropy). This keeps the
 * whole zoo within the 2-core budget; manifests record what each model reached.
 */
export const ZOO_SPECS: ZooModelSpec[] = [
  spec('resnet', 'E1/E3 standard ResNet-style CNN (cross-entropy)', { epochs: 3 }),
  spec('resnet-l2', 'E1/E3 adversarially trained (PGD, L2 ball)', { loss: { kind: 'pgd-l2', ...ZOO_PGD }, epochs: 1 }),
  spec('mlp', 'E3 architecture: MLP', { architecture: 'mlp', epochs: 2 }),
  head('resnet-w128', 'E5/E6/E11 frozen-trunk baseline (width 128, cross-entropy)', {}),
  ...[8, 16, 32, 64, 256, 512].map((w) => head(`resnet-w${w}`, `E5 penultimate width ${w} (frozen resnet trunk)`, { width: w })),
  head('resnet-mrl', 'E6 Matryoshka penultimate layer (nested prefixes 8, 16, 32, 64, 128; frozen resnet trunk)', { loss: { kind: 'mrl', nesting: [8, 16, 32, 64] } }),
  spec('vgg', 'E3 architecture: plain VGG-style CNN', { architecture: 'vgg', epochs: 1 }),
  ...[0.1, 0.5, 0.8].map((r) => head(`resnet-dropout${r}`, `E11 dropout ${r} on the penultimate layer (frozen resnet trunk)`, { dropout: r })),
  head('resnet-decov', 'E11 DeCov regulariser, alpha 1e-4 (frozen resnet trunk)', { loss: { kind: 'decov', alpha: 1e-4 } }),
  spec('resnet-data10', 'E4 pre-training data: 10% of the images (10 epochs = one epoch of images seen)', { data: { fraction: 0.1, classes: ALL }, epochs: 10 }),
  spec('resnet-classes5', 'E4 pre-training data: 5 of the 10 classes (2 epochs = one epoch of images seen)', { data: { fraction: 1, classes: [0, 1, 2, 3, 4] }, epochs: 2 }),
];

/** Looks a spec up by name; throws listing the known names. */
export function zooSpec(name: string): ZooModelSpec {
  const s = ZOO_SPECS.find((m) => m.name === name);
  if (!s) throw new RangeError(`unknown zoo model '${name}'; known: ${ZOO_SPECS.map((m) => m.name).join(', ')}`);
  return s;
}

/** The manifest.json written beside each saved model. */
export interface ZooManifest {
  formatVersion: 1;
  name: string;
  architecture: ZooArchitecture;
  width: number;
  penultimateLayer: 'penultimate';
  inputShape: [number, number, number];
  /** Preprocessing the model expects: pixel values scaled to [0, 1], no mean/std normalisation. */
  preprocessing: 'unit-range';
  classes: number[];
  classNames: string[];
  loss: ZooLoss;
  dropout: number;
  pretrainData: { dataset: 'fashion-mnist'; split: 'trainval'; fraction: number; classes: number[]; images: number };
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  backend: string;
  /** Accuracy on the official Fashion-MNIST test split (restricted to `classes`). */
  testAccuracy: number;
  testImages: number;
  finalTrainLoss: number;
  /** Adversarial models: accuracy on PGD examples of the test subset used. */
  robustAccuracy?: { eps: number; steps: number; images: number; accuracy: number };
  /** Frozen-trunk models: the zoo model the trunk was copied from, and its weights hash. */
  trunkFrom?: { name: string; weightsSha256: string; seconds: number };
  weightsSha256: string;
  weightsBytes: number;
  parameters: number;
  flopsPerImage: number;
  trainSeconds: number;
  purpose: string;
  createdAt: string;
}
