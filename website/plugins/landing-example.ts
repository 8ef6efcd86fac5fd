// Gives the landing page its example straight from a tested source file (a
// whole file, or a region: see code-regions.mjs), at build time, so the
// snippet there cannot drift from the code the tests run.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { shownCode } from './code-regions.mjs';

export interface LandingExampleOptions {
  /** The file to show, relative to the repository root. */
  file: string;
  /** A region of it (`// #region name` … `// #endregion name`); the whole file without one. */
  region?: string;
}

export interface LandingExample {
  file: string;
  code: string;
}

export default function landingExample(context: LoadContext, options: LandingExampleOptions): Plugin<LandingExample> {
  const absolute = path.join(context.siteDir, options.file);
  return {
    name: 'lumenize-landing-example',
    getPathsToWatch: () => [absolute],
    async loadContent() {
      const text = await readFile(absolute, 'utf8');
      try {
        return { file: options.file, code: shownCode(text, options.region) };
      } catch (error) {
        throw new Error(`Landing example: ${options.file}: ${(error as Error).message}; update website/landing-example.json.`);
      }
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
  };
}
