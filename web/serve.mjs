// Serves the built page (dist/web) on 127.0.0.1, as `./tutor web` does for learners and as the
// browser tests and the page-load benchmark do: the types a browser needs for WebAssembly, and the
// gzip copies `./tutor build-web` writes beside each file (name.gz) to browsers that accept gzip,
// so a page load costs what it would on a static host that compresses. Only files whose real path
// (symbolic links followed) lies inside FOLDER are ever sent: `..`, encoded slashes and dots, NUL
// bytes and links that lead out are refused.
//   node web/serve.mjs FOLDER [PORT] [HOST]   serves FOLDER until stopped (port 0: any free port;
//                                             host 127.0.0.1 unless given, e.g. 0.0.0.0)
import { createServer } from "node:http";
import { readFile, realpath } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { extname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".data": "application/octet-stream",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

// The path inside the folder that a request's raw path names ("index.html", "samples/camera.png"),
// or null when it is not one plain file name per segment: each segment is decoded on its own, so
// an encoded slash (%2f, %5c) cannot join segments, and ".", "..", empty segments, backslashes,
// NUL bytes and malformed escapes are refused rather than normalised.
export function RequestedPath(rawUrl) {
  if (typeof rawUrl !== "string" || !rawUrl.startsWith("/")) return null;
  let pathname = rawUrl.split(/[?#]/, 1)[0];
  if (pathname === "/") pathname = "/index.html";
  const segments = [];
  for (const raw of pathname.slice(1).split("/")) {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === "" || segment === "." || segment === ".." || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments.join("/");
}

// The file's real path when it is inside `root` (already a real path), else null.
async function InsideRoot(root, relative) {
  try {
    const real = await realpath(join(root, relative));
    return real.startsWith(root + sep) ? real : null;
  } catch {
    return null;
  }
}

async function ReadVariant(root, relative, acceptsGzip) {
  if (acceptsGzip) {
    const packed = await InsideRoot(root, relative + ".gz");
    if (packed) {
      try {
        return { body: await readFile(packed), gzipped: true };
      } catch {
        // Unreadable compressed copy: serve the file itself.
      }
    }
  }
  const plain = await InsideRoot(root, relative);
  if (!plain) return null;
  try {
    return { body: await readFile(plain), gzipped: false };
  } catch {
    return null;  // a folder, or gone since
  }
}

function Refuse(response, status, text) {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(text);
}

// Resolves to {url, close()} once the server listens on `port` (0: a free port the system picks)
// at `host` (the loopback address unless asked otherwise).
export function ServeFolder(folder, port = 0, host = "127.0.0.1") {
  const root = realpathSync(folder);
  const server = createServer(async (request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") return Refuse(response, 405, "only GET and HEAD");
    const relative = RequestedPath(request.url);
    if (relative === null) return Refuse(response, 400, "bad path");
    const acceptsGzip = /\bgzip\b/.test(request.headers["accept-encoding"] || "");
    const found = await ReadVariant(root, relative, acceptsGzip);
    if (!found) return Refuse(response, 404, "not found");
    const headers = {
      "Content-Type": TYPES[extname(relative)] || "application/octet-stream",
      "Content-Length": found.body.length,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      Vary: "Accept-Encoding",
    };
    if (found.gzipped) headers["Content-Encoding"] = "gzip";
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : found.body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [folder, port = "8000", host = "127.0.0.1"] = process.argv.slice(2);
  if (!folder) {
    console.error("usage: node web/serve.mjs FOLDER [PORT] [HOST]");
    process.exit(2);
  }
  ServeFolder(folder, Number(port), host).then(
    ({ url }) => console.log(`Serving the tutor at ${url}  (Ctrl+C stops it)`),
    (error) => {
      console.error(`serve.mjs: cannot serve ${folder} on ${host}:${port}: ${error.message}`);
      process.exit(1);
    });
}
