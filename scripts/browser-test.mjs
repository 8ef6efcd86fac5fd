#!/usr/bin/env node
// `npm run test:browser`: opens the built docs site (website/build, from
// `npm run docs:build`) in headless Chromium and checks, over every page in
// its sitemap:
//   - the page loads (HTTP 200) and renders with no console errors, no page
//     errors, no failed same-origin requests and no request to another origin;
//   - each code block imported with `file=` shows the current code of its
//     source, the whole file or the named region (whitespace-normalized), and
//     the landing page shows its example (website/landing-example.json);
// then that local search finds a term, and writes a screenshot of the landing
// page to website/build/screenshots/landing.png; that llms-full.txt holds the
// code of every imported block (and one example file verbatim, in a ts fence).
// Then the examples Worker, under `wrangler dev` as `npm start` serves it: its
// index page in the browser (every link clicked answers 200, every docs link
// is a page of the build), every bad input of test/examples/bad-inputs.ts
// answers 400 quoting the value, and wrangler's console shows no "Uncaught"
// and no error for any of it.
// Uses Debian's Chromium through playwright-core; never downloads a browser.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { collectImports, repoRoot } from './check-docs.mjs';
import { shownCode } from '../website/plugins/code-regions.mjs';
import { badInputs } from '../test/examples/bad-inputs.ts';

const buildDir = path.join(repoRoot, 'website/build');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const concurrency = 3;
const deadlineMs = 300_000;
// A word the Getting started page is sure to contain, and where it must lead.
const search = { term: 'wrangler', title: 'Getting started', path: '/docs/getting-started' };
// An example file a docs page shows whole, and the class in it: llms-full.txt must hold the file verbatim.
const llmsExample = { file: 'examples/alarms/reminders.ts', marker: 'export class RemindersDO extends LumenizeBase<Env> {' };
// Where the examples index links the docs (examples/index-page.ts): `npm run docs`.
const docsOrigin = 'http://localhost:3000';

let passed = 0;
const failures = [];
const pass = () => passed++;
const fail = (message) => failures.push(message);

