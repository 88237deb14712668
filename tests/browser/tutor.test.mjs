// Browser tests of the tutor's page: the WebAssembly app in headless Chromium, driven through the
// keyboard and the window.convtutor automation hook. Needs a built page (./tutor build-web) in
// dist/web, or CONVTUTOR_DIST pointing at one. Run with `node --test` (./tutor test does).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ServeFolder } from "../../web/serve.mjs";
import { DecodePng, MeasureContent, ShowsContent } from "./png.mjs";
import { DIST, OUT, LaunchChromium, NextFrames, OpenTutor as OpenPage, State, StateWhen, WaitFor } from "./tutor_page.mjs";

const LEVELS = ["cell", "channel", "term"];

let server;
let browser;

before(async () => {
  assert.ok(existsSync(join(DIST, "index.html")), `no built page in ${DIST}: run ./tutor build-web first`);
  mkdirSync(OUT, { recursive: true });
  server = await ServeFolder(DIST);
  browser = await LaunchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

// Opens the page at `hash` (in a fresh profile unless a context is given) and waits for the first frame.
const OpenTutor = ({ hash = "", context = null, scale = 1 } = {}) => OpenPage(browser, server.url + hash, { context, scale });

async function Press(page, key) {
  await page.keyboard.press(key);
}

// A lesson with at least `minimum` steps, opened at step 0 (the key tests need room to move).
async function OpenLessonWithSteps(page, minimum) {
  const { lessons } = await State(page);
  for (const lesson of lessons) {
    await page.evaluate((slug) => { window.location.hash = `#lesson=${slug}&step=0`; }, lesson);
    const state = await StateWhen(page, (s) => s.lesson === lesson && s.step === 0);
    if (state.lesson === lesson && state.steps >= minimum) return state;
  }
  assert.fail(`no lesson has ${minimum} steps (lessons: ${lessons.join(", ")})`);
}

test("the page loads, draws its first frame, focuses the canvas and logs no errors", async () => {
  const tutor = await OpenTutor();
  try {
    const state = await State(tutor.page);
    assert.equal(typeof state.lesson, "string");
    assert.ok(Array.isArray(state.lessons) && state.lessons.length > 0, "lessons is a non-empty list");
    assert.ok(state.lessons.includes(state.lesson), `current lesson ${state.lesson} is one of the lessons`);
    assert.ok(Number.isInteger(state.step) && state.step >= 0);
    assert.ok(Number.isInteger(state.steps) && state.steps > state.step);
    assert.ok(LEVELS.includes(state.level), `level ${state.level} is one of ${LEVELS}`);
    assert.equal(typeof state.playing, "boolean");
    assert.ok(typeof state.frameMs === "number" && state.frameMs > 0, "frameMs is measured");
    assert.equal(await tutor.page.title(), "Convolution tutor: step through convolution and pooling");
    assert.equal(await tutor.page.evaluate(() => document.activeElement && document.activeElement.id), "canvas");
    assert.equal(await tutor.page.isVisible("#loading"), false, "the loading screen is gone");
    await tutor.page.waitForTimeout(1000);
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});

test("arrow keys step forward and back, Home and End jump to the first and last step", async () => {
  const tutor = await OpenTutor();
  try {
    const start = await OpenLessonWithSteps(tutor.page, 6);
    await Press(tutor.page, "ArrowRight");
    assert.equal((await StateWhen(tutor.page, (s) => s.step === 1)).step, 1);
    await Press(tutor.page, "ArrowRight");
    assert.equal((await StateWhen(tutor.page, (s) => s.step === 2)).step, 2);
    await Press(tutor.page, "ArrowLeft");
    assert.equal((await StateWhen(tutor.page, (s) => s.step === 1)).step, 1);
    await Press(tutor.page, "End");
    assert.equal((await StateWhen(tutor.page, (s) => s.step === start.steps - 1)).step, start.steps - 1);
    await Press(tutor.page, "Home");
    assert.equal((await StateWhen(tutor.page, (s) => s.step === 0)).step, 0);
    await Press(tutor.page, "ArrowLeft");
    await tutor.page.waitForTimeout(300);
    assert.equal((await State(tutor.page)).step, 0, "Left on the first step stays there");
    for (let press = 0; press < 5; ++press) await Press(tutor.page, "ArrowRight");
    assert.equal((await StateWhen(tutor.page, (s) => s.step === 5)).step, 5, "five quick presses are five steps");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});

test("Space plays, playing advances the step by itself, and Space pauses again", async () => {
  const tutor = await OpenTutor();
  try {
    await OpenLessonWithSteps(tutor.page, 4);
    assert.equal((await State(tutor.page)).playing, false);
    await Press(tutor.page, "Space");
    const playing = await StateWhen(tutor.page, (s) => s.playing && s.step > 0);
    assert.equal(playing.playing, true, "Space starts playback");
    assert.ok(playing.step > 0, `playback moved past step 0 (at ${playing.step})`);
    await Press(tutor.page, "Space");
    const paused = await StateWhen(tutor.page, (s) => !s.playing);
    assert.equal(paused.playing, false, "Space pauses");
    await tutor.page.waitForTimeout(600);
    assert.equal((await State(tutor.page)).step, paused.step, "a paused tutor stays on its step");
  } finally {
    await tutor.close();
  }
});

test("the address bar shows the current lesson and step", async () => {
  const tutor = await OpenTutor();
  try {
    const start = await OpenLessonWithSteps(tutor.page, 3);
    await Press(tutor.page, "ArrowRight");
    await Press(tutor.page, "ArrowRight");
    const state = await StateWhen(tutor.page, (s) => s.step === 2);
    const expected = `#lesson=${start.lesson}&step=${state.step}`;
    await WaitFor(tutor.page, (hash) => window.location.hash === hash, expected).catch(() => {});
    assert.equal(await tutor.page.evaluate(() => window.location.hash), expected);
  } finally {
    await tutor.close();
  }
});

test("a deep link opens that lesson at that step, and a changed hash moves there", async () => {
  const probe = await OpenTutor();
  const { lessons } = await State(probe.page);
  await probe.close();
  const target = lessons[lessons.length - 1];

  const tutor = await OpenTutor({ hash: `#lesson=${target}&step=2` });
  try {
    const state = await State(tutor.page);
    assert.equal(state.lesson, target);
    assert.equal(state.step, Math.min(2, state.steps - 1));

    const other = lessons[0];
    await tutor.page.evaluate((slug) => { window.location.hash = `#lesson=${slug}&step=1`; }, other);
    const moved = await StateWhen(tutor.page, (s) => s.lesson === other);
    assert.equal(moved.lesson, other);
    assert.equal(moved.step, Math.min(1, moved.steps - 1));
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});

test("reloading the page without a link resumes where the learner was", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const first = await OpenTutor({ context });
    const start = await OpenLessonWithSteps(first.page, 4);
    for (let press = 0; press < 3; ++press) await Press(first.page, "ArrowRight");
    const before = await StateWhen(first.page, (s) => s.step === 3);
    assert.equal(before.step, 3);
    await WaitFor(first.page, (hash) => window.location.hash === hash, `#lesson=${start.lesson}&step=3`);
    await first.close();

    const again = await OpenTutor({ context });
    const resumed = await State(again.page);
    assert.equal(resumed.lesson, start.lesson);
    assert.equal(resumed.step, 3);
    await again.close();
  } finally {
    await context.close();
  }
});

test("the canvas renders at the device pixel ratio and follows the window size", async () => {
  const tutor = await OpenTutor({ scale: 2 });
  try {
    const size = () => tutor.page.evaluate(() => {
      const canvas = document.getElementById("canvas");
      return { width: canvas.width, height: canvas.height, cssWidth: canvas.clientWidth, cssHeight: canvas.clientHeight };
    });
    const large = await size();
    assert.deepEqual(large, { width: 2560, height: 1600, cssWidth: 1280, cssHeight: 800 });
    await tutor.page.setViewportSize({ width: 1000, height: 700 });
    await WaitFor(tutor.page, () => document.getElementById("canvas").width === 2000).catch(() => {});
    assert.deepEqual(await size(), { width: 2000, height: 1400, cssWidth: 1000, cssHeight: 700 });
  } finally {
    await tutor.close();
  }
});

// The same lesson step, with the page's fonts read from the build's atlas or rasterised by the app.
async function ScreenshotWithFonts({ saved }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (!saved) await context.route("**/font-atlas-1x.bin", (route) => route.abort());
  const tutor = await OpenTutor({ hash: "#lesson=01-sliding-window&step=5", context });
  try {
    const state = await StateWhen(tutor.page, (s) => s.step === 5);
    await tutor.page.waitForTimeout(300);
    return { state, picture: DecodePng(await tutor.page.screenshot({ path: join(OUT, `fonts-${saved ? "saved" : "rasterised"}.png`) })) };
  } finally {
    await context.close();
  }
}

test("at pixel ratio 1 the fonts come from the build's atlas and draw exactly what rasterised fonts draw", async () => {
  const saved = await ScreenshotWithFonts({ saved: true });
  const rasterised = await ScreenshotWithFonts({ saved: false });
  assert.equal(saved.state.fontAtlas, "saved");
  assert.equal(rasterised.state.fontAtlas, "rasterised");
  assert.equal(saved.state.lesson, rasterised.state.lesson);
  assert.ok(ShowsContent(MeasureContent(saved.picture)), "the page shows content");
  const differing = saved.picture.pixels.reduce((count, value, i) => count + (value !== rasterised.picture.pixels[i] ? 1 : 0), 0);
  assert.equal(differing, 0, `out/fonts-saved.png and out/fonts-rasterised.png differ in ${differing} bytes`);
});

test("at pixel ratio 2 the fonts are rasterised and the atlas for ratio 1 is not downloaded", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const requested = [];
  context.on("request", (request) => requested.push(new URL(request.url()).pathname));
  const tutor = await OpenTutor({ context });
  try {
    assert.equal((await State(tutor.page)).fontAtlas, "rasterised");
    assert.ok(requested.includes("/convtutor.wasm"), `the page's requests were seen: ${requested.join(", ")}`);
    assert.ok(!requested.includes("/font-atlas-1x.bin"), `requested: ${requested.join(", ")}`);
    assert.deepEqual(tutor.errors, []);
  } finally {
    await context.close();
  }
});

test("a quick load shows no loading screen; a slow one shows it with its progress until the first frame", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    // The program arrives 1.5 s late, as on a slow connection.
    await context.route("**/convtutor.wasm", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(server.url, { waitUntil: "domcontentloaded" });
    assert.equal(await page.isVisible("#loading"), false, "no card in the first moment (LOADING_SCREEN_DELAY_MS)");
    await page.waitForSelector("#loading", { state: "visible", timeout: 1400 });
    assert.match(await page.textContent("#status"), /Downloading|Starting/);
    await WaitFor(page, () => window.convtutor && window.convtutor.ready === true, null, 60000);
    await page.waitForSelector("#loading", { state: "hidden", timeout: 2000 });
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "canvas");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a browser without WebGL 2 gets a plain explanation instead of a broken page", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(() => {
      const getContext = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return kind === "webgl2" ? null : getContext.call(this, kind, ...rest);
      };
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector("#failure:not(.hidden)", { timeout: 10000 });
    assert.match(await page.textContent("#failure-reason"), /WebGL 2/);
    assert.equal(await page.isVisible("#loading"), false, "no endless loading screen");
    assert.equal(await page.evaluate(() => window.convtutor.ready), false);
  } finally {
    await context.close();
  }
});

