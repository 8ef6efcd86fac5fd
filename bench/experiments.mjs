// The experiments `npm run bench` runs, in order. One entry per experiment:
//
//   id         stable name: results key, chart file, docs partial
//   title      what the table and chart are called
//   question   what the experiment answers (shown on the Performance page)
//   binding    the ExperimentController DO (bench/wrangler.jsonc)
//   variants   { name: method }: the controller methods to compare
//   baseline   the variant every other is divided by, round by round
//   sizes      batch sizes, or `cases: [{ label, size, params, variants? }]`
//   repeats    recorded rounds per case (after `warmup` unrecorded ones)
//   quick      what --quick uses instead (tiny batches)
//   metric     what the table and chart show: 'perOp' (µs per operation,
//              the default), 'elapsed' (ms per batch), 'opsPerSec' or 'phases'
//   phases     with 'phases': which phases to show (default: all)
//   busy       with 'elapsed': { phase, label } of the phase saying how long
//              the caller had work in flight
//   origin     true: the run starts a local origin server, params.origin
//   conclude   (cases, lookup) => sentences with the measured numbers
//   requires   files (from the repo root) without which it is skipped
//   skip       a reason, to keep an experiment registered but not run
//
// A new experiment: a method on an ExperimentController subclass in
// examples/bench/, and an entry here. This file imports nothing, so the smoke
// test (test/bench/smoke.test.ts) runs the same entries inside workerd.

const x = (ratio) => `${ratio.toFixed(2)}×`;
const us = (value) => (value >= 100 ? `${Math.round(value)} µs` : `${value.toFixed(1)} µs`);
const ms = (value) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

// #region alarm-delay
// Experiment 2 (its controller methods are in examples/bench/alarms.ts).
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

