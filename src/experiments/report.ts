import type * as aq from 'arquero';
import { escapeHtml, figureDiv, htmlPage } from './html.js';
import type { ExperimentOutput } from './types.js';
import { cellText, type CellTextOptions } from '../util/cellText.js';
import { answerHtml, basisText, claimsTableHtml, deadUnitsHtml } from './claimsTable.js';

/** Facts about the run printed at the top of the report. */
export interface ReportInfo {
  title?: string;
  /** One sentence on where the features came from. */
  source: string;
  sourceKind: 'zoo' | 'synthetic';
  probe: string;
  seeds: number[];
  fractions: number[];
  quick: boolean;
  seconds: number;
  startedAt: string;
  machine: string;
  /** Notes of the feature source (missing data…). */
  sourceNotes: string[];
  /** Experiments that failed, with the error message. */
  failures: Array<{ id: string; error: string }>;
  /** Relative links to each experiment's files, by id. */
  files: Record<string, string[]>;
  /** Model names of real pre-trained networks in this run (claims naming them were measured on real weights). */
  realModels?: string[];
}

/** Which network a verdict was measured on: real when its claim names a real model, both when only its numbers do, else the run's source kind. */
function networkOf(v: { claim: string; detail: string }, info: ReportInfo): string {
  const names = (text: string) => (info.realModels ?? []).some((m) => text.includes(m));
  if (names(v.claim)) return 'real network';
  if (names(v.detail)) return 'real network and zoo together';
  return info.sourceKind === 'synthetic' ? 'synthetic' : 'zoo';
}

/** First-screen paragraph: which claims hold on the real networks and which on the zoo. */
function networksSummary(outputs: readonly ExperimentOutput[], info: ReportInfo): string {
  if (!info.realModels?.length) return '';
  const rows = outputs.flatMap((o) => o.verdicts.map((v) => ({ id: o.id, v, net: networkOf(v, info) })));
  const line = (net: string) => {
    const mine = rows.filter((r) => r.net === net);
    const yes = mine.filter((r) => r.v.answer === 'holds').length;
    const no = mine.filter((r) => r.v.answer === 'does-not-hold').length;
    return `<li><b>${net}</b>: ${yes} hold, ${no} do not hold, ${mine.length - yes - no} inconclusive (${[...new Set(mine.map((r) => r.id))].join(', ') || 'none'})</li>`;
  };
  const real = rows.filter((r) => r.net === 'real network').map((r) => `<tr><td>${r.id}</td><td>${escapeHtml(r.v.claim)}</td><td>${answerHtml(r.v.answer)}</td><td>${escapeHtml(r.v.detail)}</td></tr>`);
  return [
    `<p class="claim"><b>Which network.</b> Real pre-trained networks: ${info.realModels.map((m) => `<code>${escapeHtml(m)}</code>`).join(', ')} (ImageNet-initialised MobileNetV2s fine-tuned on image moderation, from nsfwjs); the factors that need training (adversarial, Matryoshka, dropout/DeCov, pre-training data, architectures) use the miniature zoo. A claim naming a real model was measured on it; a claim whose numbers name one compares real and zoo models together; every other claim was measured on the zoo. <code>networks.csv</code> maps each model name in the tables to its network.</p>`,
    `<ul>${line('real network')}${line('zoo')}${line('real network and zoo together')}</ul>`,
    real.length ? `<table><tr><th>exp.</th><th>claim on the real network</th><th>verdict</th><th>measured</th></tr>${real.join('\n')}</table>` : '',
  ].join('\n');
}


/** Report tables: four decimals, n/a for undefined numbers, lists by their length. */
const REPORT_CELLS: CellTextOptions = { numbers: 'fixed', digits: 4, nonFinite: 'n/a', lists: 'length' };

/** An HTML table of up to `limit` rows of `table` (columns in table order). */
export function htmlTable(table: aq.ColumnTable, limit = 40): string {
  const names = table.columnNames();
  const rows = (table.objects({ limit }) as Record<string, unknown>[]);
  const head = `<tr>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${names.map((n) => `<td>${escapeHtml(cellText(r[n], REPORT_CELLS))}</td>`).join('')}</tr>`).join('\n');
  const more = table.numRows() > limit ? `<p class="note">… ${table.numRows() - limit} more rows in the CSV file.</p>` : '';
  return `<table>${head}\n${body}</table>${more}`;
}

