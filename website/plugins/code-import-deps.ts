// Makes every docs page depend on the files it imports code from (see
// code-import-deps-loader.cjs), so cached builds and `npm run docs` pick up
// edits to examples/ at once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadContext, Plugin } from '@docusaurus/types';

const loader = fileURLToPath(new URL('./code-import-deps-loader.cjs', import.meta.url));

export interface CodeImportDepsOptions {
  /** The absolute folder `<rootDir>` stands for in `file=` fences. */
  rootDir: string;
  /** Folders (relative to the site dir) whose pages may import code. */
  contentDirs: string[];
}

export default function codeImportDeps(
  context: LoadContext,
  { rootDir, contentDirs }: CodeImportDepsOptions,
): Plugin {
  return {
    name: 'lumenize-code-import-deps',
    configureWebpack: () => ({
      module: {
        rules: [
          {
            test: /\.mdx?$/i,
            // `include` is required: Docusaurus builds its fallback MDX rule's
            // `exclude` from the `include` of every MDX rule it finds.
            include: contentDirs.map((dir) => path.join(context.siteDir, dir)),
            enforce: 'pre',
            use: [{ loader, options: { rootDir } }],
          },
        ],
      },
    }),
  };
}
