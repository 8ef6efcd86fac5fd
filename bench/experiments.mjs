// The experiments `npm run bench` runs, in order. One entry per experiment:
//
//   id         stable name: results key, chart file, docs partial
//   title      what the table and chart are called
//   question   what the experiment answers (shown on the Performance page)
//   worker     'peers': runs on the peers Worker (bench/peers/wrangler.jsonc),
//              whose libraries are installed on first use; the main bench
//              Worker (bench/wrangler.jsonc) otherwise
//   binding    the ExperimentController DO (in that Worker's wrangler.jsonc)
//   variants   { name: method }: the controller methods to compare
//   baseline   the variant every other is divided by, round by round
//   sizes      batch sizes, or `cases: [{ label, size, batches?, params, variants? }]`;
//              `batches`: run that many batches one after another per round,
//              timed together (the clock ticks in whole milliseconds)
//   repeats    recorded rounds per case (after `warmup` unrecorded ones)
//   quick      what --quick uses instead (tiny batches)
//   metric     what the table and chart show: 'perOp' (µs per operation,
//              the default), 'elapsed' (ms per batch), 'opsPerSec' or 'phases'
//   opsUnits   with 'opsPerSec': what one and many operations are called
//              (default ['round trip', 'round trips'])
//   table      (cases) => { header, rows }: a table of its own instead (no chart)
//   phases     with 'phases': which phases to show (default: all)
//   busy       with 'elapsed': { phase, label } of the phase saying how long
//              the caller had work in flight
//   origin     true: the run starts a local origin server, params.origin
//   conclude   (cases, lookup) => sentences with the measured numbers
//   info       a GET route of the Worker whose JSON is saved with the results
//   markdown   (result, { table, label }) => Markdown shown after the table
//   requires   files (from the repo root) without which it is skipped
//   skip       a reason, to keep an experiment registered but not run
//
// A new experiment: a method on an ExperimentController subclass in
// bench/worker/ (bench/peers/worker/ for peers), and an entry here. This file
// imports nothing, so the smoke test (test/bench/smoke.test.ts) runs the same
// entries inside workerd (all but the peers').

const x = (ratio) => `${ratio.toFixed(2)}×`;

// The payloads of the structured-clone experiments: rich ones against
// structuredClone, JSON-safe ones against JSON.
const CLONE_CASES = [
  { label: 'small rich', size: 20_000, params: { payload: 'small' }, variants: ['structuredClone', 'lumenize', 'lumenizeSync'], baseline: 'structuredClone' },
  { label: 'large rich', size: 60, params: { payload: 'large' }, variants: ['structuredClone', 'lumenize', 'lumenizeSync'], baseline: 'structuredClone' },
  { label: 'small JSON-safe', size: 20_000, params: { payload: 'small-json' }, variants: ['json', 'structuredClone', 'lumenize', 'lumenizeSync'], baseline: 'json' },
  { label: 'large JSON-safe', size: 60, params: { payload: 'large-json' }, variants: ['json', 'structuredClone', 'lumenize', 'lumenizeSync'], baseline: 'json' },
];
const QUICK_CLONE_CASES = [
  { label: 'small rich', size: 20, params: { payload: 'small' }, variants: ['structuredClone', 'lumenize', 'lumenizeSync'], baseline: 'structuredClone' },
  { label: 'small JSON-safe', size: 20, params: { payload: 'small-json' }, variants: ['json', 'lumenize', 'lumenizeSync'], baseline: 'json' },
];

/** The structured-clone cases with the three peers in place of the Sync variant. */
function peerCases(cases) {
  return cases.map((c) => ({ ...c, variants: [...c.variants.filter((v) => v !== 'lumenizeSync'), 'ungap', 'devalue', 'superjson'] }));
}

const experimentLabel = (_case, variant) => ({ ours: 'Lumenize', actors: '@cloudflare/actors', agents: 'agents' })[variant] ?? variant;

// Summary tables of the peer experiments. `render` is { table, label } from
// bench/report.mjs: a Markdown table of { header, rows }, and a variant's label.

/** Each serializer's round trip, × its baseline, per payload: one row per serializer. */
function serializerMatrix(result, { table, label }) {
  return table({
    header: ['round trip, × baseline time', ...result.cases.map((c) => `${c.label} (× ${label(c.baseline)})`)],
    rows: ['lumenize', 'ungap', 'devalue', 'superjson'].map((v) => [label(v), ...result.cases.map((c) => (c.ratios[v] ? x(c.ratios[v].median) : '–'))]),
  });
}

/** What each serializer keeps, as checked by the peers Worker's /fidelity route. */
function fidelityTable(fidelity, { table }) {
  const cell = (text) => (text === 'kept' ? '✓' : text.replace(/^loses the [^,]+(, .*)?$/, '✗ lost').replace(/^loses /, '✗ loses '));
  return table({
    header: ['kept through a string round trip', ...fidelity.serializers],
    rows: Object.entries(fidelity.table).map(([probe, row]) => [probe, ...fidelity.serializers.map((name) => cell(row[name]))]),
  });
}

