// Page-load benchmark: opens the built page (dist/web) in Debian's Chromium several times, each in
// a fresh profile (nothing cached), served with gzip as a static host would, and holds the
// product's budgets: the page usable within 500 ms, at most 1 MB over the wire per load, and any
// step of any lesson reachable at once (the frame that draws it fits in one 60 Hz frame). Run by `./tutor bench`; exits 1 when a budget
// is missed. Timings depend on the machine: compare runs on the same one.
//   node bench/page_load.mjs [--runs N]      (CONVTUTOR_DIST: the built page, default dist/web)
import { DIST, LaunchChromium, State, StateWhen, WaitFor } from "../tests/browser/tutor_page.mjs";
import { ServeFolder } from "../web/serve.mjs";

const BUDGET_READY_MS = 500;
const BUDGET_BYTES = 1024 * 1024;
const BUDGET_JUMP_FRAME_MS = 1000 / 60;  // "at once": the step is drawn within one frame at 60 Hz
const MARKS = ["convtutor-downloaded", "convtutor-main", "convtutor-window", "convtutor-lessons", "convtutor-ready"];

function ParseRuns(args) {
  const at = args.indexOf("--runs");
  if (at < 0) return 5;
  const runs = Number(args[at + 1]);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
    console.error("page_load.mjs: --runs needs a whole number from 1 to 100");
    process.exit(2);
  }
  return runs;
}

const Median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// One cold load: bytes received (as encoded on the wire) and the start-up marks, in ms since navigation.
async function LoadOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const network = await context.newCDPSession(page);
  await network.send("Network.enable");
  await network.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bytes = 0;
  network.on("Network.loadingFinished", (event) => { bytes += event.encodedDataLength; });
  await page.goto(url);
  await WaitFor(page, () => window.convtutor && window.convtutor.ready === true, null, 60000);
  const marks = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType("mark").map((mark) => [mark.name, mark.startTime])));
  await context.close();
  return { bytes, marks };
}

// Opens every lesson, then jumps straight to its last step: the time until the page's state shows
// that step (measured inside the page, frame by frame), and the CPU time of the frame that drew it.
async function JumpToLastSteps(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await WaitFor(page, () => window.convtutor && window.convtutor.ready === true, null, 60000);
  const jumps = [];
  for (const lesson of (await State(page)).lessons) {
    await page.evaluate((slug) => { window.location.hash = `lesson=${slug}&step=0`; }, lesson);
    const opened = await StateWhen(page, (state) => state.lesson === lesson);
    const last = opened.steps - 1;
    const jump = await page.evaluate(([slug, step]) => new Promise((done) => {
      const started = performance.now();
      const NextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const Watch = async () => {
        for (let frame = 0; frame < 600; ++frame) {
          await NextFrame();
          const state = window.convtutor.state();
          if (state.lesson === slug && state.step === step) {
            const shownMs = performance.now() - started;
            await NextFrame();  // frameMs now belongs to the frame that drew the step
            done({ shown: true, wallMs: shownMs, frameMs: window.convtutor.state().frameMs });
            return;
          }
        }
        done({ shown: false, wallMs: performance.now() - started, frameMs: NaN });
      };
      window.location.hash = `lesson=${slug}&step=${step}`;
      Watch();
    }), [lesson, last]);
    jumps.push({ lesson, step: last, ...jump });
  }
  await context.close();
  return jumps;
}

const runs = ParseRuns(process.argv.slice(2));
const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
try {
  const loads = [];
  for (let run = 0; run < runs; ++run) loads.push(await LoadOnce(browser, server.url));
  const jumps = await JumpToLastSteps(browser, server.url);

  console.log(`Page load, ${runs} cold loads of ${server.url} (median, then worst), ms since navigation:`);
  for (const mark of MARKS) {
    const times = loads.map((load) => load.marks[mark]).filter((time) => time !== undefined);
    if (times.length === 0) continue;
    console.log(`  ${mark.replace("convtutor-", "").padEnd(11)} ${Median(times).toFixed(0).padStart(6)} ${Math.max(...times).toFixed(0).padStart(6)}`);
  }
  console.log("Jump to a lesson's last step (wall ms until shown, CPU ms of its frame):");
  for (const jump of jumps) {
    console.log(`  ${jump.lesson.padEnd(26)} step ${String(jump.step).padStart(5)} ${jump.wallMs.toFixed(0).padStart(5)} ${jump.frameMs.toFixed(1).padStart(6)}`);
  }

  const ready = Median(loads.map((load) => load.marks["convtutor-ready"]));
  const bytes = Median(loads.map((load) => load.bytes));
  const slowestJump = Math.max(...jumps.map((jump) => jump.frameMs));
  const budgets = [
    ["usable (first frame drawn)", `${ready.toFixed(0)} ms`, `${BUDGET_READY_MS} ms`, ready <= BUDGET_READY_MS],
    ["bytes over the wire per load", `${(bytes / 1024).toFixed(0)} KiB`, `${BUDGET_BYTES / 1024} KiB`, bytes <= BUDGET_BYTES],
    ["CPU of the slowest jump's frame", `${slowestJump.toFixed(1)} ms`, `${BUDGET_JUMP_FRAME_MS.toFixed(1)} ms`,
      slowestJump <= BUDGET_JUMP_FRAME_MS && jumps.every((jump) => jump.shown)],
  ];
  console.log("Budgets:");
  for (const [what, measured, budget, met] of budgets) {
    console.log(`  ${met ? "met   " : "MISSED"} ${what.padEnd(30)} ${measured.padStart(9)}  (budget ${budget})`);
  }
  process.exitCode = budgets.every((budget) => budget[3]) ? 0 : 1;
} finally {
  await browser.close();
  await server.close();
}
