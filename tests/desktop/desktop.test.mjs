// Desktop smoke test: starts Xvfb on a free display (at 192 DPI), runs the native app in screenshot
// mode on the first lesson at step 3, and checks the state it reports and the PNG it writes (not
// blank); then that it scales itself to the display's DPI, that --scale overrides it, and that
// --image puts a picture on the stage.
// CONVTUTOR_APP names the built convtutor-app. Run with `node --test` (./tutor test does).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DecodePng, MeasurePngFile, ShowsContent } from "../browser/png.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const APP = resolve(process.env.CONVTUTOR_APP || join(HERE, "..", "..", "build", "test", "app", "convtutor-app"));
const OUT = join(HERE, "out");

let xvfb;
let display;
let dataHome;

function FreeDisplay() {
  for (let number = 90; number < 190; ++number) {
    if (!existsSync(`/tmp/.X${number}-lock`) && !existsSync(`/tmp/.X11-unix/X${number}`)) return number;
  }
  throw new Error("no free X display number between :90 and :189");
}

async function WaitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

// Runs the app in screenshot mode and returns the state it printed.
function RunApp(args, extraEnv = {}) {
  const run = spawnSync(APP, [...args, "--print-state"], {
    env: { ...process.env, DISPLAY: `:${display}`, XDG_DATA_HOME: dataHome, ...extraEnv },
    encoding: "utf8",
    timeout: 60000,
  });
  assert.equal(run.status, 0, `convtutor-app ${args.join(" ")} exited with ${run.status}: ${run.stderr}`);
  const lines = run.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

before(async () => {
  assert.ok(existsSync(APP), `no desktop app at ${APP}: build it first (./tutor test does)`);
  mkdirSync(OUT, { recursive: true });
  dataHome = mkdtempSync(join(tmpdir(), "convtutor-desktop-test-"));
  display = FreeDisplay();
  xvfb = spawn("Xvfb", [`:${display}`, "-screen", "0", "2600x1700x24", "-dpi", "192", "-nolisten", "tcp"], { stdio: "ignore" });
  await WaitFor(() => existsSync(`/tmp/.X11-unix/X${display}`) || xvfb.exitCode !== null, 10000, `Xvfb on :${display}`);
  assert.equal(xvfb.exitCode, null, `Xvfb :${display} did not start`);
});

after(() => {
  if (xvfb && xvfb.exitCode === null) xvfb.kill("SIGTERM");
  if (dataHome) rmSync(dataHome, { recursive: true, force: true });
});

test("the desktop app renders the first lesson at step 3 into a PNG that is not blank", () => {
  const opening = RunApp(["--screenshot", join(OUT, "opening.png")]);
  assert.ok(opening.lessons.length > 0, "the app lists its lessons");
  const first = opening.lessons[0];
  assert.equal(opening.lesson, first, "with no flags the app opens the first lesson");

  const path = join(OUT, "desktop.png");
  rmSync(path, { force: true });
  const state = RunApp(["--lesson", first, "--step", "3", "--screenshot", path, "--width", "1280", "--height", "800"]);
  assert.equal(state.lesson, first);
  assert.equal(state.step, Math.min(3, state.steps - 1));
  assert.ok(existsSync(path), `the app wrote ${path}`);
  const measure = MeasurePngFile(path);
  assert.ok(ShowsContent(measure), `screenshot ${path} looks blank: ${JSON.stringify(measure)}`);
});

// Xvfb's XRandR reports no monitor size, so SDL reads the DPI from the X screen when told to skip
// XRandR (as on a desktop whose Xft.dpi says 192, the 200% setting).
const kScreenDpi = { SDL_VIDEO_X11_XRANDR: "0" };

test("on a 192 DPI display the desktop app draws everything twice as large", () => {
  const path = join(OUT, "desktop-hidpi.png");
  const state = RunApp(["--screenshot", path, "--width", "1280", "--height", "800"], kScreenDpi);
  assert.equal(state.contentScale, 2);
  const image = DecodePng(readFileSync(path));
  assert.deepEqual([image.width, image.height], [2560, 1600], "the window is 1280×800 logical pixels at 2×");
  assert.ok(ShowsContent(MeasurePngFile(path)), `screenshot ${path} looks blank`);
});

test("--scale overrides the display's DPI", () => {
  const path = join(OUT, "desktop-scale1.png");
  const state = RunApp(["--screenshot", path, "--width", "1000", "--height", "700", "--scale", "1"], kScreenDpi);
  assert.equal(state.contentScale, 1);
  const image = DecodePng(readFileSync(path));
  assert.deepEqual([image.width, image.height], [1000, 700]);
});

test("--image opens a picture in the sandbox and the screenshot shows it with its map", () => {
  // A 37×23 picture of the test suite's own (tests/golden/make_image_golden.py), smaller than the
  // stage: shown at its own size, with one Sobel filter over it.
  const picture = join(HERE, "..", "golden", "images", "rgb-37x23.png");
  const path = join(OUT, "desktop-picture.png");
  rmSync(path, { force: true });
  const state = RunApp(["--image", picture, "--screenshot", path, "--width", "1280", "--height", "800", "--scale", "1"]);
  assert.equal(state.lesson, "sandbox");
  assert.ok(state.image, `a picture is on the stage (error: ${state.imageError})`);
  assert.equal(state.image.name, "rgb-37x23.png");
  assert.deepEqual([state.image.width, state.image.height, state.image.channels], [37, 23, 1]);
  // A valid 3×3 over 23 rows and 37 columns: 21 × 35 output cells.
  assert.equal(state.steps, 21 * 35);
  assert.ok(ShowsContent(MeasurePngFile(path)), `screenshot ${path} looks blank`);
});

test("--image with a file that is not a picture keeps the app running and says why", () => {
  const state = RunApp(["--image", join(HERE, "desktop.test.mjs"), "--screenshot", join(OUT, "desktop-not-picture.png")]);
  assert.equal(state.image, null);
  assert.match(state.imageError, /desktop\.test\.mjs/);
});

test("the desktop app rejects a bad flag with a message naming it", () => {
  const run = spawnSync(APP, ["--step", "three"], { env: { ...process.env, DISPLAY: `:${display}` }, encoding: "utf8", timeout: 30000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /--step three/);
  const scale = spawnSync(APP, ["--scale", "9"], { env: { ...process.env, DISPLAY: `:${display}` }, encoding: "utf8", timeout: 30000 });
  assert.notEqual(scale.status, 0);
  assert.match(scale.stderr, /--scale 9/);
});