/** Per task: scheduling and firing cost, and whether every task ran exactly once, per library. */
function alarmMatrix(result, { table, label }) {
  const perTask = (c, v, phase) => us((c.variants[v].phases[phase].median * 1000) / c.size);
  const once = (v) => result.cases.every((c) => c.variants[v].runs.every((r) => r.completed === c.size && r.failed === 0));
  return table({
    header: ['', ...result.cases.flatMap((c) => [`schedule, per task (${c.label})`, `fire, per task (${c.label})`]), 'each task ran exactly once'],
    rows: Object.keys(result.cases[0].variants).map((v) => [label(v), ...result.cases.flatMap((c) => [perTask(c, v, 'schedule'), perTask(c, v, 'fire')]), once(v) ? 'yes' : '**no**']),
  });
}
const us = (value) => (value >= 100 ? `${Math.round(value)} µs` : `${value.toFixed(1)} µs`);
const ms = (value) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

// #region alarm-delay
// Experiment 2 (its controller methods are in bench/worker/alarms.ts).
const alarmDelay = {
  id: 'alarm-delay',
  title: 'schedule(0, …) vs a direct call, 1,000 operations',
  question: 'What does running work through `this.lmz.alarms.schedule(0, …)` cost per operation, compared with calling the same method directly?',
  binding: 'ALARMS_BENCH',
  variants: { direct: 'direct', schedule: 'viaSchedule' },
  labels: { direct: 'direct call', schedule: 'schedule(0, …)' },
  baseline: 'direct',
  sizes: [1_000],
  repeats: 15,
  quick: { sizes: [10] },
  conclude(cases) {
    const c = cases[0];
    const direct = c.variants.direct.perOpUs;
    const scheduled = c.variants.schedule.perOpUs;
    const extra = scheduled.median - direct.median;
    const phases = c.variants.schedule.phases;
    return [
      `Through the alarm each operation costs ${us(scheduled.median)} (rounds ${us(scheduled.min)}–${us(scheduled.max)}) against ${us(direct.median)} called directly: ${us(extra)} of overhead per operation. Scheduling the ${c.size} takes ${ms(phases.schedule.median)}; the first handler starts ${ms(phases.firstHandler.median)} after the last schedule (the platform alarm's latency here), the last one ${ms(phases.fire.median)} after it.`,
    ];
  },
};
// #endregion alarm-delay

// #region prices
// Cloudflare's published prices beyond each plan's monthly allowance (Workers
// Paid, Standard usage model), read on 2026-11-30 from the pages in `sources`.
export const prices = {
  read: '2026-11-30',
  sources: {
    'Durable Objects pricing': 'https://developers.cloudflare.com/durable-objects/platform/pricing/',
    'Workers pricing': 'https://developers.cloudflare.com/workers/platform/pricing/',
  },
  /** Durable Object requests (RPC calls, alarm invocations): $ per million. */
  doRequests: 0.15,
  /** Durable Object duration: $ per million GB-s, each object billed as 128 MB. */
  doGbSeconds: 12.5,
  doMemoryGb: 0.128,
  /** SQLite-backed storage, rows written (KV writes and setAlarm each count as one): $ per million. */
  rowsWritten: 1.0,
  /** Workers CPU time: $ per million CPU-ms. Calls through a service binding carry no request fee. */
  workerCpuMs: 0.02,
};
// #endregion prices

/**
 * Dollars per million fetches, and what they are made of, from one variant
 * of the proxy-fetch-cost experiment (phases are batch totals; `size` fetches
 * per batch). A direct fetch's CPU runs in the Durable Object, billed as its
 * duration; a proxied fetch's CPU is counted as the executor's, billed as
 * Worker CPU (an upper bound: it includes the origin's and the orchestrator's).
 */
export function costOf(variant, size, proxied) {
  const perFetch = (total) => total / size;
  const activeMs = perFetch(variant.phases.activeMs.median);
  const requests = perFetch(variant.phases.requests.median);
  const rows = perFetch(variant.phases.rowsWritten.median);
  const cpuMs = perFetch(variant.cpuMs.median);
  const parts = {
    duration: (activeMs / 1000) * prices.doMemoryGb * prices.doGbSeconds,
    requests: requests * prices.doRequests,
    rows: rows * prices.rowsWritten,
    cpu: proxied ? cpuMs * prices.workerCpuMs : 0,
  };
  return { activeMs, requests, rows, cpuMs, parts, dollars: parts.duration + parts.requests + parts.rows + parts.cpu };
}

const dollars = (value) => `$${value >= 10 ? value.toFixed(1) : value.toFixed(2)}`;

