import * as aq from 'arquero';
import { concatTables } from './common.js';
import { escapeHtml } from './html.js';
import { deadUnitsByModel } from '../summary/deadUnits.js';
import { countAnswers, formatInterval, type Answer } from '../summary/verdict.js';
import type { ExperimentOutput, ExperimentVerdict } from './types.js';

const WORD: Record<Answer, string> = {
  holds: '<span class="yes">holds</span>',
  'does-not-hold': '<span class="no">does not hold</span>',
  inconclusive: '<span class="undecided">inconclusive</span>',
};

/** The answer of a verdict as coloured HTML. */
export function answerHtml(answer: Answer): string {
  return WORD[answer];
}

/** What a verdict rests on, compactly: models, tasks, probe, train/test rows, seeds. */
export function basisText(v: ExperimentVerdict): string {
  const b = v.basis;
  const rows = b.tasks.map((t) => `${t} ${b.trainRows[t] ?? '–'}/${b.testRows[t] ?? '–'}`).join(', ');
  const seeds = b.seeds.length ? (b.seeds.length > 3 ? `${b.seeds.length} seeds (${b.seeds[0]}…${b.seeds[b.seeds.length - 1]})` : `seeds ${b.seeds.join(', ')}`) : 'no seeds';
  return `${b.models.join(', ')}; ${b.probe}; rows train/test: ${rows}; ${seeds}`;
}

/**
 * The report's first-screen table: one row per claim (experiment, claim, the paper's number, ours with its
 * 95% interval, the answer, a diagnosis drawn from the data, the basis), preceded by the answer counts.
 */
export function claimsTableHtml(outputs: readonly ExperimentOutput[]): string {
  const all = outputs.flatMap((o) => o.verdicts.map((v) => ({ id: o.id, v })));
  const c = countAnswers(all.map((x) => x.v));
  const rows = all.map(({ id, v }) => `<tr><td><a href="#${id}">${id}</a></td><td>${escapeHtml(v.claim)}</td><td>${escapeHtml(v.paper || '—')}</td>` +
    `<td>${escapeHtml(v.effectName)}: <b>${escapeHtml(formatInterval(v.effect))}</b></td><td>${answerHtml(v.answer)}</td>` +
    `<td>${escapeHtml(v.diagnosis)}</td><td class="note">${escapeHtml(basisText(v))}</td></tr>`);
  return [
    `<h2>Claims</h2><p>${c.holds} claims hold, ${c['does-not-hold']} do not hold, ${c.inconclusive} are inconclusive. ` +
    'Each effect has a 95% interval (percentile bootstrap over seeds and test rows, paired across models on the same rows; t interval over seeds for CKA). ' +
    'A claim <i>holds</i> when the whole interval lies beyond its margin, <i>does not hold</i> when the whole interval lies on the other side, and is <i>inconclusive</i> otherwise; each claim is counted once.</p>',
    `<table><tr><th>exp.</th><th>claim</th><th>paper</th><th>ours [95% interval]</th><th>answer</th><th>diagnosis</th><th>basis</th></tr>${rows.join('\n')}</table>`,
  ].join('\n');
}

/**
 * Dead and near-constant units per model (rows, most dead first) and task (columns: share of the layer's
 * units, training split), from the experiments' sweep results, as an HTML table.
 */
export function deadUnitsHtml(outputs: readonly ExperimentOutput[]): string {
  const results = outputs.map((o) => o.tables.results).filter((t) => t && t.numRows() > 0);
  if (!results.length) return '';
  const perTask = deadUnitsByModel(concatTables(results));
  if (!perTask.numRows()) return '';
  const tasks = [...new Set(perTask.array('dataset') as string[])];
  const wide = perTask.groupby('model', 'd').pivot('dataset', 'deadShare')
    .derive({ worst: aq.escape((r: any) => Math.max(...tasks.map((t) => (Number.isFinite(r[t]) ? r[t] : 0)))) })
    .orderby(aq.desc('worst'), 'model');
  const pct = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–');
  const body = (wide.objects() as any[]).map((r) => `<tr><td>${escapeHtml(String(r.model))}</td><td>${r.d}</td>${tasks.map((t) => `<td>${pct(r[t])}</td>`).join('')}</tr>`);
  return `<h3>Dead units of each layer (training split)</h3><p class="note">Share of the layer's units that are zero-variance (identical on every training row) or near-constant (std ≤ 1e-6 × the layer's largest, or one value on ≥ 99.9% of rows): a probe cannot use them. Counts per task are in the sweep results (columns deadUnits, nearConstantUnits).</p>` +
    `<table><tr><th>model</th><th>d</th>${tasks.map((t) => `<th>${escapeHtml(t)}</th>`).join('')}</tr>${body.join('\n')}</table>`;
}
