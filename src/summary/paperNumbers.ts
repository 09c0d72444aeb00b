import * as aq from 'arquero';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../util/paths.js';
import { UsageError } from '../util/errors.js';

/** The paper's published numbers shipped in `data/paper/` (docs/experiments.md). */
export const PAPER_NUMBER_FILES = {
  fig1: 'fig1_resnet50_random_subsets.csv',
  vitS16In21k: 'vit_s16_imagenet21k_random_subsets.csv',
  table1: 'table1_dr_delta_0.9.csv',
  ckaSubsetVsSubset: 'cka_subset_vs_subset_resnet50.csv',
  ckaPartVsWhole: 'cka_part_vs_whole_resnet50.csv',
  imagenetPlaces: 'imagenet_places_resnet50.csv',
} as const;

/** Name of one of the paper's number files (keys of {@link PAPER_NUMBER_FILES}). */
export type PaperNumbersName = keyof typeof PAPER_NUMBER_FILES;

/**
 * Loads one of the paper's CSV files as an arquero table with the file's own column names
 * (e.g. fig1: model, pretraining, downstream, fraction, neurons, accuracy_mean, accuracy_std, runs).
 * Numeric columns are parsed as numbers; empty cells become null. `dir` defaults to `data/paper/`.
 * @example
 * ```ts
 * const fig1 = loadPaperNumbers('fig1'); // the paper's published values, as an arquero table
 * ```
 */
export function loadPaperNumbers(name: PaperNumbersName, dir: string = join(dataDir(), 'paper')): aq.ColumnTable {
  const file = PAPER_NUMBER_FILES[name];
  if (!file) throw new UsageError(`loadPaperNumbers: unknown name '${String(name)}' (known: ${Object.keys(PAPER_NUMBER_FILES).join(', ')})`);
  const path = join(dir, file);
  if (!existsSync(path)) throw new UsageError(`loadPaperNumbers: ${path} not found (the paper's numbers ship in data/paper/)`);
  return aq.fromCSV(readFileSync(path, 'utf8'));
}
