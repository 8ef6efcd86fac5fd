// Generates the API reference (website/docs/api/, gitignored) from the TSDoc in
// lib/ with docusaurus-plugin-typedoc, on every build and dev-server start.
// Around the plugin: a TypeDoc failure stops the build with a clear message
// (instead of an empty "API reference" category); pages get front matter and
// in-site links; folders get sidebar labels; and only changed pages are
// rewritten, so the bundler's cache keeps the rest.
import fs from 'node:fs';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import typedocPlugin from 'docusaurus-plugin-typedoc';

export interface ApiReferenceOptions {
  /** Absolute paths of the modules to document (lib/index.ts). */
  entryPoints: string[];
  /** Absolute path of the tsconfig TypeDoc compiles with. */
  tsconfig: string;
  /** Absolute output folder, inside the docs folder. */
  out: string;
}

// typedoc-plugin-markdown's folder names → sidebar labels.
const folderLabels: Record<string, string> = {
  classes: 'Classes',
  functions: 'Functions',
  interfaces: 'Interfaces',
  'type-aliases': 'Type aliases',
  variables: 'Variables',
  enumerations: 'Enumerations',
  namespaces: 'Namespaces',
  modules: 'Modules',
};

// TypeDoc options; see https://typedoc-plugin-markdown.org/docs/options
const typedocOptions = {
  // lib/ is written by several people at once: document what compiles and do
  // not fail the docs build on a type error the typecheck step reports anyway.
  skipErrorChecking: true,
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  excludeExternals: true,
  readme: 'none',
  // No git remote to link to; source links would be dead.
  disableSources: true,
  // The sidebar comes from the folders (see writeCategory), not from TypeDoc.
  sidebar: { autoConfiguration: false },
  // Class and interface properties stay in list form: "Inherited from" links
  // point at their anchors across pages, and Docusaurus only knows anchors of
  // headings, so the table form would fail the broken-anchor check.
  parametersFormat: 'table',
  typeAliasPropertiesFormat: 'table',
  enumMembersFormat: 'table',
  expandObjects: true,
  logLevel: 'Warn',
};

export default async function apiReference(
  context: LoadContext,
  options: ApiReferenceOptions,
): Promise<Plugin> {
  for (const entry of options.entryPoints) {
    if (!fs.existsSync(entry)) {
      throw new Error(
        `API reference: the entry point ${path.relative(context.siteDir, entry)} does not exist. ` +
          'Create it (it is the public face of the library) or change entryPoints in docusaurus.config.ts.',
      );
    }
  }

  // TypeDoc writes to a staging folder; only pages whose text changed are
  // copied into the docs, so the bundler's cache keeps the others.
  const staging = path.join(context.siteDir, 'node_modules/.cache/lumenize-api-reference');
  fs.rmSync(staging, { recursive: true, force: true });
  const plugin = await typedocPlugin(context, { ...typedocOptions, ...options, out: staging } as never);

  if (!fs.existsSync(path.join(staging, 'index.md'))) {
    throw new Error(
      'API reference: TypeDoc wrote no index.md. See the TypeDoc messages above ' +
        '(an entry point it could not read, or nothing exported).',
    );
  }
  prepareForDocusaurus(staging, context.siteConfig.url);
  writeCategory(staging, { label: 'API reference', position: 6, collapsed: true });
  for (const entry of fs.readdirSync(staging, { withFileTypes: true })) {
    if (entry.isDirectory() && folderLabels[entry.name]) {
      writeCategory(path.join(staging, entry.name), { label: folderLabels[entry.name] });
    }
  }
  mirror(staging, options.out);
  return { ...plugin, name: 'lumenize-api-reference' };
}

// Front matter and links for Docusaurus:
// - TypeDoc writes CommonMark: parse it as such, not as MDX, so that a `{` or
//   `<` in a TSDoc comment can never break the docs build.
// - Titles and sidebar labels without Markdown escapes (`LumenizeBase\<Env\>`).
// - `@see https://lumenize.dev/docs/…` links become links inside this site, so
//   the build's broken-link check covers them.
const indexIntro =
  'Every export of `lib/index.ts`, generated from its TSDoc on each docs build. ' +
  'The pages under Foundations and Capabilities explain how the pieces fit; these pages are the contract.';

function prepareForDocusaurus(dir: string, siteUrl: string): void {
  const site = siteUrl.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inLink = new RegExp(`\\]\\(${site}(/docs/[^)\\s]*)\\)`, 'g');
  const bare = new RegExp(`(?<![(<\`\\w])${site}(/docs/[\\w\\-/#.]*[\\w/])`, 'g');
  for (const file of filesUnder(dir)) {
    if (!file.endsWith('.md') || fs.readFileSync(file, 'utf8').startsWith('---\n')) continue;
    let text = fs
      .readFileSync(file, 'utf8')
      .replace(inLink, ']($1)')
      .replace(bare, '[$1]($1)');
    const frontMatter = ['format: md'];
    if (file === path.join(dir, 'index.md')) {
      frontMatter.push('title: API reference');
      text = text.replace(/^# .+$/m, '# API reference\n\n' + indexIntro);
    } else {
      const heading = /^# (.+)$/m.exec(text)?.[1].replace(/\\(.)/g, '$1') ?? path.basename(file, '.md');
      frontMatter.push(`title: ${JSON.stringify(heading)}`, `sidebar_label: ${JSON.stringify(path.basename(file, '.md'))}`);
    }
    fs.writeFileSync(file, `---\n${frontMatter.join('\n')}\n---\n\n${text}`);
  }
}

function writeCategory(dir: string, category: Record<string, unknown>): void {
  fs.writeFileSync(path.join(dir, '_category_.json'), `${JSON.stringify(category, null, 2)}\n`);
}

/** Makes `to` hold exactly the files of `from`, rewriting only those that differ. */
function mirror(from: string, to: string): void {
  const wanted = new Set<string>();
  for (const source of filesUnder(from)) {
    const rel = path.relative(from, source);
    wanted.add(rel);
    const target = path.join(to, rel);
    const content = fs.readFileSync(source);
    if (fs.existsSync(target) && content.equals(fs.readFileSync(target))) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  if (!fs.existsSync(to)) return;
  for (const target of filesUnder(to)) {
    if (!wanted.has(path.relative(to, target))) fs.rmSync(target);
  }
  for (const entry of fs.readdirSync(to, { withFileTypes: true })) {
    const dir = path.join(to, entry.name);
    if (entry.isDirectory() && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
