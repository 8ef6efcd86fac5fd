// Gives the landing page its example straight from a tested source file, at
// build time, so the snippet there cannot drift from the code the tests run.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

export interface LandingExampleOptions {
  /** The file to show, relative to the repository root. */
  file: string;
  /** The first line shown is the first that includes this text. */
  from: string;
  /** The last line shown is the one before the first (after `from`) that includes this text. */
  until: string;
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
      const lines = (await readFile(absolute, 'utf8')).split('\n');
      const start = lines.findIndex((line) => line.includes(options.from));
      const end = lines.findIndex((line, index) => index > start && line.includes(options.until));
      if (start < 0 || end < 0) {
        throw new Error(`Landing example: "${options.from}" … "${options.until}" not found in ${options.file}; update docusaurus.config.ts.`);
      }
      return { file: options.file, code: lines.slice(start, end).join('\n').trimEnd() + '\n}' };
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content);
    },
  };
}
