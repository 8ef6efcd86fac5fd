// What a bench run produces from its results: the table on stdout, the
// Markdown partials the Performance page imports, and one SVG chart per
// experiment (drawn here, no chart service).

const PALETTE = ['#6b7280', '#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626'];

// -----------------------------------------------------------------------------
// Numbers
// -----------------------------------------------------------------------------

export function fmt(value, unit = '') {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return '∞';
  const abs = Math.abs(value);
  const text =
    abs >= 10_000 ? Math.round(value).toLocaleString('en-US') : abs >= 100 ? String(Math.round(value)) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

const ratio = (r) => (r ? `${r.median.toFixed(2)}× (${r.p25.toFixed(2)}–${r.p75.toFixed(2)})` : '');
const label = (experiment, variant) => experiment.labels?.[variant] ?? variant;

// -----------------------------------------------------------------------------
// Rows: one per case and variant (or phase), the same for stdout and Markdown
// -----------------------------------------------------------------------------

/** The [name, summary] pairs of a variant's phases that the experiment shows. */
function shownPhases(experiment, variant) {
  return Object.entries(variant.phases).filter(([name]) => !experiment.phases || experiment.phases.includes(name));
}

/** Column headers and rows of an experiment's table. */
export function tableOf(experiment, cases) {
  // An experiment whose numbers are not times (e.g. proxy-fetch-cost) brings its own table.
  if (experiment.table) return experiment.table(cases);
  const metric = experiment.metric ?? 'perOp';
  const first = cases.every((c) => /^[\d,]+$/.test(c.label)) ? 'batch' : 'case';
  if (metric === 'phases') {
    const header = [first, 'variant', 'phase', 'total, median', 'min–max', 'per operation'];
    const rows = [];
    for (const c of cases) {
      for (const [variant, v] of Object.entries(c.variants)) {
        for (const [phase, p] of shownPhases(experiment, v)) {
          rows.push([c.label, label(experiment, variant), phase, fmt(p.median, 'ms'), `${fmt(p.min)}–${fmt(p.max)} ms`, fmt((p.median * 1000) / c.size, 'µs')]);
        }
        if (Object.keys(v.phases).length === 0 || experiment.id === 'alarm-scale') {
          rows.push([c.label, label(experiment, variant), 'whole batch', fmt(v.elapsedMs.median, 'ms'), `${fmt(v.elapsedMs.min)}–${fmt(v.elapsedMs.max)} ms`, fmt(v.perOpUs.median, 'µs')]);
        }
      }
    }
    return { header, rows };
  }
  if (metric === 'elapsed') {
    const busy = experiment.busy ?? { phase: 'callerBusy', label: 'caller kept waiting' };
    const header = [first, 'variant', 'all results home', 'middle half', busy.label, `× ${label(experiment, experiment.baseline)}`];
    const rows = cases.flatMap((c) =>
      Object.entries(c.variants).map(([variant, v]) => [
        c.label,
        label(experiment, variant),
        fmt(v.elapsedMs.median, 'ms'),
        `${fmt(v.elapsedMs.p25)}–${fmt(v.elapsedMs.p75)} ms`,
        v.phases[busy.phase] ? `${fmt(v.phases[busy.phase].median, 'ms')} (${fmt(v.phases[busy.phase].p25)}–${fmt(v.phases[busy.phase].p75)})` : '',
        ratio(c.ratios[variant]),
      ]),
    );
    return { header, rows };
  }
  if (metric === 'opsPerSec') {
    const [one, many] = experiment.opsUnits ?? ['round trip', 'round trips'];
    const header = [first, 'variant', `${many}/s`, 'middle half', `per ${one}`, '× baseline time'];
    const rows = cases.flatMap((c) =>
      Object.entries(c.variants).map(([variant, v]) => [
        c.label,
        label(experiment, variant) + (variant === c.baseline ? ' (baseline)' : ''),
        fmt(v.opsPerSec.median),
        `${fmt(v.opsPerSec.p25)}–${fmt(v.opsPerSec.p75)}`,
        fmt(v.perOpUs.median, 'µs'),
        ratio(c.ratios[variant]),
      ]),
    );
    return { header, rows };
  }
  const header = [first, 'variant', 'per operation', 'middle half', 'min–max', `× ${label(experiment, experiment.baseline)}`];
  const rows = cases.flatMap((c) =>
    Object.entries(c.variants).map(([variant, v]) => [
      c.label,
      label(experiment, variant),
      fmt(v.perOpUs.median, 'µs'),
      `${fmt(v.perOpUs.p25)}–${fmt(v.perOpUs.p75)} µs`,
      `${fmt(v.perOpUs.min)}–${fmt(v.perOpUs.max)} µs`,
      ratio(c.ratios[variant]),
    ]),
  );
  return { header, rows };
}

/** The table as aligned plain text, for stdout. */
export function textTable({ header, rows }) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The table as Markdown. */
export function markdownTable({ header, rows }) {
  const escape = (cell) => String(cell).replace(/\|/g, '\\|');
  return [`| ${header.map(escape).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`)].join('\n');
}

