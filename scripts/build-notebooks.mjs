#!/usr/bin/env node
// Writes notebooks/NN-*.ipynb (outputs cleared) from the cell sources below, so the notebooks stay
// reviewable as text. Run `node scripts/build-notebooks.mjs` after editing; commit the .ipynb files.
// tslab caveat kept in every cell: never use object shorthand (`{ quick }`) for a variable declared
// in an earlier cell; tslab 1.0.22 fails to rewrite it (ReferenceError). Write `{ quick: quick }`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const md = (s) => ({ kind: 'markdown', text: s.trim() });
const code = (s) => ({ kind: 'code', text: s.trim() });

const PARAMS = (extra = '') => code(`
// Parameters (this notebook's title and claim are in the next cell): edit and re-run the notebook. The defaults use the embedded miniature zoo (data/models/),
// run offline, and finish in a few minutes; quick = false uses the paper's 21-fraction grid, 5 seeds
// and softmax probes (much slower).
const sourceKind: 'zoo' | 'synthetic' = 'zoo';
const quick = true;
const fractions: number[] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8];
const seeds: number[] = [1, 2, 3];
${extra}`);

const SETUP = code(`
import * as dr from '../dist/src/index.js';
import { join } from 'node:path';
// Features come from the zoo models (extracted once into data/cache/) or from synthetic stand-ins.
const source = sourceKind === 'synthetic' ? dr.syntheticFeatureSource() : await dr.zooFeatureSource({ quick: quick });
const ctx: dr.ExperimentContext = {
  source: source,
  quick: quick,
  grid: { ...dr.defaultGrid(quick), fractions: fractions, seeds: seeds },
  linalg: await dr.defaultLinalg(),
  // Sweep results are cached here and shared by all notebooks (resumed, never recomputed).
  workDir: join(dr.packageRoot(), 'results', 'notebooks', 'work'),
  progress: false,
  log: (line: string) => console.log(line),
};
console.log(source.description);`);

