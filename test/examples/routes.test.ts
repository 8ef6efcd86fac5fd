/**
 * The examples Worker as a person meets it under `npm start`: the index page
 * (HTML for a browser, text for curl) and what every route answers to a value
 * typed wrong. Each capability's own route tests sit with its example tests
 * (test/alarms/reminders-example.test.ts, test/proxy-fetch/weather-example.test.ts).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DOCS_ORIGIN } from "../../examples/index-page";
import { routes, sections } from "../../examples/routes";
import { badInputs } from "./bad-inputs";

const app = (exports as unknown as { default: { fetch(url: string, init?: RequestInit): Promise<Response> } }).default;
const ORIGIN = "http://example.test";

describe("the examples' answers to bad input", () => {
  it.each(badInputs)("%s answers 400 naming %s and quoting what was typed", async (path, param, value) => {
    const response = await app.fetch(ORIGIN + path);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string; param: string; value: string };
    expect(body).toEqual({ error: expect.stringContaining(`${param}=${JSON.stringify(value)}`), param, value });
    expect(body.error).not.toContain("NaN");
  });

  it("says whether the value is not a number, not a whole number, or out of range", async () => {
    const errorOf = async (path: string) => ((await (await app.fetch(ORIGIN + path)).json()) as { error: string }).error;
    expect(await errorOf("/security/teller/bad-2/deposit/five")).toBe('amount="five" is not a number: give a whole number from 1 to 1000000 (an amount).');
    expect(await errorOf("/security/teller/bad-2/deposit/2.5")).toBe('amount="2.5" is not a whole number: give a whole number from 1 to 1000000 (an amount).');
    expect(await errorOf("/alarms/bad-2/remind?in=90000")).toBe('in="90000" is out of range: give a number from 0 to 86400 (seconds).');
  });

  it("answers a path that no route knows with 404 and the way to the index", async () => {
    const response = await app.fetch(`${ORIGIN}/alarms`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(`No example at /alarms. See ${ORIGIN}/ for the list.`);
  });
});

describe("the examples index", () => {
  it("gives a browser an HTML page linking every example and its docs page", async () => {
    const response = await app.fetch(`${ORIGIN}/`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("vary")).toBe("Accept");
    const html = await response.text();
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map(([, href]) => href.replaceAll("&#38;", "&"));
    expect(hrefs.filter((href) => href.startsWith("/"))).toEqual(routes.map((route) => encodeURI(route.example)));
    expect(hrefs).toContain(`${DOCS_ORIGIN}/docs/intro`);
    for (const section of sections) expect(hrefs).toContain(DOCS_ORIGIN + section.docs);
    expect(html).toContain("npm run docs");
    // Text is escaped: the cancel example's placeholder shows as <id>, not as a tag.
    expect(html).toContain("<code>/alarms/ada/cancel/&#60;id&#62;</code>");
  });

  it("gives curl plain text, one URL a line", async () => {
    const response = await app.fetch(`${ORIGIN}/`, { headers: { accept: "*/*" } });
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await response.text();
    for (const route of routes) expect(text).toContain(`  ${ORIGIN}${route.example}  ${route.description}\n`);
    expect(text).toContain(`npm run docs\`, then open ${DOCS_ORIGIN}/docs/intro`);
  });

  it("links only paths that a route answers", () => {
    for (const route of routes) {
      const { pathname } = new URL(encodeURI(route.example), ORIGIN);
      expect(routes.find((candidate) => candidate.pattern.test(pathname)), route.example).toBe(route);
    }
  });
});
