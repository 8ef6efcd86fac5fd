/**
 * `GET /` of the examples Worker: every route's example, grouped by the docs
 * page that explains it. A browser (Accept: text/html) gets clickable links;
 * curl gets plain text, one URL a line.
 */
import type { Section } from "./routes";

/** Where `npm run docs` serves the documentation site. */
export const DOCS_ORIGIN = "http://localhost:3000";

export function indexPage(request: Request, sections: readonly Section[]): Response {
  const origin = new URL(request.url).origin;
  const html = request.headers.get("accept")?.includes("text/html") ?? false;
  // One URL, two bodies: caches must key on Accept.
  const headers = { "content-type": `text/${html ? "html" : "plain"}; charset=utf-8`, vary: "Accept" };
  return new Response(html ? asHtml(sections) : asText(origin, sections), { headers });
}

function asText(origin: string, sections: readonly Section[]): string {
  const lines = ["Lumenize examples:", ""];
  for (const section of sections) {
    lines.push(`${section.title} (docs: ${DOCS_ORIGIN}${section.docs})`);
    for (const route of section.routes) lines.push(`  ${origin}${route.example}  ${route.description}`);
    lines.push("");
  }
  lines.push(`The docs: run \`npm run docs\`, then open ${DOCS_ORIGIN}/docs/intro`);
  return `${lines.join("\n")}\n`;
}

function asHtml(sections: readonly Section[]): string {
  const body = sections.map((section) => {
    const items = section.routes.map(
      // encodeURI: a placeholder such as <id> becomes %3Cid%3E, a path the route still answers.
      (route) => `<li><a href="${escapeHtml(encodeURI(route.example))}"><code>${escapeHtml(route.example)}</code></a><br>${escapeHtml(route.description)}</li>`,
    );
    return `<h2>${escapeHtml(section.title)} <small><a href="${escapeHtml(DOCS_ORIGIN + section.docs)}">docs</a></small></h2>\n<ul>\n${items.join("\n")}\n</ul>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lumenize examples</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
  li { margin: 0.5rem 0; }
  small { font-weight: normal; }
</style>
</head>
<body>
<h1>Lumenize examples</h1>
<p>Each link runs an example Durable Object under <code>wrangler dev</code> and answers JSON or text.
A bad value in a URL answers 400 with an error that says what was wrong.
The <a href="${escapeHtml(DOCS_ORIGIN)}/docs/intro">documentation</a> explains each one: start it with <code>npm run docs</code>.</p>
${body.join("\n")}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
