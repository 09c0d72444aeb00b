import { defineCommand } from '../command.js';
import { selectTfBackend, TF_BACKEND_ORDER } from '../../backend/tfBackend.js';
import { selectOnnxProviders } from '../../backend/onnxProviders.js';
import { chooseLinalg, getLinalg, libraryLinalg, LINALG_NAMES, probeLinalgs } from '../../linalg/select.js';
import { UsageError } from '../../util/errors.js';

/** Deterministic ReLU-like n×d test matrix (non-negative, not centred, like real features). */
function reluMatrix(n: number, d: number): Float32Array {
  let s = 12345;
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const v = s / 4294967296 - 0.3;
    out[i] = v > 0 ? v : 0;
  }
  return out;
}

/** One measured Gram per available linalg (best of two runs): GFLOP/s and max relative error vs float64. */
async function measure(names: string[], n: number, d: number, print: (line: string) => void) {
  const x = reluMatrix(n, d);
  const exact = await (await getLinalg('typescript')).gram(x, n, d);
  let scale = 0;
  for (const v of exact) scale = Math.max(scale, Math.abs(v));
  const flops = 2 * n * d * d;
  const rows: { name: string; seconds: number; gflops: number; relError: number }[] = [];
  for (const name of names) {
    const l = await getLinalg(name);
    // Best of two: the first run also pays for sessions, worker start-up and JIT warm-up.
    let seconds = Infinity;
    let g = new Float64Array(0);
    for (let rep = 0; rep < 2; rep++) {
      const t = performance.now();
      g = await l.gram(x, n, d);
      seconds = Math.min(seconds, (performance.now() - t) / 1000);
    }
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - exact[i]));
    const row = { name, seconds, gflops: flops / seconds / 1e9, relError: worst / (scale || 1) };
    rows.push(row);
    print(`  ${name.padEnd(10)} ${row.gflops.toFixed(2).padStart(8)} GFLOP/s  ${seconds.toFixed(3)} s  rel. error ${row.relError.toExponential(1)}`);
  }
  return rows;
}

export const command = defineCommand({
  name: 'backend',
  summary: 'show which compute backends are available and which is chosen',
  usage: '[--backend NAME] [--measure [--rows N --cols D]]',
  description: [
    'Prints the TF.js backend chosen (tfjs-node-gpu > tfjs-node > wasm > cpu) and why, the onnxruntime',
    'execution providers, and the dense linear-algebra implementation (Linalg) the analysis uses.',
    'DR_LINALG=<name> forces the Linalg; --measure times a Gram (XᵀX) on every available one.',
  ].join('\n'),
  options: {
    backend: { type: 'string', help: `force a TF.js backend: auto, ${TF_BACKEND_ORDER.join(', ')} (aliases node, node-gpu)`, default: 'auto', meta: 'NAME' },
    measure: { type: 'boolean', help: 'time a Gram on every available Linalg (GFLOP/s, error vs float64)' },
    rows: { type: 'int', help: 'rows of the measured matrix', default: 4000, min: 1, max: 1_000_000, meta: 'N' },
    cols: { type: 'int', help: 'columns of the measured matrix', default: 256, min: 1, max: 8192, meta: 'D' },
  },
  async run(args, io) {
    const o = args.options;
    const tf = await selectTfBackend({ force: o.backend });
    io.print(`TF.js backend: ${tf.name} (${tf.reason})`);
    for (const t of tf.tried) io.print(`  ${t.ok ? '✓' : '✗'} ${t.name}: ${t.reason}`);

    let onnx: Record<string, unknown>;
    try {
      const sel = await selectOnnxProviders();
      onnx = { providers: sel.providers, reason: sel.reason, available: sel.available };
      io.print(`ONNX providers: ${sel.providers.join(' > ')} (${sel.reason}); this build lists ${sel.available.map((b) => `${b.name}${b.bundled ? '' : ' (not bundled)'}`).join(', ')}`);
    } catch (err: any) {
      onnx = { error: String(err?.message ?? err) };
      io.print(`ONNX providers: onnxruntime-node unavailable (${onnx.error})`);
    }

    const { linalg, reason } = await chooseLinalg();
    io.print(`Linalg: ${linalg.name} (${reason})`);
    const library = await libraryLinalg();
    io.print(`Library default (float64 products, for calls without a linalg): ${library.name}`);
    const candidates = await probeLinalgs(LINALG_NAMES);
    for (const c of candidates) io.print(`  ${c.available ? '✓' : '✗'} ${c.name}${c.reason ? `: ${c.reason}` : ''}`);

    let measured: Awaited<ReturnType<typeof measure>> | undefined;
    if (o.measure) {
      const n = o.rows as number;
      const d = o.cols as number;
      if (n * d > 200_000_000) throw new UsageError(`--rows × --cols = ${n * d} values is too large to measure (max 2e8)`);
      io.print(`Gram XᵀX of a ${n}×${d} ReLU-like float32 matrix:`);
      measured = await measure(candidates.filter((c) => c.available).map((c) => c.name), n, d, io.print);
      for (const c of candidates) if (c.available) await (await getLinalg(c.name)).dispose?.();
    }
    return {
      tf: { name: tf.name, reason: tf.reason, tfBackend: tf.tfBackend, tried: tf.tried },
      onnx,
      linalg: { name: linalg.name, reason },
      libraryLinalg: library.name,
      candidates,
      ...(measured ? { measure: { rows: o.rows, cols: o.cols, results: measured } } : {}),
    };
  },
});
