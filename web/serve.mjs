// Serves the built page (dist/web) on 127.0.0.1, as `./tutor web` does for learners and as the
// browser tests and the page-load benchmark do: the types a browser needs for WebAssembly, and the
// gzip copies `./tutor build-web` writes beside each file (name.gz) to browsers that accept gzip,
// so a page load costs what it would on a static host that compresses.
//   node web/serve.mjs FOLDER [PORT]   serves FOLDER until stopped (port 0: any free port)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".data": "application/octet-stream",
  ".png": "image/png",
};

async function ReadVariant(folder, relative, acceptsGzip) {
  if (acceptsGzip) {
    try {
      return { body: await readFile(join(folder, relative + ".gz")), gzipped: true };
    } catch {
      // No compressed copy: serve the file itself.
    }
  }
  return { body: await readFile(join(folder, relative)), gzipped: false };
}

// Resolves to {url, close()} once the server listens on `port` (0: a free port the system picks).
export function ServeFolder(folder, port = 0) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    const relative = normalize(path === "/" ? "/index.html" : path).replace(/^(\.\.[/\\])+/, "");
    const acceptsGzip = /\bgzip\b/.test(request.headers["accept-encoding"] || "");
    try {
      const { body, gzipped } = await ReadVariant(folder, relative, acceptsGzip);
      const headers = {
        "Content-Type": TYPES[extname(relative)] || "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-cache",
        Vary: "Accept-Encoding",
      };
      if (gzipped) headers["Content-Encoding"] = "gzip";
      response.writeHead(200, headers);
      response.end(request.method === "HEAD" ? undefined : body);
    } catch {
      response.writeHead(404, { "Content-Type": "text/plain" });
      response.end("not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [folder, port = "8000"] = process.argv.slice(2);
  if (!folder) {
    console.error("usage: node web/serve.mjs FOLDER [PORT]");
    process.exit(2);
  }
  ServeFolder(folder, Number(port)).then(
    ({ url }) => console.log(`Serving the tutor at ${url}  (Ctrl+C stops it)`),
    (error) => {
      console.error(`serve.mjs: cannot listen on 127.0.0.1:${port}: ${error.message}`);
      process.exit(1);
    });
}
