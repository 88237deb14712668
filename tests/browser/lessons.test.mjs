// Browser tests of every lesson: each opens by deep link with its scene on the stage, and one
// exercise per lesson, answered through its box on the canvas, rejects a wrong answer with a hint
// and accepts the right one. Needs a built page (./tutor build-web); run with `node --test`.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ServeFolder } from "../../web/serve.mjs";
import { DecodePng, MeasureContent, ShowsContent } from "./png.mjs";
import { ClickCentre, DIST, OUT, LaunchChromium, OpenTutor, SettledRect, State, StateWhen } from "./tutor_page.mjs";

// One exercise per lesson whose answer is worked by hand from the lesson file's own scene or
// model, never read from the app. Output size without padding: floor((n + pads - span) / s) + 1,
// where span = (k - 1)·d + 1. A conv layer's parameters: filters · (kh · kw · in) + biases.
const HAND_WORKED = {
  // Scene "first-window": 5×5 input, 3×3 kernel, stride 1: 5 - 3 + 1 = 3 rows.
  "01-sliding-window": { exercise: "rows", right: "3", wrong: "5" },
  // Scene "fits": 7×7 input, 3×3 kernel, stride 2: floor((7 - 3) / 2) + 1 = 3 columns.
  "02-stride": { exercise: "fits-width", right: "3", wrong: "7" },
  // Scene "valid16": 16×16 input, 4×4 kernel, stride 2, no padding: floor((16 - 4) / 2) + 1 = 7 rows.
  "03-padding": { exercise: "valid16-height", right: "7", wrong: "16" },
  // Scene "torch-one": 8×8 input, 3×3 kernel, stride 2, one padding row on each side:
  // floor((8 + 1 + 1 - 3) / 2) + 1 = 3 + 1 = 4 rows.
  "04-padding-in-pytorch": { exercise: "torch-one-height", right: "4", wrong: "3" },
  // Scene "ceil": 5×5 input, 2×2 pool, stride 2, ceil_mode: ceil((5 - 2) / 2) + 1 = 2 + 1 = 3 rows
  // (the last window starts at row 4, inside the input, so it is kept).
  "05-pooling": { exercise: "ceil-height", right: "3", wrong: "1" },
  // Scene "rgb": two filters of 3×3×3 with one bias each: 2 · (3 · 3 · 3) + 2 = 56.
  "06-channels": { exercise: "rgb-params", right: "56", wrong: "54" },
  // Scene "second": three filters of 3×3×4 with one bias each: 3 · (3 · 3 · 4) + 3 = 111.
  "07-stacking-layers": { exercise: "second-params", right: "111", wrong: "108" },
  // Scene "mini": two filters of 4×4×3 with one bias each: 2 · (4 · 4 · 3) + 2 = 98.
  "08-model-summary": { exercise: "mini-params", right: "98", wrong: "96" },
  // Scene "hwio": weights [kh, kw, in, out] = [2, 2, 1, 2] and no bias: 2 · 2 · 1 · 2 = 8.
  "09-weight-tensors": { exercise: "hwio-params", right: "8", wrong: "10" },
  // Scene "dilated": 9×9 input, 3×3 kernel, dilation 2: span (3 - 1) · 2 + 1 = 5, 9 - 5 + 1 = 5 rows.
  "10-dilation-and-1x1": { exercise: "dilated-height", right: "5", wrong: "7" },
  // Scene "sobel-x": the 48×48 picture pictures/camera-48.png (48 rows, as make_pictures.py crops
  // 480 rows and averages 10×10 blocks), 3×3 kernel, stride 1, no padding: 48 - 3 + 1 = 46 rows.
  "11-edges-on-a-photo": { exercise: "edge-rows", right: "46", wrong: "48" },
  // Scene "grow": a transposed convolution of a 3×3 input, 3×3 kernel, stride 2, no padding:
  // (3 - 1) · 2 - 2 · 0 + 1 · (3 - 1) + 0 + 1 = 7 rows (6 = n · s is a wrong path).
  "12-transposed-convolution": { exercise: "grow-height", right: "7", wrong: "6" },
  // Scene "groups": 4 filters of 3×3 over the 2 channels of their group, one bias each:
  // 4 · (3 · 3 · 2) + 4 = 76 (4 · (3 · 3 · 4) + 4 = 148 would ignore the groups).
  "13-depthwise-and-separable": { exercise: "groups-params", right: "76", wrong: "148" },
  // Scene "two": two 3×3 layers at stride 1; each adds 3 - 1 input rows to the one cell it starts
  // from: 1 + 2 + 2 = 5 (adding the kernels, 3 + 3 = 6, is the mistake).
  "14-receptive-field": { exercise: "two-field", right: "5", wrong: "6" },
  // Scene "dense-as-conv": two filters of 4×4×3 with one bias each: 2 · (4 · 4 · 3) + 2 = 98.
  "15-where-the-parameters-live": { exercise: "dense-as-conv-params", right: "98", wrong: "96" },
  // Scene "unroll": a 5×5 input under a 3×3 kernel has 3 · 3 = 9 windows (rows) of 9 taps, times
  // 2 filters: 9 · 9 · 2 = 162 multiply-adds.
  "16-convolution-as-matrix-product": { exercise: "unroll-work", right: "162", wrong: "81" },
  // Model "block", row 6: the shortcut's 1×1 convolution, 32 filters over 16 channels, no bias:
  // 1 · 1 · 16 · 32 = 512 (544 would count a bias per filter).
  "17-skip-connections": { exercise: "shortcut-params", right: "512", wrong: "544" },
  // Model "step", row 4: a 3×3 convolution over the 64 + 32 = 96 concatenated channels, 32 filters
  // with a bias each: (3 · 3 · 96 + 1) · 32 = 865 · 32 = 27,680 (27,648 forgets the bias).
  "18-upsampling-and-u-net": { exercise: "conv-params", right: "27680", wrong: "27648" },
  // Scene "everything": two filters of 3×3×2 with one bias each: 2 · (3 · 3 · 2) + 2 = 38.
  "19-what-next": { exercise: "everything-params", right: "38", wrong: "36" },
};
// One exercise of each kind that asks the other way round, also worked by hand from the lesson file.
const OTHER_KINDS = [
  // Inverse, model "seed-valid": 256 rows, 4×4 kernel, stride 2. Padding 0: floor(252 / 2) + 1 = 127;
  // padding 1 on each side: floor(254 / 2) + 1 = 128.
  { slug: "03-padding", exercise: "seed-pad", right: "1", wrong: "0" },
  // Weight shape, model "mnist", layer 1: Conv2D(32, (5, 5)) on 1 grey channel; tf.nn.conv2d's
  // [kh, kw, in, out] is [5, 5, 1, 32]; PyTorch's order (32, 1, 5, 5) is the wrong one here.
  { slug: "09-weight-tensors", exercise: "mnist-w1", right: "[5, 5, 1, 32]", wrong: "(32, 1, 5, 5)" },
  // Find the line, model "torch-head": 32 → 32 (3×3, padding 1) → 16 (pool) → 14 (3×3) → 7 (pool),
  // so Flatten gives 32·7·7 = 1568 values and line 7's nn.Linear(32 * 8 * 8, ...) is the mistake.
  { slug: "08-model-summary", exercise: "torch-head-line", right: "7", wrong: "6" },
  // Choice, scene "gaps": a 2-wide window jumping 3 skips a row at every jump: answer b, not a.
  { slug: "02-stride", exercise: "gaps-choice", right: "b", wrong: "a" },
];
// Pages after the lessons, with no exercises of their own.
const NOT_LESSONS = ["sandbox", "your-model"];

