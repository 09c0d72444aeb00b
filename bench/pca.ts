/**
 * `npm run bench:pca [-- --quick] [-- --lowrank]`: the PCA selection's own work at d = 2048
 * (n = 45,000 rows, ReLU-like float32 features): fit the basis (centred Gram + symmetric
 * eigendecomposition) and project the features onto the top k = d/2 directions, beside numpy
 * doing the same work in the same run (float32 centred Gram, float64 eigh, float32 projection).
 * `--lowrank` adds the randomized `pca-lowrank` fit (q = min(n, d), niter = 2) beside
 * torch.pca_lowrank when torch is installed. Prints the load average and numpy / ours.
 */
import { reluFeatures } from './reluFeatures.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { defaultLinalg } from '../src/linalg/select.js';
import { computePcaBasis, computePcaLowrankBasis } from '../src/select/pca.js';
import { selectNeurons, applySelection } from '../src/select/selection.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const lowrank = argv.includes('--lowrank');
const [n, d] = quick ? [4000, 256] : [45000, 2048];
const k = d / 2;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');


async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const u = process.cpuUsage(c);
  return { value, seconds: (performance.now() - t) / 1000, cpu: (u.user + u.system) / 1e6 };
}

async function main(): Promise<void> {
  const before = load();
  const data = reluFeatures(n, d, 11);
  const train = { data, n, d };
  const linalg = await defaultLinalg();
  const rows: { what: string; ours: number; oursCpu: number; peer?: number; peerCpu?: number; peerName?: string }[] = [];
  process.stderr.write(`PCA selection ${n}×${d}, k = ${k}, linalg ${linalg.name} …\n`);
  const fit = await timed(() => computePcaBasis(train, linalg));
  const proj = await timed(async () => applySelection(train, await selectNeurons({ d, k, method: 'pca', basis: fit.value }), linalg));
  rows.push({ what: 'fit basis (centred Gram + eigen)', ours: fit.seconds, oursCpu: fit.cpu });
  rows.push({ what: `project onto top ${k}`, ours: proj.seconds, oursCpu: proj.cpu });
  if (lowrank) {
    process.stderr.write('pca-lowrank …\n');
    const lr = await timed(() => computePcaLowrankBasis({ data: data.slice(), n, d }, { seed: 1, linalg }));
    rows.push({ what: 'pca-lowrank fit (q = min(n, d), niter 2)', ours: lr.seconds, oursCpu: lr.cpu });
  }
  const py = '/usr/bin/python3';
  if (existsSync(py)) {
    process.stderr.write('numpy side by side …\n');
    const script = `
import json, sys, time
import numpy as np
n, d, k, lowrank = json.loads(sys.argv[1])
rng = np.random.default_rng(0)
x = np.maximum(0.3 + 0.3 * rng.standard_normal((n, 8)).astype(np.float32) @ rng.uniform(-1, 1, (8, d)).astype(np.float32) + 0.1 * rng.uniform(-0.5, 0.5, (n, d)).astype(np.float32), 0)
out = {}
c = time.process_time(); t = time.perf_counter()
mu = x.mean(axis=0, dtype=np.float64)
xc = (x - mu).astype(np.float32)
g = (xc.T @ xc).astype(np.float64) / (n - 1)
w, v = np.linalg.eigh(g)
v = v[:, ::-1]
out["fit"] = time.perf_counter() - t; out["fitCpu"] = time.process_time() - c
c = time.process_time(); t = time.perf_counter(); p = x @ v[:, :k].astype(np.float32); out["project"] = time.perf_counter() - t; out["projectCpu"] = time.process_time() - c
if lowrank:
    try:
        import torch
        a = torch.from_numpy(x)
        c = time.process_time(); t = time.perf_counter(); torch.pca_lowrank(a, q=min(n, d), center=True, niter=2); out["lowrank"] = time.perf_counter() - t; out["lowrankCpu"] = time.process_time() - c
        out["torch"] = torch.__version__
    except ImportError:
        pass
out["numpy"] = np.__version__
print(json.dumps(out))
`;
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const res = spawnSync(py, ['-c', script, JSON.stringify([n, d, k, lowrank])], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (res.status === 0) {
      const o = JSON.parse(res.stdout.trim().split('\n').pop()!);
      Object.assign(rows[0], { peer: o.fit, peerCpu: o.fitCpu, peerName: `numpy ${o.numpy}` });
      Object.assign(rows[1], { peer: o.project, peerCpu: o.projectCpu, peerName: `numpy ${o.numpy}` });
      if (lowrank && o.lowrank !== undefined) {
        rows[2].peer = o.lowrank;
        rows[2].peerCpu = o.lowrankCpu;
        rows[2].peerName = `torch ${o.torch}`;
      }
    } else process.stderr.write(`numpy run failed: ${res.stderr}\n`);
  } else process.stderr.write('numpy: /usr/bin/python3 not found, skipping the side-by-side run\n');
  console.log(`load average (1, 5, 15 min): before ${before}; after ${load()}`);
  console.log('| work | ours s | ours CPU s | peer | peer s | peer CPU s | peer / ours (wall) | peer / ours (CPU) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.what} | ${r.ours.toFixed(3)} | ${r.oursCpu.toFixed(2)} | ${r.peerName ?? ''} | ${r.peer?.toFixed(3) ?? ''} | ${r.peerCpu?.toFixed(2) ?? ''} | ${r.peer ? (r.peer / r.ours).toFixed(2) : ''} | ${r.peerCpu ? (r.peerCpu / r.oursCpu).toFixed(2) : ''} |`);
  }
  const tot = rows[0].ours + rows[1].ours;
  if (rows[0].peer && rows[1].peer) console.log(`PCA selection total: ours ${tot.toFixed(2)} s, numpy ${(rows[0].peer + rows[1].peer).toFixed(2)} s, numpy / ours ${((rows[0].peer + rows[1].peer) / tot).toFixed(2)}`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
