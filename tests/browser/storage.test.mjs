// The learner's work is never lost: progress, the place, the sandbox and its picture, "Your model"
// code and photo survive a reload; stored data that is damaged, older or from a newer tutor is
// read as far as it can be and what was reset is named on screen; a full or switched-off store is
// told once and the tutor keeps working; two tabs writing at once leave the last writer's work, whole. The page's state is
// read through window.convtutor; stored data is planted before the page's scripts run. Needs a
// built page (./tutor build-web).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ServeFolder } from "../../web/serve.mjs";
import { ClickCentre, DIST, LaunchChromium, OpenTutor, PasteIntoEditor, SettledRect, State, StateWhen, WaitFor, WaitThenFrames } from "./tutor_page.mjs";

const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
after(async () => {
  await browser.close();
  await server.close();
});

// The sandbox and the code are saved once the learner's changes settle (half a second).
const SETTLE_MS = 800;
// A hand-worked exercise: lesson 01's scene is a 5×5 input under a 3×3 kernel, 5 − 3 + 1 = 3 rows.
const EXERCISE = { lesson: "01-sliding-window", id: "rows", answer: "3" };
const MODEL_CODE = "Input(1, 5, 5)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())\n";
// A small picture of the test suite's own (made by tests/golden/make_image_golden.py).
const TEST_PICTURE_NAME = "rgb-37x23.png";
const TEST_PICTURE = fileURLToPath(new URL(`../golden/images/${TEST_PICTURE_NAME}`, import.meta.url));

const NewContext = () => browser.newContext({ viewport: { width: 1280, height: 800 } });
const ExerciseIn = (state, id) => state.exercises.find((exercise) => exercise.id === id);

// Opens `hash` in the tab and waits until the page shows that lesson.
async function Go(page, hash, lesson) {
  await page.evaluate((h) => { window.location.hash = h; }, hash);
  return StateWhen(page, (s) => s.lesson === lesson);
}

// Plants `values` (key → text, under the page's "convtutor." prefix) in the context's storage before
// its first page runs, once, so a reload reads what the tutor itself wrote since.
async function PlantStorage(context, values) {
  await context.addInitScript((planted) => {
    if (window.localStorage.getItem("planted") !== null) return;
    for (const [key, value] of Object.entries(planted)) window.localStorage.setItem(`convtutor.${key}`, value);
    window.localStorage.setItem("planted", "yes");
  }, values);
}

// The bundled samples, from the app itself.
const probe = await OpenTutor(browser, server.url);
const { samples } = await State(probe.page);
await probe.close();

async function SolveExercise(page) {
  await StateWhen(page, (s) => s.lesson === EXERCISE.lesson && ExerciseIn(s, EXERCISE.id) && ExerciseIn(s, EXERCISE.id).box !== null);
  await ClickCentre(page, await SettledRect(page, (s) => ExerciseIn(s, EXERCISE.id).box));
  await page.keyboard.type(EXERCISE.answer);
  await page.keyboard.press("Enter");
  return StateWhen(page, (s) => ExerciseIn(s, EXERCISE.id).solved);
}

async function PasteModelCode(page, code) {
  await PasteIntoEditor(page, code);
  return StateWhen(page, (s) => s.modelCode === code);
}

test("progress, the place, the sandbox's picture and the model code survive a reload", async () => {
  const [sample] = samples;
  const context = await NewContext();
  try {
    // Each part in a tab of its own (one profile, so one store), as a learner coming back would.
    const editor = await OpenTutor(browser, `${server.url}#lesson=your-model`, { context });
    assert.equal((await PasteModelCode(editor.page, MODEL_CODE)).modelCode, MODEL_CODE);
    await WaitThenFrames(editor.page, SETTLE_MS);
    await editor.close();
    const exercise = await OpenTutor(browser, `${server.url}#lesson=${EXERCISE.lesson}&exercise=${EXERCISE.id}`, { context });
    assert.ok(ExerciseIn(await SolveExercise(exercise.page), EXERCISE.id).solved, "the exercise is solved");
    await exercise.close();
    const tutor = await OpenTutor(browser, `${server.url}#lesson=02-stride`, { context });
    const { page } = tutor;
    await Go(page, `lesson=sandbox&image=${sample}`, "sandbox");
    assert.ok((await StateWhen(page, (s) => s.image !== null, 15000)).image, "the sample is on the stage");
    await Go(page, "lesson=02-stride&step=2", "02-stride");
    await WaitThenFrames(page, SETTLE_MS);

    await page.goto(server.url);  // no link: the tutor resumes from what it stored
    await WaitFor(page, () => window.convtutor.ready === true, null, 60000);
    const resumed = await StateWhen(page, (s) => s.lesson === "02-stride" && s.step === 2);
    assert.equal(resumed.lesson, "02-stride");
    assert.equal(resumed.step, 2);
    assert.deepEqual(resumed.notices, []);
    assert.equal(resumed.modelCode, MODEL_CODE);
    const lesson = await Go(page, `lesson=${EXERCISE.lesson}`, EXERCISE.lesson);
    assert.equal(ExerciseIn(lesson, EXERCISE.id).solved, true, "the solved exercise is still solved");
    await Go(page, "lesson=sandbox", "sandbox");
    const sandbox = await StateWhen(page, (s) => s.image !== null, 15000);
    assert.equal(sandbox.image && sandbox.image.name, sample, "the sandbox has its sample picture again");
    assert.deepEqual([...editor.errors, ...exercise.errors, ...tutor.errors], []);
  } finally {
    await context.close();
  }
});