/** The measured-number tables shown inline for an experiment (others are linked). */
function keyTables(out: ExperimentOutput): Array<[string, aq.ColumnTable]> {
  const picks: Array<[string, aq.ColumnTable]> = [];
  const t = out.tables;
  if (t.table1) picks.push(['DR(0.9) per model and task (our Table 1; dr_* = nearest-grid, drInterp_* = interpolated)', t.table1]);
  else if (t.dr && t.dr.numRows()) {
    picks.push(['DR(0.9)', t.dr.filter((d: any) => Math.abs(d.delta - 0.9) < 1e-9).select('model', 'dataset', 'selection', 'estimator', 'dr', 'fraction', 'fullAccuracy')]);
  }
  if (t.ckaSummary) picks.push(['Mean CKA per fraction', t.ckaSummary]);
  if (t.fairness) picks.push(['Fairness summary (Gini, max−min, CV of per-class accuracy)', t.fairness]);
  return picks;
}

/**
 * The one-page report: run facts, a summary of every verdict, then one section per experiment
 * (the paper's claim, our verdicts with the numbers behind them, the figures, key tables, notes,
 * links to every table and figure file). Loads plotly.js from the `plotly.min.js` beside it (the results folder's one shared copy).
 */
export function renderReport(outputs: readonly ExperimentOutput[], info: ReportInfo): string {
  const title = info.title ?? 'Diffused redundancy in miniature: reproduction report';
  let fig = 0;
  const sections = outputs.map((o) => [
    `<h2 id="${o.id}">${o.id}: ${escapeHtml(o.title)}</h2>`,
    `<p class="claim"><b>The paper:</b> ${escapeHtml(o.paperClaim)}</p>`,
    `<h3>Does it hold here?</h3>`,
    o.verdicts.length
      ? `<table><tr><th>claim</th><th>answer</th><th>measured</th><th>diagnosis</th><th>basis</th></tr>${o.verdicts.map((v) => `<tr><td>${escapeHtml(v.claim)}</td><td>${answerHtml(v.answer)}</td><td>${escapeHtml(v.detail)}</td><td>${escapeHtml(v.diagnosis)}</td><td>${escapeHtml(basisText(v))}</td></tr>`).join('\n')}</table>`
      : '<p class="note">No verdict could be computed in this run (see the notes).</p>',
    ...o.figures.map((f) => `<p class="note">${escapeHtml(f.caption)}</p>\n${figureDiv(`fig${fig++}`, f.spec)}`),
    ...keyTables(o).map(([caption, t]) => `<h4>${escapeHtml(caption)}</h4>\n${htmlTable(t)}`),
    o.notes.length ? `<ul class="note">${o.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '',
    info.files[o.id]?.length ? `<p class="note">Files: ${info.files[o.id].map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(', ')}</p>` : '',
    `<p class="note">Computed in ${o.seconds.toFixed(1)} s.</p>`,
  ].join('\n'));
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Features: ${escapeHtml(info.source)}. Probe: <b>${escapeHtml(info.probe)}</b> on cached features; seeds ${info.seeds.join(', ')}; fractions ${info.fractions.join(', ')} and the full layer. ${info.quick ? 'Quick run (<code>--quick</code>): small image subsets and a reduced grid.' : 'Full run.'} Started ${escapeHtml(info.startedAt)}; took ${info.seconds.toFixed(0)} s on ${escapeHtml(info.machine)}.</p>`,
    networksSummary(outputs, info),
    info.sourceKind === 'synthetic' ? '<p class="claim"><b>Synthetic features.</b> No trained zoo was found, so the experiments ran on synthetic stand-ins: the verdicts below test the pipeline, not the paper.</p>' : '',
    'DR(δ) uses two estimators: <i>nearest</i> (the authors\': the tested fraction whose accuracy ratio to the full layer is closest to δ) and <i>interpolated</i> (the smallest fraction whose ratio reaches δ, linearly interpolated). Verdicts use the interpolated one, which is not quantised to the grid; both are in the tables.',
    ...info.sourceNotes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    ...info.failures.map((f) => `<p class="no">${escapeHtml(f.id)} failed: ${escapeHtml(f.error)}</p>`),
    claimsTableHtml(outputs),
    deadUnitsHtml(outputs),
    ...sections,
  ].join('\n');
  return htmlPage(title, body);
}
