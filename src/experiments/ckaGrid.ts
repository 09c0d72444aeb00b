import type * as aq from 'arquero';
import type { Linalg } from '../linalg/types.js';
import { gatherColumns } from '../probe/features.js';
import { randomNeuronIndices } from '../select/index.js';
import { linearCka } from '../similarity/index.js';
import type { FeatureBlock } from '../types.js';
import { rowsToTable } from '../summary/groups.js';

/** Options of {@link ckaGrid}. */
export interface CkaGridOptions {
  model: string;
  dataset: string;
  /** Fractions of d below 1 (k = max(1, floor(f·d))). */
  fractions: readonly number[];
  seeds: readonly number[];
  /** `random` subsets (seeded) or the `first` k neurons (Matryoshka); `first` has no seed pairs. */
  selection?: 'random' | 'first';
  /** Only the first `rows` rows of `features` (the authors used the first 1000 test images). */
  rows?: number;
  debiased?: boolean;
  linalg?: Linalg;
}

/**
 * Linear CKA of neuron subsets of one n×d feature block: part vs whole (each subset against the full
 * layer) and, for random subsets, subset vs subset (every seed pair of the same size).
 * Returns an arquero table: model, dataset, selection, analysis ('part-vs-whole' | 'subset-vs-subset'),
 * fraction, k, seedA, seedB (null when not applicable), cka (dimensionless, in [0, 1]).
 */
export async function ckaGrid(features: FeatureBlock, opts: CkaGridOptions): Promise<aq.ColumnTable> {
  const n = Math.min(features.n, opts.rows ?? features.n);
  const x: FeatureBlock = { data: features.data.subarray(0, n * features.d), n, d: features.d };
  const { d } = x;
  const selection = opts.selection ?? 'random';
  const cka = (a: FeatureBlock, b: FeatureBlock) => linearCka(a, b, { debiased: opts.debiased, linalg: opts.linalg });
  const base = { model: opts.model, dataset: opts.dataset, selection };
  const out: Record<string, unknown>[] = [];
  for (const fraction of opts.fractions) {
    if (!(fraction > 0 && fraction < 1)) continue;
    const k = Math.max(1, Math.floor(fraction * d + 1e-9));
    if (selection === 'first') {
      const part = gatherColumns(x, Int32Array.from({ length: k }, (_, i) => i));
      out.push({ ...base, analysis: 'part-vs-whole', fraction, k, seedA: null, seedB: null, cka: await cka(part, x) });
      continue;
    }
    const parts = opts.seeds.map((s) => gatherColumns(x, randomNeuronIndices(d, k, s)));
    for (let i = 0; i < parts.length; i++) {
      out.push({ ...base, analysis: 'part-vs-whole', fraction, k, seedA: opts.seeds[i], seedB: null, cka: await cka(parts[i], x) });
    }
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        out.push({ ...base, analysis: 'subset-vs-subset', fraction, k, seedA: opts.seeds[i], seedB: opts.seeds[j], cka: await cka(parts[i], parts[j]) });
      }
    }
  }
  return rowsToTable(out, ['model', 'dataset', 'selection', 'analysis', 'fraction', 'k', 'seedA', 'seedB', 'cka']);
}

/** Mean CKA per (model, dataset, selection, analysis, fraction): columns …, k, ckaMean, ckaStd, pairs. */
export function summariseCka(grid: aq.ColumnTable): aq.ColumnTable {
  const groups = new Map<string, { key: Record<string, unknown>; values: number[] }>();
  for (const r of grid.objects() as any[]) {
    const key = { model: r.model, dataset: r.dataset, selection: r.selection, analysis: r.analysis, fraction: r.fraction, k: r.k };
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, values: [] });
    groups.get(id)!.values.push(Number(r.cka));
  }
  const rows = [...groups.values()].map(({ key, values }) => {
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
    return { ...key, ckaMean: m, ckaStd: sd, pairs: values.length };
  });
  return rowsToTable(rows, ['model', 'dataset', 'selection', 'analysis', 'fraction', 'k', 'ckaMean', 'ckaStd', 'pairs']);
}
