#!/usr/bin/env node
// `npm run test:consumer`: the library as a user gets it. In a temporary
// folder, and using nothing from this repository but the packed tarball and
// the starter project (examples/starter/), it
//   1. packs the package (`npm pack`, whose prepack builds dist/) and checks
//      the tarball holds only the build, README, LICENSE and package.json,
//      and that each runtime dependency is pinned to one version and has no
//      dependencies of its own (so a user installs one package each);
//   2. installs that tarball into a copy of the starter, with the starter's
//      devDependencies and the package's runtime dependencies at the versions
//      this repo's lockfile already has, offline from npm's cache (a lockfile
//      for the copy is cut from the root one);
//   3. type-checks the starter as a user would (strict, lib ES2022, the
//      runtime types from `wrangler types`, skipLibCheck off, no Node types),
//      then the package's entry points against @cloudflare/workers-types,
//      under both Bundler and NodeNext resolution;
//   4. bundles the starter with `wrangler deploy --dry-run` and prints the size;
//   5. runs the starter's tests (its own vitest, under @cloudflare/vitest-plugin);
//   6. runs a one-class Worker on compatibility dates older than Lumenize
//      supports: before Node.js compatibility (2026-08-04) its first Durable
//      Object must fail with an Error naming both `nodejs_als` and
//      `durable_object_io_tasks_prevent_eviction`, and with `nodejs_als` alone
//      naming the second; after it but before 2026-10-01, naming the second;
//      with both flags it must work.
// A failure names its step. KEEP=1 keeps the temporary folder.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// No network here: wrangler should not try to download `Request.cf` data.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const starterSource = path.join(repoRoot, 'examples/starter');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lumenize-consumer-'));
const starter = path.join(work, 'starter');
const stepNames = ['pack', 'install', 'type-check', 'bundle', 'starter tests', 'missing flag'];
let current = 0;

class StepFailure extends Error {}

function say(text) {
  console.log(`consumer: ${text}`);
}

/** Runs a command to completion; returns its standard output, or throws with the tail of all it printed. */
function run(command, args, { cwd = starter, show = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, PWD: cwd },
    encoding: 'utf8',
    stdio: show ? 'inherit' : 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    const tail = output.trim().split('\n').slice(-40).join('\n');
    throw new StepFailure(`\`${[path.basename(command), ...args].join(' ')}\` exited with ${result.status ?? result.signal}${tail ? `:\n${tail}` : ''}`);
  }
  return result.stdout ?? '';
}

/** A tool the copy installed, run with this Node (wrangler needs Node 22, which `npm run` provides). */
function runBin(pkg, bin, args, options) {
  const manifest = JSON.parse(fs.readFileSync(path.join(starter, 'node_modules', pkg, 'package.json'), 'utf8'));
  const file = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin];
  return run(process.execPath, [path.join(starter, 'node_modules', pkg, file), ...args], options);
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

// --- 1. pack ------------------------------------------------------------------

function pack() {
  const output = run('npm', ['pack', '--pack-destination', work], { cwd: repoRoot });
  const tarball = path.join(work, output.trim().split('\n').pop().trim());
  if (!fs.existsSync(tarball)) throw new StepFailure(`npm pack did not write the tarball it named (${tarball})`);
  const files = run('tar', ['-tzf', tarball], { cwd: work }).trim().split('\n');
  const allowed = /^package\/(package\.json|README\.md|LICENSE|dist\/.+\.(js|js\.map|d\.ts))$/;
  const stray = files.filter((file) => !allowed.test(file));
  if (stray.length) throw new StepFailure(`the tarball holds files a user should not get:\n  ${stray.join('\n  ')}`);
  const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: work }));
  const missing = Object.entries(manifest.exports)
    .flatMap(([, target]) => (typeof target === 'string' ? [target] : Object.values(target)))
    .filter((target) => !files.includes(`package/${target.replace(/^\.\//, '')}`));
  if (missing.length) throw new StepFailure(`package.json exports files the tarball lacks: ${missing.join(', ')}`);
  const rootLock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')).packages;
  for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
    if (!/^\d+\.\d+\.\d+$/.test(version)) throw new StepFailure(`runtime dependency ${name} is "${version}": pin it to one version`);
    const locked = rootLock[`node_modules/${name}`];
    if (locked?.version !== version) throw new StepFailure(`runtime dependency ${name}@${version} is not what the root package-lock.json has (${locked?.version})`);
    const own = Object.keys({ ...locked.dependencies, ...locked.optionalDependencies, ...locked.peerDependencies });
    if (own.length) throw new StepFailure(`runtime dependency ${name} has dependencies of its own (${own.join(', ')}): a user would install those too`);
  }
  const dependencies = Object.entries(manifest.dependencies ?? {}).map(([name, version]) => `${name}@${version}`);
  say(`packed ${path.basename(tarball)}: ${files.length} files, ${(fs.statSync(tarball).size / 1024).toFixed(1)} KiB; runtime dependencies: ${dependencies.join(', ') || 'none'}`);
  return { tarball, manifest };
}

