// Where one cold load's start-up goes, from a Chromium trace: a diagnostic for work on the start-up
// (issue 11), not a budget (bench/page_load.mjs holds those). It opens the built page once in a
// fresh profile with tracing on and prints the page's start-up marks, the renderer main thread's
// tasks until the first frame with what took most of each, how busy each thread of each of
// Chromium's processes was (on a 2-core machine they share the cores), V8's JavaScript compiling
// by thread, and the WebAssembly functions compiled at their first call on the main thread.
// Tracing slows the load by about a fifth: compare traces with traces, not with page_load.mjs.
// The first load after Chromium starts is slower than the rest (273 against 167 ms ready in one
// run): read the later loads of --runs 3.
//   node bench/startup_trace.mjs [--runs N] [--save TRACE.json]
//   (CONVTUTOR_DIST: the built page, default dist/web; with --runs each load is reported in turn)
import { writeFileSync } from "node:fs";
import { DIST, LaunchChromium, WaitFor } from "../tests/browser/tutor_page.mjs";
import { ServeFolder } from "../web/serve.mjs";

const CATEGORIES = ["devtools.timeline", "v8.wasm", "disabled-by-default-v8.compile", "blink.user_timing", "v8",
  "toplevel", "loading"];
const SHOWN_TASK_MS = 0.3;  // main-thread tasks shorter than this are left out of the list
const SHOWN_THREADS = 12;

function OptionValue(args, name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
}

// The complete ("X") events of each thread, and the threads' and processes' names.
function Threads(events) {
  const threadNames = new Map();
  const processNames = new Map();
  for (const event of events) {
    if (event.ph !== "M") continue;
    if (event.name === "thread_name") threadNames.set(`${event.pid}:${event.tid}`, event.args.name);
    if (event.name === "process_name") processNames.set(event.pid, event.args.name);
  }
  const complete = new Map();
  for (const event of events) {
    if (event.ph !== "X" || event.dur === undefined) continue;
    const key = `${event.pid}:${event.tid}`;
    if (!complete.has(key)) complete.set(key, []);
    complete.get(key).push(event);
  }
  const label = (key) => `${processNames.get(Number(key.split(":")[0])) || "?"} / ${threadNames.get(key) || key}`;
  return { complete, threadNames, label };
}

// Microseconds of [start, end) that a thread's events cover, nested events counted once.
function BusyMicroseconds(events, start, end) {
  const spans = events.map((event) => [Math.max(event.ts, start), Math.min(event.ts + event.dur, end)])
    .filter(([from, to]) => to > from).sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let reached = start;
  for (const [from, to] of spans) {
    if (to <= reached) continue;
    busy += to - Math.max(from, reached);
    reached = to;
  }
  return busy;
}

const Ms = (microseconds) => (microseconds / 1000).toFixed(1).padStart(6);

function Report(events) {
  const marks = new Map(events.filter((event) => event.name && event.name.startsWith("convtutor-"))
    .map((event) => [event.name, event.ts]));
  if (!marks.has("convtutor-ready")) throw new Error("the trace has no convtutor-ready mark");
  const firstMark = Math.min(...marks.values());
  const navigations = events.filter((event) => event.name === "navigationStart" && event.ts < firstMark);
  if (navigations.length === 0) throw new Error("the trace has no navigationStart before the page's marks");
  const start = Math.max(...navigations.map((event) => event.ts));
  const ready = marks.get("convtutor-ready");
  const { complete, threadNames, label } = Threads(events);

  console.log("Marks, ms since navigation (traced):");
  for (const [name, ts] of [...marks].sort((a, b) => a[1] - b[1])) {
    console.log(`  ${name.replace("convtutor-", "").padEnd(11)} ${Ms(ts - start)}`);
  }

  const mainThread = [...threadNames].find(([key, name]) => name === "CrRendererMain" && complete.has(key) &&
    complete.get(key).some((event) => event.ts >= start && event.ts <= ready));
  if (!mainThread) throw new Error("the trace has no renderer main thread working during the load");
  const main = complete.get(mainThread[0]).filter((event) => event.ts + event.dur > start && event.ts < ready);
  console.log(`Renderer main thread's tasks until ready (start ms, length ms, what took most of it):`);
  for (const task of main.filter((event) => event.name === "ThreadControllerImpl::RunTask" || event.name === "RunTask")) {
    if (task.dur < SHOWN_TASK_MS * 1000) continue;
    const inside = main.filter((event) => event !== task && event.name !== task.name && event.ts >= task.ts &&
      event.ts + event.dur <= task.ts + task.dur).sort((a, b) => b.dur - a.dur).slice(0, 3);
    const what = inside.map((event) => {
      const url = event.args && event.args.data && event.args.data.url ? `(${event.args.data.url.split("/").pop()})` : "";
      return `${event.name}${url} ${(event.dur / 1000).toFixed(1)}`;
    }).join(", ");
    console.log(`  ${Ms(task.ts - start)} ${Ms(task.dur)}  ${what}`);
  }

  console.log(`Busy ms of each thread from navigation to ready (${Ms(ready - start).trim()} ms):`);
  const busy = [...complete].map(([key, threadEvents]) => [key, BusyMicroseconds(threadEvents, start, ready)])
    .sort((a, b) => b[1] - a[1]).slice(0, SHOWN_THREADS);
  for (const [key, microseconds] of busy) console.log(`  ${Ms(microseconds)}  ${label(key)}`);

  console.log("V8 compiling JavaScript before ready (ms, by thread):");
  const compiling = new Map();
  for (const [key, threadEvents] of complete) {
    for (const event of threadEvents) {
      if (event.ts < start || event.ts > ready || !/^V8\.(Compile|Parse|PreParse)/.test(event.name)) continue;
      const row = `${threadNames.get(key) || key}: ${event.name}`;
      compiling.set(row, (compiling.get(row) || 0) + event.dur);
    }
  }
  for (const [row, microseconds] of [...compiling].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${Ms(microseconds)}  ${row}`);
  }

  const lazy = main.filter((event) => event.name === "wasm.CompileLazy");
  const lazyMicroseconds = lazy.reduce((sum, event) => sum + event.dur, 0);
  console.log(`WebAssembly compiled at first call on the main thread before ready: ${lazy.length} functions, ` +
    `${Ms(lazyMicroseconds).trim()} ms`);
}

const args = process.argv.slice(2);
const runs = Number(OptionValue(args, "--runs", "1"));
const save = OptionValue(args, "--save", null);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error("startup_trace.mjs: --runs needs a whole number from 1 to 20");
  process.exit(2);
}
const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
try {
  for (let run = 0; run < runs; ++run) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(server.url);
    await WaitFor(page, () => window.convtutor && window.convtutor.ready === true, null, 60000);
    const trace = await browser.stopTracing();
    await context.close();
    if (save) writeFileSync(save, trace);
    if (runs > 1) console.log(`--- load ${run + 1} of ${runs} (${DIST})`);
    Report(JSON.parse(trace.toString()).traceEvents);
  }
} finally {
  await browser.close();
  await server.close();
}