// -----------------------------------------------------------------------------
// Markdown partials for the Performance page
// -----------------------------------------------------------------------------

/** One experiment's partial: conclusions, table, chart and problems, or why it was skipped. */
export function experimentMarkdown(experiment, result, chartPath) {
  if (result.skipped) return `:::note[Not run]\n\n${result.skipped}\n\n:::\n`;
  const parts = [];
  parts.push(result.conclusions.map((sentence) => `- ${sentence}`).join('\n'));
  if (chartPath) parts.push(`![${experiment.title}](${chartPath})`);
  parts.push(markdownTable(tableOf(experiment, result.cases)));
  if (experiment.markdown) parts.push(experiment.markdown(result, { table: markdownTable, label: (variant) => label(experiment, variant) }));
  const problems = result.cases.flatMap((c) => c.problems.map((p) => `${c.label}: ${p}`));
  if (problems.length) parts.push(`:::danger[Incomplete batches]\n\n${problems.map((p) => `- ${p}`).join('\n')}\n\n:::`);
  return `${parts.join('\n\n')}\n`;
}

/** The line every page quoting these numbers shows: where and when. */
export function machineMarkdown(meta) {
  const date = meta.date.slice(0, 10);
  return `Measured on ${date} (${meta.mode} run, ${Math.round(meta.durationMs / 1000)} s) on ${meta.cpu}, ${meta.memoryGiB} GiB, ${meta.os}; Node ${meta.node}, wrangler ${meta.wrangler}, workerd ${meta.workerd}, all local. Source: \`bench/results/latest.json\`.\n`;
}

// -----------------------------------------------------------------------------
// Charts
// -----------------------------------------------------------------------------

