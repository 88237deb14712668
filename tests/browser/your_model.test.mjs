// Browser tests of the "Your model" page: model code pasted into its editor (Ctrl+V, as a learner
// pastes from their own files) is summarised, its first convolution plays on the stage, and the
// code is still there after a reload. Needs a built page (./tutor build-web); run with `node --test`.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ServeFolder } from "../../web/serve.mjs";
import { DecodePng, MeasureContent, ShowsContent } from "./png.mjs";
import { DIST, OUT, LaunchChromium, OpenTutor, PasteIntoEditor, State, StateWhen, WaitFor, WaitThenFrames } from "./tutor_page.mjs";

const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
after(async () => {
  await browser.close();
  await server.close();
});

// Two 3×3 filters on a 5×5 single-channel input: 5 − 3 + 1 = 3, so 2 maps of 3×3 = 18 cells, one
// step each at the cell level. Row 1 of the summary is the convolution.
const SMALL_TORCH_MODEL = `import torch.nn as nn
import torch.nn.functional as F

class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)

    def forward(self, x):
        return F.relu(self.conv(x))

x = torch.randn(1, 1, 5, 5)
`;

test("a pasted PyTorch model is summarised, its convolution plays, and it is kept across a reload", async () => {
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model`);
  const { page, context } = tutor;
  try {
    const opened = await State(page);
    assert.equal(opened.lesson, "your-model");
    assert.equal(opened.scene, "layer-1", "the example's first convolution is on the stage");

    await PasteIntoEditor(page, SMALL_TORCH_MODEL);
    const pasted = await StateWhen(page, (s) => s.scene === "layer-1" && s.steps === 18);
    assert.equal(pasted.steps, 18, "the pasted model's convolution is on the stage");
    assert.deepEqual(tutor.errors, []);

    await WaitThenFrames(page, 800);  // the code is saved once typing settles (half a second)
    const again = await OpenTutor(browser, `${server.url}#lesson=your-model`, { context });
    try {
      const reloaded = await StateWhen(again.page, (s) => s.steps === 18);
      assert.equal(reloaded.steps, 18, "the code came back after a reload");
    } finally {
      await again.close();
    }
  } finally {
    await tutor.close();
  }
});

test("code copied out of the editor reaches the system clipboard", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model`, { context });
  const { page } = tutor;
  try {
    await PasteIntoEditor(page, SMALL_TORCH_MODEL);
    await StateWhen(page, (s) => s.steps === 18);
    // Ctrl+A and Ctrl+C arrive within one task, so both are queued before the next frame handles
    // them, as on a machine too slow to draw between a learner's keys: Ctrl has been released by
    // the time the app reads the keys, and only the events themselves say it was held.
    await page.evaluate(() => {
      const canvas = document.getElementById("canvas");
      const Key = (type, code, key, ctrlKey) =>
        canvas.dispatchEvent(new KeyboardEvent(type, { code, key, ctrlKey, bubbles: true, cancelable: true }));
      for (const [code, key] of [["KeyA", "a"], ["KeyC", "c"]]) {
        Key("keydown", "ControlLeft", "Control", true);
        Key("keydown", code, key, true);
        Key("keyup", code, key, true);
        Key("keyup", "ControlLeft", "Control", false);
      }
    });
    // The copy reaches the clipboard asynchronously, a frame or more after the key.
    const ReadClipboard = () => page.evaluate(() => navigator.clipboard.readText());
    const deadline = Date.now() + 5000;
    let copied = await ReadClipboard();
    while (copied !== SMALL_TORCH_MODEL && Date.now() < deadline) {
      await page.waitForTimeout(100);
      copied = await ReadClipboard();
    }
    assert.equal(copied, SMALL_TORCH_MODEL);
  } finally {
    await context.close();
  }
});

test("model code the tutor cannot follow leaves the stage empty and the page working", async () => {
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model`);
  const { page } = tutor;
  try {
    // A 9×9 kernel on an 8×8 input.
    await PasteIntoEditor(page, "Input(8, 8, 3)\nConv2D(4, 9)\n");
    const state = await StateWhen(page, (s) => s.scene === "");
    assert.equal(state.scene, "");
    assert.equal(state.steps, 0);
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});

// A Keras residual block whose first layer is a transposed convolution: 'valid' 4·2 + max(3 − 2, 0) =
// 9, so 2 maps of 9×9; the Add reads two rows. It plays as a scatter: at the cell level one step per
// input position of the 4×4 input and one bias step, for each of the 2 maps: 2·(16 + 1) = 34.
const RESIDUAL_KERAS_MODEL = `inputs = keras.Input(shape=(4, 4, 1))
up = layers.Conv2DTranspose(2, 3, strides=2)(inputs)
x = layers.Conv2D(2, 3, padding='same')(up)
x = layers.BatchNormalization()(x)
y = layers.Add()([x, up])
z = layers.Concatenate()([y, up])
`;