assert.ok(existsSync(join(DIST, "index.html")), `no built page in ${DIST}: run ./tutor build-web first`);
mkdirSync(OUT, { recursive: true });
const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
after(async () => {
  await browser.close();
  await server.close();
});

// The lesson list comes from the app itself, so a new lesson file is tested without editing this file.
const probe = await OpenTutor(browser, server.url);
const { lessons } = await State(probe.page);
await probe.close();

test("the tutor lists lessons, and every lesson has a hand-worked exercise here", () => {
  assert.ok(lessons.length > 1, `lessons: ${JSON.stringify(lessons)}`);
  const missing = lessons.filter((slug) => !NOT_LESSONS.includes(slug) && !(slug in HAND_WORKED));
  assert.deepEqual(missing, [], "add a hand-worked exercise for each of these lessons to HAND_WORKED");
});

for (const slug of lessons) {
  test(`lesson ${slug} opens by deep link with its scene on the stage`, async () => {
    // A fresh context per lesson: no progress or saved place leaks in from another test.
    const tutor = await OpenTutor(browser, `${server.url}#lesson=${slug}&step=0`);
    try {
      // Lessons other than the one shown are read after the first frame: wait for them all.
      const state = await StateWhen(tutor.page, (s) => s.lesson === slug && s.scene !== "" && s.lessonsUnread === 0);
      assert.equal(state.lesson, slug);
      assert.notEqual(state.scene, "", "a scene is on the stage");
      assert.equal(state.step, 0);
      assert.ok(state.steps > 0, `the scene has steps (${state.steps})`);
      assert.equal(state.loadErrors, 0, "no lesson file failed to load");
      await tutor.page.waitForTimeout(300);
      const path = join(OUT, `lesson-${slug}.png`);
      const picture = await tutor.page.locator("#canvas").screenshot({ path });
      const measure = MeasureContent(DecodePng(picture));
      assert.ok(ShowsContent(measure), `screenshot ${path} looks blank: ${JSON.stringify(measure)}`);
      assert.deepEqual(tutor.errors, []);
    } finally {
      await tutor.close();
    }
  });
}