// #region proxy-fetch-cost
// Experiment 3b (controller methods in bench/worker/proxy-fetch.ts).
const proxyFetchCost = {
  id: 'proxy-fetch-cost',
  title: 'What one fetch costs: direct fetch vs proxyFetch vs proxyFetchSimple',
  question:
    'When each of many Durable Objects makes one fetch, how long is it active, how many requests and rows written does the fetch cause, how much CPU does it take, and what is that in dollars per million fetches, for an origin answering in 100 ms and in 1 s?',
  binding: 'PROXY_FETCH_BENCH',
  instance: 'cost',
  variants: { direct: 'costDirect', proxyFetch: 'costProxyFetch', simple: 'costProxyFetchSimple' },
  labels: { direct: 'direct fetch', proxyFetch: 'proxyFetch', simple: 'proxyFetchSimple' },
  baseline: 'direct',
  origin: true,
  cases: [
    { label: 'origin answers in 100 ms', size: 8, params: { delayMs: 100 } },
    { label: 'origin answers in 1 s', size: 8, params: { delayMs: 1000 } },
  ],
  repeats: 5,
  quick: { cases: [{ label: 'origin answers in 0 ms', size: 3, params: { delayMs: 0 } }] },
  requires: ['lib/proxy-fetch/shards.ts'],
  table(cases) {
    const header = ['case', 'variant', 'DO active per fetch', 'DO requests', 'rows written', 'workerd CPU', '$ per million fetches'];
    const rows = cases.flatMap((c) =>
      Object.entries(c.variants).map(([name, v]) => {
        const cost = costOf(v, c.size, name !== 'direct');
        return [c.label, this.labels[name], `${cost.activeMs.toFixed(1)} ms`, cost.requests.toFixed(2), cost.rows.toFixed(1), `${cost.cpuMs.toFixed(2)} ms`, dollars(cost.dollars)];
      }),
    );
    return { header, rows };
  },
  conclude(cases) {
    const source = Object.entries(prices.sources).map(([name, url]) => `[${name}](${url})`).join(' and ');
    const sentences = [
      `Prices, read on ${prices.read} from ${source}, beyond the monthly allowances: Durable Object requests $${prices.doRequests} per million, duration $${prices.doGbSeconds} per million GB-s (128 MB per object), rows written $${prices.rowsWritten.toFixed(2)} per million, Worker CPU $${prices.workerCpuMs} per million ms.`,
    ];
    for (const c of cases) {
      const cost = (name) => costOf(c.variants[name], c.size, name !== 'direct');
      const [direct, orchestrated, simple] = [cost('direct'), cost('proxyFetch'), cost('simple')];
      const parts = (p) => `${dollars(p.parts.rows)} rows written, ${dollars(p.parts.requests)} requests, ${dollars(p.parts.duration)} duration, ${dollars(p.parts.cpu)} CPU`;
      sentences.push(
        `${c.label}: a million fetches cost ${dollars(direct.dollars)} fetched directly, ${dollars(orchestrated.dollars)} with \`proxyFetch\` (${parts(orchestrated)}) and ${dollars(simple.dollars)} with \`proxyFetchSimple\` (${parts(simple)}).`,
      );
    }
    const atOrchestrator = (c) => (c.variants.proxyFetch.phases.orchestratorRequests.median / c.size).toFixed(1);
    sentences.push(
      `Of \`proxyFetch\`'s requests, the orchestrator receives ${cases.map((c) => `${atOrchestrator(c)} per fetch (${c.label})`).join(' and ')}: the enqueue, the executor's report and, when the fetch outlasts the orchestrator's one-second check, a sweep alarm, which many jobs in flight share.`,
    );
    const slow = cases[cases.length - 1];
    const perSecond = prices.doMemoryGb * prices.doGbSeconds;
    const breakEven = (name) => (costOf(slow.variants[name], slow.size, true).dollars / perSecond).toFixed(1);
    sentences.push(
      `A direct fetch costs about ${dollars(perSecond)} per million for each second the origin takes; proxying costs about the same whatever the origin's latency. So proxying saves money only for origins slower than about ${breakEven('simple')} s (\`proxyFetchSimple\`) or ${breakEven('proxyFetch')} s (\`proxyFetch\`), as measured here.`,
    );
    return sentences;
  },
};
// #endregion proxy-fetch-cost

