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
}

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Penultimate width of the base model `resnet` and of every variant trained at the base width. */
export const ZOO_BASE_WIDTH = 512;

/**
 * Epochs of the standard recipe (every cross-entropy, Matryoshka, dropout and DeCov model). One
 * epoch is what fits the 2-hour budget of the whole zoo on two single-threaded wasm processes
 * (a pilot measured ≈ 1.5 CPU-seconds per batch of 128 for `resnet`, ≈ 700 s per epoch).
 */
export const ZOO_EPOCHS = 1;

/** Epochs of adversarial training (each step also runs {@link ZOO_PGD}'s attack: ≈ 3× a plain epoch). */
export const ZOO_ADVERSARIAL_EPOCHS = 2;

function spec(name: string, purpose: string, over: Partial<ZooModelSpec>): ZooModelSpec {
  return {
    name, purpose,
    architecture: 'resnet', width: ZOO_BASE_WIDTH, loss: { kind: 'ce' }, dropout: 0,
    data: { fraction: 1, classes: ALL }, epochs: ZOO_EPOCHS, batchSize: 128, learningRate: 2e-3, seed: 0,
    ...over,
  };
}

/** L2 PGD of adversarial training (pixel values in [0, 1], 784 pixels; step size 2.5·eps/steps). */
export const ZOO_PGD = { eps: 1.0, steps: 3 } as const;
/** The stronger L2 PGD that measures the adversarial model's robust accuracy (same radius, more steps). */
export const ZOO_PGD_EVAL = { eps: ZOO_PGD.eps, steps: 10, images: 1000 } as const;

/** Widths of the width family (E5); its member at {@link ZOO_BASE_WIDTH} is `resnet` itself. */
export const ZOO_WIDTHS = [32, 64, 128, 256, ZOO_BASE_WIDTH, 1024] as const;

/** Name of the width family's member of width `w` (`resnet` at the base width). */
export function widthModelName(w: number): string {
  return w === ZOO_BASE_WIDTH ? 'resnet' : `resnet-w${w}`;
}

/** Matryoshka prefixes below the base width: 8, 16, …, d/2 (the full width is the network's own classifier). */
const MRL_NESTING = Array.from({ length: Math.log2(ZOO_BASE_WIDTH) - 3 }, (_, i) => 8 * 2 ** i);

/**
 * The zoo, in training order. Every model is trained whole (every layer from scratch, seed 0)
 * with one recipe: Adam, cosine-decayed learning rate, batch 128, {@link ZOO_EPOCHS} epochs of
 * Fashion-MNIST. Variants change one thing: width, loss, dropout before the classifier,
 * pre-training data (with as many optimisation steps as the base model) or architecture.
 * `resnet` is the baseline of all of them. Manifests record what each model reached.
 */
export const ZOO_SPECS: ZooModelSpec[] = [
  spec('resnet', `E1/E3 standard ResNet-style CNN (cross-entropy, width ${ZOO_BASE_WIDTH}); baseline of every variant`, {}),
  spec('resnet-l2', `E1/E3 adversarially trained (${ZOO_ADVERSARIAL_EPOCHS} epochs of ${ZOO_PGD.steps}-step PGD, L2 ball of radius ${ZOO_PGD.eps})`, { loss: { kind: 'pgd-l2', ...ZOO_PGD }, epochs: ZOO_ADVERSARIAL_EPOCHS }),
  spec('vgg', 'E3 architecture: plain VGG-style CNN (no shortcuts)', { architecture: 'vgg' }),
  spec('mlp', 'E3 architecture: MLP', { architecture: 'mlp' }),
  spec('resnet-mrl', `E6 Matryoshka: nested cross-entropy over prefixes ${[...MRL_NESTING, ZOO_BASE_WIDTH].join(', ')}`, { loss: { kind: 'mrl', nesting: MRL_NESTING } }),
  ...ZOO_WIDTHS.filter((w) => w !== ZOO_BASE_WIDTH).map((w) => spec(widthModelName(w), `E5 penultimate width ${w}`, { width: w })),
  ...[0.1, 0.5, 0.8].map((r) => spec(`resnet-dropout${r}`, `E11 dropout ${r} before the classifier`, { dropout: r })),
  spec('resnet-decov', 'E11 DeCov regulariser, alpha 1e-3', { loss: { kind: 'decov', alpha: 1e-3 } }),
  spec('resnet-data10', `E4 pre-training data: 10% of the images (${10 * ZOO_EPOCHS} epochs = as many steps as resnet)`, { data: { fraction: 0.1, classes: ALL }, epochs: 10 * ZOO_EPOCHS }),
  spec('resnet-classes5', `E4 pre-training data: 5 of the 10 classes (${2 * ZOO_EPOCHS} epochs = as many steps as resnet)`, { data: { fraction: 1, classes: [0, 1, 2, 3, 4] }, epochs: 2 * ZOO_EPOCHS }),
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
  /** Adversarial models: accuracy on L2 PGD examples (radius eps, `steps` steps) of the first `images` test images. */
  robustAccuracy?: { eps: number; steps: number; images: number; accuracy: number };
  weightsSha256: string;
  weightsBytes: number;
  parameters: number;
  flopsPerImage: number;
  trainSeconds: number;
  /**
   * The machine's 1-, 5- and 15-minute load averages when training started and ended (the wall
   * time above is only comparable between models trained at similar load; 2 = both cores busy).
   */
  trainLoadAverage?: { before: number[]; after: number[] };
  purpose: string;
  createdAt: string;
}