// --- 2. install ---------------------------------------------------------------

/**
 * A package-lock.json for the copy, cut from the root lockfile: the starter's
 * devDependencies as the root resolved them, with everything they need at the
 * same paths (a sub-tree of a valid node_modules layout is itself valid), so
 * `npm ci` fetches nothing new. `lumenize-do` is the tarball; its runtime
 * dependencies are the root's own.
 */
function lockFor(pkg, tarball, manifest) {
  const rootLock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  const entries = rootLock.packages;
  const chosen = new Map();
  const resolveFrom = (from, name) => {
    // Node's lookup: the nearest node_modules/<name> at or above `from`.
    for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (entries[candidate]) return candidate;
      if (!dir) return undefined;
    }
  };
  const visit = (from, name, required) => {
    const at = resolveFrom(from, name);
    if (!at) {
      if (required) throw new StepFailure(`${from || 'the starter'} needs ${name}, which the root package-lock.json does not have`);
      return;
    }
    if (chosen.has(at)) return;
    const entry = entries[at];
    chosen.set(at, entry);
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, true);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.peerDependencies ?? {})) if (!optionalPeers[dep]?.optional) visit(at, dep, true);
  };
  for (const name of Object.keys(pkg.devDependencies)) visit('', name, true);
  const runtime = Object.keys(manifest.dependencies ?? {});

  const integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  const packages = {
    '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, devDependencies: pkg.devDependencies },
    'node_modules/lumenize-do': {
      version: '0.1.0',
      resolved: pkg.dependencies['lumenize-do'],
      integrity,
      license: 'MIT',
      ...(runtime.length ? { dependencies: manifest.dependencies } : {}),
    },
  };
  for (const [at, entry] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) packages[at] = { ...entry, dev: true };
  // Zero-dependency packages (checked at pack), at the top level, as npm places them.
  for (const name of runtime) {
    const { dev: _dev, ...entry } = entries[`node_modules/${name}`];
    packages[`node_modules/${name}`] = entry;
  }
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
}

function install({ tarball, manifest }) {
  const skip = new Set(['node_modules', '.wrangler', 'worker-configuration.d.ts']);
  fs.cpSync(starterSource, starter, { recursive: true, filter: (source) => !skip.has(path.basename(source)) });
  const pkg = JSON.parse(fs.readFileSync(path.join(starter, 'package.json'), 'utf8'));
  if (!pkg.dependencies?.['lumenize-do']) throw new StepFailure('examples/starter/package.json does not depend on lumenize-do');
  pkg.dependencies['lumenize-do'] = `file:../${path.basename(tarball)}`;
  // For step 3's second pass: the package's types against @cloudflare/workers-types too.
  const rootPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  pkg.devDependencies['@cloudflare/workers-types'] = rootPackage.devDependencies['@cloudflare/workers-types'];
  writeJson(path.join(starter, 'package.json'), pkg);
  writeJson(path.join(starter, 'package-lock.json'), lockFor(pkg, tarball, manifest));
  try {
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund']);
  } catch (error) {
    throw new StepFailure(
      `${error.message}\n(Offline, from npm's cache: run \`npm ci\` at the root first. The starter's devDependencies ` +
        'must accept the versions in the root package-lock.json: align examples/starter/package.json with the root package.json.)',
    );
  }
  const installed = path.join(starter, 'node_modules/lumenize-do');
  if (fs.lstatSync(installed).isSymbolicLink()) throw new StepFailure('node_modules/lumenize-do is a link, not the unpacked tarball');
  const stray = ['lib', 'test', 'examples', 'website', 'bench'].filter((dir) => fs.existsSync(path.join(installed, dir)));
  if (stray.length) throw new StepFailure(`the installed package holds ${stray.join(', ')}`);
  if (fs.existsSync(path.join(starter, 'node_modules/@types/node'))) {
    throw new StepFailure("@types/node was installed: the check must show the package's types need nothing from Node");
  }
  say(`installed the tarball and ${fs.readdirSync(path.join(starter, 'node_modules')).length} top-level packages into ${starter}`);
}

// --- 3. type-check ------------------------------------------------------------

function typeCheck({ manifest }) {
  runBin('wrangler', 'wrangler', ['types']);
  runBin('typescript', 'tsc', ['-p', 'tsconfig.json']);
  runBin('typescript', 'tsc', ['-p', 'test']);
  // Every entry point, alone, as a user with @cloudflare/workers-types sees it.
  const lines = Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath, index) => `export * as entry${index} from "${path.posix.join('lumenize-do', subpath)}";`);
  fs.writeFileSync(path.join(starter, 'entry-points.ts'), `${lines.join('\n')}\n`);
  for (const resolution of ['Bundler', 'NodeNext']) {
    writeJson(path.join(starter, `tsconfig.entry-points.json`), {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: resolution === 'NodeNext' ? 'NodeNext' : 'ES2022',
        moduleResolution: resolution,
        types: ['@cloudflare/workers-types'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['entry-points.ts'],
    });
    runBin('typescript', 'tsc', ['-p', 'tsconfig.entry-points.json']);
  }
  say(`type-checked the starter (src, test) and ${lines.length} entry points (workers-types; Bundler and NodeNext resolution)`);
}

