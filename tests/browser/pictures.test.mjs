// Browser tests of pictures in the sandbox: a sample opened by deep link plays a Sobel kernel over
// the photo, and the magnifier's sum at a step equals what the CLI computes for that step; a PNG
// chosen in the file picker goes on the stage; a corrupt file is reported and the picture before
// stays. Needs a built page (./tutor build-web) and the CLI (CONVTUTOR_CLI, CONVTUTOR_SAMPLES_DIR).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ServeFolder } from "../../web/serve.mjs";
import { DecodePng, MeasureContent, ShowsContent } from "./png.mjs";
import { DIST, OUT, LaunchChromium, OpenTutor, State, StateWhen } from "./tutor_page.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const CLI = resolve(process.env.CONVTUTOR_CLI || join(ROOT, "build", "test", "cli", "convtutor"));
const SAMPLES = process.env.CONVTUTOR_SAMPLES_DIR || "";
// A small picture of the test suite's own (made by tests/golden/make_image_golden.py).
const TEST_PICTURE = join(ROOT, "tests", "golden", "images", "rgb-37x23.png");

// Sobel x, written out here rather than read from the app: right column minus left column,
// the middle row counting twice.
const SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];

mkdirSync(OUT, { recursive: true });
const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
after(async () => {
  await browser.close();
  await server.close();
});

// What the CLI says the running value is at `step` (one step per output cell) for the sandbox's
// first-picture layer: one Sobel x filter with a zero bias, no padding, stride 1, on the sample in
// gray at the stage's default longest side of 128 pixels.
function CliPartial(sample, step) {
  const request = {
    op: "conv2d",
    input: { image: sample, mode: "gray", max_side: 128 },
    weights: [[SOBEL_X]],
    bias: [0],
  };
  const run = spawnSync(CLI, ["trace", "-", "--level", "cell", "--step", String(step)], {
    input: JSON.stringify(request),
    encoding: "utf8",
    env: { ...process.env, CONVTUTOR_SAMPLES: SAMPLES },
  });
  assert.equal(run.status, 0, `convtutor trace failed: ${run.stderr}`);
  return JSON.parse(run.stdout).partial;
}

test("a sample picture opens by deep link, and the magnifier's sum matches the CLI step by step", async () => {
  const probe = await OpenTutor(browser, `${server.url}#lesson=sandbox`);
  const { samples } = await State(probe.page);
  await probe.close();
  assert.ok(samples.length >= 3, `bundled samples: ${JSON.stringify(samples)}`);
  const sample = samples[0];

  const tutor = await OpenTutor(browser, `${server.url}#lesson=sandbox&image=${sample}`);
  const { page } = tutor;
  try {
    const opened = await StateWhen(page, (s) => s.image !== null, 15000);
    assert.equal(opened.lesson, "sandbox");
    assert.ok(opened.image, `the picture is on the stage (error: ${opened.imageError})`);
    assert.equal(opened.image.name, sample);
    assert.equal(opened.image.channels, 1, "gray by default");
    assert.equal(Math.max(opened.image.width, opened.image.height), 128, "scaled to the stage's longest side");
    assert.ok(opened.image.scaledFrom, "the sample is larger than the stage, and the state says so");
    assert.ok(opened.computeMs > 0, "the whole layer's recomputation is timed");
    // A valid 3×3: (h − 2) × (w − 2) cells, one step each.
    assert.equal(opened.steps, (opened.image.height - 2) * (opened.image.width - 2));

    // Step into the picture (a row well inside it) and compare with the CLI at the same step.
    const step = (opened.image.width - 2) * 40 + 30;
    await page.evaluate((s) => { window.location.hash = `lesson=sandbox&step=${s}&image=${window.convtutor.state().image.name}`; }, step);
    const there = await StateWhen(page, (s) => s.step === step);
    assert.equal(there.step, step);
    assert.equal(there.imageError, "", "the same picture named again is no error");
    assert.equal(there.image.name, sample);
    assert.ok(Math.abs(there.partial - CliPartial(sample, step)) < 1e-4, `page ${there.partial} vs CLI`);
    await page.keyboard.press("ArrowRight");
    const next = await StateWhen(page, (s) => s.step === step + 1);
    assert.ok(Math.abs(next.partial - CliPartial(sample, step + 1)) < 1e-4, `page ${next.partial} vs CLI`);

    const shot = join(OUT, "pictures.png");
    await page.screenshot({ path: shot });
    assert.ok(ShowsContent(MeasureContent(DecodePng(readFileSync(shot)))), "the stage shows the photo and its map");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});

test("a picture chosen in the file picker goes on the stage; a corrupt one is refused and the last stays", async () => {
  const tutor = await OpenTutor(browser, `${server.url}#lesson=sandbox`);
  const { page } = tutor;
  try {
    let chooser = page.waitForEvent("filechooser");
    await page.evaluate(() => window.convtutor.pickPicture());
    await (await chooser).setFiles(TEST_PICTURE);
    const opened = await StateWhen(page, (s) => s.image !== null, 10000);
    assert.ok(opened.image, `the picture is on the stage (error: ${opened.imageError})`);
    assert.equal(opened.image.name, "rgb-37x23.png");
    // Smaller than the stage's 128 pixels: shown at its own size, not scaled.
    assert.equal(opened.image.width, 37);
    assert.equal(opened.image.height, 23);
    assert.equal(opened.image.scaledFrom, null);

    // The first 40 bytes of a PNG: a signature and a header, and then nothing.
    const truncated = readFileSync(TEST_PICTURE).subarray(0, 40);
    chooser = page.waitForEvent("filechooser");
    await page.evaluate(() => window.convtutor.pickPicture());
    await (await chooser).setFiles({ name: "broken.png", mimeType: "image/png", buffer: truncated });
    const refused = await StateWhen(page, (s) => s.imageError !== "", 10000);
    assert.match(refused.imageError, /broken\.png/);
    assert.equal(refused.image.name, "rgb-37x23.png", "the picture before stays on the stage");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});
