import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";

it("an outbound fetch is answered by the stand-in in vitest.config.ts, never by the internet", async () => {
  // Fetched inside a Durable Object, as your own code would.
  const answer = await runInDurableObject(env.VISITOR.getByName("fetcher"), async () => {
    const response = await fetch("https://api.example.test/forecast/Paris");
    return { status: response.status, body: await response.json() };
  });
  expect(answer).toEqual({ status: 200, body: { method: "GET", path: "/forecast/Paris" } });
});