// The transposed convolution's first scene, "grow" (a 3×3 input, 3×3 kernel, stride 2, one
// channel, no bias, at the channel level), in each view the address names: the scatter takes one
// step per input cell (3 · 3 = 9); the gather and the zero-inserted convolution one per output
// cell ((3 - 1) · 2 + 3 = 7 rows and columns: 49).
const TRANSPOSED_VIEWS = { "": ["scatter", 9], "&view=gather": ["gather", 49], "&view=zero_inserted": ["zero_inserted", 49] };
for (const [suffix, [view, steps]] of Object.entries(TRANSPOSED_VIEWS)) {
  test(`lesson 12-transposed-convolution opens its first scene in the ${view} view by address`, async () => {
    const tutor = await OpenTutor(browser, `${server.url}#lesson=12-transposed-convolution&step=0${suffix}`);
    try {
      const state = await StateWhen(tutor.page, (s) => s.scene === "grow" && s.view === view);
      assert.equal(state.steps, steps);
      assert.equal(state.level, "channel");
      assert.deepEqual(tutor.errors, []);
    } finally {
      await tutor.close();
    }
  });
}

const ExerciseIn = (state, id) => state.exercises.find((exercise) => exercise.id === id);

// An exercise's answer box once it stays put (after the link's scroll, after a hint pushes it down).
const SettledBox = (page, id) => SettledRect(page, (s) => ExerciseIn(s, id).box);

// Addresses from before lesson 03 was split and the later lessons renumbered (lessons/redirects.txt):
// a renamed lesson opens under its new slug, and an exercise that moved out of 03-padding opens
// in the lesson that holds it now, with its answer box in view.
const OLD_ADDRESSES = [
  ["08-weight-tensors&step=0", "09-weight-tensors", ""],
  ["03-padding&exercise=torch-one-height", "04-padding-in-pytorch", "torch-one-height"],
];
for (const [old, now, id] of OLD_ADDRESSES) {
  test(`the old address #lesson=${old} opens ${now}`, async () => {
    const tutor = await OpenTutor(browser, `${server.url}#lesson=${old}`);
    try {
      const opened = (s) => s.lesson === now && (id === "" || (ExerciseIn(s, id) && ExerciseIn(s, id).box !== null));
      const state = await StateWhen(tutor.page, opened);
      assert.equal(state.lesson, now);
      assert.deepEqual(tutor.errors, []);
    } finally {
      await tutor.close();
    }
  });
}

const Answerable = lessons
  .filter((name) => name in HAND_WORKED)
  .map((slug) => ({ slug, ...HAND_WORKED[slug] }))
  .concat(OTHER_KINDS.map((kind) => ({ ...kind, screenshot: true })));

for (const { slug, exercise: id, right, wrong, screenshot } of Answerable) {
  test(`lesson ${slug}: exercise ${id} rejects ${wrong} with a hint and accepts ${right}`, async () => {
    const tutor = await OpenTutor(browser, `${server.url}#lesson=${slug}&exercise=${id}`);
    const { page } = tutor;
    try {
      let state = await StateWhen(page, (s) => s.lesson === slug && ExerciseIn(s, id) && ExerciseIn(s, id).box !== null);
      assert.equal(state.lesson, slug);
      const start = ExerciseIn(state, id);
      assert.ok(start, `lesson ${slug} has exercise ${id} (has: ${state.exercises.map((e) => e.id).join(", ")})`);
      assert.notEqual(start.box, null, "the link scrolled the exercise's answer box into view");
      assert.equal(start.solved, false, "a fresh profile has not solved it");
      assert.equal(start.feedback, "");

      await ClickCentre(page, await SettledBox(page, id));
      await page.keyboard.type(wrong);
      await page.keyboard.press("Enter");
      state = await StateWhen(page, (s) => ExerciseIn(s, id).feedback !== "");
      let exercise = ExerciseIn(state, id);
      assert.equal(exercise.feedback, "wrong", `${wrong} is rejected`);
      assert.ok(exercise.hint.length > 0, "a wrong answer gets a hint");
      assert.equal(exercise.solved, false);

      // The box keeps the cursor after a wrong Enter; click it again anyway, as a learner might.
      await ClickCentre(page, await SettledBox(page, id));
      for (let i = 0; i < wrong.length + 2; ++i) await page.keyboard.press("Backspace");
      await page.keyboard.type(right);
      await page.keyboard.press("Enter");
      state = await StateWhen(page, (s) => ExerciseIn(s, id).feedback === "correct");
      exercise = ExerciseIn(state, id);
      assert.equal(exercise.feedback, "correct", `${right} is accepted (hint: ${exercise.hint})`);
      assert.equal(exercise.solved, true);
      if (screenshot) {
        const path = join(OUT, `exercise-${slug}-${id}.png`);
        const picture = await page.locator("#canvas").screenshot({ path });
        assert.ok(ShowsContent(MeasureContent(DecodePng(picture))), `screenshot ${path} looks blank`);
      }
      assert.deepEqual(tutor.errors, []);
    } finally {
      await tutor.close();
    }
  });
}