/** The bars of an experiment's chart: groups of { label, value, low, high }. */
export function chartData(experiment, cases) {
  const metric = experiment.metric ?? 'perOp';
  const variantNames = [...new Set(cases.flatMap((c) => Object.keys(c.variants)))];
  const color = (name) => PALETTE[Math.max(0, variantNames.indexOf(name)) % PALETTE.length];
  if (metric === 'phases') {
    const phaseNames = [...new Set(cases.flatMap((c) => Object.values(c.variants).flatMap((v) => shownPhases(experiment, v).map(([name]) => name))))];
    return {
      unit: 'µs per operation',
      better: 'lower is better',
      groups: cases.map((c) => ({
        label: c.label,
        bars: Object.values(c.variants).flatMap((v) =>
          shownPhases(experiment, v).map(([phase, p]) => ({
            label: phase,
            value: (p.median * 1000) / c.size,
            low: (p.min * 1000) / c.size,
            high: (p.max * 1000) / c.size,
            color: PALETTE[phaseNames.indexOf(phase) % PALETTE.length],
          })),
        ),
      })),
    };
  }
  if (metric === 'elapsed') {
    const busy = experiment.busy ?? { phase: 'callerBusy', label: 'caller kept waiting' };
    return {
      unit: 'ms',
      better: 'lower is better',
      groups: cases.flatMap((c) => [
        {
          label: `${c.label}: all results home`,
          bars: Object.entries(c.variants).map(([name, v]) => ({ label: label(experiment, name), value: v.elapsedMs.median, low: v.elapsedMs.p25, high: v.elapsedMs.p75, color: color(name) })),
        },
        {
          label: `${c.label}: ${busy.label}`,
          bars: Object.entries(c.variants)
            .filter(([, v]) => v.phases[busy.phase])
            .map(([name, v]) => ({ label: label(experiment, name), value: v.phases[busy.phase].median, low: v.phases[busy.phase].p25, high: v.phases[busy.phase].p75, color: color(name) })),
        },
      ]),
    };
  }
  const key = metric === 'opsPerSec' ? 'opsPerSec' : 'perOpUs';
  return {
    unit: metric === 'opsPerSec' ? `${(experiment.opsUnits ?? [, 'round trips'])[1]} per second` : 'µs per operation',
    better: metric === 'opsPerSec' ? 'higher is better' : 'lower is better',
    groups: cases.map((c) => ({
      label: /^[\d,]+$/.test(c.label) ? `${c.label} concurrent` : c.label,
      bars: Object.entries(c.variants).map(([name, v]) => ({ label: label(experiment, name), value: v[key].median, low: v[key].p25, high: v[key].p75, color: color(name) })),
    })),
  };
}

/** A horizontal grouped bar chart with middle-half whiskers, as standalone SVG. */
export function barChart({ title, subtitle, unit, better, groups }) {
  const width = 760;
  const labelWidth = 210;
  const plotWidth = width - labelWidth - 90;
  const barHeight = 16;
  const gap = 4;
  const groupGap = 14;
  const top = 58;
  const max = Math.max(...groups.flatMap((g) => g.bars.map((b) => Math.max(b.value, b.high ?? 0))).filter(Number.isFinite), 1e-9);
  const scale = (v) => (Math.min(v, max) / max) * plotWidth;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out = [];
  let y = top;
  for (const group of groups) {
    out.push(`<text x="12" y="${y + 11}" class="group">${esc(group.label)}</text>`);
    y += 18;
    for (const bar of group.bars) {
      const w = Math.max(1, scale(bar.value));
      out.push(`<text x="${labelWidth - 8}" y="${y + 12}" class="label" text-anchor="end">${esc(bar.label)}</text>`);
      out.push(`<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" rx="2" fill="${bar.color}"/>`);
      if (Number.isFinite(bar.low) && Number.isFinite(bar.high) && bar.high > bar.low) {
        const x1 = labelWidth + scale(bar.low);
        const x2 = labelWidth + scale(bar.high);
        const cy = y + barHeight / 2;
        out.push(`<path d="M${x1.toFixed(1)} ${cy}H${x2.toFixed(1)}M${x1.toFixed(1)} ${cy - 4}V${cy + 4}M${x2.toFixed(1)} ${cy - 4}V${cy + 4}" class="whisker"/>`);
      }
      out.push(`<text x="${(labelWidth + Math.max(w, scale(bar.high ?? 0)) + 6).toFixed(1)}" y="${y + 12}" class="value">${esc(fmt(bar.value))}</text>`);
      y += barHeight + gap;
    }
    y += groupGap;
  }
  const height = y + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">
<style>
text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; fill: #1f2937; }
.title { font-size: 15px; font-weight: 600; }
.subtitle { font-size: 11px; fill: #4b5563; }
.group { font-size: 12px; font-weight: 600; }
.label { font-size: 11px; }
.value { font-size: 11px; fill: #374151; }
.whisker { stroke: #111827; stroke-width: 1; fill: none; }
</style>
<rect width="100%" height="100%" rx="6" fill="#ffffff"/>
<text x="12" y="22" class="title">${esc(title)}</text>
<text x="12" y="40" class="subtitle">${esc(`${unit}, median of rounds; whiskers: middle half (${better}). ${subtitle ?? ''}`)}</text>
${out.join('\n')}
</svg>
`;
}
