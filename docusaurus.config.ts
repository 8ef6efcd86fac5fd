// The documentation site. The site dir is the repo root so that docs can
// import code from `examples/` (remark-code-import); everything the site owns
// lives under `website/`. Nothing is fetched at build time or by the browser:
// no web fonts, no analytics, and search is a local index built with the site.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, Plugin } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import type { PluginOptions as SearchOptions } from '@easyops-cn/docusaurus-search-local';
import type { PluginOptions as LlmsTxtOptions } from '@signalwire/docusaurus-plugin-llms-txt';
import npm2yarn from '@docusaurus/remark-plugin-npm2yarn';
import codeImport from 'remark-code-import';
import apiReference from './website/plugins/api-reference';
import codeImportDeps from './website/plugins/code-import-deps';
import codeRegions from './website/plugins/code-regions.mjs';
import landingExample from './website/plugins/landing-example';
import llmsCode from './website/plugins/llms-code.mjs';
import landing from './website/landing-example.json';

const rootDir = path.dirname(fileURLToPath(import.meta.url));

// Code blocks import tested files: `file=<rootDir>/x.ts` (whole) or
// `file=<rootDir>/x.ts#name` (a region, resolved first by code-regions.mjs;
// remark-code-import loads whole files). Without rootDir, imports resolve
// against the page's own folder and anything outside website/ is refused.
// ```bash npm2yarn blocks get npm, yarn and pnpm tabs.
const remarkPlugins = [[codeRegions, { rootDir }], [codeImport, { rootDir }], [npm2yarn, { sync: true }]];

// Two fixes to the bundler config Docusaurus generates:
// - package.json says "type": "module", so the bundler would parse the
//   generated `.docusaurus/registry.js` as strict ESM and leave its
//   `require.resolveWeak()` calls untranslated; the build then dies with
//   "require.resolveWeak is not a function". Parse generated files as auto.
// - The persistent build cache (node_modules/.cache/rspack) is only keyed on
//   this file; make package.json (its `browserslist` decides how CSS is
//   compiled) and the lockfile invalidate it too.
function bundlerFixes(): Plugin {
  return {
    name: 'lumenize-bundler-fixes',
    configureWebpack: () => ({
      module: { rules: [{ test: /[\\/]\.docusaurus[\\/].*\.js$/, type: 'javascript/auto' }] },
      experiments: {
        cache: {
          buildDependencies: [path.join(rootDir, 'package.json'), path.join(rootDir, 'package-lock.json')],
        },
      },
    }),
  };
}

const config: Config = {
  title: 'Lumenize',
  tagline:
    'Type-safe calls, alarms and proxied fetches for Cloudflare Durable Objects, with continuations that survive every boundary.',
  favicon: 'img/logo.svg',
  url: 'https://lumenize.dev',
  baseUrl: '/',
  trailingSlash: false,

  // Docusaurus v4 behaviour, minus "Faster" (Rspack/SWC): @swc/core's lockfile
  // entries for other platforms cannot be resolved from this project's registry,
  // which breaks `npm ci`. The webpack build costs ~20 s more; correctness first.
  future: {
    v4: {
      removeLegacyPostBuildHeadAttribute: true,
      useCssCascadeLayers: true,
      siteStorageNamespacing: true,
      fasterByDefault: false,
      mdx1CompatDisabledByDefault: true,
    },
  },

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },

  staticDirectories: ['website/static'],
  i18n: { defaultLocale: 'en', locales: ['en'] },

  presets: [
    [
      'classic',
      {
        docs: {
          path: 'website/docs',
          routeBasePath: '/docs',
          sidebarPath: './website/sidebars.ts',
          remarkPlugins,
        },
        pages: {
          path: 'website/src/pages',
          remarkPlugins,
        },
        blog: false,
        theme: { customCss: './website/src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],

  plugins: [
    bundlerFixes,
    // Pages depend on the files they import code from (cache, dev reload).
    (context) => codeImportDeps(context, { rootDir, contentDirs: ['website/docs', 'website/src/pages'] }),
    (context) => landingExample(context, { file: landing.file, region: (landing as { region?: string }).region }),
    // llms.txt (an index) and llms-full.txt (every page) at the site root, and a .md
    // beside each page. Made from the built HTML, not the Markdown sources: a source's
    // code blocks are empty until remark-code-import fills them (check:docs looks for a
    // known example class in llms-full.txt). llms-code.mjs keeps code blocks as in the source.
    [
      '@signalwire/docusaurus-plugin-llms-txt',
      {
        siteDescription:
          'Type-safe calls, alarms and proxied fetches for Cloudflare Durable Objects (npm package lumenize-do). Every code block is imported from a tested file.',
        depth: 2,
        onRouteError: 'throw',
        // The docs first, the generated API reference last.
        includeOrder: ['/docs/intro', '/docs/getting-started', '/docs/foundations/**', '/docs/capabilities/**', '/docs/own-worker', '/docs/performance/**', '/docs/api/**'],
        content: {
          enableLlmsFullTxt: true,
          relativePaths: false,
          excludeRoutes: ['/search'],
          beforeDefaultRehypePlugins: [llmsCode],
        },
      } satisfies Partial<LlmsTxtOptions>,
    ],
    // TypeDoc from the TSDoc in lib/, written to website/docs/api/ (generated, gitignored).
    (context) =>
      apiReference(context, {
        entryPoints: [path.join(rootDir, 'lib/index.ts')],
        tsconfig: path.join(rootDir, 'tsconfig.json'),
        out: path.join(rootDir, 'website/docs/api'),
      }),
  ],

  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexBlog: false,
        indexPages: true,
        docsDir: 'website/docs',
        docsRouteBasePath: '/docs',
        language: ['en'],
        explicitSearchResultPath: true,
        searchResultLimits: 10,
      } satisfies Partial<SearchOptions>,
    ],
  ],

  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'Lumenize',
      logo: { alt: 'Lumenize', src: 'img/logo.svg' },
      // Plain links: `type: 'doc'` items would all light up on every page of
      // the one sidebar.
      items: [
        { to: '/docs/intro', label: 'Docs', position: 'left', activeBaseRegex: '^/docs/(?!api(/|$))' },
        { to: '/docs/getting-started', label: 'Getting started', position: 'left' },
        { to: '/docs/api', label: 'API reference', position: 'left', activeBasePath: '/docs/api' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Learn',
          items: [
            { label: 'Introduction', to: '/docs/intro' },
            { label: 'Getting started', to: '/docs/getting-started' },
          ],
        },
        {
          title: 'Reference',
          items: [
            { label: 'Foundations', to: '/docs/foundations' },
            { label: 'Capabilities', to: '/docs/capabilities' },
            { label: 'API reference', to: '/docs/api' },
          ],
        },
      ],
      copyright: `Lumenize · MIT licensed · built with Docusaurus`,
    },
    prism: {
      additionalLanguages: ['bash'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
