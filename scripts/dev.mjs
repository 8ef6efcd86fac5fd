// `npm start`: serves the examples under `wrangler dev` (embedded workerd, no
// Cloudflare account, no network) and prints the URLs you can open.
import { spawn } from "node:child_process";

const port = Number(process.env.PORT ?? 8787);
const origin = `http://localhost:${port}`;
const wrangler = spawn("npx", ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1"], {
  stdio: ["inherit", "inherit", "inherit"],
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
const stop = () => wrangler.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => process.exit(code ?? 0));

// Wait for the server, then print the examples index (`GET /`).
for (let attempt = 0; attempt < 120; attempt++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    const index = await fetch(`http://127.0.0.1:${port}/`);
    if (!index.ok) continue;
    const text = (await index.text()).replaceAll(`http://127.0.0.1:${port}`, origin);
    console.log(`\n${text}\nOpen any of these in a browser or with curl. Ctrl+C stops the server.\n`);
    break;
  } catch {
    // not up yet
  }
}