// --- 4. bundle ----------------------------------------------------------------

function bundle() {
  const output = runBin('wrangler', 'wrangler', ['deploy', '--dry-run', '--outdir', path.join(work, 'bundle')]);
  const size = /Total Upload:\s*([^\n]+)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]?.trim();
  if (!size) throw new StepFailure(`wrangler deploy --dry-run printed no upload size:\n${output.trim().split('\n').slice(-15).join('\n')}`);
  say(`starter bundle: ${size}`);
}

// --- 5. starter tests ---------------------------------------------------------

function starterTests() {
  runBin('vitest', 'vitest', ['run'], { show: true });
}

// --- 6. missing flag ----------------------------------------------------------

// Before 2026-08-04 (when Node.js compatibility became the default), a Worker
// has AsyncLocalStorage only with a flag; before 2026-10-01, a Durable Object
// with pending I/O is kept alive only with a flag.
const beforeNodeDefault = '2026-07-01';
const beforeEvictionDefault = '2026-09-01';
const evictionFlag = 'durable_object_io_tasks_prevent_eviction';

async function missingFlag() {
  const dir = path.join(starter, 'flag-check');
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `import { LumenizeBase } from "lumenize-do";
export class PingDO extends LumenizeBase { ping() { return "pong"; } }
export default {
  async fetch(request, env) {
    try {
      return new Response(await env.PING.getByName("one").ping());
    } catch (error) {
      return new Response(String(error?.message ?? error), { status: 500 });
    }
  },
};
`,
  );
  const { unstable_startWorker } = await import(pathToFileURL(path.join(starter, 'node_modules/wrangler/wrangler-dist/cli.js')).href);
  const ask = async (date, flags) => {
    writeJson(path.join(dir, 'wrangler.json'), {
      name: 'flag-check',
      main: 'index.js',
      compatibility_date: date,
      compatibility_flags: flags,
      durable_objects: { bindings: [{ name: 'PING', class_name: 'PingDO' }] },
      migrations: [{ tag: 'v1', new_sqlite_classes: ['PingDO'] }],
    });
    const worker = await unstable_startWorker({
      config: path.join(dir, 'wrangler.json'),
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'none' },
    });
    try {
      await worker.ready;
      const response = await fetch(await worker.url, { signal: AbortSignal.timeout(60_000) });
      return { status: response.status, text: await response.text() };
    } finally {
      await worker.dispose();
    }
  };
  const mustFail = async (date, flags, names) => {
    const answer = await ask(date, flags);
    const missing = names.filter((name) => !answer.text.includes(`"${name}"`));
    if (answer.status !== 500 || missing.length) {
      throw new StepFailure(`on ${date} with flags [${flags.join(', ')}] the first Durable Object should fail naming ${names.map((name) => `"${name}"`).join(' and ')}; got ${answer.status}: ${answer.text}`);
    }
    say(`on ${date} with flags [${flags.join(', ')}] the first host fails with: ${answer.text}`);
  };
  await mustFail(beforeNodeDefault, [], ['nodejs_als', evictionFlag]);
  await mustFail(beforeNodeDefault, ['nodejs_als'], [evictionFlag]);
  await mustFail(beforeEvictionDefault, [], [evictionFlag]);
  const withBoth = await ask(beforeNodeDefault, ['nodejs_als', evictionFlag]);
  if (withBoth.status !== 200 || withBoth.text !== 'pong') {
    throw new StepFailure(`with "nodejs_als" and "${evictionFlag}" (compatibility date ${beforeNodeDefault}) the Durable Object should answer "pong"; got ${withBoth.status}: ${withBoth.text}`);
  }
  say(`on ${beforeNodeDefault} with "nodejs_als" and "${evictionFlag}" it works`);
}

// --- Main ---------------------------------------------------------------------

async function main() {
  const packed = await stepRun(pack);
  await stepRun(() => install(packed));
  await stepRun(() => typeCheck(packed));
  await stepRun(bundle);
  await stepRun(starterTests);
  await stepRun(missingFlag);
}

async function stepRun(work) {
  current++;
  say(`step ${current}/${stepNames.length}: ${stepNames[current - 1]}`);
  return work();
}

const started = performance.now();
main().then(
  () => {
    if (!process.env.KEEP) fs.rmSync(work, { recursive: true, force: true });
    say(`all ${stepNames.length} steps passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  },
  (error) => {
    console.error(`consumer: FAILED at step ${current} (${stepNames[current - 1]}): ${error instanceof StepFailure ? error.message : (error.stack ?? error)}`);
    console.error(`consumer: the temporary project is kept in ${work}`);
    process.exitCode = 1;
  },
);
