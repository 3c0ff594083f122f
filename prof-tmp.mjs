import { spawn } from "node:child_process";
import createClient from "openapi-fetch";
const { createVideoClient } = await import("./dist/src/index.js");
const server = spawn(process.execPath, ["-e", `
  const task = JSON.stringify({ id: "video_1", object: "video", model: "kling-v3-std-silent", status: "queued", progress: 0, created_at: 1764086400 });
  require("node:http").createServer((req, res) => { req.resume(); req.on("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(task) }).end(task)); }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });
`], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((r) => server.stdout.once("data", (d) => r(Number(String(d).trim()))));
const base = `http://127.0.0.1:${port}`;
const body = { model: "kling-v3-std-silent", prompt: "a fox", duration: 5 };
const init = () => ({ method: "POST", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: JSON.stringify(body) });
const variants = {
  bare: async () => (await fetch(`${base}/v1/video/generations`, init())).json(),
  bareSignal: async () => { const c = new AbortController(); const t = setTimeout(() => c.abort(), 60000); const r = await fetch(`${base}/v1/video/generations`, { ...init(), signal: c.signal }); const j = await r.json(); clearTimeout(t); return j; },
  bareRequest: async () => (await fetch(new Request(`${base}/v1/video/generations`, init()))).json(),
  bareTwoRequests: async () => { const r1 = new Request(`${base}/v1/video/generations`, init()); const b = await r1.arrayBuffer(); return (await fetch(new Request(r1.url, { method: "POST", headers: new Headers(r1.headers), body: b }))).json(); },
  bufferResponse: async () => { const r = await fetch(`${base}/v1/video/generations`, init()); const buf = await r.arrayBuffer(); return new Response(buf, { status: r.status, headers: r.headers }).json(); },
  openapiFetch: (() => { const c = createClient({ baseUrl: base, headers: { authorization: "Bearer k" } }); return async () => (await c.POST("/v1/video/generations", { body })).data; })(),
  sdk: (() => { const c = createVideoClient({ baseUrl: base, apiKey: "k" }); return () => c.create(body); })(),
  sdkNoValidate: (() => { const c = createVideoClient({ baseUrl: base, apiKey: "k", validate: false }); return () => c.create(body); })(),
};
const N = 3000;
for (const [name, fn] of Object.entries(variants)) { for (let i = 0; i < 300; i++) await fn(); }
for (let round = 0; round < 2; round++) for (const [name, fn] of Object.entries(variants)) {
  const s = process.hrtime.bigint(); for (let i = 0; i < N; i++) await fn(); const us = Number(process.hrtime.bigint() - s) / 1e3 / N;
  if (round) console.log(name.padEnd(16), us.toFixed(0), "µs");
}
server.kill();
