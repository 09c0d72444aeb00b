import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Multiply-add FLOPs (2 per multiply-accumulate) of one image's forward pass through the
 * model's Conv2D and Dense layers; pooling, activations and additions are not counted.
 */
export function forwardFlopsPerImage(model: tfl.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'Conv2D') {
      const cfg = layer.getConfig() as { kernelSize: number[] | number; filters: number };
      const k = Array.isArray(cfg.kernelSize) ? cfg.kernelSize : [cfg.kernelSize, cfg.kernelSize];
      const input = (layer.input as tfl.SymbolicTensor).shape;
      const output = (layer.output as tfl.SymbolicTensor).shape;
      const cin = input[3] as number;
      flops += 2 * (output[1] as number) * (output[2] as number) * k[0] * k[1] * cin * cfg.filters;
    } else if (cls === 'Dense') {
      const input = (layer.input as tfl.SymbolicTensor).shape;
      const cfg = layer.getConfig() as { units: number };
      flops += 2 * (input[input.length - 1] as number) * cfg.units;
    }
  }
  return flops;
}
