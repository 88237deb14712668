// Shared by the browser test files: where the built page is, how Debian's Chromium is launched
// (headless, WebGL 2 through SwiftShader), opening the tutor's page and reading its automation hook.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(process.env.CONVTUTOR_DIST || join(HERE, "..", "..", "dist", "web"));
export const OUT = join(HERE, "out");
export const CHROMIUM_FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--use-gl=angle", "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
];

export function LaunchChromium() {
  return chromium.launch({ executablePath: process.env.CONVTUTOR_CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}

// Opens the page at `url` (in a fresh profile unless a context is given) and waits for the first
// frame. Console errors and uncaught page errors are collected in `errors`.
export async function OpenTutor(browser, url, { context = null, scale = 1 } = {}) {
  const owned = !context;
  const usedContext = context || (await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: scale }));
  const page = await usedContext.newPage();
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  await WaitFor(page, () => window.convtutor && window.convtutor.ready === true, null, 60000);
  return { page, errors, context: usedContext, close: () => (owned ? usedContext.close() : page.close()) };
}

// Polls `predicate(arg)` in the page until it is true (or throws after `timeoutMs`). Unlike
// page.waitForFunction, which evaluates its predicate from a string, this works under the page's
// Content-Security-Policy (no 'unsafe-eval').
export async function WaitFor(page, predicate, arg = null, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${predicate}`);
    await page.waitForTimeout(50);
  }
}

export const State = (page) => page.evaluate(() => window.convtutor.state());

// Polls the automation hook until `accept(state)` holds; returns the last state either way so the
// assertion that follows shows what the page really did.
export async function StateWhen(page, accept, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let state = await State(page);
  while (!accept(state) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    state = await State(page);
  }
  return state;
}

// Waits until the page has drawn `count` more frames (the state's frame counter), so what a script
// did has been seen by the app and what the state reports was drawn after it.
export async function NextFrames(page, count = 1, timeoutMs = 10000) {
  const start = (await State(page)).frame;
  return StateWhen(page, (s) => s.frame >= start + count, timeoutMs);
}

// Waits `ms` and then two more drawn frames: what the app does once a change has been still for a
// while (saving the sandbox or the code) has then run, however slowly the machine draws.
export async function WaitThenFrames(page, ms) {
  await page.waitForTimeout(ms);
  await NextFrames(page, 2);
}

// A rectangle the page reports (`pick(state)`, canvas CSS pixels) once it has stayed the same over
// two drawn frames: after a link the page may still be scrolling, and a hint or a check may move
// what is below it a frame later. Null if it is not drawn.
export async function SettledRect(page, pick, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let rect = pick(await State(page));
  while (Date.now() < deadline) {
    const again = pick(await NextFrames(page, 2));
    if (JSON.stringify(again) === JSON.stringify(rect)) return rect;
    rect = again;
  }
  return rect;
}

// Clicks the centre of a rectangle in canvas CSS pixels and waits until the page has drawn the
// frame that took the click, so keys typed next go to what the click focused.
export async function ClickCentre(page, [x, y, width, height]) {
  const canvas = await page.locator("#canvas").boundingBox();
  await page.mouse.click(canvas.x + x + width / 2, canvas.y + y + height / 2);
  await NextFrames(page, 2);
}

// Clicks into the "Your model" editor, selects everything and pastes `text` over it. Headless
// Chromium has no system clipboard to fill, so the paste event carries the text, as the browser's
// own would.
export async function PasteIntoEditor(page, text) {
  const state = await StateWhen(page, (s) => s.modelEditor !== null);
  if (state.modelEditor === null) throw new Error("the model editor is not drawn");
  await ClickCentre(page, await SettledRect(page, (s) => s.modelEditor));
  await page.keyboard.press("Control+A");
  await page.evaluate((code) => {
    const data = new DataTransfer();
    data.setData("text/plain", code);
    window.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data }));
  }, text);
  await page.keyboard.press("Control+V");
}
