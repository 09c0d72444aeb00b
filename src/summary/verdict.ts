import type { Interval } from './intervals.js';

/** The three answers a claim can get. */
export type Answer = 'holds' | 'does-not-hold' | 'inconclusive';

/**
 * What a claim asserts about its effect: `greater` (effect > margin), `less` (effect < margin) or
 * `within` (|effect| ≤ margin, an equivalence claim).
 */
export interface ClaimRule {
  direction: 'greater' | 'less' | 'within';
  /** The margin in the effect's units (0 for a plain direction). */
  margin: number;
}

/**
 * The decision rule, on a 95% interval [lo, hi] of the effect:
 * - greater: holds if lo > margin; does not hold if hi < margin; otherwise inconclusive.
 * - less:    holds if hi < margin; does not hold if lo > margin; otherwise inconclusive.
 * - within:  holds if −margin ≤ lo and hi ≤ margin; does not hold if lo > margin or hi < −margin; otherwise inconclusive.
 * An answer thus changes from holds to does not hold only when the whole interval crosses the margin,
 * never on a decimal of the point estimate. A non-finite bound (too few replicates) gives inconclusive.
 */
export function decide(interval: Pick<Interval, 'lo' | 'hi'>, rule: ClaimRule): Answer {
  const { lo, hi } = interval;
  if (Number.isNaN(lo) || Number.isNaN(hi)) return 'inconclusive';
  const m = rule.margin;
  switch (rule.direction) {
    case 'greater': return lo > m ? 'holds' : hi < m ? 'does-not-hold' : 'inconclusive';
    case 'less': return hi < m ? 'holds' : lo > m ? 'does-not-hold' : 'inconclusive';
    case 'within': return lo >= -m && hi <= m ? 'holds' : lo > m || hi < -m ? 'does-not-hold' : 'inconclusive';
    default: throw new RangeError(`decide: unknown direction '${String((rule as ClaimRule).direction)}'`);
  }
}

/** The rule in words, e.g. "effect > 0" or "|effect| ≤ 0.1". */
export function ruleText(rule: ClaimRule): string {
  return rule.direction === 'within' ? `|effect| ≤ ${rule.margin}` : `effect ${rule.direction === 'greater' ? '>' : '<'} ${rule.margin}`;
}

/** What data a verdict rests on. */
export interface VerdictBasis {
  models: string[];
  tasks: string[];
  probe: string;
  /** Training / test rows of each task used (task → rows). */
  trainRows: Record<string, number>;
  testRows: Record<string, number>;
  seeds: number[];
}

/** One claim decided with uncertainty. */
export interface ClaimVerdict {
  claim: string;
  /** The paper's number for it, in words (empty when the paper gives none). */
  paper: string;
  /** What the effect is, e.g. "DR(0.9) adversarial − standard, mean over tasks". */
  effectName: string;
  effect: Interval;
  rule: ClaimRule;
  answer: Answer;
  /** For does-not-hold and inconclusive: a one-line reason drawn from the data. */
  diagnosis: string;
  basis: VerdictBasis;
}

/** Formats an interval as "0.123 [0.101, 0.140]". */
export function formatInterval(i: Pick<Interval, 'estimate' | 'lo' | 'hi'>, digits = 3): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? '∞' : v === -Infinity ? '−∞' : 'undefined');
  return `${f(i.estimate)} [${f(i.lo)}, ${f(i.hi)}]`;
}

/** Counts of each answer. */
export function countAnswers(verdicts: ReadonlyArray<{ answer: Answer }>): Record<Answer, number> {
  const c: Record<Answer, number> = { holds: 0, 'does-not-hold': 0, inconclusive: 0 };
  for (const v of verdicts) c[v.answer]++;
  return c;
}
