// Tests of web/serve.mjs, the page's own server: it sends only files under its folder (raw request
// paths with "..", encoded dots and slashes, absolute paths, NUL bytes and symbolic links that
// lead out are refused), listens on the loopback address only, and keeps answering 200 requests
// made at once. Needs no built page: it serves a scratch folder beside a file it must never send.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Agent, get } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { ServeFolder } from "../../web/serve.mjs";

const SECRET = "the server must never send this";
let scratch;
let server;
let port;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "convtutor-serve-"));
  const site = join(scratch, "site");
  mkdirSync(join(site, "samples"), { recursive: true });
  writeFileSync(join(scratch, "secret.txt"), SECRET);
  writeFileSync(join(site, "index.html"), "<!doctype html><title>page</title>");
  writeFileSync(join(site, "samples", "a.png"), Buffer.alloc(1 << 20, 7));
  symlinkSync(join(scratch, "secret.txt"), join(site, "leak.txt"));
  symlinkSync(scratch, join(site, "up"));
  symlinkSync(join(site, "index.html"), join(site, "alias.html"));
  server = await ServeFolder(site);
  port = Number(new URL(server.url).port);
});

after(async () => {
  if (server) await server.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Sends `target` byte for byte as the request line (no client normalises it) and returns the status and body.
function RawGet(target) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = Number((text.match(/^HTTP\/1\.1 (\d{3})/) || [])[1] || 0);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, "latin1");
  });
}

test("the page and files in its folder are served, through links that stay inside too", async () => {
  const index = await RawGet("/");
  assert.equal(index.status, 200);
  assert.match(index.body, /<title>page<\/title>/);
  assert.equal((await RawGet("/samples/a.png")).status, 200);
  assert.equal((await RawGet("/alias.html?x=1")).status, 200);
  assert.equal((await RawGet("/missing.html")).status, 404);
});

test("no request path reaches a file outside the folder", async () => {
  const attempts = [
    "/../secret.txt", "/samples/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
    "/..%2fsecret.txt", "/..%2Fsecret.txt", "/samples%2f..%2f..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
    "//secret.txt", `/${encodeURIComponent(join(scratch, "secret.txt"))}`, `${join(scratch, "secret.txt")}`,
    `http://127.0.0.1${join(scratch, "secret.txt")}`, "/leak.txt", "/up/secret.txt",
    "/index.html%00.png", "/secret.txt%00", "/%00", "/%zz", "/samples/./a.png",
  ];
  for (const target of attempts) {
    const { status, body } = await RawGet(target);
    assert.ok(status === 400 || status === 404, `${target} is refused (got ${status})`);
    assert.ok(!body.includes(SECRET), `${target} does not send the secret`);
  }
});

test("the server listens on the loopback address only", async () => {
  assert.equal(new URL(server.url).hostname, "127.0.0.1");
  const others = Object.values(networkInterfaces()).flat()
    .filter((address) => address && address.family === "IPv4" && !address.internal).map((address) => address.address);
  for (const address of others) {
    const reached = await new Promise((resolve) => {
      const socket = connect(port, address);
      socket.once("connect", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    assert.equal(reached, false, `port ${port} is not reachable on ${address}`);
  }
});

test("200 requests at once are all answered in full, within a few seconds", async () => {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const started = Date.now();
  const one = (index) => new Promise((resolve, reject) => {
    const path = index % 2 === 0 ? "/samples/a.png" : "/index.html";
    get({ host: "127.0.0.1", port, path, agent }, (response) => {
      let bytes = 0;
      response.on("data", (chunk) => { bytes += chunk.length; });
      response.on("end", () => resolve({ status: response.statusCode, bytes, path }));
    }).on("error", reject);
  });
  const results = await Promise.all(Array.from({ length: 200 }, (_, index) => one(index)));
  agent.destroy();
  for (const { status, bytes, path } of results) {
    assert.equal(status, 200);
    assert.equal(bytes, path === "/index.html" ? 34 : 1 << 20, `${path} arrives whole`);
  }
  assert.ok(Date.now() - started < 10000, `answered in ${Date.now() - started} ms`);
  assert.equal((await RawGet("/")).status, 200, "and the server still answers afterwards");
});
