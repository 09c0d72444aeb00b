import type * as aq from 'arquero';
import type { Linalg } from '../linalg/types.js';
import { kFromFraction, randomNeuronIndices } from '../select/index.js';
import { SubsetCka } from '../similarity/index.js';
import type { FeatureBlock } from '../types.js';
import { rowsToTable } from '../summary/groups.js';

/** Options of {@link ckaGrid}. */
export interface CkaGridOptions {
  model: string;
  dataset: string;
  /** Fractions of d below 1 (k = kFromFraction(f, d) = max(1, floor(f·d))). */
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
  const { d } = features;
  const selection = opts.selection ?? 'random';
  const variant = opts.debiased ? 'debiased' : 'linear';
  // One centred Gram serves every cell: each CKA is then a sum over Gram blocks (no pass over the rows).
  const gram = await SubsetCka.fromFeatures(features, { linalg: opts.linalg, debiased: opts.debiased, rows: opts.rows });
  const base = { model: opts.model, dataset: opts.dataset, selection };
  const out: Record<string, unknown>[] = [];
  for (const fraction of opts.fractions) {
    if (!(fraction > 0 && fraction < 1)) continue;
    const k = kFromFraction(fraction, d);
    if (selection === 'first') {
      const cka = gram.partVsWhole(Int32Array.from({ length: k }, (_, i) => i), variant);
      out.push({ ...base, analysis: 'part-vs-whole', fraction, k, seedA: null, seedB: null, cka });
      continue;
    }
    const parts = opts.seeds.map((s) => gram.prepare(randomNeuronIndices(d, k, s)));
    for (let i = 0; i < parts.length; i++) {
      out.push({ ...base, analysis: 'part-vs-whole', fraction, k, seedA: opts.seeds[i], seedB: null, cka: gram.partVsWhole(parts[i], variant) });
    }
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const cka = gram.subsetVsSubset(parts[i], parts[j], variant);
        out.push({ ...base, analysis: 'subset-vs-subset', fraction, k, seedA: opts.seeds[i], seedB: opts.seeds[j], cka });
      }
    }
  }
  return rowsToTable(out, ['model', 'dataset', 'selection', 'analysis', 'fraction', 'k', 'seedA', 'seedB', 'cka']);
}

/**
 * Mean CKA per (model, dataset, selection, analysis, fraction) over the pairs where it is defined: columns …, k,
 * ckaMean, ckaStd, pairs (defined), undefinedPairs (subsets constant on the rows, e.g. dead ReLUs).
 */
export function summariseCka(grid: aq.ColumnTable): aq.ColumnTable {
  const groups = new Map<string, { key: Record<string, unknown>; values: number[] }>();
  for (const r of grid.objects() as any[]) {
    const key = { model: r.model, dataset: r.dataset, selection: r.selection, analysis: r.analysis, fraction: r.fraction, k: r.k };
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, values: [] });
    groups.get(id)!.values.push(Number(r.cka));
  }
  const rows = [...groups.values()].map(({ key, values }) => {
    // A subset of neurons that are all constant on these rows (dead ReLUs) has undefined CKA (0/0): skip it.
    const finite = values.filter(Number.isFinite);
    const m = finite.length ? finite.reduce((s, v) => s + v, 0) / finite.length : NaN;
    const sd = finite.length ? Math.sqrt(finite.reduce((s, v) => s + (v - m) ** 2, 0) / finite.length) : NaN;
    return { ...key, ckaMean: m, ckaStd: sd, pairs: finite.length, undefinedPairs: values.length - finite.length };
  });
  return rowsToTable(rows, ['model', 'dataset', 'selection', 'analysis', 'fraction', 'k', 'ckaMean', 'ckaStd', 'pairs', 'undefinedPairs']);
}