export const experiments = [
  // --- 1. call --------------------------------------------------------------------
  {
    id: 'call',
    title: 'call vs raw Workers RPC',
    question:
      'What does a `call` cost per operation compared with a plain `stub.method()` RPC doing the same work, at 50 to 5,000 concurrent operations, and do 5,000 complete with none lost? (The clock ticks in whole milliseconds, so each round of 50 to 200 runs 20 or 10 such batches one after another and times them together.)',
    binding: 'CALL_BENCH',
    variants: { rpc: 'viaRpc', callRaw: 'viaCallRaw', call: 'viaCall', callRawApart: 'viaCallRawApart', fireAndForget: 'viaFireAndForget' },
    labels: { rpc: 'raw RPC', callRaw: 'callRaw', call: 'call (one round trip)', callRawApart: 'callRaw, one RPC each', fireAndForget: 'fire-and-forget' },
    baseline: 'rpc',
    cases: [
      { label: '50', size: 50, batches: 20, repeats: 21 },
      { label: '100', size: 100, batches: 10, repeats: 21 },
      { label: '200', size: 200, batches: 10, repeats: 21 },
      { label: '1,000', size: 1_000, repeats: 15 },
      { label: '5,000', size: 5_000, repeats: 7 },
    ],
    quick: { sizes: [5, 20] },
    conclude(cases, at) {
      const c200 = at('200');
      const ratio = c200?.ratios.call?.median;
      const big = cases.find((c) => c.size === 5_000) ?? cases[cases.length - 1];
      const lost = big ? Object.values(big.variants).some((v) => v.runs.some((r) => r.completed !== big.size * (big.batches ?? 1))) : true;
      const sizes = ['200', '1,000', '5,000'].map(at).filter(Boolean);
      const worst = (variant) => Math.max(...sizes.map((c) => c.ratios[variant].median));
      const list = (variant) => sizes.map((c) => x(c.ratios[variant].median)).join(', ');
      return [
        ratio === undefined
          ? 'No 200-operation case in this run.'
          : `At 200 concurrent operations, \`call\` takes ${x(ratio)} the time of raw RPC per operation (${us(c200.variants.call.perOpUs.median)} vs ${us(c200.variants.rpc.perOpUs.median)}; middle half of rounds ${x(c200.ratios.call.p25)}–${x(c200.ratios.call.p75)}), and \`callRaw\` ${x(c200.ratios.callRaw.median)}: the calls of one synchronous stretch to one target travel together, up to 100 in one RPC.`,
        sizes.length === 3 &&
          `At ${sizes.map((c) => c.label).join(', ')}: \`call\` ${list('call')}, \`callRaw\` ${list('callRaw')}. Targets ≤ 1.20× and ≤ 1.10× at each: **${worst('call') <= 1.2 ? 'met' : 'not met'}** and **${worst('callRaw') <= 1.1 ? 'met' : 'not met'}**.`,
        sizes.length === 3 &&
          `A call made alone (here each in a synchronous stretch of its own, so with its own stub and RPC) costs ${list('callRawApart')} raw RPC: what batching saves, and what calls spread over many stretches or targets still pay.`,
        big && `At ${big.label} concurrent operations every variant completed every operation in every round${lost ? ' — **except as noted in the problems below**' : ''}: no hang, no loss.`,
        c200 && `Fire-and-forget costs ${x(c200.ratios.fireAndForget.median)} raw RPC at 200 (two RPCs per operation), against ${x(ratio)} for the one-round-trip \`call\`.`,
      ].filter(Boolean);
    },
  },
  {
    id: 'call-breakdown',
    title: 'Where a call’s extra time goes when it travels alone (200 concurrent)',
    question: 'For calls that do not travel together (each made in a synchronous stretch of its own: its own stub, its own RPC), how much of the gap to raw RPC is the bigger message, and how much is JavaScript on either end?',
    binding: 'CALL_BENCH',
    variants: { rpc: 'viaRpc', rpcPayload: 'viaRpcWithCallPayload', callRaw: 'viaCallRawApart', call: 'viaCallApart' },
    labels: { rpc: 'raw RPC', rpcPayload: 'raw RPC, call-sized messages', callRaw: 'callRaw, one RPC each', call: 'call, one RPC each' },
    baseline: 'rpc',
    cases: [{ label: '200', size: 200, batches: 10 }],
    repeats: 21,
    quick: { sizes: [10] },
    conclude(cases) {
      const c = cases[0];
      const base = c.variants.rpc.perOpUs.median;
      const payload = c.variants.rpcPayload.perOpUs.median - base;
      // A difference smaller than this share of raw RPC is the rounds' noise (a median moves by a few percent).
      const noise = 0.03 * base;
      const extra = (variant) => {
        const added = c.variants[variant].perOpUs.median - c.variants.rpcPayload.perOpUs.median;
        return added < noise ? `nothing measurable beyond the message (${added >= 0 ? '+' : '−'}${us(Math.abs(added))}, within the rounds' noise)` : us(added);
      };
      const sent = payload < noise ? `costs nothing measurable (${x(c.ratios.rpcPayload.median)})` : `adds ${us(payload)}`;
      return [
        `Raw RPC: ${us(base)} per operation. Sending a call's envelope and outcome instead of a number, with none of the door's work, ${sent}. For calls made one per synchronous stretch, the JavaScript on both ends (sealing, opening and running the chain, sealing and opening the outcome, the timeout) and a stub per call add ${extra('callRaw')} for \`callRaw\`, and with the continuation ${extra('call')} for \`call\`.`,
      ];
    },
  },
  {
    id: 'call-steps',
    title: 'A call’s JavaScript steps, each timed alone',
    question: 'What does each step of a call cost on its own, with no RPC and a hot JIT?',
    binding: 'CALL_BENCH',
    variants: { steps: 'steps' },
    cases: [{ label: '20,000 iterations', size: 20_000 }],
    repeats: 5,
    quick: { sizes: [200] },
    metric: 'phases',
    conclude(cases) {
      const { 'own event': ownEvent, ...steps } = cases[0].variants.steps.phases;
      const total = Object.values(steps).reduce((sum, p) => sum + p.median, 0);
      const perCall = (totalMs) => us((totalMs * 1000) / cases[0].size);
      return [
        `Together the steps take ${perCall(total)} per call when each runs alone in a hot loop; inside a real batch they cost more (garbage collection, cold caches, interleaving), as the breakdown above shows.`,
        ownEvent && `A call that travels in a batch also waits, at the target, for an event of its own (a zero-delay timer, so that the input gate can hold it back): ${perCall(ownEvent.median)} per call.`,
      ].filter(Boolean);
    },
  },
  {
    id: 'call-slow-remote',
    title: 'One round trip vs fire-and-forget when the remote awaits 100 ms',
    question: 'When the remote method takes a while (it awaits I/O), how long is the caller kept waiting with work in flight under each design?',
    binding: 'CALL_BENCH',
    variants: { rpc: 'viaRpc', call: 'viaCall', fireAndForget: 'viaFireAndForget' },
    labels: { rpc: 'raw RPC', call: 'call (one round trip)', fireAndForget: 'fire-and-forget' },
    baseline: 'rpc',
    cases: [{ label: '200, remote awaits 100 ms', size: 200, params: { delayMs: 100 } }],
    repeats: 7,
    quick: { cases: [{ label: '10, remote awaits 20 ms', size: 10, params: { delayMs: 20 } }] },
    metric: 'elapsed',
    busy: { phase: 'callerBusy', label: 'caller kept waiting' },
    conclude(cases) {
      const c = cases[0];
      const busy = (v) => c.variants[v].phases.callerBusy.median;
      return [
        `All ${c.size} results are home after ${ms(c.variants.call.elapsedMs.median)} with \`call\` and ${ms(c.variants.fireAndForget.elapsedMs.median)} with fire-and-forget. The caller waits with work in flight for ${ms(busy('call'))} with \`call\` (the whole time) and ${ms(busy('fireAndForget'))} with fire-and-forget (until the last acknowledgement).`,
      ];
    },
  },

  {
    id: 'call-durable',
    title: 'Durable call vs call vs raw RPC',
    question:
      'What does a durable call (`call(..., { durable: true })`) cost against `call` and raw RPC at 200 and 1,000 concurrent calls: time until every result is home, how long the caller is kept waiting, and rows written per call? And which way home is cheaper for the outcome: the remote delivering it through the caller\'s `__settleAll` door (shipped), or the caller awaiting one round trip and settling its own row?',
    binding: 'CALL_BENCH',
    variants: { rpc: 'viaRpc', call: 'viaCallWatched', durable: 'viaDurableCall', roundTrip: 'viaDurableRoundTrip' },
    labels: { rpc: 'raw RPC', call: 'call', durable: 'durable call', roundTrip: 'durable, one round trip (not shipped)' },
    baseline: 'rpc',
    cases: [
      { label: '200', size: 200, repeats: 15 },
      { label: '1,000', size: 1_000, repeats: 7 },
      { label: '200 over 200 remotes', size: 200, params: { remotes: 200 }, repeats: 7 },
      { label: 'one at a time', size: 1, repeats: 41 },
      { label: '200, remote awaits 100 ms', size: 200, params: { delayMs: 100 }, repeats: 7 },
    ],
    quick: {
      cases: [
        { label: '10', size: 10 },
        { label: '10 over 10 remotes', size: 10, params: { remotes: 10 } },
        { label: '10, remote awaits 20 ms', size: 10, params: { delayMs: 20 } },
      ],
    },
    metric: 'elapsed',
    busy: { phase: 'callerBusy', label: 'caller kept waiting' },
    conclude(cases, at) {
      const rows = (c, v) => (c.variants[v].phases.rowsWritten?.median ?? 0) / c.size;
      const home = (c, v) => ms(c.variants[v].elapsedMs.median);
      const busy = (c, v) => ms(c.variants[v].phases.callerBusy.median);
      const lines = [];
      for (const label of ['200', '1,000']) {
        const c = at(label);
        if (!c) continue;
        lines.push(
          `${label} concurrent calls to one remote: every result home after ${home(c, 'rpc')} with raw RPC, ${home(c, 'call')} with \`call\` and ${home(c, 'durable')} with a durable call (${x(c.ratios.durable.median)} raw RPC), which sends them in one RPC and brings them home in few. The durable caller is kept waiting ${busy(c, 'durable')} (until the last acknowledgement), against ${busy(c, 'call')} for \`call\`, and writes ${rows(c, 'durable').toFixed(1)} rows per call (0 for the other two) and sets or deletes its platform alarm ${(c.variants.durable.phases.alarmWrites?.median ?? 0).toLocaleString('en-US')} times in the batch.`,
        );
      }
      const spread = cases.find((c) => c.params?.remotes);
      if (spread) {
        lines.push(`${spread.label}, nothing to batch: every result home after ${home(spread, 'rpc')} with raw RPC, ${home(spread, 'call')} with \`call\` and ${home(spread, 'durable')} with a durable call (${x(spread.ratios.durable.median)} raw RPC).`);
      }
      const single = cases.find((c) => c.size === 1);
      if (single) {
        lines.push(`One call at a time: ${home(single, 'rpc')} with raw RPC, ${home(single, 'call')} with \`call\`, ${home(single, 'durable')} with a durable call (two RPCs and two storage commits on the caller).`);
      }
      const slow = cases.find((c) => c.params?.delayMs);
      if (slow) {
        lines.push(
          `When the remote awaits ${slow.params.delayMs} ms (${slow.size} concurrent): the durable caller waits ${busy(slow, 'durable')}, \`call\` ${busy(slow, 'call')}, raw RPC ${busy(slow, 'rpc')}; every result is home after ${home(slow, 'durable')}, ${home(slow, 'call')} and ${home(slow, 'rpc')}.`,
        );
      }
      const c = at('200');
      if (c) {
        lines.push(
          `The other way home, one round trip per call with the caller settling its own row, brings the 200 home in ${home(c, 'roundTrip')} (${x(c.ratios.roundTrip.median)} raw RPC) and keeps the caller waiting the whole time (${busy(c, 'roundTrip')}${slow ? `; ${busy(slow, 'roundTrip')} when the remote awaits ${slow.params.delayMs} ms` : ''}), and a caller that restarts would have to send every pending call again.`,
        );
      }
      return lines;
    },
  },

  // --- 2. Alarm delay -----------------------------------------------------------------
  alarmDelay,

  // --- 3. proxy-fetch (registered; runs once lib/proxy-fetch exists) ------------------
  {
    id: 'proxy-fetch',
    title: 'proxy-fetch: direct fetch vs proxyFetch vs proxyFetchSimple',
    question:
      'How long do 100 concurrent fetches take from a DO directly, through `proxyFetch` and through `proxyFetchSimple` (each with the FetchExecutor WorkerEntrypoint and the RpcTarget executor), against an origin answering in 0 ms and in 100 ms, and how long is the DO kept waiting?',
    binding: 'PROXY_FETCH_BENCH',
    variants: {
      direct: 'direct',
      proxyFetchWorker: 'proxyFetchWorker',
      proxyFetchRpcTarget: 'proxyFetchRpcTarget',
      simpleWorker: 'proxyFetchSimpleWorker',
      simpleRpcTarget: 'proxyFetchSimpleRpcTarget',
    },
    labels: {
      direct: 'direct fetch',
      proxyFetchWorker: 'proxyFetch, FetchExecutor',
      proxyFetchRpcTarget: 'proxyFetch, RpcTarget',
      simpleWorker: 'proxyFetchSimple, FetchExecutor',
      simpleRpcTarget: 'proxyFetchSimple, RpcTarget',
    },
    baseline: 'direct',
    // The run starts a local origin server (harness.mjs startOrigin) and passes its URL as params.origin.
    origin: true,
    cases: [
      { label: '100, origin answers in 0 ms', size: 100, params: { delayMs: 0 } },
      { label: '100, origin answers in 100 ms', size: 100, params: { delayMs: 100 } },
    ],
    repeats: 9,
    quick: { cases: [{ label: '5, origin answers in 0 ms', size: 5, params: { delayMs: 0 } }] },
    metric: 'elapsed',
    busy: { phase: 'doBusy', label: 'DO kept waiting' },
    requires: ['lib/proxy-fetch/index.ts'],
    conclude(cases) {
      return cases.map((c) => {
        const v = (name) => c.variants[name];
        const busy = (name) => ms(v(name).phases.doBusy.median);
        return `${c.label}: all results home after ${ms(v('direct').elapsedMs.median)} fetching directly, ${ms(v('proxyFetchWorker').elapsedMs.median)} with \`proxyFetch\` and ${ms(v('simpleWorker').elapsedMs.median)} with \`proxyFetchSimple\` (FetchExecutor). The DO is kept waiting ${busy('direct')} fetching directly, against ${busy('proxyFetchWorker')} and ${busy('simpleWorker')} (until the last hand-over).`;
      });
    },
  },

  // --- 3b. proxy-fetch: what one fetch costs, in money ---------------------------------
  proxyFetchCost,

  // --- 3c. proxy-fetch: one orchestrator vs 16 shards ---------------------------------
  {
    id: 'proxy-fetch-shards',
    title: 'proxyFetch through 1 orchestrator vs 16 shards',
    question: 'How many proxied fetches per second go through one `FetchOrchestrator`, and through 16 shards of it, when 32 origins fetch at once?',
    binding: 'PROXY_FETCH_BENCH',
    instance: 'shards',
    variants: { one: 'oneOrchestrator', sixteen: 'sixteenShards' },
    labels: { one: '1 orchestrator', sixteen: '16 shards' },
    baseline: 'one',
    origin: true,
    cases: [{ label: '400 fetches from 32 origins, origin answers in 0 ms', size: 400, params: { delayMs: 0, origins: 32 } }],
    repeats: 5,
    quick: { cases: [{ label: '8 fetches from 4 origins', size: 8, params: { delayMs: 0, origins: 4 } }] },
    metric: 'opsPerSec',
    opsUnits: ['fetch', 'fetches'],
    requires: ['lib/proxy-fetch/shards.ts'],
    conclude(cases) {
      const c = cases[0];
      const rate = (v) => Math.round(c.variants[v].opsPerSec.median).toLocaleString('en-US');
      const cpu = (v) => `${((c.variants[v].cpuMs.median * 1000) / c.size).toFixed(0)} µs`;
      const busiest = (v) => `${Math.round(c.variants[v].phases.busiestShare.median * 100)}%`;
      return [
        `${c.size} fetches from ${c.params.origins} origins: ${rate('one')} fetches/s through one orchestrator, ${rate('sixteen')} through 16 shards (${x(c.ratios.sixteen.median)} the time; middle half of rounds ${x(c.ratios.sixteen.p25)}–${x(c.ratios.sixteen.p75)}). workerd spent ${cpu('one')} of CPU per fetch with one orchestrator and ${cpu('sixteen')} with 16.`,
        `The busiest orchestrator took ${busiest('one')} of the jobs with one instance and ${busiest('sixteen')} with 16 shards: where each Durable Object has a thread of its own, that share of the traffic is what one instance must keep up with.`,
      ];
    },
  },

  // --- 4. structured-clone -----------------------------------------------------------
  {
    id: 'structured-clone',
    title: 'structured-clone: stringify + parse vs structuredClone vs JSON',
    question:
      'How fast is a `stringify` + `parse` round trip compared with the platform’s `structuredClone` (rich data), and with `JSON.stringify` + `JSON.parse` (JSON-safe data)?',
    binding: 'CLONE_BENCH',
    variants: { structuredClone: 'viaStructuredClone', json: 'viaJson', lumenize: 'viaStringify', lumenizeSync: 'viaStringifySync' },
    labels: { structuredClone: 'structuredClone', json: 'JSON.stringify + parse', lumenize: 'stringify + parse', lumenizeSync: 'stringifySync + parse' },
    cases: CLONE_CASES,
    repeats: 7,
    quick: { cases: QUICK_CLONE_CASES },
    metric: 'opsPerSec',
    info: '/payload-sizes',
    markdown: (result) => `Payload sizes (characters of \`stringify\` output): ${Object.entries(result.info).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}.`,
    conclude(cases, at) {
      const line = (label, name) => {
        const c = at(label);
        if (!c) return undefined;
        const sync = c.ratios.lumenizeSync ? `; ${x(c.ratios.lumenizeSync.median)} with \`stringifySync\`` : '';
        return `${label}: ${Math.round(c.variants.lumenize.opsPerSec.median).toLocaleString('en-US')} round trips/s, ${x(c.ratios.lumenize.median)} the time of ${name} (target ≤ 1.50×: **${c.ratios.lumenize.median <= 1.5 ? 'met' : 'not met'}**)${sync}.`;
      };
      return [
        line('small rich', '`structuredClone`'),
        line('large rich', '`structuredClone`'),
        line('small JSON-safe', '`JSON.stringify` + `JSON.parse`'),
        line('large JSON-safe', '`JSON.stringify` + `JSON.parse`'),
      ].filter(Boolean);
    },
  },
  {
    id: 'structured-clone-peers',
    title: 'structured-clone vs @ungap/structured-clone, devalue and superjson',
    question:
      'How does a Lumenize `stringify` + `parse` round trip compare with the string round trips of `@ungap/structured-clone`, `devalue` and `superjson`, on the same payloads in the same run, and what does each keep?',
    worker: 'peers',
    binding: 'PEER_CLONE_BENCH',
    variants: { structuredClone: 'viaStructuredClone', json: 'viaJson', lumenize: 'viaStringify', ungap: 'viaUngap', devalue: 'viaDevalue', superjson: 'viaSuperjson' },
    labels: { structuredClone: 'structuredClone', json: 'JSON.stringify + parse', lumenize: 'Lumenize', ungap: '@ungap/structured-clone', devalue: 'devalue', superjson: 'superjson' },
    cases: peerCases(CLONE_CASES),
    repeats: 5,
    quick: { cases: peerCases(QUICK_CLONE_CASES) },
    metric: 'opsPerSec',
    info: '/fidelity',
    markdown: (result, render) => [serializerMatrix(result, render), fidelityTable(result.info, render)].join('\n\n'),
    conclude(cases) {
      const peers = ['ungap', 'devalue', 'superjson'];
      const ahead = cases.filter((c) => peers.every((p) => c.ratios[p] === undefined || c.ratios.lumenize.median < c.ratios[p].median));
      return [
        `Lumenize is the fastest of the four string serializers in ${ahead.length} of ${cases.length} cases${ahead.length < cases.length ? ` (not in: ${cases.filter((c) => !ahead.includes(c)).map((c) => c.label).join(', ')})` : ''}.`,
      ];
    },
  },

  // --- 5. Alarm scale --------------------------------------------------------------
  {
    id: 'alarm-scale',
    title: '10,000 schedules in one Durable Object',
    question: 'How long does it take to schedule 10,000 alarms in one DO, and to fire them all?',
    binding: 'ALARMS_BENCH',
    variants: { schedule: 'viaSchedule' },
    labels: { schedule: 'schedule(0, …) × n' },
    cases: [
      { label: '1,000', size: 1_000 },
      { label: '10,000', size: 10_000 },
    ],
    repeats: 5,
    quick: { sizes: [50] },
    metric: 'phases',
    phases: ['schedule', 'fire', 'firing', 'alarmToLast'],
    conclude(cases, at) {
      const c = at('10,000') ?? cases[cases.length - 1];
      const p = c.variants.schedule.phases;
      const small = cases[0] !== c ? cases[0] : undefined;
      const each = (phase, testCase) => testCase.variants.schedule.phases[phase].median / testCase.size;
      const firing = (testCase) => `${us(each('firing', testCase) * 1000)} at ${testCase.label}`;
      return [
        `${c.label} schedules: ${ms(p.schedule.median)} to schedule (${us((p.schedule.median * 1000) / c.size)} each) and ${ms(p.fire.median)} to fire them all (${us((p.fire.median * 1000) / c.size)} each); every handler ran.`,
        `Firing costs ${cases.map(firing).join(' and ')} per schedule, first handler to last (${cases.map((testCase) => `${us(each('alarmToLast', testCase) * 1000)}`).join(' and ')} from the platform alarm entering \`alarm()\`).`,
        small &&
          `Per schedule, ${c.label} cost ${x(each('schedule', c) / each('schedule', small))} to schedule and ${x(each('fire', c) / each('fire', small))} to fire what ${small.label} did.`,
      ].filter(Boolean);
    },
  },
  {
    id: 'alarm-peers',
    title: 'Alarms vs @cloudflare/actors and the Agents SDK',
    question:
      'What does scheduling n one-shot tasks in one Durable Object, and firing them, cost per task with Lumenize’s alarms, `@cloudflare/actors`’ Alarms and the Agents SDK’s `schedule()`, and does each task run exactly once?',
    worker: 'peers',
    binding: 'PEER_ALARMS_BENCH',
    variants: { ours: 'ours', actors: 'actors', agents: 'agents' },
    labels: { ours: 'Lumenize schedule(0, …)', actors: '@cloudflare/actors schedule(1, …)', agents: 'agents schedule(0, …)' },
    cases: [
      { label: '1,000', size: 1_000, repeats: 5 },
      { label: '10,000', size: 10_000, repeats: 3 },
    ],
    quick: { sizes: [20] },
    metric: 'phases',
    phases: ['schedule', 'fire'],
    markdown: alarmMatrix,
    conclude(cases) {
      const each = (c, v, phase) => c.variants[v].phases[phase].median * 1000 / c.size;
      return cases.map((c) => {
        const once = Object.keys(c.variants).filter((v) => c.variants[v].runs.every((r) => r.completed === c.size && r.failed === 0));
        return `${c.label} tasks: scheduling costs ${us(each(c, 'ours', 'schedule'))} per task with Lumenize, ${us(each(c, 'actors', 'schedule'))} with @cloudflare/actors and ${us(each(c, 'agents', 'schedule'))} with agents; firing costs ${us(each(c, 'ours', 'fire'))}, ${us(each(c, 'actors', 'fire'))} and ${us(each(c, 'agents', 'fire'))}. Every task ran exactly once with ${once.length === 3 ? 'all three' : once.map((v) => experimentLabel(c, v)).join(' and ') || 'none'}.`;
      });
    },
  },
];