test("a picture file of the learner's own comes back after a reload, in the sandbox and as Your model's photo", async () => {
  const context = await NewContext();
  try {
    const tutor = await OpenTutor(browser, `${server.url}#lesson=sandbox`, { context });
    const { page } = tutor;
    const ChooseTestPicture = async () => {
      const chooser = page.waitForEvent("filechooser");
      await page.evaluate(() => window.convtutor.pickPicture());
      await (await chooser).setFiles(TEST_PICTURE);
    };
    await ChooseTestPicture();
    assert.ok((await StateWhen(page, (s) => s.image !== null, 10000)).image, "the picture is on the stage");
    await Go(page, "lesson=sandbox&step=40", "sandbox");
    const before = await StateWhen(page, (s) => s.step === 40);
    await WaitThenFrames(page, SETTLE_MS);
    await page.reload();
    await WaitFor(page, () => window.convtutor.ready === true, null, 60000);
    const sandbox = await StateWhen(page, (s) => s.lesson === "sandbox" && s.image !== null, 10000);
    assert.equal(sandbox.image.name, TEST_PICTURE_NAME);
    assert.equal(sandbox.step, 40);
    assert.equal(sandbox.partial, before.partial, "the same pixels under the same filter");
    assert.deepEqual(sandbox.notices, []);

    await Go(page, "lesson=your-model", "your-model");
    await ChooseTestPicture();
    await StateWhen(page, (s) => s.modelPhoto === TEST_PICTURE_NAME, 10000);
    await WaitThenFrames(page, SETTLE_MS);
    await page.reload();
    await WaitFor(page, () => window.convtutor.ready === true, null, 60000);
    const model = await StateWhen(page, (s) => s.lesson === "your-model");
    assert.equal(model.modelPhoto, TEST_PICTURE_NAME, "the model's photo is the learner's file again");
    assert.deepEqual(model.notices, []);
    const back = await Go(page, "lesson=sandbox", "sandbox");
    assert.equal(back.image && back.image.name, TEST_PICTURE_NAME, "and the sandbox keeps its own");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await context.close();
  }
});

test("damaged stored data: what reads is kept, what does not is reset and named, and the page works", async () => {
  const context = await NewContext();
  await PlantStorage(context, {
    progress: JSON.stringify({ version: 1, exercises_solved: [`${EXERCISE.lesson}/${EXERCISE.id}`, 42] }),
    sandbox: '{"version": 2, "op": 0, "input_size": [6, ',
    model_code: JSON.stringify({ version: 99, code: MODEL_CODE }),
    location: "lesson=02-stride&step=1",
  });
  try {
    const tutor = await OpenTutor(browser, server.url, { context });
    const { page } = tutor;
    const state = await StateWhen(page, (s) => s.lesson === "02-stride");
    assert.equal(state.step, 1, "the stored place is read");
    assert.equal(state.notices.length, 1, JSON.stringify(state.notices));
    for (const part of ["part of your progress (1 entry of exercises_solved)", "the sandbox settings (not readable)",
                        "your model code (saved by a newer version of the tutor)"]) {
      assert.ok(state.notices[0].includes(part), `the notice names ${part}: ${state.notices[0]}`);
    }
    assert.notEqual(state.modelCode, MODEL_CODE, "a newer format is not guessed at");
    const lesson = await Go(page, `lesson=${EXERCISE.lesson}`, EXERCISE.lesson);
    assert.equal(ExerciseIn(lesson, EXERCISE.id).solved, true, "the readable progress is kept");
    const sandbox = await Go(page, "lesson=sandbox", "sandbox");
    assert.ok(sandbox.steps > 0, "the reset sandbox plays");
    await page.keyboard.press("ArrowRight");
    assert.equal((await StateWhen(page, (s) => s.step === sandbox.step + 1)).step, sandbox.step + 1);
    assert.deepEqual(tutor.errors, []);
  } finally {
    await context.close();
  }
});

