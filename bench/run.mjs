#!/usr/bin/env node
// `npm run bench`: runs every experiment of bench/experiments.mjs against the
// bench Worker under local workerd, prints a table per experiment, and writes
//   bench/results/latest.json                      all numbers, with machine and date
//   website/static/img/bench/<id>.svg              one chart per experiment
//   website/docs/performance/_generated/<id>.md    the tables the Performance page imports
//
// Options:
//   --quick        tiny batches, 2 rounds, no warm-up
//   --only a,b     run only these experiment ids
//   --out <file>   write the JSON there
//   --render       measure nothing: recompute the conclusions and rewrite the
//                  charts and docs tables from bench/results/latest.json
//                  (after changing how they look)
//
// Only a complete full run writes latest.json and the docs files; --quick and
// --only write bench/results/partial.json.tmp (unless --out), so the
// committed numbers always come from one run.
//
// Exits non-zero if any batch lost an operation, or anything failed.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { experiments, summaries } from './experiments.mjs';
import { installPeers, machine, repoRoot, runExperiment, startBench, startOrigin } from './harness.mjs';
import { barChart, chartData, experimentMarkdown, machineMarkdown, tableOf, textTable } from './report.mjs';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' }, render: { type: 'boolean', default: false } },
});
if (args.render) {
  const saved = JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench/results/latest.json'), 'utf8'));
  for (const result of saved.experiments) {
    const experiment = experiments.find((e) => e.id === result.id);
    if (!experiment?.conclude || result.skipped) continue;
    result.conclusions = experiment.conclude(result.cases, (label) => result.cases.find((c) => c.label === label));
  }
  // The conclusions are derived from the numbers, so keep the JSON's in step.
  fs.writeFileSync(path.join(repoRoot, 'bench/results/latest.json'), `${stringifyReport(saved)}\n`);
  writeDocs(saved);
  process.exit(0);
}
const quick = args.quick;
const only = args.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((id) => !experiments.some((e) => e.id === id)) ?? [];
if (unknown.length) {
  console.error(`Unknown experiment(s) ${unknown.join(', ')}. Known: ${experiments.map((e) => e.id).join(', ')}.`);
  process.exit(2);
}

const started = performance.now();
const meta = { ...machine(), mode: quick ? 'quick' : 'full' };
console.log(`Lumenize bench (${meta.mode}) on ${meta.cpu}, Node ${meta.node}, workerd ${meta.workerd}`);
const bench = await startBench({ log: (line) => console.log(line) });
const origin = await startOrigin();
/** The peers Worker (bench/peers), started when the first experiment needing it runs. */
let peers;
/** Why the peers Worker cannot run here ('' if it can), once known. */
let peersMissing;

const results = [];
let failed = false;
try {
  for (const experiment of experiments) {
    if (only && !only.includes(experiment.id)) continue;
    console.log(`\n## ${experiment.title}`);
    const skipped = skipReason(experiment);
    if (skipped) {
      console.log(`skipped: ${skipped}`);
      results.push({ id: experiment.id, title: experiment.title, question: experiment.question, skipped });
      continue;
    }
    const t0 = performance.now();
    const worker = experiment.worker === 'peers' ? (peers ??= await startBench({ config: path.join(repoRoot, 'bench/peers/wrangler.jsonc'), name: 'peers Worker', log: (line) => console.log(line) })) : bench;
    const cases = await runExperiment(worker, experiment, { quick, params: experiment.origin ? { origin: origin.url } : {} });
    const at = (label) => cases.find((c) => c.label === label);
    const conclusions = experiment.conclude ? experiment.conclude(cases, at) : [];
    const info = experiment.info ? await worker.get(experiment.info) : undefined;
    console.log(textTable(tableOf(experiment, cases)));
    for (const sentence of conclusions) console.log(`- ${sentence.replace(/\*\*|`/g, '')}`);
    for (const c of cases) {
      for (const problem of c.problems) {
        failed = true;
        console.log(`PROBLEM ${c.label}: ${problem}`);
      }
    }
    console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    results.push({ id: experiment.id, title: experiment.title, question: experiment.question, baseline: experiment.baseline, labels: experiment.labels, metric: experiment.metric ?? 'perOp', conclusions, info, cases });
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await bench.dispose();
  await peers?.dispose();
  await origin.close();
}

meta.durationMs = Math.round(performance.now() - started);
const report = { meta, experiments: results };
const complete = !quick && !only;
const outFile = args.out ?? path.join(repoRoot, complete ? 'bench/results/latest.json' : 'bench/results/partial.json.tmp');
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${stringifyReport(report)}\n`);
console.log(`\nwrote ${path.relative(repoRoot, outFile)}`);

