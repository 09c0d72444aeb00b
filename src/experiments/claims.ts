import type * as aq from 'arquero';
import { OutcomeSet, bootstrapInterval, type ReplicateView } from '../summary/bootstrap.js';
import { deadUnitStats } from '../summary/deadUnits.js';
import { drInterpolated } from '../summary/dr.js';
import type { Interval } from '../summary/intervals.js';
import { decide, formatInterval, ruleText, type ClaimRule, type ClaimVerdict, type VerdictBasis } from '../summary/verdict.js';
import type { ExperimentContext, ExperimentVerdict } from './types.js';

/** A layer counts as noticeably dead above this share of dead or near-constant units (the issue's target is ≤ 2%). */
export const DEAD_SHARE_WARNING = 0.02;

/** What a claim needs to know about one model on one task: rows, seeds and its dead units. */
export interface SeriesFacts {
  trainRows: number;
  testRows: number;
  /** Dead (zero-variance or near-constant) share of the training split's units. */
  deadShare: number;
}

/** Probe outcomes of an experiment, ready for bootstrap intervals, with the facts of every (model, task). */
export interface ClaimData {
  set: OutcomeSet;
  facts: Map<string, SeriesFacts>;
  probe: string;
  /** Bootstrap replicates per claim. */
  replicates: number;
}

const factKey = (model: string, task: string) => `${model}|${task}`;

/** Splits a results `model` label `name@layer` (E10's intermediate layers) into model and layer. */
function modelAndLayer(label: string): { model: string; layer?: string } {
  const at = label.indexOf('@');
  return at < 0 ? { model: label } : { model: label.slice(0, at), layer: label.slice(at + 1) };
}

/**
 * Loads the test labels and facts of every (model, task) in `results` from the context's source and wraps
 * the results for resampling. Replicates: 400 in quick runs, 2000 otherwise.
 */
export async function claimData(ctx: ExperimentContext, results: aq.ColumnTable): Promise<ClaimData> {
  const labels = new Map<string, Int32Array>();
  const facts = new Map<string, SeriesFacts>();
  const pairs = new Set((results.objects() as any[]).map((r) => factKey(String(r.model), String(r.dataset))));
  for (const key of pairs) {
    const [label, task] = key.split('|');
    const { model, layer } = modelAndLayer(label);
    const { train, test } = await ctx.source.splits(model, task, { layer });
    labels.set(key, test.labels);
    facts.set(key, { trainRows: train.features.n, testRows: test.features.n, deadShare: deadUnitStats(train.features).deadShare });
  }
  return {
    set: new OutcomeSet(results, (m, t) => labels.get(factKey(m, t)) ?? null),
    facts, probe: ctx.grid.probe, replicates: ctx.quick ? 400 : 2000,
  };
}

/** What a claim is, before it is measured. */
export interface ClaimSpec {
  claim: string;
  /** The paper's number, in words ('' when none). */
  paper: string;
  /** The effect measured, in words. */
  effectName: string;
  rule: ClaimRule;
  /** Models and tasks the effect uses (for the basis and the dead-unit diagnosis). */
  models: string[];
  tasks: string[];
}

/** The interpolated DR(δ) of a series in a replicate. */
export function drOfView(v: ReplicateView, model: string, task: string, selection = 'random', delta = 0.9): number {
  return drInterpolated(v.curve(model, task, selection), delta).dr;
}

/**
 * A one-line reason for an answer drawn from the data: dead layers among the models used, and where the
 * interval lies relative to the margin (empty for a clean "holds").
 */
