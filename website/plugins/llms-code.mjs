// A rehype step for @signalwire/docusaurus-plugin-llms-txt, which turns the
// built HTML into the Markdown of llms-full.txt. Run before its own steps:
// - A highlighted block is one <div class="token-line"> per line, each ending
//   in <br>; converted as is, every line of code came out followed by a blank
//   line, and the fence had no language. Here each block becomes plain
//   <pre><code class="language-ts">, one text line per line, as in the source.
// - The "#" anchor beside each heading is dropped (it came out as
//   [​](#quick-start "Direct link to Quick start")).

/** Concatenated text of a hast node, skipping <br> (a line break is the line's own end). */
function textOf(node) {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' && node.tagName === 'br') return '';
  return (node.children ?? []).map(textOf).join('');
}

function classesOf(node) {
  const className = node.properties?.className;
  return Array.isArray(className) ? className.map(String) : typeof className === 'string' ? className.split(/\s+/) : [];
}

/** Every `token-line` element under `node`, in document order. */
function tokenLines(node, found = []) {
  for (const child of node.children ?? []) {
    if (child.type !== 'element') continue;
    if (classesOf(child).includes('token-line')) found.push(child);
    else tokenLines(child, found);
  }
  return found;
}

function plainCodeBlock(pre) {
  const lines = tokenLines(pre);
  if (lines.length === 0) return;
  const language = classesOf(pre).find((name) => name.startsWith('language-'));
  const code = lines.map(textOf).join('\n');
  pre.children = [{ type: 'element', tagName: 'code', properties: language ? { className: [language] } : {}, children: [{ type: 'text', value: code }] }];
}

function walk(node) {
  if (!node.children) return;
  node.children = node.children.filter((child) => !(child.type === 'element' && child.tagName === 'a' && classesOf(child).includes('hash-link')));
  for (const child of node.children) {
    if (child.type === 'element' && child.tagName === 'pre') plainCodeBlock(child);
    else walk(child);
  }
}

/** The rehype plugin: `content.beforeDefaultRehypePlugins: [llmsCode]`. */
export default function llmsCode() {
  return (tree) => walk(tree);
}