test("a screenshot of the tutor shows content, not a blank canvas", async () => {
  const tutor = await OpenTutor();
  try {
    await tutor.page.waitForTimeout(500);
    const path = join(OUT, "tutor.png");
    const picture = await tutor.page.screenshot({ path });
    const measure = MeasureContent(DecodePng(picture));
    assert.ok(ShowsContent(measure), `screenshot ${path} looks blank: ${JSON.stringify(measure)}`);
  } finally {
    await tutor.close();
  }
});

test("a still screen is not drawn again but stays on the canvas; a step draws at once", async () => {
  const tutor = await OpenTutor({ hash: "#lesson=01-sliding-window&step=2" });
  try {
    const { page } = tutor;
    await page.mouse.move(0, 0);  // no hover effect can change the picture
    await page.waitForTimeout(500);
    const still = await State(page);
    const before = await page.screenshot();
    await page.waitForTimeout(1000);
    const later = await NextFrames(page, 2);
    assert.ok(later.frame >= still.frame + 10, `frames ran: ${still.frame} → ${later.frame}`);
    assert.equal(later.framesDrawn, still.framesDrawn, "nothing changed, so nothing was drawn again");
    const after = await page.screenshot();
    assert.ok(ShowsContent(MeasureContent(DecodePng(after))), "the canvas keeps its picture");
    assert.ok(Buffer.compare(before, after) === 0, "the same picture as a second ago");
    await page.keyboard.press("ArrowRight");
    assert.equal((await StateWhen(page, (state) => state.step === still.step + 1)).step, still.step + 1);
    const stepped = await NextFrames(page, 2);  // the key is handled as a frame ends, drawn by the next
    assert.ok(stepped.framesDrawn > still.framesDrawn, "the new step was drawn");
    const shown = await page.screenshot({ path: join(OUT, "stepped-after-still.png") });
    assert.ok(Buffer.compare(before, shown) !== 0, "the screen shows the new step");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});