export const experiments = [
  // --- 1. call --------------------------------------------------------------------
  {
    id: 'call',
    title: 'call vs raw Workers RPC',
    question:
      'What does a `call` cost per operation compared with a plain `stub.method()` RPC doing the same work, at 50 to 5,000 concurrent operations, and do 5,000 complete with none lost?',
    binding: 'CALL_BENCH',
    variants: { rpc: 'viaRpc', callRaw: 'viaCallRaw', call: 'viaCall', fireAndForget: 'viaFireAndForget' },
    labels: { rpc: 'raw RPC', callRaw: 'callRaw', call: 'call (one round trip)', fireAndForget: 'fire-and-forget' },
    baseline: 'rpc',
    cases: [
      { label: '50', size: 50, repeats: 41 },
      { label: '100', size: 100, repeats: 41 },
      { label: '200', size: 200, repeats: 41 },
      { label: '1,000', size: 1_000, repeats: 15 },
      { label: '5,000', size: 5_000, repeats: 7 },
    ],
    quick: { sizes: [5, 20] },
    conclude(cases, at) {
      const c200 = at('200');
      const ratio = c200?.ratios.call?.median;
      const big = cases.find((c) => c.size === 5_000) ?? cases[cases.length - 1];
      const lost = big ? Object.values(big.variants).some((v) => v.runs.some((r) => r.completed !== big.size)) : true;
      return [
        ratio === undefined
          ? 'No 200-operation case in this run.'
          : `At 200 concurrent operations, \`call\` takes ${x(ratio)} the time of raw RPC per operation (${us(c200.variants.call.perOpUs.median)} vs ${us(c200.variants.rpc.perOpUs.median)}; middle half of rounds ${x(c200.ratios.call.p25)}–${x(c200.ratios.call.p75)}). Target ≤ 1.10×: **${ratio <= 1.1 ? 'met' : 'not met'}**.`,
        big && `At ${big.label} concurrent operations every variant completed every operation in every round${lost ? ' — **except as noted in the problems below**' : ''}: no hang, no loss.`,
        c200 && `Fire-and-forget costs ${x(c200.ratios.fireAndForget.median)} raw RPC at 200 (two RPCs per operation), against ${x(ratio)} for the one-round-trip \`call\`.`,
      ].filter(Boolean);
    },
  },
  {
    id: 'call-breakdown',
    title: 'Where call’s extra time goes (200 concurrent)',
    question: 'How much of the gap between `call` and raw RPC is the bigger message, and how much is JavaScript on either end?',
    binding: 'CALL_BENCH',
    variants: { rpc: 'viaRpc', rpcPayload: 'viaRpcWithCallPayload', callRaw: 'viaCallRaw', call: 'viaCall' },
    labels: { rpc: 'raw RPC', rpcPayload: 'raw RPC, call-sized messages', callRaw: 'callRaw', call: 'call' },
    baseline: 'rpc',
    cases: [{ label: '200', size: 200 }],
    repeats: 41,
    quick: { sizes: [10] },
    conclude(cases) {
      const c = cases[0];
      const base = c.variants.rpc.perOpUs.median;
      const payload = c.variants.rpcPayload.perOpUs.median - base;
      const js = c.variants.call.perOpUs.median - c.variants.rpcPayload.perOpUs.median;
      return [
        `Raw RPC: ${us(base)} per operation. Sending a call's envelope and outcome instead of a number adds ${us(payload)}; the JavaScript of the door on both ends (sealing, opening, running the chain and the continuation, the timeout) adds ${us(js)} more.`,
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
      const phases = cases[0].variants.steps.phases;
      const total = Object.values(phases).reduce((sum, p) => sum + p.median, 0);
      return [
        `Together the steps take ${us((total * 1000) / cases[0].size)} per call when each runs alone in a hot loop; inside a real batch they cost more (garbage collection, cold caches, interleaving), as the breakdown above shows.`,
      ];
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

  // --- 4. structured-clone -----------------------------------------------------------
  {
    id: 'structured-clone',
    title: 'structured-clone: stringify + parse vs structuredClone vs JSON',
    question:
      'How fast is a `stringify` + `parse` round trip compared with the platform’s `structuredClone` (rich data), and with `JSON.stringify` + `JSON.parse` (JSON-safe data)?',
    binding: 'CLONE_BENCH',
    variants: { structuredClone: 'viaStructuredClone', json: 'viaJson', lumenize: 'viaStringify' },
    labels: { structuredClone: 'structuredClone', json: 'JSON.stringify + parse', lumenize: 'stringify + parse' },
    cases: [
      { label: 'small rich', size: 20_000, params: { payload: 'small' }, variants: ['structuredClone', 'lumenize'], baseline: 'structuredClone' },
      { label: 'large rich', size: 60, params: { payload: 'large' }, variants: ['structuredClone', 'lumenize'], baseline: 'structuredClone' },
      { label: 'small JSON-safe', size: 20_000, params: { payload: 'small-json' }, variants: ['json', 'structuredClone', 'lumenize'], baseline: 'json' },
      { label: 'large JSON-safe', size: 60, params: { payload: 'large-json' }, variants: ['json', 'structuredClone', 'lumenize'], baseline: 'json' },
    ],
    repeats: 7,
    quick: {
      cases: [
        { label: 'small rich', size: 20, params: { payload: 'small' }, variants: ['structuredClone', 'lumenize'], baseline: 'structuredClone' },
        { label: 'small JSON-safe', size: 20, params: { payload: 'small-json' }, variants: ['json', 'lumenize'], baseline: 'json' },
      ],
    },
    metric: 'opsPerSec',
    info: '/payload-sizes',
    conclude(cases, at) {
      const line = (label, baseline, name) => {
        const c = at(label);
        if (!c) return undefined;
        return `${label}: ${Math.round(c.variants.lumenize.opsPerSec.median).toLocaleString('en-US')} round trips/s, ${x(c.ratios.lumenize.median)} the time of ${name}.`;
      };
      return [
        line('small rich', 'structuredClone', '`structuredClone`'),
        line('large rich', 'structuredClone', '`structuredClone`'),
        line('small JSON-safe', 'json', '`JSON.stringify` + `JSON.parse`'),
        line('large JSON-safe', 'json', '`JSON.stringify` + `JSON.parse`'),
      ].filter(Boolean);
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
    const rows = call.cases.map((c) => `| ${c.label} | ${us(c.variants.rpc.perOpUs.median)} | ${r(c, 'call')} | ${r(c, 'callRaw')} | ${r(c, 'fireAndForget')} |`);
    const s = slow.cases[0];
    const v = (name) => s.variants[name];
    return [
      '| concurrent calls | raw RPC per operation | `call` | `callRaw` | fire-and-forget |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Times are per operation, relative to raw RPC measured in the same rounds (median). When the remote method awaits 100 ms (${s.size} concurrent): with \`call\` all results are home after ${ms(v('call').elapsedMs.median)} and the caller waits with work in flight that whole time; with fire-and-forget they are home after ${ms(v('fireAndForget').elapsedMs.median)} and the caller waits ${ms(v('fireAndForget').phases.callerBusy.median)}, until the last acknowledgement. Measured on ${meta.date.slice(0, 10)}, local workerd, ${meta.cpu}.`,
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
