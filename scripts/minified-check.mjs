#!/usr/bin/env node
// `npm run test:minified`: the examples as a minifier leaves them. Wrangler
// bundles test/minified/worker.ts (the examples Worker plus one route) with
// its esbuild, minified and without `keepNames`, so classes are renamed as in
// any production bundle that does not ask to keep them, and runs the bundle
// under workerd with the bindings of wrangler.jsonc. The route makes a
// TimeoutError and a CallError happen inside a Durable Object; both must
// arrive under those names while the classes themselves were renamed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { unstable_startWorker } = await import('wrangler');
const worker = await unstable_startWorker({
  config: path.join(repoRoot, 'wrangler.jsonc'),
  entrypoint: path.join(repoRoot, 'test/minified/worker.ts'),
  build: { minify: true, keepNames: false },
  dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, persist: false, logLevel: 'error' },
});
let failed = false;
try {
  await worker.ready;
  const response = await fetch(new URL('/error-names', await worker.url), { signal: AbortSignal.timeout(60_000) });
  const report = await response.json();
  const problems = [];
  if (report.timeoutError !== 'TimeoutError') problems.push(`the TimeoutError arrived as ${JSON.stringify(report.timeoutError)}`);
  if (report.callError !== 'CallError') problems.push(`the CallError arrived as ${JSON.stringify(report.callError)}`);
  // Without this the check could pass on a bundle that kept every name.
  if (report.classNames.includes('TimeoutError') || report.classNames.includes('CallError')) {
    problems.push(`the minifier kept the class names (${report.classNames.join(', ')}), so this check proves nothing`);
  }
  if (problems.length > 0) {
    failed = true;
    console.error(`minified check FAILED: ${problems.join('; ')}.`);
  } else {
    console.log(`minified check: TimeoutError and CallError keep their names in a minified bundle (the classes became ${report.classNames.map((n) => JSON.stringify(n)).join(' and ')}).`);
  }
} catch (error) {
  failed = true;
  console.error('minified check FAILED:', error);
} finally {
  await worker.dispose();
}
process.exit(failed ? 1 : 0);
