// #region usage
// The Node side of the bench: starts the bench Worker under workerd and
// drives its ExperimentControllers in batches.
//
//   const bench = await startBench();          // Miniflare (workerd), local only
//   const result = await bench.batch({ binding, instance, method, size, params });
//   const cases = await runExperiment(bench, experiment, { quick });
//   await bench.dispose();
//
// Each batch is timed twice: inside the Durable Object (`elapsedMs`, from
// just before the first send to the last completion) and here around the
// HTTP request (`clientMs`, which adds the client↔Worker hop). Every
// comparison is a ratio against the baseline variant measured in the same
// round, and rounds alternate the order of the variants, so drift in the
// machine's speed cancels out.
// #endregion usage
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { casesOf } from './experiments.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const fromWrangler = createRequire(require.resolve('wrangler/package.json'));

/**
 * Starts the bench Worker (bench/wrangler.jsonc) locally and returns a client.
 *
 * Wrangler reads the config, bundles the Worker as `wrangler dev` would and
 * runs it under workerd, with no file watching: a file edited during a run
 * cannot reload the Worker mid-measurement. Nothing leaves the machine: no
 * account, no remote bindings, no `Request.cf` download.
 */
export async function startBench({ config = path.join(repoRoot, 'bench/wrangler.jsonc'), name = 'bench Worker', log = () => {} } = {}) {
  const started = performance.now();
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  const { unstable_startWorker } = await import('wrangler');
  const worker = await unstable_startWorker({
    config,
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: process.env.BENCH_INSPECTOR ? { port: Number(process.env.BENCH_INSPECTOR) } : false,
      watch: false,
      logLevel: 'warn',
    },
  });
  await worker.ready;
  const url = await worker.url;
  log(`${name} up at ${url.origin} in ${Math.round(performance.now() - started)} ms`);
  return {
    url,
    /** Runs one batch on a controller; resolves with its BatchResult plus `clientMs`. */
    async batch({ binding, instance = 'bench', method, size, batches, params = {} }) {
      const sent = performance.now();
      const cpuBefore = workerdCpuMs();
      const response = await fetch(new URL('/batch', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ binding, instance, method, size, batches, params }),
        // A hung batch fails the run instead of hanging it.
        signal: AbortSignal.timeout(180_000),
      });
      const body = await response.json();
      const clientMs = performance.now() - sent;
      if (!response.ok) throw new Error(`${binding}.${method}(${size}) failed: ${body.error ?? response.status}`);
      return { ...body, clientMs, cpuMs: workerdCpuMs() - cpuBefore };
    },
    /** GETs a JSON route of the bench Worker (e.g. /payload-sizes). */
    async get(route) {
      const response = await fetch(new URL(route, url));
      if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    dispose: () => worker.dispose(),
  };
}

/**
 * CPU time, in ms, that every workerd process this Node process started has
 * used so far, all threads (Linux: /proc/<pid>/task/<tid>/schedstat, in ns);
 * NaN elsewhere. Around a batch it measures the CPU of everything the batch
 * ran in workerd: every Worker and Durable Object it touched, and the
 * runtime's own work for them (RPC, I/O), but not the Node side (client,
 * origin server).
 */
export function workerdCpuMs() {
  if (process.platform !== 'linux') return NaN;
  const children = new Map();
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      children.set(pid, { parent: fields[1], name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // The process ended while being read.
    }
  }
  const ours = (pid) => {
    for (let at = children.get(pid)?.parent; at; at = children.get(at)?.parent) if (at === String(process.pid)) return true;
    return false;
  };
  let ns = 0;
  for (const [pid, { name }] of children) {
    if (name !== 'workerd' || !ours(pid)) continue;
    try {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The process ended while being read.
    }
  }
  return ns / 1e6;
}

/**
 * Makes sure the peer libraries (`bench/peers`, their own package, apart
 * from the main install) are installed from their lockfile: on first use,
 * or after the lockfile changed. Offline, an npm cache that has them is
 * enough. Returns why they could not be installed, or undefined.
 */
export function installPeers({ log = () => {} } = {}) {
  const dir = path.join(repoRoot, 'bench/peers');
  const installed = path.join(dir, 'node_modules/.package-lock.json');
  const mtime = (file) => fs.statSync(file).mtimeMs;
  if (fs.existsSync(installed) && mtime(installed) >= mtime(path.join(dir, 'package-lock.json'))) return undefined;
  log('Installing the peer libraries into bench/peers (first use; about 90 MB)…');
  const npm = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (npm.status === 0) return undefined;
  const why = npm.error?.message ?? npm.stderr.split('\n').find((line) => /ERR!/.test(line)) ?? `exit code ${npm.status}`;
  return `The peer libraries could not be installed (npm ci in bench/peers: ${why}). Run it once with access to the npm registry.`;
}

