// A pre-loader for docs pages: tells the bundler which source files a page
// imports with remark-code-import (```ts file=<rootDir>/examples/x.ts#L1-L9).
// Without it, the persistent build cache and the dev server only watch the
// .md file itself, so editing an example would leave the page showing the
// old code.
const path = require('node:path');

const fenceWithFile = /^ {0,3}(?:`{3,}|~{3,})[^\n]*?\sfile=((?:\\ |\S)+)/gm;

module.exports = function codeImportDeps(source) {
  const { rootDir } = this.getOptions();
  for (const match of source.matchAll(fenceWithFile)) {
    const target = match[1]
      .replace(/#.*$/, '')
      .replace(/^<rootDir>/, rootDir)
      .replace(/\\ /g, ' ');
    this.addDependency(path.resolve(path.dirname(this.resourcePath), target));
  }
  return source;
};
