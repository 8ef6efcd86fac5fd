#!/usr/bin/env node
// `npm run check:types`: the examples' `Env` is what `wrangler types` makes of
// wrangler.jsonc, never edited by hand. Regenerates
// examples/worker-configuration.d.ts and fails if that changed it (the new
// file is left in place, ready to review and commit).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = 'examples/worker-configuration.d.ts';
const absolute = path.join(root, file);
const before = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : undefined;
execFileSync('npm', ['run', '--silent', 'types'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (fs.readFileSync(absolute, 'utf8') !== before) {
  console.error(`check:types: ${file} did not match wrangler.jsonc; it is regenerated now: review and commit it (npm run types).`);
  process.exit(1);
}
console.log(`check:types: ${file} matches wrangler.jsonc`);