/**
 * The cases of an experiment: `cases` as given, or one per entry of `sizes`.
 * In quick mode, `quick.cases`/`quick.sizes` replace them.
 */
export function casesOf(experiment, quick) {
  const source = quick && experiment.quick ? experiment.quick : experiment;
  if (source.cases) return source.cases.map((c) => ({ params: {}, ...c }));
  return source.sizes.map((size) => ({ label: String(size), size, params: {} }));
}

/**
 * Short Markdown summaries that other docs pages import, by file name under
 * website/docs/performance/_generated/. `find(id)` returns an experiment's
 * result (`{ cases, ... }`) from this run, or undefined.
 */
export const summaries = {
  'call-summary.md'(find, meta) {
    const call = find('call');
    const slow = find('call-slow-remote');
    if (!call?.cases || !slow?.cases) return undefined;
    const r = (c, v) => (c.ratios[v] ? x(c.ratios[v].median) : '–');
    const rows = call.cases.map((c) => `| ${c.label} | ${us(c.variants.rpc.perOpUs.median)} | ${r(c, 'call')} | ${r(c, 'callRaw')} | ${r(c, 'callRawApart')} | ${r(c, 'fireAndForget')} |`);
    const s = slow.cases[0];
    const v = (name) => s.variants[name];
    return [
      '| concurrent calls | raw RPC per operation | `call` | `callRaw` | `callRaw`, one RPC each | fire-and-forget |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Times are per operation, relative to raw RPC measured in the same rounds (median). \`call\` and \`callRaw\` made together to one target travel up to 100 in one RPC; \`callRaw\`, one RPC each, is a call made alone (each in a synchronous stretch of its own). When the remote method awaits 100 ms (${s.size} concurrent): with \`call\` all results are home after ${ms(v('call').elapsedMs.median)} and the caller waits with work in flight that whole time; with fire-and-forget they are home after ${ms(v('fireAndForget').elapsedMs.median)} and the caller waits ${ms(v('fireAndForget').phases.callerBusy.median)}, until the last acknowledgement. Measured on ${meta.date.slice(0, 10)}, local workerd, ${meta.cpu}.`,
      '',
    ].join('\n');
  },
  'call-durable-summary.md'(find, meta) {
    const durable = find('call-durable');
    if (!durable?.cases) return undefined;
    const plain = durable.cases.filter((c) => !c.params?.delayMs);
    const slow = durable.cases.find((c) => c.params?.delayMs);
    const columns = ['rpc', 'call', 'durable', 'roundTrip'];
    const cell = (value) => (value === undefined ? '–' : ms(value));
    const row = (label, pick) => `| ${label} | ${columns.map((v) => pick(v)).join(' | ')} |`;
    const rows = [];
    for (const c of [...plain, ...(slow ? [slow] : [])]) {
      rows.push(row(`${c.label}: all results home`, (v) => cell(c.variants[v]?.elapsedMs.median)));
      rows.push(row(`${c.label}: caller kept waiting`, (v) => cell(c.variants[v]?.phases.callerBusy?.median)));
    }
    const first = plain[0] ?? durable.cases[0];
    const perCall = (v, phase) => ((first.variants[v]?.phases[phase]?.median ?? 0) / first.size).toFixed(phase === 'alarmWrites' ? 2 : 1);
    rows.push(row('rows written per call', (v) => perCall(v, 'rowsWritten')));
    rows.push(row('platform alarm writes per call', (v) => perCall(v, 'alarmWrites')));
    const rounds = durable.cases.map((c) => c.variants.durable.runs.length);
    const roundsText = Math.min(...rounds) === Math.max(...rounds) ? `${rounds[0]}` : `${Math.min(...rounds)} to ${Math.max(...rounds)}`;
    return [
      '| | raw RPC | `call` | durable `call` | durable, one round trip (not shipped) |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Medians of ${roundsText} rounds per case, all made at once to one remote Durable Object unless the case says otherwise ("one at a time": batches of one call); "caller kept waiting" is how long the caller had work in flight that kept it from hibernating (for a durable call: until the last hand-over was answered); rows and alarm writes are the 200 case's, per call. Measured on ${meta.date.slice(0, 10)}, local workerd, ${meta.cpu}.`,
      '',
    ].join('\n');
  },
  'alarms-summary.md'(find, meta) {
    const delay = find('alarm-delay');
    const scale = find('alarm-scale');
    if (!delay?.cases || !scale?.cases) return undefined;
    const d = delay.cases[0];
    const big = scale.cases.find((c) => c.size === 10_000) ?? scale.cases[scale.cases.length - 1];
    const p = big.variants.schedule.phases;
    return `**Performance.** Measured on ${meta.date.slice(0, 10)} (local workerd, ${meta.cpu}): ${big.label} schedules in one object take ${ms(p.schedule.median)} to schedule and ${ms(p.fire.median)} to fire; running work through \`schedule(0, …)\` instead of calling it directly adds ${us(d.variants.schedule.perOpUs.median - d.variants.direct.perOpUs.median)} per operation, plus the platform alarm's latency. Details on the [Performance](/docs/performance) page.\n`;
  },
};