if (complete && !args.out && !failed) writeDocs(report);
console.log(`done in ${(meta.durationMs / 1000).toFixed(1)} s${failed ? ', WITH PROBLEMS (see above)' : ''}`);
process.exit(failed ? 1 : 0);

/**
 * The report as indented JSON, with numbers to 3 decimals and each list of
 * raw runs and each summary on one line (a readable diff, a smaller file).
 */
function stringifyReport(value) {
  const compact = [];
  const round = (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);
  const oneLine = (v) => `@@${compact.push(JSON.stringify(v, round)) - 1}@@`;
  const text = JSON.stringify(
    value,
    (key, v) => (key === 'runs' || (v && typeof v === 'object' && 'median' in v && 'n' in v) ? oneLine(v) : round(key, v)),
    2,
  );
  return text.replace(/"@@(\d+)@@"/g, (_, i) => compact[Number(i)]);
}

/** Why an experiment cannot run here, if it cannot. */
function skipReason(experiment) {
  const missing = (experiment.requires ?? []).filter((file) => !fs.existsSync(path.join(repoRoot, file)));
  if (missing.length) return `${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist in this checkout yet; the experiment is registered and runs once ${missing.length > 1 ? 'they exist' : 'it exists'}.`;
  if (experiment.worker === 'peers' && !peers) {
    if (peersMissing === undefined) peersMissing = installPeers({ log: (line) => console.log(line) }) ?? '';
    if (peersMissing) return peersMissing;
  }
  return experiment.skip;
}

/** Charts and Markdown partials for the Performance page, from a full run. */
function writeDocs({ meta: runMeta, experiments: ran }) {
  const chartDir = path.join(repoRoot, 'website/static/img/bench');
  const partialDir = path.join(repoRoot, 'website/docs/performance/_generated');
  fs.mkdirSync(chartDir, { recursive: true });
  fs.mkdirSync(partialDir, { recursive: true });
  const written = [];
  for (const result of ran) {
    const experiment = experiments.find((e) => e.id === result.id);
    let chartPath;
    // An experiment with its own table (experiment.table) has no chart.
    if (!result.skipped && !experiment.table) {
      const svg = barChart({ title: experiment.title, subtitle: `${runMeta.date.slice(0, 10)}, ${runMeta.cpu}`, ...chartData(experiment, result.cases) });
      fs.writeFileSync(path.join(chartDir, `${result.id}.svg`), svg);
      chartPath = `/img/bench/${result.id}.svg`;
      written.push(`website/static/img/bench/${result.id}.svg`);
    }
    fs.writeFileSync(path.join(partialDir, `${result.id}.md`), experimentMarkdown(experiment, result, chartPath));
    written.push(`website/docs/performance/_generated/${result.id}.md`);
  }
  fs.writeFileSync(path.join(partialDir, 'machine.md'), machineMarkdown(runMeta));
  written.push('website/docs/performance/_generated/machine.md');
  const find = (id) => ran.find((r) => r.id === id && !r.skipped);
  for (const [file, build] of Object.entries(summaries)) {
    const markdown = build(find, runMeta);
    if (markdown === undefined) continue;
    fs.writeFileSync(path.join(partialDir, file), markdown);
    written.push(`website/docs/performance/_generated/${file}`);
  }
  console.log(`wrote ${written.length} docs files under website/`);
}
