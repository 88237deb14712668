// Whole-layer speed in the browser (issue 7's budget): loads the WebAssembly forward_runs module in
// Debian's headless Chromium, reads its median of 20 Forward runs on the 3×256×256 → 8 filters 3×3
// layer, and holds it to 8 ms; prints the same program's native and node figures beside it.
//   node bench/forward_browser.mjs WASM_FOLDER [NATIVE_FORWARD_RUNS]   exits 1 when the budget is missed
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { LaunchChromium } from "../tests/browser/tutor_page.mjs";
import { ServeFolder } from "../web/serve.mjs";

const BUDGET_MS = 8;

const [wasmFolder, nativeProgram] = process.argv.slice(2);
if (!wasmFolder) {
  console.error("usage: node bench/forward_browser.mjs WASM_FOLDER [NATIVE_FORWARD_RUNS]");
  process.exit(2);
}

// forward_runs prints one JSON line; the page collects what the module prints.
const PAGE = `<!doctype html><meta charset="utf-8"><title>forward_runs</title>
<script>
  window.printed = [];
  var Module = { print: (line) => window.printed.push(line), printErr: (line) => console.error(line) };
</script>
<script src="forward_runs.js"></script>`;

async function InChromium(folder) {
  const server = await ServeFolder(folder);
  const browser = await LaunchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(error.message));
    const url = `${server.url}forward_runs.html`;
    await page.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: PAGE }));
    await page.goto(url);
    const line = await page.waitForFunction(() => window.printed.find((text) => text.startsWith("{")), null,
      { timeout: 120000 }).then((handle) => handle.jsonValue(), (error) => {
      throw new Error(`no result from forward_runs in Chromium (${errors.join("; ") || error.message})`);
    });
    return JSON.parse(line);
  } finally {
    await browser.close();
    await server.close();
  }
}

const RunProgram = (program, args = []) => JSON.parse(execFileSync(program, args, { encoding: "utf8" }).trim());

const browser = await InChromium(resolve(wasmFolder));
const node = RunProgram(process.execPath, ["--no-experimental-fetch", join(resolve(wasmFolder), "forward_runs.js")]);
const native = nativeProgram ? RunProgram(resolve(nativeProgram)) : null;

const Rate = (result) => `${(result.multiply_adds / result.median_ms / 1e6).toFixed(2)} G MAC/s`;
const Row = (where, result) =>
  console.log(`  ${where.padEnd(9)} ${result.median_ms.toFixed(2).padStart(7)} ms  (${result.min_ms.toFixed(2)}–` +
              `${result.max_ms.toFixed(2)})  ${Rate(result)}`);
console.log(`Whole layer ${browser.layer}, median of 20 Forward runs (fastest–slowest):`);
Row("Chromium", browser);
Row("node", node);
if (native) {
  Row("native", native);
  console.log(`  Chromium / native: ${(browser.median_ms / native.median_ms).toFixed(2)}×`);
}
const met = browser.median_ms <= BUDGET_MS;
console.log(`Budget:\n  ${met ? "met   " : "MISSED"} whole-layer recompute in Chromium ${browser.median_ms.toFixed(2).padStart(7)} ms  (budget ${BUDGET_MS} ms)`);
process.exitCode = met ? 0 : 1;
