/**
 * Which zoo model plays which part of the paper (names of data/models/<name>/). Experiments look
 * models up here, so a synthetic source only has to offer the same names.
 */
export const ZOO_ROLES = {
  standard: 'resnet',
  adversarial: 'resnet-l2',
  mrl: 'resnet-mrl',
  architectures: ['resnet', 'vgg', 'mlp', 'vit'],
  /** The width family, trained whole with one recipe; `resnet` is its member at the base width (512). */
  widths: ['resnet-w32', 'resnet-w64', 'resnet-w128', 'resnet-w256', 'resnet', 'resnet-w1024'],
  pretrainData: ['resnet', 'resnet-data10', 'resnet-classes5'],
  /** `resnet` (same width and recipe, no regulariser) is the regularised models' baseline. */
  regularisers: ['resnet', 'resnet-dropout0.1', 'resnet-dropout0.5', 'resnet-dropout0.8', 'resnet-decov'],
} as const;

/**
 * The real pre-trained networks (data/models/pretrained/catalogue.json) run beside the zoo: two widths of
 * one family, MobileNetV2 1.4 (1792 neurons) and 1.0 (1280). The training-factor experiments stay on the zoo.
 */
export const REAL_MODELS: readonly string[] = ['mobilenetv2-1.4', 'mobilenetv2-1.0'];

/** Downstream tasks of the main comparisons (E1, E3…); E9 adds the shifted one. */
export const MAIN_TASKS: readonly string[] = ['digits', 'fashion', 'digits-10shot'];

/** The task on the zoo's own pre-training distribution (E9's; the transfer claims leave it out). */
export const OWN_DISTRIBUTION_TASK = 'fashion';

/** The low-data downstream task (Flowers102 in the paper). */
export const LOW_DATA_TASK = 'digits-10shot';
