#!/usr/bin/env node
// `npm run lint`: ESLint (eslint.config.js) over the TypeScript we write.
// First it gives the starter (examples/starter) the `Env` its own project
// would get from `wrangler types`, so that its files are linted with their real
// types (tsconfig.starter.json): without it, `env.VISITOR` is an error type and
// a floating RPC promise on it would pass unseen. Arguments go to ESLint
// (default: the whole repository).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// No network here: wrangler should not try to download `Request.cf` data.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const starterEnv = path.join(root, 'node_modules/.cache/lint/starter-env.d.ts');

fs.mkdirSync(path.dirname(starterEnv), { recursive: true });
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/wrangler/bin/wrangler.js'), 'types', '--config', 'examples/starter/wrangler.jsonc', '--include-runtime=false', starterEnv],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
const args = process.argv.slice(2);
try {
  execFileSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), ...(args.length ? args : ['.'])], { cwd: root, stdio: 'inherit' });
} catch (error) {
  process.exit(error.status ?? 1);
}