test("a pasted graph is summarised with each row's inputs and its transposed convolution plays", async () => {
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model`);
  const { page } = tutor;
  try {
    await PasteIntoEditor(page, RESIDUAL_KERAS_MODEL);
    const state = await StateWhen(page, (s) => s.scene === "layer-1" && s.steps === 34);
    assert.equal(state.view, "scatter");
    assert.equal(state.steps, 34, "the transposed convolution is on the stage");
    assert.deepEqual(tutor.errors, []);
    await page.waitForTimeout(300);
    mkdirSync(OUT, { recursive: true });
    const path = join(OUT, "your-model-graph.png");
    const picture = await page.locator("#canvas").screenshot({ path });
    const measure = MeasureContent(DecodePng(picture));
    assert.ok(ShowsContent(measure), `screenshot ${path} looks blank: ${JSON.stringify(measure)}`);
  } finally {
    await tutor.close();
  }
});

// VGG-16's convolutions on a 224-pixel photo (torchvision's layout): row 29 is its last
// convolution, whose rows before it (28 of them, 14.9 G multiply-adds) run over many frames.
const VggBlock = (channels) => channels.map(([from, to]) => `nn.Conv2d(${from}, ${to}, 3, padding=1), nn.ReLU(inplace=True),`).join(" ");
const VGG16_MODEL = `import torch.nn as nn

class VGG16(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            ${VggBlock([[3, 64], [64, 64]])} nn.MaxPool2d(2, 2),
            ${VggBlock([[64, 128], [128, 128]])} nn.MaxPool2d(2, 2),
            ${VggBlock([[128, 256], [256, 256], [256, 256]])} nn.MaxPool2d(2, 2),
            ${VggBlock([[256, 512], [512, 512], [512, 512]])} nn.MaxPool2d(2, 2),
            ${VggBlock([[512, 512], [512, 512], [512, 512]])} nn.MaxPool2d(2, 2),
        )

    def forward(self, x):
        return self.features(x)

x = torch.randn(1, 3, 224, 224)
`;

test("a link to VGG-16's last convolution runs the photo through the layers before it frame by frame, and a reload comes back to it", async () => {
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model`);
  const { page, context } = tutor;
  try {
    await PasteIntoEditor(page, VGG16_MODEL);
    await StateWhen(page, (s) => s.scene === "layer-1" && s.steps === 64 * 224 * 224, 30000);
    await page.evaluate(() => { location.hash = "lesson=your-model&layer=29&step=77"; });
    const running = await StateWhen(page, (s) => s.modelRun !== null && s.modelRun.run > 0, 30000);
    // The 28 rows after the Input row: the photo itself was made by the first layer's run.
    assert.equal(running.modelRun.rows, 28);
    const later = await StateWhen(page, (s) => s.modelRun === null || s.frame > running.frame, 30000);
    assert.ok(later.frame > running.frame, "the page draws frames while the rows run");
    const opened = await StateWhen(page, (s) => s.modelRun === null && s.scene === "layer-29", 60000);
    assert.equal(opened.step, 77, "the layer opens at the link's step");
    assert.equal(opened.steps, 512 * 14 * 14);
    assert.deepEqual(tutor.errors, []);

    await WaitThenFrames(page, 800);  // the code is saved once typing settles
    const again = await OpenTutor(browser, `${server.url}`, { context });
    try {
      const reloaded = await StateWhen(again.page, (s) => s.modelRun === null && s.scene === "layer-29", 60000);
      assert.equal(reloaded.step, 77, "a reload comes back to the same layer and step");
    } finally {
      await again.close();
    }
  } finally {
    await tutor.close();
  }
});

test("changing a row before the layer on the stage (same shapes) runs the photo through it again", async () => {
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model`);
  const { page } = tutor;
  const model = (activation) =>
    `Input(3, 32, 32)\nnn.Conv2d(3, 4, 3, padding=1)\n${activation}\nnn.Conv2d(4, 4, 3, padding=1)\n`;
  try {
    await PasteIntoEditor(page, model("nn.ReLU()"));
    await StateWhen(page, (s) => s.scene === "layer-1" && s.steps === 4 * 32 * 32);
    await page.evaluate(() => { location.hash = "lesson=your-model&layer=3&step=40"; });
    const relu = await StateWhen(page, (s) => s.scene === "layer-3" && s.step === 40);
    await PasteIntoEditor(page, model("nn.Sigmoid()"));
    const sigmoid = await StateWhen(page, (s) => s.scene === "layer-3" && s.step === 40 && s.partial !== relu.partial);
    assert.notEqual(sigmoid.partial, relu.partial, "the layer reads the sigmoid's values now, not the ReLU's");
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});

test("your model runs on the sample a link names, and on a picture of the learner's own, and the address keeps the sample", async () => {
  const own = resolve(dirname(fileURLToPath(import.meta.url)), "..", "golden", "images", "rgb-37x23.png");
  const tutor = await OpenTutor(browser, `${server.url}#lesson=your-model&step=40&image=chelsea`);
  const { page } = tutor;
  try {
    const chelsea = await StateWhen(page, (s) => s.modelPhoto === "chelsea" && s.steps > 40, 20000);
    assert.equal(chelsea.lesson, "your-model", "the sandbox is not opened");
    assert.equal(chelsea.step, 40);
    // The address follows at the end of the frame.
    await WaitFor(page, () => location.hash.includes("&image=chelsea"));
    const chooser = page.waitForEvent("filechooser");
    await page.evaluate(() => window.convtutor.pickPicture());
    await (await chooser).setFiles(own);
    const mine = await StateWhen(page, (s) => s.modelPhoto === "rgb-37x23.png", 10000);
    assert.equal(mine.lesson, "your-model");
    assert.notEqual(mine.partial, chelsea.partial, "the layer reads the learner's picture now");
    // A file of the learner's own is not in the address.
    await WaitFor(page, () => !location.hash.includes("image="));
    assert.deepEqual(tutor.errors, []);
  } finally {
    await tutor.close();
  }
});
