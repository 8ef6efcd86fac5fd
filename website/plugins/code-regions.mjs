// Named regions of source files, for docs code blocks that must stay whole
// and copyable. Used alike by the docs build (the remark plugin below, which
// runs before remark-code-import), by `npm run check:docs` and by the browser
// test, so all three agree on what a block shows.
//
// In a source file:
//
//   // #region counter, first-test      ← opens "counter" and "first-test"
//   import { LumenizeBase } from "lumenize-do";
//   // #endregion counter, first-test
//
//   // #region counter
//   export class CounterDO extends LumenizeBase<Env> { … }
//   // #endregion counter
//
// A region is every piece marked with its name, in file order, each piece
// dedented and the pieces joined by a blank line; marker lines are never shown.
// So a region can take the file's imports it needs from a shared piece and
// still be a whole unit (a class, a function, a test) that compiles alone.
// In a docs page: ```ts file=<rootDir>/examples/call/counter.ts#counter title="examples/call/counter.ts"
import fs from 'node:fs';
import path from 'node:path';

const marker = /^\s*(?:\/\/|#)\s*#(region|endregion)\b(.*)$/;
/** A region name: letters, digits, `-` and `_`. */
export const regionName = /^[A-Za-z][\w-]*$/;
/** remark-code-import's line ranges (`#L10`, `#L10-L20`, `#L10-`), which drift: refused. */
export const lineRange = /^L\d+(-(L\d+)?)?$/;

/** Why a file's region markers or a requested region are wrong. */
export class RegionError extends Error {}

/** True for a marker line (`// #region …` or `// #endregion …`). */
export function isMarker(line) {
  return marker.test(line);
}

/**
 * The regions of a file's text: name → pieces (1-based line numbers of the
 * first and last line between the markers).
 *
 * @throws {RegionError} for an unnamed, unclosed, unopened or reopened region.
 */
export function findRegions(text) {
  const lines = text.split('\n');
  const regions = new Map();
  const open = new Map();
  lines.forEach((line, index) => {
    const match = marker.exec(line);
    if (!match) return;
    const [, kind, rest] = match;
    const names = rest.split(/[\s,]+/).filter(Boolean);
    const number = index + 1;
    if (names.length === 0) throw new RegionError(`line ${number}: #${kind} needs the region's name(s)`);
    for (const name of names) {
      if (!regionName.test(name)) throw new RegionError(`line ${number}: "${name}" is not a region name (letters, digits, - and _)`);
      if (kind === 'region') {
        if (open.has(name)) throw new RegionError(`line ${number}: region "${name}" is opened again before line ${open.get(name)}'s is closed`);
        open.set(name, number);
      } else {
        if (!open.has(name)) throw new RegionError(`line ${number}: #endregion ${name} has no open #region ${name}`);
        const pieces = regions.get(name) ?? [];
        pieces.push({ from: open.get(name) + 1, to: number - 1 });
        regions.set(name, pieces);
        open.delete(name);
      }
    }
  });
  for (const [name, line] of open) throw new RegionError(`line ${line}: region "${name}" is never closed (// #endregion ${name})`);
  return regions;
}

function dedent(lines) {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^\s*/.exec(line)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(cut));
}

function trimBlankEnds(lines) {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return lines.slice(start, end);
}

/**
 * The text a docs block shows for region `name` of a file's text.
 *
 * @throws {RegionError} if the markers are wrong or there is no such region.
 */
export function regionText(text, name) {
  const pieces = findRegions(text).get(name);
  if (!pieces) throw new RegionError(`there is no region "${name}" (mark it with // #region ${name} … // #endregion ${name})`);
  const lines = text.split('\n');
  const shown = pieces.map(({ from, to }) => trimBlankEnds(dedent(lines.slice(from - 1, to).filter((line) => !isMarker(line)))));
  return shown.map((piece) => piece.join('\n')).join('\n\n');
}

/**
 * What a block importing a file shows: region `name` of the file's text, or
 * the whole text when `name` is undefined (as remark-code-import shows a
 * whole file: without its final newline).
 *
 * @throws {RegionError} if the markers are wrong or there is no such region.
 */
export function shownCode(text, name) {
  if (name !== undefined) return regionText(text, name);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * The `file=` token of a fence's meta: the path as written, the file it
 * names, and what follows `#` (a region name, a line range, or undefined).
 */
export function fileToken(meta, { rootDir, fromDir }) {
  const token = (meta ?? '').split(/(?<!\\) /g).find((part) => part.startsWith('file='));
  if (!token) return undefined;
  const [spec, fragment] = token.slice('file='.length).split('#');
  const abs = path.resolve(fromDir, spec.replace(/^<rootDir>/, rootDir).replace(/\\ /g, ' '));
  return { token, spec, abs, fragment: fragment === undefined || fragment === '' ? undefined : fragment };
}

/**
 * Remark plugin: a code block whose `file=` names a region gets that
 * region's text, and loses its `file=` so that remark-code-import (which
 * only knows whole files and line ranges) leaves it alone. Whole files and
 * anything malformed are left to remark-code-import and `check:docs`.
 */
export default function remarkCodeRegions({ rootDir }) {
  return (tree, file) => {
    const fromDir = file.dirname ?? (file.path ? path.dirname(file.path) : rootDir);
    const visit = (node) => {
      if (node.type === 'code') {
        const found = fileToken(node.meta, { rootDir, fromDir });
        if (found?.fragment && !lineRange.test(found.fragment)) {
          let text;
          try {
            text = regionText(fs.readFileSync(found.abs, 'utf8'), found.fragment);
          } catch (error) {
            throw new Error(`${file.path ?? 'a docs page'}: ${found.token}: ${error.message}`);
          }
          node.value = text;
          node.meta = node.meta.replace(found.token, '').replace(/\s+/g, ' ').trim();
        }
      }
      for (const child of node.children ?? []) visit(child);
    };
    visit(tree);
  };
}