/**
 * A local origin server for fetch experiments: answers any GET with a small
 * JSON body after `?delay=<ms>` milliseconds (0 by default).
 */
export async function startOrigin() {
  const server = http.createServer((request, response) => {
    const delay = Number(new URL(request.url ?? '/', 'http://origin').searchParams.get('delay') ?? 0);
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, delay }));
    }, delay);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/origin`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// -----------------------------------------------------------------------------
// Statistics
// -----------------------------------------------------------------------------

/** Median, quartiles, min and max of a list of numbers. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => {
    if (sorted.length === 0) return NaN;
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  return { median: at(0.5), p25: at(0.25), p75: at(0.75), min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

// -----------------------------------------------------------------------------
// Running an experiment
// -----------------------------------------------------------------------------

/**
 * Runs every case of `experiment`: `warmup` unrecorded rounds, then `repeats`
 * rounds of all variants, alternating their order (baseline first on even
 * rounds, last on odd ones). `params` are added to every case's (e.g. the
 * URL of a local origin server). Returns per case, per variant, the runs and their
 * summaries, and per non-baseline variant the ratio to the baseline of the
 * same round.
 */
export async function runExperiment(bench, experiment, { quick = false, params = {}, log = () => {} } = {}) {
  const warmup = quick ? 0 : (experiment.warmup ?? 1);
  const cases = [];
  for (const testCase of casesOf(experiment, quick)) {
    const repeats = quick ? (experiment.quick?.repeats ?? 2) : (testCase.repeats ?? experiment.repeats ?? 5);
    const variants = testCase.variants ?? Object.keys(experiment.variants);
    const runs = Object.fromEntries(variants.map((v) => [v, []]));
    const problems = [];
    for (let round = -warmup; round < repeats; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = await bench.batch({
          binding: experiment.binding,
          instance: experiment.instance ?? experiment.id,
          method: experiment.variants[variant],
          size: testCase.size,
          batches: testCase.batches,
          params: { ...testCase.params, ...params },
        });
        if (result.completed !== result.size || result.failed !== 0) {
          problems.push(`${variant} round ${round}: ${result.completed} of ${result.size} completed, ${result.failed} failed${result.firstError ? ` (first: ${result.firstError})` : ''}`);
        }
        if (round >= 0) runs[variant].push(result);
      }
    }
    // A case with `batches` runs that many batches per round, timed together.
    const ops = testCase.size * (testCase.batches ?? 1);
    const summary = {};
    for (const variant of variants) {
      const elapsed = runs[variant].map((r) => r.elapsedMs);
      const phases = {};
      for (const name of Object.keys(runs[variant][0]?.phases ?? {})) phases[name] = summarize(runs[variant].map((r) => r.phases[name]));
      summary[variant] = {
        elapsedMs: summarize(elapsed),
        clientMs: summarize(runs[variant].map((r) => r.clientMs)),
        perOpUs: summarize(elapsed.map((ms) => (ms * 1000) / ops)),
        opsPerSec: summarize(elapsed.map((ms) => (ms > 0 ? (ops * 1000) / ms : Infinity))),
        phases,
        cpuMs: summarize(runs[variant].map((r) => r.cpuMs)),
        runs: runs[variant].map(({ elapsedMs, clientMs, cpuMs, completed, failed, phases: p }) => ({ elapsedMs, clientMs: round1(clientMs), cpuMs: round1(cpuMs), completed, failed, phases: p })),
      };
    }
    const ratios = {};
    const baseline = testCase.baseline ?? experiment.baseline;
    if (baseline && runs[baseline]) {
      for (const variant of variants) {
        if (variant === baseline) continue;
        // Same round, same machine state: variant time over baseline time.
        const perRound = runs[variant].map((r, i) => r.elapsedMs / Math.max(runs[baseline][i].elapsedMs, 0.5));
        ratios[variant] = summarize(perRound);
      }
    }
    const entry = { label: testCase.label, size: testCase.size, batches: testCase.batches, params: testCase.params, baseline, variants: summary, ratios, problems };
    log(entry);
    cases.push(entry);
  }
  return cases;
}

/** Where and when: the machine, the runtime and the toolchain. */
export function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: require('wrangler/package.json').version,
    workerd: createRequire(fromWrangler.resolve('miniflare'))('workerd/package.json').version,
  };
}

function round1(x) {
  return Math.round(x * 10) / 10;
}