export function diagnose(answer: ClaimVerdict['answer'], effect: Interval, rule: ClaimRule, dead: Array<{ model: string; share: number }>): string {
  const parts: string[] = [];
  const deadOnes = dead.filter((x) => x.share > DEAD_SHARE_WARNING).sort((a, b) => b.share - a.share);
  if (deadOnes.length) {
    const named = deadOnes.slice(0, 3).map((x) => `${x.model} layer ${(100 * x.share).toFixed(0)}% dead`).join(', ');
    parts.push(deadOnes.length > 3 ? `${named} (+${deadOnes.length - 3} more models over ${100 * DEAD_SHARE_WARNING}% dead)` : named);
  }
  if (!Number.isFinite(effect.lo) || !Number.isFinite(effect.hi)) parts.push('effect undefined on too many resamples or too few seeds');
  else if (answer === 'inconclusive') parts.push(`interval [${effect.lo.toFixed(3)}, ${effect.hi.toFixed(3)}] ${rule.direction === 'within' ? `crosses ±${rule.margin}` : `contains the margin ${rule.margin}`}: within seed / test-row noise`);
  else if (answer === 'does-not-hold') {
    const m = rule.margin;
    parts.push(rule.direction === 'greater' ? `whole interval below ${m}` : rule.direction === 'less' ? `whole interval above ${m}` : `whole interval outside ±${m}`);
  }
  return parts.join('; ');
}

/** Builds a verdict from a measured interval (bootstrap or t interval). */
export function verdictFromInterval(spec: ClaimSpec, effect: Interval, basis: VerdictBasis, dead: Array<{ model: string; share: number }>, detail = ''): ExperimentVerdict {
  const answer = decide(effect, spec.rule);
  const diagnosis = diagnose(answer, effect, spec.rule, dead);
  const measured = `${spec.effectName}: ${formatInterval(effect)} (95%, ${effect.method}); holds if the whole interval satisfies ${ruleText(spec.rule)}`;
  return {
    ...spec, effect, answer, diagnosis, basis,
    holds: answer === 'holds' ? true : answer === 'does-not-hold' ? false : null,
    detail: detail ? `${measured}; ${detail}` : measured,
  };
}

function basisOf(data: ClaimData, spec: ClaimSpec, seeds: number[]): VerdictBasis {
  const trainRows: Record<string, number> = {};
  const testRows: Record<string, number> = {};
  for (const t of spec.tasks) {
    const f = spec.models.map((m) => data.facts.get(factKey(m, t))).find(Boolean);
    if (f) { trainRows[t] = f.trainRows; testRows[t] = f.testRows; }
  }
  return { models: spec.models, tasks: spec.tasks, probe: data.probe, trainRows, testRows, seeds };
}

/** Dead shares of the spec's models (largest over its tasks). */
export function deadShares(data: Pick<ClaimData, 'facts'>, models: readonly string[], tasks: readonly string[]): Array<{ model: string; share: number }> {
  return models.map((model) => ({ model, share: Math.max(0, ...tasks.map((t) => data.facts.get(factKey(model, t))?.deadShare ?? 0)) }));
}

/**
 * Decides a claim whose effect is a statistic of probe outcomes: percentile-bootstrap 95% interval over
 * seeds and test rows (paired across models scored on the same rows), then {@link decide}.
 * `detail` (optional) adds observed numbers to the verdict's text.
 */
export function bootstrapClaim(data: ClaimData, spec: ClaimSpec, statistic: (v: ReplicateView) => number, detail?: (v: ReplicateView) => string): ExperimentVerdict {
  const effect = bootstrapInterval(data.set, statistic, { replicates: data.replicates, seed: 1 });
  return verdictFromInterval(spec, effect, basisOf(data, spec, data.set.seeds()), deadShares(data, spec.models, spec.tasks), detail ? detail(data.set.observed()) : '');
}

/** Mean of `values`; NaN when there are none or any is not finite (an undefined part makes the whole undefined). */
export function meanOf(values: readonly number[]): number {
  const f = values.filter(Number.isFinite);
  return f.length === values.length && f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
}

/**
 * Notes naming the CKA cells left out because a subset was constant on the rows (dead units make CKA 0/0),
 * from a summariseCka table (columns model, selection, mode, k, pairs, undefinedPairs).
 */
export function undefinedCkaNotes(summary: aq.ColumnTable): string[] {
  return (summary.objects() as any[]).filter((r) => Number(r.undefinedPairs) > 0).map((r) =>
    `${r.model} ${r.selection} k = ${r.k} (${r.mode}): CKA undefined for ${r.undefinedPairs} of ${Number(r.pairs) + Number(r.undefinedPairs)} subsets or pairs ` +
    '(a subset whose neurons are all constant on these rows: dead units); the mean is over the rest');
}