function finish() {
  for (const message of failures) console.error(`  FAIL ${message}`);
  console.log(`browser: ${passed} checks passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

// --- Static server ------------------------------------------------------------

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The file to serve for a URL path, trying `x`, `x.html`, `x/index.html`. */
function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const base = path.join(buildDir, path.normalize(decoded));
  if (!base.startsWith(buildDir)) return undefined;
  for (const candidate of [base, `${base}.html`, path.join(base, 'index.html')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function startServer() {
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://localhost');
    const file = resolveFile(pathname);
    const status = file ? 200 : 404;
    const body = fs.readFileSync(file ?? path.join(buildDir, '404.html'));
    const type = contentTypes[path.extname(file ?? '.html')] ?? 'application/octet-stream';
    // The build does not change during a run: let the browser cache (and keep
    // compiled) the bundles instead of fetching and parsing them on every page.
    response.writeHead(status, { 'content-type': type, 'cache-control': 'max-age=600' });
    response.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// --- What to check ------------------------------------------------------------

function sitemapPaths() {
  const xml = fs.readFileSync(path.join(buildDir, 'sitemap.xml'), 'utf8');
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  return [...new Set(['/', ...paths])];
}

/** Source file (repo-relative) → route, from the docs plugin's build metadata. */
function docRoutes() {
  const routes = new Map();
  const dir = path.join(repoRoot, '.docusaurus/docusaurus-plugin-content-docs/default');
  if (!fs.existsSync(dir)) return routes;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith('site-') || !name.endsWith('.json')) continue;
    const meta = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    // An index page's permalink ends in "/"; the sitemap's routes never do.
    if (meta.source && meta.permalink) routes.set(meta.source.replace(/^@site\//, ''), meta.permalink.replace(/(.)\/$/, '$1'));
  }
  return routes;
}

/** Route of a page under website/src/pages (file-based routing). */
function pageRoute(file) {
  const route = file.replace(/^website\/src\/pages/, '').replace(/\.mdx?$/, '').replace(/\/index$/, '');
  return route || '/';
}

// Docusaurus removes its magic comments from rendered code.
const magicComment = /^\s*(\/\/|#)\s*highlight-(next-line|start|end)\s*$/;
const normalize = (text) => text.replace(/\s+/g, ' ').trim();

// --- Browser checks -----------------------------------------------------------

/**
 * A browser tab that records what goes wrong while it shows one page: console
 * errors, uncaught errors, failed or 4xx/5xx same-origin requests.
 */
async function openRecordingTab(context, origin) {
  const page = await context.newPage();
  const tab = { page, problems: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') tab.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => tab.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    // Leaving a page cancels its link prefetches: ERR_ABORTED is not a failure.
    if (request.url().startsWith(origin) && reason !== 'net::ERR_ABORTED') {
      tab.problems.push(`request failed: ${request.url()} (${reason})`);
    }
  });
  page.on('response', (response) => {
    if (response.url().startsWith(origin) && response.status() >= 400) {
      tab.problems.push(`HTTP ${response.status()} for ${response.url()}`);
    }
  });
  return tab;
}

async function checkPage(tab, origin, route, expectedBlocks) {
  const { page } = tab;
  tab.problems = [];
  try {
    const response = await page.goto(origin + route, { waitUntil: 'load', timeout: 30_000 });
    // Let React finish hydrating (and report anything it has to say): wait
    // until the page's main thread is idle.
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2_000 })));
    if (!response || response.status() !== 200) tab.problems.push(`HTTP ${response?.status()}`);
    if (tab.problems.length) fail(`${route}: ${tab.problems.join('; ')}`);
    else pass();

    for (const block of expectedBlocks) {
      const expected = normalize(block.lines.filter((line) => !magicComment.test(line)).join('\n'));
      // Poll: the code block re-renders once React hydrates.
      const shown = await page
        .waitForFunction(
          (text) =>
            [...document.querySelectorAll('pre code')].some((code) => code.innerText.replace(/\s+/g, ' ').trim().includes(text)),
          expected,
          { timeout: 5_000, polling: 100 },
        )
        .then(() => expected !== '', () => false);
      if (shown) pass();
      else fail(`${route}: the block at ${block.doc}:${block.line} does not show the current ${block.file} ${block.spec.replace(/^[^#]*/, '') || '(whole file)'}`);
    }
  } catch (error) {
    fail(`${route}: ${error.message.split('\n')[0]}`);
  }
}

async function checkSearch(context, origin) {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/docs/intro`, { waitUntil: 'load' });
    const input = page.locator('input.navbar__search-input').first();
    await input.click();
    await input.pressSequentially(search.term, { delay: 20 });
    // Suggestions are ARIA options (the plugin's class names are hashed).
    const hit = page.locator('[role="listbox"] [role="option"]', { hasText: search.title }).first();
    await hit.waitFor({ state: 'visible', timeout: 15_000 });
    await hit.click();
    await page.waitForURL((url) => url.pathname.startsWith(search.path), { timeout: 10_000 });
    pass();
  } catch (error) {
    const options = await page.locator('[role="listbox"] [role="option"]').allInnerTexts().catch(() => []);
    const seen = options.slice(0, 5).map((text) => text.replace(/\s+/g, ' ').slice(0, 80));
    fail(`search for "${search.term}" did not lead to ${search.path} (suggestions: ${JSON.stringify(seen)}): ${error.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
}

async function screenshotLanding(browser, origin) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    const file = path.join(buildDir, 'screenshots/landing.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`browser: landing page screenshot in ${path.relative(repoRoot, file)}`);
    pass();
  } catch (error) {
    fail(`landing screenshot: ${error.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
}

// --- llms.txt -------------------------------------------------------------------

/** llms.txt and llms-full.txt exist, and llms-full.txt carries the imported code. */
function checkLlmsTxt(imports) {
  const read = (name) => {
    const file = path.join(buildDir, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const index = read('llms.txt');
  const full = read('llms-full.txt');
  if (index === undefined || full === undefined) {
    fail('website/build/llms.txt or llms-full.txt is missing (@signalwire/docusaurus-plugin-llms-txt in docusaurus.config.ts)');
    return;
  }
  if (index.includes('/docs/capabilities/alarms.md')) pass();
  else fail('llms.txt does not link the Alarms page');
  const source = fs.readFileSync(path.join(repoRoot, llmsExample.file), 'utf8');
  // Verbatim, line for line, in a ts fence: not only present but copyable.
  if (source.includes(llmsExample.marker) && full.includes(`\`\`\`ts\n${source.trimEnd()}\n\`\`\``)) pass();
  else fail(`llms-full.txt does not show ${llmsExample.file} verbatim in a \`\`\`ts fence (looked for "${llmsExample.marker}")`);
  const fullText = normalize(full);
  for (const block of imports) {
    const code = normalize(block.lines.filter((line) => !magicComment.test(line)).join('\n'));
    if (fullText.includes(code)) pass();
    else fail(`llms-full.txt lacks the code of the block at ${block.doc}:${block.line} (${block.file}${block.region ? `#${block.region}` : ''})`);
  }
}

// --- The examples Worker under wrangler dev ------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `wrangler dev` as `npm start` runs it, on a free port with state in a temporary folder; its console kept. */
async function startExamples() {
  const port = await freePort();
  const persist = fs.mkdtempSync(path.join(os.tmpdir(), 'lumenize-examples-'));
  const wrangler = spawn(
    process.execPath,
    [path.join(repoRoot, 'node_modules/wrangler/bin/wrangler.js'), 'dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persist],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      // A process group of its own (wrangler, its CLI child, workerd), so a stop reaches all of them.
      detached: true,
    },
  );
  const signalGroup = (signal) => {
    try {
      process.kill(-wrangler.pid, signal);
    } catch {
      // already gone
    }
  };
  // Should this script exit early (its deadline), wrangler must not outlive it.
  const killOnExit = () => signalGroup('SIGKILL');
  process.on('exit', killOnExit);
  const run = { origin: `http://127.0.0.1:${port}`, output: '', exited: new Promise((resolve) => wrangler.on('exit', resolve)) };
  wrangler.stdout.on('data', (chunk) => (run.output += chunk));
  wrangler.stderr.on('data', (chunk) => (run.output += chunk));
  run.stop = async () => {
    signalGroup('SIGINT');
    const killer = setTimeout(() => signalGroup('SIGKILL'), 15_000);
    await run.exited;
    clearTimeout(killer);
    process.off('exit', killOnExit);
    fs.rmSync(persist, { recursive: true, force: true });
  };
  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler.exitCode}):\n${run.output.slice(-2000)}`);
    try {
      if ((await fetch(`${run.origin}/`)).ok) return run;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await run.stop();
  throw new Error(`wrangler dev did not answer within 120 s:\n${run.output.slice(-2000)}`);
}

async function checkExamples(browser, docsRoutes) {
  let run;
  try {
    run = await startExamples();
  } catch (error) {
    fail(`examples: ${error.message}`);
    return;
  }
  const page = await browser.newPage();
  try {
    const index = await page.goto(`${run.origin}/`, { waitUntil: 'load' });
    if (index?.headers()['content-type']?.startsWith('text/html')) pass();
    else fail(`examples: / answered ${index?.headers()['content-type']} to a browser, not HTML`);
    const hrefs = await page.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    const examples = hrefs.filter((href) => href.startsWith('/'));
    if (examples.length > 0) pass();
    else fail('examples: the index page links no example');
    for (const href of hrefs.filter((href) => href.startsWith(docsOrigin))) {
      const route = new URL(href).pathname;
      if (docsRoutes.includes(route)) pass();
      else fail(`examples: the index page links ${href}, which is not a page of the docs build`);
    }
    // Click each example link as a person would, from the index page.
    for (const [i, href] of examples.entries()) {
      if (i > 0) await page.goto(`${run.origin}/`, { waitUntil: 'load' });
      const [response] = await Promise.all([
        page.waitForEvent('response', (candidate) => candidate.request().isNavigationRequest()),
        page.locator(`a[href^="/"] >> nth=${i}`).click(),
      ]);
      if (response.status() === 200) pass();
      else fail(`examples: the index link ${href} answered ${response.status()}: ${(await response.text()).slice(0, 300)}`);
    }
    for (const [badPath, param, value] of badInputs) {
      const response = await page.request.get(run.origin + badPath);
      const body = await response.json().catch(() => undefined);
      if (response.status() === 400 && body?.param === param && body?.value === value) pass();
      else fail(`examples: ${badPath} answered ${response.status()} ${JSON.stringify(body)}, not 400 quoting ${param}=${JSON.stringify(value)}`);
    }
    // Let the proxied forecast the index started come back, so nothing is in flight at shutdown.
    for (const started = Date.now(); Date.now() - started < 30_000; ) {
      const reports = await (await page.request.get(`${run.origin}/proxy-fetch/ada/reports`)).json();
      if (reports.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    fail(`examples: ${error.message.split('\n')[0]}`);
  } finally {
    await page.close();
    await run.stop();
  }
  // An error a route handles (a 400) must not also show as "Uncaught" in a Durable Object.
  const logged = run.output.replace(/\x1b\[[0-9;]*m/g, '');
  const errors = logged.split('\n').filter((line) => /Uncaught|\[wrangler:error\]|\[ERROR\]/.test(line));
  if (errors.length === 0) pass();
  else fail(`examples: wrangler dev logged errors:\n    ${errors.slice(0, 10).join('\n    ')}`);
}

// --- Main ---------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(buildDir, 'sitemap.xml'))) {
    fail('website/build/sitemap.xml is missing: run `npm run docs:build` first');
    return;
  }
  if (!fs.existsSync(executablePath)) {
    fail(`no Chromium at ${executablePath}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
    return;
  }

  const routes = sitemapPaths();
  const { imports, problems } = collectImports();
  for (const problem of problems) fail(`check:docs: ${problem}`);
  const docs = docRoutes();
  const blocksByRoute = new Map();
  for (const block of imports) {
    const route = block.doc.startsWith('website/src/pages/') ? pageRoute(block.doc) : docs.get(block.doc);
    if (!route || !routes.includes(route)) {
      fail(`${block.doc}: no built page found for it (route ${route ?? 'unknown'}); rebuild with \`npm run docs:build\``);
      continue;
    }
    blocksByRoute.set(route, [...(blocksByRoute.get(route) ?? []), block]);
  }

  // The landing page's example, read the way website/plugins/landing-example.ts reads it.
  const landing = JSON.parse(fs.readFileSync(path.join(repoRoot, 'website/landing-example.json'), 'utf8'));
  const landingSource = fs.readFileSync(path.join(repoRoot, landing.file), 'utf8');
  const landingCode = shownCode(landingSource, landing.region);
  const landingBlock = { doc: 'website/landing-example.json', line: 1, file: landing.file, spec: landing.region ? `#${landing.region}` : '', lines: landingCode.split('\n') };
  blocksByRoute.set('/', [...(blocksByRoute.get('/') ?? []), landingBlock]);

  const server = await startServer();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const context = await browser.newContext();
    // The site must not fetch anything from elsewhere (fonts, analytics, CDNs).
    // (Watching, not intercepting: routing every request through Playwright
    // would make the run several times slower.)
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        let page = 'a page';
        try {
          page = new URL(request.frame().url()).pathname;
        } catch {
          // a request from a worker has no frame
        }
        fail(`${page} requested ${url}; the site must not fetch from other origins`);
      }
    });

    const queue = [...routes];
    const worker = async () => {
      const tab = await openRecordingTab(context, origin);
      for (let route = queue.shift(); route !== undefined; route = queue.shift()) {
        await checkPage(tab, origin, route, blocksByRoute.get(route) ?? []);
      }
      await tab.page.close();
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await checkSearch(context, origin);
    await screenshotLanding(browser, origin);
    checkLlmsTxt(imports);
    await checkExamples(browser, routes);
    console.log(`browser: ${routes.length} pages, ${imports.length} imported code blocks, ${badInputs.length} bad example inputs`);
  } finally {
    await browser.close();
    server.close();
  }
}

const deadline = setTimeout(() => {
  fail(`gave up after ${deadlineMs / 1000} s`);
  finish();
}, deadlineMs);
deadline.unref();

main()
  .catch((error) => fail(error.stack ?? String(error)))
  .finally(finish);
