#!/usr/bin/env node
// `npm run build` (and `npm pack`, through `prepack`): compiles lib/ into
// dist/ with tsc (tsconfig.build.json), then gives every relative import in
// the output its full path (`./alarms` → `./alarms/index.js`, `./json` →
// `./json.js`). lib/ is written for bundlers, which resolve extensionless and
// folder imports; Node and TypeScript's NodeNext resolution do not, and the
// package should load under either.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

fs.rmSync(dist, { recursive: true, force: true });
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
} catch {
  console.error('build: tsc failed (errors above)');
  process.exit(1);
}

// `from "./x"`, `import("./x")` and `export … from "./x"`, in .js and .d.ts.
const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g;

/** The full specifier for `spec` as seen from `file`, or undefined if nothing in dist/ matches. */
function fullSpecifier(file, spec) {
  if (/\.(m?js|json)$/.test(spec)) return spec;
  const target = path.resolve(path.dirname(file), spec);
  if (fs.existsSync(`${target}.js`)) return `${spec}.js`;
  if (fs.existsSync(path.join(target, 'index.js'))) return `${spec.replace(/\/$/, '')}/index.js`;
  return undefined;
}

let files = 0;
const unresolved = [];
for (const entry of fs.readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|d\.ts)$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath, entry.name);
  const source = fs.readFileSync(file, 'utf8');
  const rewritten = source.replace(specifier, (match, lead, quote, spec) => {
    const full = fullSpecifier(file, spec);
    if (full === undefined) {
      unresolved.push(`${path.relative(root, file)}: ${spec}`);
      return match;
    }
    return `${lead}${quote}${full}${quote}`;
  });
  if (rewritten !== source) fs.writeFileSync(file, rewritten);
  files++;
}
if (unresolved.length) {
  console.error(`build: relative imports with no file in dist/:\n  ${unresolved.join('\n  ')}`);
  process.exit(1);
}
console.log(`build: dist/ written (${files} .js and .d.ts files)`);
