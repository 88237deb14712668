// The page is safe to host: it ships a Content-Security-Policy without 'unsafe-inline' or
// 'unsafe-eval' that lets scripts come only from its own folder and nothing from another origin,
// and under that policy the tutor starts, plays a lesson, opens the sandbox with a sample picture
// and a model, and the browser reports no violation. Needs a built page (./tutor build-web).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ServeFolder } from "../../web/serve.mjs";
import { DIST, LaunchChromium, OpenTutor, State, StateWhen } from "./tutor_page.mjs";

const server = await ServeFolder(DIST);
const browser = await LaunchChromium();
after(async () => {
  await browser.close();
  await server.close();
});

// The policy's directives as {name: [sources]}, read from the page's meta tag.
function PagePolicy(html) {
  const tag = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
  assert.ok(tag, "index.html carries a Content-Security-Policy meta tag");
  const policy = {};
  for (const directive of tag[1].split(";").map((part) => part.trim()).filter(Boolean)) {
    const [name, ...sources] = directive.split(/\s+/);
    policy[name] = sources;
  }
  return policy;
}

test("the policy allows no inline script, no eval and no other origin, and the page has no inline script", () => {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const policy = PagePolicy(html);
  assert.deepEqual(policy["default-src"], ["'none'"]);
  assert.deepEqual(policy["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  for (const [name, sources] of Object.entries(policy)) {
    for (const source of sources) {
      assert.ok(!["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"].includes(source), `${name} allows ${source}`);
      assert.ok(!/^[a-z]+:\/\//i.test(source), `${name} names another origin: ${source}`);
    }
  }
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length > 0);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes, /\bsrc="[^":]+"/, "every script is a file of the page's own");
    assert.equal(body.trim(), "", "and has no inline code");
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, "no inline event handler attributes");
});

test("under the policy the tutor starts, plays, opens a sample picture and a model, with no violation", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Recorded from before the first script runs, so a violation at start-up is caught too.
  await context.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const probe = await OpenTutor(browser, server.url, { context });
  const { samples } = await State(probe.page);
  await probe.close();
  const tutor = await OpenTutor(browser, `${server.url}#lesson=sandbox&image=${samples[0]}`, { context });
  const { page } = tutor;
  try {
    const opened = await StateWhen(page, (s) => s.image !== null, 15000);
    assert.ok(opened.image, `the sample is on the stage (error: ${opened.imageError})`);
    await page.keyboard.press("ArrowRight");
    assert.equal((await StateWhen(page, (s) => s.step === opened.step + 1)).step, opened.step + 1, "the keys step");
    await page.evaluate(() => { window.location.hash = "lesson=your-model"; });
    assert.equal((await StateWhen(page, (s) => s.lesson === "your-model")).lesson, "your-model");
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(tutor.errors, []);
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"));
    assert.deepEqual(foreign, [], "nothing is fetched from another origin");
  } finally {
    await context.close();
  }
});
