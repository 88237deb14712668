// The table of issue 11, measured in one run: each reference layer timed by our native forward_runs
// and by PyTorch on one thread (bench/pytorch_reference.py), alternately for several rounds (CPU
// time, medians of the paired rounds), beside the browser / native ratios that forward_browser.mjs
// wrote, the start-up ratio and slowest playing frame that page_load.mjs wrote, each with its goal,
// and the machine it ran on. Run by `./tutor bench` after those two; exits 1 when a goal is missed.
//   node bench/side_by_side.mjs FORWARD_RUNS BROWSER_JSON PAGE_JSON [--rounds N]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const PYTORCH_SCRIPT = fileURLToPath(new URL("pytorch_reference.py", import.meta.url));
const PYTHON = "/usr/bin/python3";  // Debian's python3-torch lives there, not in a pyenv first on PATH
const LAYERS = {
  Rgb256_32x4x4_Stride2_Valid: "3×256×256 → 32 filters 4×4, stride 2",
  Rgb256_8x3x3_Valid: "3×256×256 → 8 filters 3×3",
  C64x56_64x3x3_Same: "64×56×56 → 64 filters 3×3, same",
};

const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 5;
const [forwardRuns, browserJson, pageJson] = args;
if (!forwardRuns || !browserJson || !pageJson || !Number.isInteger(rounds) || rounds < 1) {
  console.error("usage: node bench/side_by_side.mjs FORWARD_RUNS BROWSER_JSON PAGE_JSON [--rounds N]");
  process.exit(2);
}

const Median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// The JSON lines a program prints, by layer name: forward_runs and pytorch_reference.py --json alike.
const RunLayers = (program, programArgs) => Object.fromEntries(
  execFileSync(program, programArgs, { encoding: "utf8" }).split("\n").filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line)).filter((result) => result.layer).map((result) => [result.layer, result]));

// lscpu's model name, the widest x86 vector unit its flags name, and the core count.
function Machine() {
  let model = cpus()[0]?.model ?? "unknown CPU";
  let vectors = "";
  try {
    const lines = execFileSync("lscpu", { encoding: "utf8" }).split("\n");
    const Field = (name) => lines.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1).trim();
    model = Field("Model name") ?? model;
    const flags = (Field("Flags") ?? "").split(" ");
    vectors = flags.includes("avx512f") ? " (AVX-512)" : flags.includes("avx2") ? " (AVX2)" : "";
  } catch { /* lscpu missing: node's own name for the CPU */ }
  return `${model}${vectors}, ${cpus().length} cores`;
}

// Alternating rounds, the side that goes first swapped each round so neither always runs on a warmer cache.
console.log(`Ours (native forward_runs) and PyTorch (1 thread), alternately, ${rounds} rounds:`);
const paired = Object.fromEntries(Object.keys(LAYERS).map((layer) => [layer, { ours: [], torch: [], ratio: [] }]));
for (let round = 0; round < rounds; ++round) {
  const RunOurs = () => RunLayers(forwardRuns, []);
  const RunTorch = () => RunLayers(PYTHON, [PYTORCH_SCRIPT, "--json", "--quick"]);
  let ours, torch;
  if (round % 2 === 0) { ours = RunOurs(); torch = RunTorch(); } else { torch = RunTorch(); ours = RunOurs(); }
  for (const layer of Object.keys(LAYERS)) {
    if (!ours[layer] || !torch[layer]) throw new Error(`round ${round + 1}: no figure for ${layer}`);
    const figures = paired[layer];
    figures.ours.push(ours[layer].cpu_median_ms);
    figures.torch.push(torch[layer].cpu_median_ms);
    figures.ratio.push(torch[layer].cpu_median_ms / ours[layer].cpu_median_ms);
  }
  console.log(`  round ${round + 1}: ` + Object.keys(LAYERS).map((layer) =>
    `${paired[layer].ours.at(-1).toFixed(2)} / ${paired[layer].torch.at(-1).toFixed(2)} ms`).join(", "));
}

const browser = JSON.parse(readFileSync(browserJson, "utf8"));
const page = JSON.parse(readFileSync(pageJson, "utf8"));
const ms = (value) => `${value.toFixed(2)} ms`;
const rows = [];
for (const [layer, title] of Object.entries(LAYERS)) {
  const figures = paired[layer];
  const ratio = Median(figures.ratio);
  rows.push([title, ms(Median(figures.ours)), `PyTorch 1 thread ${ms(Median(figures.torch))}`, `${ratio.toFixed(2)}×`,
    "PyTorch / ours ≥ 1.0", ratio >= 1.0]);
}
for (const [layer, title] of Object.entries(LAYERS)) {
  const ratio = browser.browserOverNative[layer];
  rows.push([`${title}, in Chromium`, ms(browser.browser[layer].median_ms), `native ${ms(browser.native[layer].median_ms)}`,
    `${ratio.toFixed(2)}×`, "Chromium / native ≤ 2", ratio <= 2]);
}
rows.push(["start-up (window.convtutor.ready)", `${page.readyMs.toFixed(0)} ms`,
  `blank WebGL2 page ${page.blankReadyMs.toFixed(0)} ms`, `${page.startupRatio.toFixed(2)}×`, "ours / blank ≤ 2",
  page.startupRatio <= 2]);
rows.push([`slowest page: ${page.slowestPage}`, `${page.budgetFrameMs.toFixed(1)} ms`, "frameMs while playing (95th percentile)", "",
  "≤ 4 ms", page.budgetFrameMs <= 4 && page.played.every((played) => played.played)]);

console.log(`\nSide by side, one run, ${new Date().toISOString().slice(0, 10)}, on ${Machine()}:\n`);
console.log("| figure | ours | reference | ratio | goal | |");
console.log("|---|---|---|---|---|---|");
for (const [title, ours, reference, ratio, goal, met] of rows) {
  console.log(`| ${title} | ${ours} | ${reference} | ${ratio} | ${goal} | ${met ? "met" : "**missed**"} |`);
}
process.exitCode = rows.every((row) => row[5]) ? 0 : 1;
