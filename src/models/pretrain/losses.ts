import * as tf from '@tensorflow/tfjs-core';

/** Mean softmax cross-entropy: logits n×C, labels n (int32 class indices). Returns a scalar. */
export function crossEntropyLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as tf.Scalar;
  });
}

/**
 * DeCov penalty (Cogswell et al. 2016) of penultimate features h (n×d):
 * ½(‖C‖²_F − ‖diag C‖²) with C = batch covariance (1/n)·(h − mean)ᵀ(h − mean), d×d.
 */
export function decovPenalty(h: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const centred = tf.sub(h, tf.mean(h, 0, true));
    const cov = tf.div(tf.matMul(centred, centred, true, false), h.shape[0]);
    const diag = tf.mean(tf.square(centred), 0); // diagonal of C without forming the identity mask
    return tf.mul(0.5, tf.sub(tf.sum(tf.square(cov)), tf.sum(tf.square(diag)))) as tf.Scalar;
  });
}

/** One Matryoshka head: a linear classifier on the first `k` penultimate features. */
export interface MrlHead {
  k: number;
  kernel: tf.Variable; // k×C
  bias: tf.Variable; // C
}

/** Creates seeded Glorot-uniform heads for the nesting sizes `ks`, C classes. */
export function createMrlHeads(ks: number[], classes: number, seed: number): MrlHead[] {
  return ks.map((k, i) => {
    const limit = Math.sqrt(6 / (k + classes));
    return {
      k,
      kernel: tf.variable(tf.randomUniform([k, classes], -limit, limit, 'float32', seed * 1000 + 500 + i), true, `mrl_head_${k}_kernel`),
      bias: tf.variable(tf.zeros([classes]), true, `mrl_head_${k}_bias`),
    };
  });
}

/**
 * Matryoshka representation loss: Σ over heads of CE(h[:, :k]·W_k + b_k, y), plus
 * `fullLogits` (the network's own classifier on all d features) when given. Scalar.
 */
export function mrlLoss(h: tf.Tensor2D, heads: MrlHead[], labels: tf.Tensor1D, fullLogits?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = fullLogits ? crossEntropyLoss(fullLogits, labels) : tf.scalar(0);
    for (const head of heads) {
      const prefix = tf.slice(h, [0, 0], [-1, head.k]) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(prefix, head.kernel as tf.Tensor2D), head.bias) as tf.Tensor2D;
      total = tf.add(total, crossEntropyLoss(logits, labels));
    }
    return total;
  });
}

/** Per-example L2 norms of x (n×…), as an n×1×…×1 tensor for broadcasting. */
function exampleNorms(x: tf.Tensor): tf.Tensor {
  const axes = x.shape.slice(1).map((_, i) => i + 1);
  return tf.sqrt(tf.sum(tf.square(x), axes, true));
}

/** Projects each example's perturbation onto the L2 ball of radius eps. */
export function projectL2Ball(delta: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const norms = exampleNorms(delta);
    return tf.mul(delta, tf.minimum(1, tf.div(eps, tf.maximum(norms, 1e-12))));
  });
}

/** PGD settings: L2 radius, number of steps, step size (default 2.5·eps/steps, as in Madry et al.'s robustness library). */
export interface PgdOptions {
  eps: number;
  steps: number;
  stepSize?: number;
}

/**
 * L2 projected gradient ascent on the cross-entropy (Madry et al. 2018): starting at x, each
 * step moves along the per-example normalised gradient, projects onto ‖δ‖₂ ≤ eps and clips
 * x + δ to [0, 1]. `logitsOf` maps images to logits (the model in inference mode).
 * Returns the adversarial images (same shape as x).
 */
export function pgdL2Attack(logitsOf: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D, labels: tf.Tensor1D, opts: PgdOptions): tf.Tensor4D {
  const stepSize = opts.stepSize ?? (2.5 * opts.eps) / opts.steps;
  const lossOfDelta = (delta: tf.Tensor) => crossEntropyLoss(logitsOf(tf.add(x, delta) as tf.Tensor4D), labels);
  const gradFn = tf.grad(lossOfDelta);
  let delta: tf.Tensor = tf.zerosLike(x);
  for (let s = 0; s < opts.steps; s++) {
    const next = tf.tidy(() => {
      const g = gradFn(delta);
      const step = tf.mul(stepSize, tf.div(g, tf.maximum(exampleNorms(g), 1e-12)));
      const projected = projectL2Ball(tf.add(delta, step), opts.eps);
      // Stay inside the image domain; clipping cannot leave the ball (it only shrinks |δ_i|).
      return tf.sub(tf.clipByValue(tf.add(x, projected), 0, 1), x);
    });
    delta.dispose();
    delta = next;
  }
  const adv = tf.tidy(() => tf.add(x, delta) as tf.Tensor4D);
  delta.dispose();
  return adv;
}