const notebooks = [
  {
    file: '00-quick-start.ipynb',
    cells: [
      md(`
# 00 · Quick start: diffused redundancy in five cells

**The paper's claim** (Nanda et al., NeurIPS 2023): in a pre-trained network, a *random* 20% of the
penultimate-layer neurons carries almost everything the whole layer offers a linear probe. ResNet50 on
CIFAR10: 0.832 with 20% of the neurons against 0.891 with all 2048.

Here the same experiment runs on the miniature zoo's standard CNN (\`resnet\`), probed on MNIST digits.
**Look at** the accuracy at fraction 0.2 against the full layer (fraction 1), and how quickly the curve rises.`),
      code(`
// Parameters: the zoo model and task, the fractions of neurons and the seeds of the random subsets.
const model = 'resnet';
const task = 'digits';
const quick = true;
const fractions: number[] = [0.01, 0.05, 0.2, 0.5];
const seeds: number[] = [1, 2, 3];`),
      code(`
import * as dr from '../dist/src/index.js';
// Extract the penultimate features of the model on the task once (cached in data/cache/).
const source = await dr.zooFeatureSource({ quick: quick });
const splits = await source.splits(model, task);
console.log(\`train \${splits.train.features.n}×\${splits.train.features.d}, test \${splits.test.features.n}×\${splits.test.features.d}\`);`),
      code(`
// Linear probes on random neuron subsets (every fraction × seed) and on the whole layer.
const sweep = await dr.runSweep({ train: splits.train, test: splits.test, fractions: fractions, seeds: seeds, model: model, dataset: task, progress: false });
dr.showTable(dr.accuracyCurves(sweep.results));`),
      code(`dr.showFigure(dr.accuracyVsFractionFigure(sweep.results, { title: \`\${model} on \${task}: random neurons vs the whole layer\` }));`),
      md(`
Each point is the mean test accuracy of probes on a random subset of that fraction of neurons (band:
± std over seeds). Continue with **01** to see what the cached features are, and **02** for the full
Fig. 1 comparison with the paper's numbers.`),
    ],
  },
  {
    file: '01-features-and-cache.ipynb',
    cells: [
      md(`
# 01 · Features and the Arrow feature cache

Every analysis in the paper runs on the penultimate-layer activations ("features") of a frozen network.
This package extracts them once per (model, weights, layer, dataset, split, preprocessing) into an Arrow
IPC file under \`data/cache/\`; the file name is a hash of that key, so a second extraction is a cache hit.
**Look at** the metadata (what produced the file), the label view, and the \`hit\` flag of the second call.`),
      code(`
// Parameters: which zoo model, dataset split and how many images to extract.
const model = 'resnet';
const dataset = 'mnist-digits';
const split = 'test';
const limit = 500;`),
      code(`
import * as dr from '../dist/src/index.js';
const first = await dr.extractFeaturesDetailed({ model: model, dataset: dataset, split: split, limit: limit, progress: () => {} });
dr.showTable([first], { columns: ['path', 'hit', 'modelId', 'layer', 'n', 'd', 'seconds', 'backend'] });`),
      code(`
// What is in the file: an n×d float32 matrix, labels, source row indices and JSON metadata.
const cache = await dr.readFeatureCache(first.path);
dr.showTable(dr.cacheMetaTable(cache.meta), { limit: 40 });`),
      code(`
// arquero views of the cache: one row per image, then counts per class.
const rows = dr.cacheTable(cache);
dr.showTable(rows, { limit: 8 });
dr.showTable(rows.groupby('label').count().orderby('label'), { caption: 'images per label' });`),
      code(`
// Reuse: the same request again is a cache hit (nothing recomputed).
const second = await dr.extractFeaturesDetailed({ model: model, dataset: dataset, split: split, limit: limit, progress: () => {} });
dr.showTable([second], { columns: ['hit', 'seconds', 'path'] });`),
      code(`
// Every public entry point resolves (types checked by tslab's TypeScript before this cell runs).
const exported: string[] = Object.keys(dr).sort();
console.log(\`\${exported.length} public exports, package version \${dr.PACKAGE_VERSION}\`);`),
    ],
  },
  {
    file: '02-random-subsets-vs-whole-layer.ipynb',
    cells: [
      md(`
# 02 · E1: random subsets vs the whole layer, standard vs adversarial pre-training (Fig. 1 a–d)

**The paper's claims.** (1) A random 20% of ResNet50's penultimate neurons nearly matches the whole layer
(CIFAR10: 0.832 vs 0.891). (2) Adversarially trained (L2, ε = 3) models have *more* diffused redundancy.
(3) How many neurons are needed depends on the downstream task (Flowers102 needs the most).

Here: the zoo's standard CNN (\`resnet\`) and its adversarially trained twin (\`resnet-l2\`), probed on
digits (standing for CIFAR10), digits with 10 images per class (standing for the low-data Flowers102)
and Fashion-MNIST. The paper's own Fig. 1 numbers (\`data/paper/\`) are overlaid as dashed lines: compare
shapes, not levels (different models and tasks). **Look at** where each curve reaches ~90% of its right end.`),
      PARAMS(`// The paper's downstream set drawn beside each of our tasks.
const paperTaskFor: Record<string, string> = { digits: 'cifar10', 'digits-10shot': 'flowers102' };`),
      SETUP,
      code(`
const e1 = await dr.experimentE1(ctx);
dr.showExperimentSummary(e1);`),
      code(`
const paperFig1 = dr.loadPaperNumbers('fig1');
for (const task of [...new Set(e1.tables.curves.array('dataset') as string[])]) {
  const paperTask = paperTaskFor[task];
  dr.showFigure(dr.accuracyVsFractionFigure(e1.tables.curves, {
    where: { dataset: task }, title: \`E1: \${task}\${paperTask ? \` (dashed: paper, ResNet50 on \${paperTask})\` : ''}\`,
    paper: paperTask ? { rows: paperFig1, where: { downstream: paperTask } } : undefined,
  }));
}`),
      md(`
**DR(δ)**: 1 − the fraction of neurons needed to reach δ × the full layer's accuracy. Solid: the interpolated
estimator; dashed: the authors' nearest-grid estimator; dotted: the paper's ResNet50 (from Fig. 1 numbers).
A curve further up means more diffused redundancy.`),
      code(`
for (const task of [...new Set(e1.tables.dr.array('dataset') as string[])]) {
  const paperTask = paperTaskFor[task];
  dr.showFigure(dr.drCurveFigure(e1.tables.dr, {
    where: { dataset: task }, title: \`E1: DR(δ), \${task}\`,
    paper: paperTask ? { rows: e1.tables.paperDr, where: { downstream: paperTask, estimator: 'nearest' } } : undefined,
  }));
}`),
    ],
  },
  {
    file: '03-diffused-redundancy-dr-delta.ipynb',
    cells: [
      md(`
# 03 · DR(δ): the two estimators, δ sweeps, and Table 1

The paper's measure: with mean accuracies a(f) over seeds at tested fractions f and the full layer a(1),
DR(δ) = 1 − f_j where f_j is the tested fraction whose ratio a(f)/a(1) is *closest* to δ. That reading is
quantised to the grid; the **interpolated** estimator (smallest f whose ratio reaches δ, linear between
grid points) is offered beside it. Table 1 of the paper reports DR(0.9) per model and dataset.
**Look at** how far apart the two estimators are on a coarse grid, and the ranking of models in Table 1.`),
      PARAMS(),
      SETUP,
      code(`
const e1 = await dr.experimentE1(ctx);
const curves = e1.tables.curves;
dr.showTable(dr.drFromCurves(curves, { deltas: [0.5, 0.8, 0.9, 0.95], estimator: ['nearest', 'interpolated'] }), {
  columns: ['model', 'dataset', 'delta', 'estimator', 'dr', 'fraction', 'ratio', 'clamped'], limit: 48,
});`),
      code(`
// The paper's δ sweep: 0..0.8 in 20 steps, then 0.8..1 in 10.
const sweepDr = dr.drFromCurves(curves, { deltas: dr.paperDeltaSweep(), estimator: ['nearest', 'interpolated'] });
for (const task of [...new Set(sweepDr.array('dataset') as string[])]) {
  dr.showFigure(dr.drCurveFigure(sweepDr, { where: { dataset: task }, title: \`DR(δ) over the paper's δ sweep, \${task}\` }));
}`),
      code(`
// The high-δ end, where the estimators differ most: 0.75..1 in 20 steps.
const highDr = dr.drFromCurves(curves, { deltas: dr.highDeltaSweep(20), estimator: ['nearest', 'interpolated'] });
dr.showFigure(dr.drCurveFigure(highDr, { where: { dataset: 'digits' }, title: 'DR(δ) for δ in [0.75, 1], digits' }));`),
      md(`
**Table 1.** Ours (DR(0.9) per zoo model and task, nearest-grid \`dr_*\` and interpolated \`drInterp_*\`)
beside the paper's (ImageNet models; CIFAR10, CIFAR100, Flowers102, Oxford Pets).`),
      code(`
const e3 = await dr.experimentE3(ctx);
dr.showTable(e3.tables.table1, { caption: 'ours: DR(0.9)' });
dr.showTable(e3.tables.paperTable1, { caption: 'paper, Table 1: DR(0.9)' });`),
    ],
  },
  {
    file: '04-cka-part-vs-whole.ipynb',
    cells: [
      md(`
# 04 · E2: CKA, part vs whole and subset vs subset (Fig. 2, Fig. 9)

**The paper's claim.** Random subsets of the layer are *similar representations*: linear CKA between a
random subset and the whole layer climbs quickly with the subset size, and so does CKA between two
disjointly seeded random subsets of the same size. Dashed: the paper's ResNet50 numbers on CIFAR10.
**Look at** the subset size at which CKA passes ~0.9, and how the subset-vs-subset curve trails part-vs-whole.`),
      PARAMS(`const model = 'resnet';
const task = 'digits';`),
      SETUP,
      code(`
const e2 = await dr.experimentE2(ctx);
dr.showExperimentSummary(e2);
dr.showTable(e2.tables.ckaSummary, { limit: 16 });`),
      code(`
dr.showFigure(dr.ckaFigure(e2.tables.cka, {
  where: { analysis: 'part-vs-whole' }, title: 'CKA: random subset vs whole layer',
  paper: { rows: dr.loadPaperNumbers('ckaPartVsWhole'), where: { downstream: 'cifar10', selection: 'random' } },
}));
dr.showFigure(dr.ckaFigure(e2.tables.cka, {
  where: { analysis: 'subset-vs-subset' }, title: 'CKA: random subset vs random subset',
  paper: { rows: dr.loadPaperNumbers('ckaSubsetVsSubset'), where: { downstream: 'cifar10' } },
}));`),
      md(`The same analysis through the similarity API directly, on one model's test features (biased and debiased CKA):`),
      code(`
const splits = await source.splits(model, task);
const partWhole = await dr.ckaPartVsWhole(splits.test.features, { fractions: fractions, seeds: seeds, rows: 1000 });
const partWholeDebiased = await dr.ckaPartVsWhole(splits.test.features, { fractions: fractions, seeds: seeds, rows: 1000, variant: 'debiased' });
dr.showFigure(dr.ckaFigure(partWhole.concat(partWholeDebiased), { series: ['variant'], title: \`CKA part vs whole, \${model} on \${task}: linear vs debiased\` }));`),
    ],
  },
  {
    file: '05-architectures-and-pareto.ipynb',
    cells: [
      md(`
# 05 · E3: architectures, against fraction and against absolute neuron count; the Pareto frontier

**The paper's claim.** Diffused redundancy appears in every architecture (VGG16-BN, ResNet18/50, WRN50-2,
ViT-S/16, ViT-S/32), but the *fraction* needed differs; plotted against the *absolute* number of neurons,
curves of different widths line up more closely. The upper envelope across models (accuracy vs neurons)
is the task's redundancy–performance frontier.
**Look at** the two x axes (fraction vs k) and which models sit on the frontier (diamonds).`),
      PARAMS(),
      SETUP,
      code(`
const e3 = await dr.experimentE3(ctx);
dr.showExperimentSummary(e3);
dr.showTable(e3.tables.table1, { caption: 'DR(0.9) per model and task' });`),
      code(`
for (const task of [...new Set(e3.tables.curves.array('dataset') as string[])]) {
  dr.showFigure(dr.accuracyVsFractionFigure(e3.tables.curves, { where: { dataset: task }, series: ['model'], title: \`E3: \${task}, against the fraction of neurons\` }));
  dr.showFigure(dr.accuracyVsNeuronsFigure(e3.tables.curves, { where: { dataset: task }, series: ['model'], title: \`E3: \${task}, against the number of neurons\` }));
  dr.showFigure(dr.paretoFigure(e3.tables.curves, { where: { dataset: task }, title: \`E3: \${task}, Pareto frontier across models\` }));
}`),
    ],
  },
  {
    file: '06-pretraining-data.ipynb',
    cells: [
      md(`
# 06 · E4: pre-training data (more data, more classes)

**The paper's claim.** Pre-training on more data raises diffused redundancy: ViT-S/16 pre-trained on
ImageNet-21k needs a smaller fraction of its neurons than the same model pre-trained on ImageNet-1k.
Here: the zoo's \`resnet\` (all pre-training data, 10 classes) against \`resnet-data10\` (10% of the
images) and \`resnet-classes5\` (5 of the 10 classes).
**Look at** the DR(0.9) table and whether less data / fewer classes shifts the curve right.`),
      PARAMS(),
      SETUP,
      code(`
const e4 = await dr.experimentE4(ctx);
dr.showExperimentSummary(e4);
dr.showTable(e4.tables.dr, { where: { delta: 0.9 }, columns: ['model', 'dataset', 'estimator', 'dr', 'fraction', 'fullAccuracy'] });`),
      code(`
for (const task of [...new Set(e4.tables.curves.array('dataset') as string[])]) {
  dr.showFigure(dr.accuracyVsFractionFigure(e4.tables.curves, { where: { dataset: task }, series: ['model'], title: \`E4: \${task}\` }));
}`),
    ],
  },
  {
    file: '07-layer-width.ipynb',
    cells: [
      md(`
# 07 · E5: layer width (Fig. 5)

**The paper's claim.** Narrower layers have less diffused redundancy: ResNet50 variants whose penultimate
layer has 8 … 1024 neurons need a larger *fraction* of them to reach the same accuracy, while against the
absolute number of neurons the curves of wide layers overlap.
Here: the zoo's width family \`resnet-w8\` … \`resnet-w512\` (and \`resnet\`, width 128).
**Look at** the spread of the curves against k, and DR(0.9) rising with width.`),
      PARAMS(),
      SETUP,
      code(`
const e5 = await dr.experimentE5(ctx);
dr.showExperimentSummary(e5);
dr.showTable(e5.tables.dr, { where: { delta: 0.9, estimator: 'interpolated' }, columns: ['model', 'dataset', 'dr', 'fraction', 'fullAccuracy'], limit: 30 });`),
      code(`
for (const task of [...new Set(e5.tables.results.array('dataset') as string[])]) {
  dr.showFigure(dr.widthFigure(e5.tables.results, { where: { dataset: task }, title: \`E5: \${task}, accuracy vs neurons per layer width\` }));
}`),
    ],
  },
  {
    file: '08-matryoshka-first-vs-random.ipynb',
    cells: [
      md(`
# 08 · E6: Matryoshka representations, first-k vs random-k (Fig. 7)

**The paper's claim.** Matryoshka Representation Learning (MRL) trains the *first* k neurons to work on
their own, so first-k beats random-k at small k for the MRL model; yet random subsets of MRL's layer
still work well, and the standard / adversarial models show diffused redundancy without such training.
Here: the zoo's \`resnet-mrl\` (Matryoshka loss over nested prefixes) against \`resnet\` and \`resnet-l2\`.
**Look at** solid (first-k) vs dashed (random-k) lines of the same colour at small k.`),
      PARAMS(),
      SETUP,
      code(`
const e6 = await dr.experimentE6(ctx);
dr.showExperimentSummary(e6);`),
      code(`
for (const task of [...new Set(e6.tables.results.array('dataset') as string[])]) {
  dr.showFigure(dr.firstVsRandomFigure(e6.tables.results, { where: { dataset: task }, title: \`E6: \${task}, first-k (solid) vs random-k (dashed)\` }));
}
dr.showFigure(dr.ckaFigure(e6.tables.cka, {
  where: { analysis: 'part-vs-whole' }, x: 'k', series: ['model', 'selection'], title: 'E6: CKA of the first-k / random-k part vs the whole layer',
  paper: { rows: dr.loadPaperNumbers('ckaPartVsWhole'), where: { downstream: 'cifar10' }, series: ['model', 'pretraining', 'selection'] },
}));`),
    ],
  },
  {
    file: '09-pca-and-random-projections.ipynb',
    cells: [
      md(`
# 09 · E7: PCA top/bottom-k and random projections vs random neurons (appendix)

**The paper's claims.** Projecting onto the top-k principal directions beats k random neurons at small k
(PCA concentrates variance); the bottom-k directions do poorly; and the authors' random projection
(a d×d matrix of Uniform[0,1) entries, columns normalised) does poorly too, because its non-negative
entries make the projected coordinates strongly correlated. A Gaussian random projection is shown beside it.
**Look at** the ordering of the curves at small fractions.`),
      PARAMS(),
      SETUP,
      code(`
const e7 = await dr.experimentE7(ctx);
dr.showExperimentSummary(e7);`),
      code(`
for (const task of [...new Set(e7.tables.results.array('dataset') as string[])]) {
  dr.showFigure(dr.selectionComparisonFigure(e7.tables.results, { where: { dataset: task }, title: \`E7: \${task}, selections compared\` }));
}`),
    ],
  },
  {
    file: '10-fairness-per-class.ipynb',
    cells: [
      md(`
# 10 · E8: fairness, per-class accuracy and Gini vs accuracy

**The paper's claim.** Dropping neurons does not cost all classes equally: as accuracy falls, the Gini
coefficient of the per-class accuracies rises (≈0.03 near full accuracy to ≈0.5–0.64 at low accuracy), and
at equal overall accuracy different models fall on a roughly common curve.
**Look at** which classes fade first in the heatmaps, and whether the Gini curves of the models overlap.`),
      PARAMS(`// Models shown side by side in the per-class heatmaps.
const heatmapModels: string[] = ['resnet', 'resnet-l2'];`),
      SETUP,
      code(`
const e8 = await dr.experimentE8(ctx);
dr.showExperimentSummary(e8);`),
      code(`
for (const task of [...new Set(e8.tables.perClass.array('dataset') as string[])]) {
  dr.showFigure(dr.perClassHeatmapFigure(e8.tables.perClass, { where: { dataset: task, model: heatmapModels }, panels: ['model'], title: \`E8: per-class accuracy, \${task}\` }));
  dr.showFigure(dr.giniVsAccuracyFigure(e8.tables.fairness, { where: { dataset: task }, series: ['model'], title: \`E8: Gini vs accuracy, \${task}\` }));
}`),
    ],
  },
  {
    file: '11-regularisers-dropout-decov.ipynb',
    cells: [
      md(`
# 11 · E11: pre-training regularisers, dropout and DeCov (appendix)

**The paper's question.** Is diffused redundancy a by-product of regularisation? Dropout (rate 0.1 … 0.8)
on the penultimate layer should *encourage* redundancy; DeCov (a penalty on the off-diagonal covariance of
the layer's activations) should *discourage* it.
Here: the zoo's \`resnet\` against \`resnet-dropout0.1/0.5/0.8\` and \`resnet-decov\`.
**Look at** DR(0.9) per model and the curves' left ends.`),
      PARAMS(),
      SETUP,
      code(`
const e11 = await dr.experimentE11(ctx);
dr.showExperimentSummary(e11);
for (const name of Object.keys(e11.tables)) console.log(name, e11.tables[name].numRows(), 'rows');`),
      code(`
const curves11 = e11.tables.curves;
for (const task of [...new Set(curves11.array('dataset') as string[])]) {
  dr.showFigure(dr.accuracyVsFractionFigure(curves11, { where: { dataset: task }, series: ['model'], title: \`E11: \${task}\` }));
}
dr.showTable(e11.tables.dr, { where: { delta: 0.9, estimator: 'interpolated' }, columns: ['model', 'dataset', 'dr', 'fraction', 'fullAccuracy'], limit: 30 });`),
    ],
  },
  {
    file: '12-using-the-redundancy.ipynb',
    cells: [
      md(`
# 12 · Using the redundancy: accuracy against cost, and when to be careful

If a random 20% of the neurons does almost as well as all of them, downstream probes can store and use
fewer features. The price is measured here for one model and task: accuracy against the number of neurons,
the feature memory per image (float32), and the probe's fit time. Then the caveat from E8: the accuracy a
subset loses is not spread evenly over classes.
**Look at** the knee of the cost curves, and the Gini coefficient at the fraction you would pick.`),
      PARAMS(`const model = 'resnet';
const task = 'digits';`),
      SETUP,
      code(`
const splits = await source.splits(model, task);
const sweep = await dr.runSweep({
  train: splits.train, test: splits.test, fractions: fractions, seeds: seeds, model: model, dataset: task, progress: false,
  out: join(ctx.workDir, 'sweeps', \`\${model}__\${task}.arrow\`),
});
dr.showTable(dr.accuracyCurves(sweep.results), { caption: \`\${model} on \${task}\` });`),
      code(`
dr.showFigure(dr.accuracyVsCostFigure(sweep.results, { cost: 'neurons' }));
dr.showFigure(dr.accuracyVsCostFigure(sweep.results, { cost: 'bytes' }));
dr.showFigure(dr.accuracyVsCostFigure(sweep.results, { cost: 'seconds' }));`),
      md(`**Ensembles of heads on disjoint subsets.** Cut the layer into h disjoint random blocks, fit a probe on
each, and average their scores. If the redundancy is diffused, every block alone does nearly as well as
the whole layer, and the average of the heads does better than a typical head.
**Look at** the ensemble column against the mean single-head column as h grows.`),
      code(`
const ensembles: Record<string, number>[] = [];
for (const heads of [1, 2, 4, 8]) {
  const r = await dr.disjointSubsetEnsemble({
    train: splits.train.features, trainLabels: splits.train.labels, test: splits.test.features, testLabels: splits.test.labels,
    heads: heads, seed: 1, linalg: ctx.linalg,
  });
  ensembles.push({ heads: heads, neuronsPerHead: r.heads[0].k, meanHeadAccuracy: r.meanHeadAccuracy, ensembleAccuracy: r.accuracy });
}
dr.showTable(ensembles, { caption: \`\${model} on \${task}: disjoint random heads (ridge), averaged scores\` });`),
      md(`**When to be careful.** The fairness cost of the same subsets: per-class accuracy and the Gini coefficient.`),
      code(`
dr.showTable(dr.fairnessTable(sweep.results), { columns: ['fraction', 'k', 'accuracyMean', 'gini', 'maxMinGap', 'cv'] });
dr.showFigure(dr.giniVsAccuracyFigure(sweep.results, { title: \`\${model} on \${task}: Gini vs accuracy\` }));
dr.showFigure(dr.perClassHeatmapFigure(sweep.results, { title: \`\${model} on \${task}: per-class accuracy\` }));`),
    ],
  },
  {
    file: '13-bring-your-own-model.ipynb',
    cells: [
      md(`
# 13 · Bring your own model

The same analyses on a real network: a TF.js model (\`model.json\` + weights), an ONNX file, or features
you exported from PyTorch with \`scripts/export_pytorch_features.py\` (two .npy files per split).
Fill in the parameters cell; with nothing given, the notebook says so and skips (it never downloads).`),
      code(`
// Parameters: a model file, or exported feature/label .npy files (train and test). Empty = skip.
const modelPath = process.env.DR_BYO_MODEL ?? '';      // e.g. '/models/resnet50.onnx' or '/models/tfjs/model.json'
const dataset = 'mnist-digits';                          // a dataset src/datasets knows (images are resized by the preprocessing)
const preprocessing = '';                                // '' = the model's own (zoo manifest / default); or a preset such as 'imagenet'
const limit = 1000;
const npy = {
  trainFeatures: process.env.DR_BYO_TRAIN_FEATURES ?? '', trainLabels: process.env.DR_BYO_TRAIN_LABELS ?? '',
  testFeatures: process.env.DR_BYO_TEST_FEATURES ?? '', testLabels: process.env.DR_BYO_TEST_LABELS ?? '',
};
const fractions: number[] = [0.01, 0.05, 0.1, 0.2, 0.5];
const seeds: number[] = [1, 2, 3];`),
      code(`
import * as dr from '../dist/src/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
const haveModel = modelPath !== '' && existsSync(modelPath);
const haveNpy = [npy.trainFeatures, npy.trainLabels, npy.testFeatures, npy.testLabels].every((p) => p !== '' && existsSync(p));
dr.showNote(haveModel ? \`Model: \${modelPath}\` : haveNpy ? 'Features: the given .npy files' : 'No model file and no .npy features given (or the files are absent): set modelPath or npy in the parameters cell. Skipping the analyses below.');`),
      code(`
// Features into the cache: extracted by the model, or imported from the .npy files.
let trainPath = '';
let testPath = '';
if (haveModel) {
  const pre = preprocessing === '' ? undefined : preprocessing;
  trainPath = (await dr.extractFeaturesDetailed({ model: modelPath, dataset: dataset, split: 'train', limit: limit, preprocessing: pre })).path;
  testPath = (await dr.extractFeaturesDetailed({ model: modelPath, dataset: dataset, split: 'test', limit: limit, preprocessing: pre })).path;
} else if (haveNpy) {
  trainPath = join(dr.dataDir(), 'cache', 'byo-train.arrow');
  testPath = join(dr.dataDir(), 'cache', 'byo-test.arrow');
  await dr.importFeatureCache(trainPath, { features: npy.trainFeatures, labels: npy.trainLabels }, { modelId: 'byo', split: 'train' });
  await dr.importFeatureCache(testPath, { features: npy.testFeatures, labels: npy.testLabels }, { modelId: 'byo', split: 'test' });
}
console.log(trainPath ? \`caches: \${trainPath}, \${testPath}\` : 'skipped');`),
      code(`
if (trainPath) {
  const sweep = await dr.runSweep({ train: trainPath, test: testPath, fractions: fractions, seeds: seeds, progress: false });
  dr.showTable(dr.accuracyCurves(sweep.results));
  dr.showFigure(dr.accuracyVsFractionFigure(sweep.results, { title: 'Your model: random neurons vs the whole layer' }));
  dr.showTable(dr.drTable(sweep.results, { deltas: [0.8, 0.9, 0.95], estimator: ['nearest', 'interpolated'] }), { columns: ['delta', 'estimator', 'dr', 'fraction'] });
}`),
    ],
  },
];

/** The parameters cell (the first code cell) goes first, tagged `parameters` (papermill's convention). */
function ordered(cells) {
  const p = cells.findIndex((c) => c.kind === 'code');
  return p <= 0 ? cells : [cells[p], ...cells.slice(0, p), ...cells.slice(p + 1)];
}

function toIpynb(cells) {
  return {
    cells: ordered(cells).map((c, i) => ({
      cell_type: c.kind,
      id: `c${String(i).padStart(2, '0')}`,
      metadata: i === 0 ? { tags: ['parameters'] } : {},
      source: c.text.split('\n').map((line, j, all) => (j < all.length - 1 ? `${line}\n` : line)),
      ...(c.kind === 'code' ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript', version: '5.0' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export { notebooks, toIpynb };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(root, 'notebooks');
  mkdirSync(dir, { recursive: true });
  for (const nb of notebooks) {
    writeFileSync(join(dir, nb.file), `${JSON.stringify(toIpynb(nb.cells), null, 1)}\n`);
    console.log(`wrote notebooks/${nb.file} (${nb.cells.length} cells)`);
  }
}
