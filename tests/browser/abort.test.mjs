// A fault inside the WebAssembly (emscripten's abort(), which an allocation the core did not
// foresee would end in) shows the learner words and what to do, never emscripten's
// "Aborted(...)" text; the console keeps that line for whoever debugs. Needs a built page.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { ServeFolder } from "../../web/serve.mjs";
import { DIST, LaunchChromium, OpenTutor, WaitFor } from "./tutor_page.mjs";

const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
after(async () => {
  await browser.close();
  await server.close();
});

test("an abort in the WebAssembly shows a plain message, not emscripten's Aborted()", async () => {
  const tutor = await OpenTutor(browser, server.url);
  const { page } = tutor;
  try {
    const logged = [];
    page.on("console", (message) => logged.push(message.text()));
    // The glue's own abort(), as an out-of-memory in the wasm would call it.
    await page.evaluate(() => { try { window.abort("OOM"); } catch (fault) { /* the RuntimeError it throws */ } });
    await WaitFor(page, () => !document.getElementById("failure").classList.contains("hidden"));
    const shown = await page.evaluate(() => document.getElementById("failure").innerText);
    assert.doesNotMatch(shown, /Aborted|OOM|RuntimeError/, shown);
    assert.match(shown, /The tutor had to stop/, shown);
    assert.match(shown, /Reload the page/, shown);
    assert.doesNotMatch(shown, /WebGL/, "it does not blame the browser");
    assert.ok(logged.some((line) => line.includes("OOM")), `the console has the fault: ${JSON.stringify(logged)}`);
  } finally {
    await tutor.close();
  }
});
