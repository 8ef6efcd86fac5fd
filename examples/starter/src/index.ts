// The Worker: `POST /<name>` records a visit, `GET /<name>` shows the visitor.
// Every Durable Object class in wrangler.jsonc is exported from here.
export { CounterDO } from "./counter";
export { VisitorDO } from "./visitor";

export default {
  async fetch(request, env): Promise<Response> {
    const name = new URL(request.url).pathname.slice(1);
    if (!name) return new Response("Try POST /ada, then GET /ada.\n", { status: 404 });
    const visitor = env.VISITOR.getByName(name);
    if (request.method === "POST") await visitor.arrive();
    return Response.json(await visitor.visitor());
  },
} satisfies ExportedHandler<Env>;
