#!/usr/bin/env node
// `npm run check:docs`: nothing pasted ships, and every block can be copied.
// Scans the hand-written docs pages (website/docs/**/*.md{,x} except the
// generated api/, and pages under website/src/pages) and fails if
//   - a ts/tsx/js/jsx/typescript/javascript fence has no `file=` and more than
//     3 lines of inline code (usage code must be imported from a tested file);
//   - a `file=` import names a file that does not exist or lies outside the repo;
//   - a `file=` import asks for a line range (`#L10-L20`, which drifts): import
//     the whole file or a named region (`#name`, see website/plugins/code-regions.mjs);
//   - a region is missing or its markers are wrong;
//   - the shown code does not parse as a module on its own, or (for TypeScript
//     in this repo's project) does not type-check on its own;
//   - a block has no `title="<its source path>"`;
//   - the shown code imports lib/ by a relative path (users import "lumenize-do";
//     the bench, which measures internals, is exempt);
//   - a `file=` fence also has inline code (the import replaces it).
// And it fails if an example (examples/, except the bench Worker) imports
// lib/ by a relative path. Exports `collectImports()` for scripts/browser-test.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { RegionError, fileToken, isMarker, lineRange, shownCode } from '../website/plugins/code-regions.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scanned = ['website/docs', 'website/src/pages'];
const skipped = ['website/docs/api'];
const codeLanguages = new Set(['ts', 'tsx', 'js', 'jsx', 'typescript', 'javascript']);
const maxInlineLines = 3;
// Checked by the consumer check (scripts/consumer-check.mjs) against the packed library.
const ownProjects = ['examples/starter/'];
// The bench measures library internals and imports them on purpose: not user code.
const internalCode = ['bench/'];
const notExamples = [...internalCode.filter((prefix) => prefix.startsWith('examples/')), 'examples/starter/node_modules/'];

const rel = (abs) => path.relative(repoRoot, abs).split(path.sep).join('/');

/** Every .md/.mdx file under the scanned folders, relative to the repo root. */
export function docsFiles() {
  const files = [];
  const walk = (dir) => {
    if (skipped.includes(rel(dir)) || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.mdx?$/.test(entry.name)) files.push(rel(full));
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

/** The value of `title=` in a fence's meta, quoted or not. */
export function titleOf(meta) {
  return /(?:^|\s)title=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(meta ?? '')?.slice(1).find((value) => value !== undefined);
}

/** Relative import specifiers of `code` (as if it sat in `dir`) that lead into lib/. */
function relativeLibImports(code, dir) {
  const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']*)["']/g)].map((m) => m[1]);
  return specifiers.filter((spec) => {
    const target = rel(path.resolve(dir, spec));
    return target === 'lib' || target.startsWith('lib/');
  });
}

const scriptKinds = { '.ts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX, '.mts': ts.ScriptKind.TS, '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS, '.jsx': ts.ScriptKind.JSX };

/** Syntax errors of `code` parsed as a module on its own (empty if it parses). */
function syntaxErrors(code, file) {
  const { diagnostics } = ts.transpileModule(code, {
    fileName: `shown${path.extname(file)}`,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, allowJs: true },
  });
  return (diagnostics ?? []).map((d) => {
    const where = d.file && d.start !== undefined ? `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/**
 * Type-checks each TypeScript region alone, as a module in its source's
 * folder, inside this repo's project (tsconfig.json): a region that uses a
 * name it does not import or declare fails here.
 */
function typeErrorsOfRegions(blocks) {
  const configFile = path.join(repoRoot, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const inProject = new Set(parsed.fileNames.map((file) => path.resolve(file)));
  const virtual = new Map();
  for (const block of blocks) {
    if (!inProject.has(block.abs) || !/\.tsx?$/.test(block.abs)) continue;
    const name = path.join(path.dirname(block.abs), `__docs_region_${virtual.size}${path.extname(block.abs)}`);
    // `export {}` makes a region without imports a module too, so two regions never share a scope.
    virtual.set(name, { block, text: `${block.lines.join('\n')}\nexport {};\n` });
  }
  if (virtual.size === 0) return [];
  const host = ts.createCompilerHost(parsed.options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(path.resolve(file))?.text ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const entry = virtual.get(path.resolve(file));
    return entry ? ts.createSourceFile(file, entry.text, language, true) : getSourceFile.call(host, file, language, ...rest);
  };
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...virtual.keys()], options: { ...parsed.options, noEmit: true }, host });
  const problems = [];
  for (const [name, { block }] of virtual) {
    const source = program.getSourceFile(name);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    if (diagnostics.length === 0) continue;
    const messages = diagnostics.slice(0, 3).map((d) => {
      const line = d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line + 1 : '?';
      return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
    problems.push(`${block.doc}:${block.line}: ${block.file}#${block.region} does not compile on its own (${messages.join('; ')})`);
  }
  return problems;
}

