#!/usr/bin/env node
// `npm run check:docs`: nothing pasted ships. Scans the hand-written docs
// pages (website/docs/**/*.md{,x} except the generated api/, and pages under
// website/src/pages) and fails if
//   - a ts/tsx/js/jsx/typescript/javascript fence has no `file=` and more than
//     3 lines of inline code (usage code must be imported from a tested file);
//   - a `file=` import names a file that does not exist, lies outside the repo,
//     or asks for lines beyond the end of the file;
//   - a `file=` fence also has inline code (remark-code-import replaces it).
// Exports `collectImports()` for scripts/browser-test.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scanned = ['website/docs', 'website/src/pages'];
const skipped = ['website/docs/api'];
const codeLanguages = new Set(['ts', 'tsx', 'js', 'jsx', 'typescript', 'javascript']);
const maxInlineLines = 3;

/** Every .md/.mdx file under the scanned folders, relative to the repo root. */
export function docsFiles() {
  const files = [];
  const walk = (dir) => {
    const rel = path.relative(repoRoot, dir).split(path.sep).join('/');
    if (skipped.includes(rel) || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.mdx?$/.test(entry.name)) files.push(path.relative(repoRoot, full).split(path.sep).join('/'));
    }
  };
  for (const dir of scanned) walk(path.join(repoRoot, dir));
  return files.sort();
}

/**
 * The fenced code blocks of a Markdown source: opening line (1-based), fence,
 * language, meta and inline lines. Follows CommonMark closely enough for docs:
 * a fence closes on the same character, at least as long, with no info string.
 */
export function fences(source) {
  const lines = source.split(/\r?\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^[ \t]*(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, fence, lang, meta] = open;
    let j = i + 1;
    while (j < lines.length) {
      const close = /^[ \t]*(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      j++;
    }
    blocks.push({ line: i + 1, fence, lang: lang.toLowerCase(), meta, body: lines.slice(i + 1, j) });
    i = j;
  }
  return blocks;
}

/**
 * Parses `file=<path>[#L<from>[-[L<to>]]]` the way remark-code-import does and
 * returns the absolute path and line range, or undefined if there is none.
 */
export function parseFileMeta(meta, mdFile) {
  const token = meta.split(/(?<!\\) /g).find((part) => part.startsWith('file='));
  if (!token) return undefined;
  const m = /^file=(?<path>.+?)(?:(?:#(?:L(?<from>\d+)(?<dash>-)?)?)(?:L(?<to>\d+))?)?$/.exec(token);
  if (!m?.groups?.path) return { spec: token.slice(5), error: `cannot parse "${token}"` };
  const spec = m.groups.path;
  const abs = path.resolve(
    path.dirname(path.join(repoRoot, mdFile)),
    spec.replace(/^<rootDir>/, repoRoot).replace(/\\ /g, ' '),
  );
  const from = m.groups.from ? Number(m.groups.from) : undefined;
  const to = m.groups.to ? Number(m.groups.to) : undefined;
  const hasDash = Boolean(m.groups.dash) || from === undefined;
  return { spec: token.slice(5), abs, from, to, hasDash };
}

/** The lines remark-code-import shows for an import (same slicing rules). */
export function importedLines(content, { from, to, hasDash }) {
  const lines = content.split('\n');
  const start = from ?? 1;
  let end;
  if (!hasDash) end = start;
  else if (to) end = to;
  else end = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  return lines.slice(start - 1, end);
}

/** Number of lines of a file as an editor counts them (a final newline ends a line). */
function lineCount(content) {
  const lines = content.split('\n');
  return lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
}

/** Every `file=` import in the docs, with the problems found. */
export function collectImports() {
  const imports = [];
  const problems = [];
  for (const file of docsFiles()) {
    const source = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    for (const block of fences(source)) {
      const where = `${file}:${block.line}`;
      const imp = parseFileMeta(block.meta, file);
      const inline = block.body.filter((line) => line.trim() !== '').length;
      if (!imp) {
        if (codeLanguages.has(block.lang) && block.body.length > maxInlineLines) {
          problems.push(
            `${where}: ${block.body.length} lines of pasted ${block.lang} code; import them from a tested file instead: ${block.fence}${block.lang} file=<rootDir>/examples/<file>.ts#L<from>-L<to>`,
          );
        }
        continue;
      }
      if (imp.error) {
        problems.push(`${where}: ${imp.error}`);
        continue;
      }
      const rel = path.relative(repoRoot, imp.abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        problems.push(`${where}: imports ${imp.spec}, which is outside the repository`);
        continue;
      }
      if (!fs.existsSync(imp.abs) || !fs.statSync(imp.abs).isFile()) {
        problems.push(`${where}: imports ${rel}, which does not exist`);
        continue;
      }
      const content = fs.readFileSync(imp.abs, 'utf8');
      const total = lineCount(content);
      const last = imp.hasDash ? (imp.to ?? total) : imp.from;
      if ((imp.from ?? 1) < 1 || (imp.from ?? 1) > total || last > total) {
        problems.push(`${where}: imports ${rel}#L${imp.from}${imp.hasDash ? `-L${last}` : ''}, but the file has ${total} lines`);
        continue;
      }
      if (last < (imp.from ?? 1)) {
        problems.push(`${where}: imports ${rel} with an empty line range (L${imp.from}-L${last})`);
        continue;
      }
      if (inline > 0) {
        problems.push(`${where}: a file= fence must be empty; its ${inline} inline line(s) would be replaced by ${rel}`);
        continue;
      }
      imports.push({ doc: file, line: block.line, lang: block.lang, spec: imp.spec, file: rel, ...imp, lines: importedLines(content, imp) });
    }
  }
  return { imports, problems };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { imports, problems } = collectImports();
  for (const problem of problems) console.error(`  ${problem}`);
  console.log(`check:docs: ${imports.length} imported blocks, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}