test("stored data in the formats from before versions is read whole, with no notice", async () => {
  const context = await NewContext();
  // The sandbox as stored before "version" and "groups": a valid 2×2 kernel of ones on a 4×4
  // input of ones, no padding (PaddingMode 0), no activation: 3 × 3 cells, each 4 × 1 + 0 = 4.
  const sandbox = {
    op: 0, input_size: [4, 4], channels: 1, filters: 1, kernel: [2, 2], stride: [1, 1], dilation: [1, 1],
    padding: 0, sides: [0, 0, 0, 0], bias: true, activation: 0, ceil_mode: false, count_include_pad: true,
    fill: 0, seed: 1, input: Array(16).fill(1), weights: Array(4).fill(1), bias_values: [0],
  };
  await PlantStorage(context, { sandbox: JSON.stringify(sandbox), model_code: MODEL_CODE, location: "lesson=sandbox" });
  try {
    const tutor = await OpenTutor(browser, server.url, { context });
    await StateWhen(tutor.page, (s) => s.lesson === "sandbox");
    await tutor.page.keyboard.press("End");
    const state = await StateWhen(tutor.page, (s) => s.steps > 0 && s.step === s.steps - 1);
    assert.deepEqual(state.notices, []);
    // One step per cell, per channel and bias, or per multiply-add and bias.
    assert.equal(state.steps, { cell: 9, channel: 9 * 2, term: 9 * 5 }[state.level], `steps at level ${state.level}`);
    assert.equal(state.partial, 4, "the last cell sums four ones");
    assert.equal(state.modelCode, MODEL_CODE, "plain-text code, as stored before versions, is the code");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await context.close();
  }
});

// Opens the tutor in a context whose storage misbehaves as `breakStorage` makes it, and checks
// the learner is told once (a notice containing `reason`) while the tutor keeps stepping and playing.
async function ExpectToldOnceAndWorking(breakStorage, reason) {
  const context = await NewContext();
  await context.addInitScript(breakStorage);
  try {
    const tutor = await OpenTutor(browser, `${server.url}#lesson=02-stride&step=0`, { context });
    const { page } = tutor;
    let state = await StateWhen(page, (s) => s.notices.length > 0);
    assert.equal(state.notices.length, 1, JSON.stringify(state.notices));
    assert.ok(state.notices[0].includes(reason), state.notices[0]);
    assert.ok(state.notices[0].includes("keeps working"), state.notices[0]);
    for (let i = 0; i < 3; ++i) await page.keyboard.press("ArrowRight");
    state = await StateWhen(page, (s) => s.step === 3);
    assert.equal(state.step, 3, "the keys still step");
    await Go(page, "lesson=03-padding&step=1", "03-padding");
    await Go(page, "lesson=sandbox", "sandbox");
    await page.keyboard.press("Space");
    await WaitThenFrames(page, SETTLE_MS);
    state = await State(page);
    assert.ok(state.step > 0, "playing advances");
    assert.equal(state.notices.length, 1, "told once, however many writes were refused");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await context.close();
  }
}

test("a full store is told once, in the page, and the tutor keeps working", () =>
  ExpectToldOnceAndWorking(() => {
    Storage.prototype.setItem = function () { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
  }, "storage for this page is full"));

test("storage switched off (private mode) is told once, and the tutor keeps working", () =>
  ExpectToldOnceAndWorking(() => {
    Object.defineProperty(window, "localStorage", {
      configurable: true,
      get() { throw new DOMException("Access is denied for this document.", "SecurityError"); },
    });
  }, "does not let the page store anything"));

test("two tabs writing at the same time: the last writer wins and nothing is corrupted", async () => {
  assert.ok(samples.length >= 3, `bundled samples: ${JSON.stringify(samples)}`);
  const context = await NewContext();
  try {
    const first = await OpenTutor(browser, `${server.url}#lesson=sandbox&image=${samples[0]}`, { context });
    const second = await OpenTutor(browser, `${server.url}#lesson=sandbox&image=${samples[1]}`, { context });
    // Both play and hop between lessons and pictures at once: every frame may write the place, and
    // each picture the sandbox.
    await Promise.all([first.page, second.page].map(async (page, tab) => {
      await page.keyboard.press("Space");
      for (let round = 0; round < 3; ++round) {
        await Go(page, `lesson=sandbox&image=${samples[(round + tab) % 3]}`, "sandbox");
        await page.waitForTimeout(600);
        await Go(page, `lesson=02-stride&step=${round}`, "02-stride");
      }
    }));
    // Then one after the other: the second tab writes last.
    await Go(first.page, `lesson=sandbox&image=${samples[2]}`, "sandbox");
    await WaitThenFrames(first.page, SETTLE_MS);
    await Go(second.page, `lesson=sandbox&image=${samples[1]}`, "sandbox");
    await StateWhen(second.page, (s) => s.image && s.image.name === samples[1], 15000);
    await second.page.evaluate((name) => { window.location.hash = `lesson=sandbox&step=5&image=${name}`; }, samples[1]);
    await StateWhen(second.page, (s) => s.step === 5);
    await WaitThenFrames(second.page, SETTLE_MS);
    const errors = [...first.errors, ...second.errors];
    await first.close();
    await second.close();

    const third = await OpenTutor(browser, server.url, { context });
    const state = await StateWhen(third.page, (s) => s.image !== null, 15000);
    assert.deepEqual(state.notices, [], "everything stored reads");
    assert.equal(state.lesson, "sandbox");
    assert.equal(state.step, 5, "the place the last writer left");
    assert.equal(state.image && state.image.name, samples[1], "the sandbox the last writer left");
    assert.deepEqual([...errors, ...third.errors], []);
  } finally {
    await context.close();
  }
});