/** Examples that import lib/ by a relative path instead of "lumenize-do". */
function examplesImportingLib() {
  const problems = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const name = rel(full) + (entry.isDirectory() ? '/' : '');
      if (notExamples.some((prefix) => name.startsWith(prefix))) continue;
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) {
        for (const spec of relativeLibImports(fs.readFileSync(full, 'utf8'), dir)) {
          problems.push(`${name}: imports "${spec}"; examples import the library as users do, from "lumenize-do"`);
        }
      }
    }
  };
  walk(path.join(repoRoot, 'examples'));
  return problems;
}

/** Every `file=` import in the docs, with the problems found. */
export function collectImports({ typeCheck = false } = {}) {
  const imports = [];
  const problems = [];
  for (const doc of docsFiles()) {
    const source = fs.readFileSync(path.join(repoRoot, doc), 'utf8');
    for (const block of fences(source)) {
      const where = `${doc}:${block.line}`;
      const imp = fileToken(block.meta, { rootDir: repoRoot, fromDir: path.dirname(path.join(repoRoot, doc)) });
      if (!imp) {
        if (codeLanguages.has(block.lang) && block.body.length > maxInlineLines) {
          problems.push(
            `${where}: ${block.body.length} lines of pasted ${block.lang} code; import them from a tested file instead: ${block.fence}${block.lang} file=<rootDir>/examples/<file>.ts#<region> title="examples/<file>.ts"`,
          );
        }
        continue;
      }
      const file = rel(imp.abs);
      if (file.startsWith('..') || path.isAbsolute(file)) {
        problems.push(`${where}: imports ${imp.spec}, which is outside the repository`);
        continue;
      }
      if (!fs.existsSync(imp.abs) || !fs.statSync(imp.abs).isFile()) {
        problems.push(`${where}: imports ${file}, which does not exist`);
        continue;
      }
      if (block.body.some((line) => line.trim() !== '')) {
        problems.push(`${where}: a file= fence must be empty; its inline lines would be replaced by ${file}`);
        continue;
      }
      const title = titleOf(block.meta);
      if (title !== file) {
        problems.push(`${where}: ${title === undefined ? 'no title' : `title "${title}"`}; every block is titled with its source path: title="${file}"`);
      }
      if (imp.fragment !== undefined && lineRange.test(imp.fragment)) {
        problems.push(`${where}: imports ${file}#${imp.fragment}, a line range, which drifts; mark a region (// #region name … // #endregion name) and import ${file}#name`);
        continue;
      }
      const content = fs.readFileSync(imp.abs, 'utf8');
      let shown;
      try {
        shown = shownCode(content, imp.fragment);
      } catch (error) {
        if (!(error instanceof RegionError)) throw error;
        problems.push(`${where}: ${file}#${imp.fragment}: ${error.message}`);
        continue;
      }
      if (imp.fragment === undefined && content.split('\n').some(isMarker)) {
        problems.push(`${where}: imports the whole of ${file}, whose region markers would show; import one of its regions`);
      }
      const internal = internalCode.some((prefix) => file.startsWith(prefix));
      for (const spec of internal ? [] : relativeLibImports(shown, path.dirname(imp.abs))) {
        problems.push(`${where}: the code shown from ${file} imports "${spec}"; shown code imports the library as users do, from "lumenize-do"`);
      }
      if (scriptKinds[path.extname(file)] !== undefined) {
        const errors = syntaxErrors(shown, file);
        if (errors.length) problems.push(`${where}: the code shown from ${file}${imp.fragment ? `#${imp.fragment}` : ''} does not parse as a module on its own (${errors.slice(0, 3).join('; ')})`);
      }
      imports.push({ doc, line: block.line, lang: block.lang, spec: imp.spec, file, abs: imp.abs, region: imp.fragment, lines: shown.split('\n') });
    }
  }
  problems.push(...examplesImportingLib());
  if (typeCheck) {
    const regions = imports.filter((block) => block.region !== undefined && !ownProjects.some((prefix) => block.file.startsWith(prefix)));
    problems.push(...typeErrorsOfRegions(regions));
  }
  return { imports, problems };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { imports, problems } = collectImports({ typeCheck: true });
  for (const problem of problems) console.error(`  ${problem}`);
  const regions = imports.filter((block) => block.region !== undefined).length;
  console.log(`check:docs: ${imports.length} imported blocks (${regions} regions, ${imports.length - regions} whole files), ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}
