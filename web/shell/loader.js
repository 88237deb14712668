//# allFunctionsCalledOnLoad
// Starts the tutor: checks the browser can run it, downloads the program (convtutor.wasm, compiled
// while it downloads) and its lessons and fonts (convtutor.data) with a progress bar, then hands
// them to convtutor.js. index.html preloads all three (and the font atlas on a screen that uses
// it), so the downloads start before this runs.
// window.convtutor is the automation hook: `ready` turns true after the first frame is drawn.
// The first line is V8's compile hint, as in convtutor.js (web/compile_hints.js): all of this runs
// at start-up, so Chromium compiles it as it loads instead of function by function.
"use strict";

window.convtutor = { ready: false, state: function () { return null; } };

(function () {
  var canvas = document.getElementById("canvas");
  var loading = document.getElementById("loading");
  var statusLine = document.getElementById("status");
  var bar = document.getElementById("progress-bar");

  function Mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  // The loading screen waits LOADING_SCREEN_DELAY_MS before it shows (index.html starts it hidden):
  // a load quicker than that goes straight from the page's background to the first frame, without
  // a card flashing by, and without laying out the card's text while the program starts.
  // Until then the progress is counted but not written into the card: a write per chunk of the
  // download cost the start-up several ms of the main thread for a card nobody could see.
  var LOADING_SCREEN_DELAY_MS = 400;
  var loadingScreenShown = false;
  var ShowProgress = function () {};  // DownloadAll's, once the downloads start
  var loadingScreenTimer = setTimeout(function () {
    loadingScreenShown = true;
    loading.classList.remove("hidden");
    ShowProgress();
  }, LOADING_SCREEN_DELAY_MS);

  // `fault`: the tutor itself stopped, so the card says so instead of blaming the browser.
  function Fail(reason, fault) {
    clearTimeout(loadingScreenTimer);
    loading.classList.add("hidden");
    if (fault) {
      document.getElementById("failure-title").textContent = "The tutor had to stop";
      document.getElementById("failure-hint").classList.add("hidden");
    }
    document.getElementById("failure-reason").textContent = reason;
    document.getElementById("failure").classList.remove("hidden");
  }

  function HasWebAssembly() {
    return typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function";
  }

  // The probe is the app's own context: it is made on the app's canvas with the attributes SDL asks
  // emscripten for (platform.cpp's: no alpha, no depth buffer, no stencil, no multisampling), so
  // SDL's getContext("webgl2") later returns this same context instead of the page making two.
  // It is made at the canvas's default size: made at the window's size here, its drawing buffer
  // cost the page's start-up more than SDL's resizing it later (bench/page_load.mjs --startup).
  function MissingWebGL2() {
    var gl = null;
    try {
      gl = canvas.getContext("webgl2", { alpha: false, depth: false, stencil: false, antialias: false });
    } catch (e) {
      gl = null;
    }
    return gl ? "" : "Your browser could not start WebGL 2 (it may be switched off, or the graphics driver is blocked).";
  }

  function Megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  // Fetches every file ({name, priority}: the priority index.html preloads it with, so the fetch
  // takes the preload's response); each promise gives a Response whose body counts towards the
  // progress bar as it is read, so the wasm can be compiled from its stream while the bar moves.
  function DownloadAll(files) {
    var received = files.map(function () { return 0; });
    var totals = files.map(function () { return 0; });
    function Report() {
      // Once every byte is in, the card says "Starting…" (below) and keeps saying it.
      if (!loadingScreenShown || unfinished === 0) return;
      var got = received.reduce(function (a, b) { return a + b; }, 0);
      var total = totals.reduce(function (a, b) { return a + b; }, 0);
      var known = totals.every(function (t) { return t > 0; });
      bar.classList.toggle("indeterminate", !known);
      if (known) {
        bar.style.width = Math.min(100, (100 * got) / total).toFixed(1) + "%";
        statusLine.textContent = "Downloading… " + Megabytes(got) + " of " + Megabytes(total);
      } else {
        statusLine.textContent = "Downloading… " + Megabytes(got);
      }
    }
    ShowProgress = Report;
    var unfinished = files.length;
    return files.map(function (file, index) {
      var name = file.name;
      return fetch(name, { priority: file.priority || "auto" }).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        // A gzipped response's Content-Length counts compressed bytes while the stream yields them
        // unpacked: its total is then unknown and the bar shows activity instead of a fraction.
        var packed = response.headers.get("Content-Encoding");
        totals[index] = packed ? 0 : Number(response.headers.get("Content-Length")) || 0;
        Report();
        if (!response.body || typeof TransformStream !== "function") return response;
        var counted = response.body.pipeThrough(new TransformStream({
          transform: function (chunk, output) {
            received[index] += chunk.length;
            Report();
            output.enqueue(chunk);
          },
          flush: function () {
            if (--unfinished === 0) Mark("convtutor-downloaded");
          },
        }));
        // The headers go along: streaming compilation needs the Content-Type application/wasm.
        return new Response(counted, { status: response.status, headers: response.headers });
      });
    });
  }

  // Compiles as the bytes arrive where the browser can (compileStreaming, which needs the type
  // application/wasm: a host that sends another type still works), else once they are all in.
  function Compile(download) {
    return download.then(function (response) {
      var wasmType = /^application\/wasm/.test(response.headers.get("Content-Type") || "");
      if (wasmType && typeof WebAssembly.compileStreaming === "function") return WebAssembly.compileStreaming(response);
      return response.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
    });
  }

  function Reveal() {
    clearTimeout(loadingScreenTimer);
    statusLine.textContent = "Ready";
    loading.classList.add("fading");
    setTimeout(function () { loading.classList.add("hidden"); }, 300);
    canvas.focus();
  }

  if (!HasWebAssembly()) { Fail("Your browser does not support WebAssembly."); return; }
  // The wasm is the largest file and the last to arrive, and the start-up waits for it: it goes first.
  var downloads = DownloadAll([{ name: "convtutor.wasm", priority: "high" }, { name: "convtutor.data" }]);
  var program = Compile(downloads[0]);
  var data = downloads[1].then(function (response) { return response.arrayBuffer(); });
  // The font atlas the build rasterised for pixel ratio 1 (web/fonts.h): on such a screen the app
  // reads it instead of rasterising its fonts before the first frame. Elsewhere it is not fetched,
  // and without it (or with one made from other fonts) the app rasterises them as before.
  var fontAtlas = window.devicePixelRatio !== 1 ? Promise.resolve(null) : fetch("font-atlas-1x.bin").then(
    function (response) { return response.ok ? response.arrayBuffer() : null; },
    function () { return null; });
  var missing = MissingWebGL2();
  if (missing) {
    program.catch(function () {});
    data.catch(function () {});
    Fail(missing);
    return;
  }

  window.addEventListener("convtutor-ready", Reveal, { once: true });
  // Clicking anywhere gives the canvas the keyboard again (keys go to the canvas only).
  canvas.addEventListener("pointerdown", function () { canvas.focus(); });
  canvas.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  function DownloadFailed(error) {
    Fail("Downloading the tutor failed (" + (error && error.message ? error.message : error) + "). Check your connection and reload.");
  }

  // convtutor.js reads the data package as it starts, so it runs once the data is in; the wasm
  // may still be compiling then, and emscripten waits for it through instantiateWasm.
  Promise.all([data, fontAtlas]).then(function (files) {
    var packageBytes = files[0];
    var atlasBytes = files[1];
    window.Module = {
      canvas: canvas,
      // Where the desktop app keeps it too: fonts/atlas-1x.bin beside the fonts.
      preRun: [function () {
        if (!atlasBytes) return;
        window.Module.FS_createPath("/", "fonts", true, true);
        window.Module.FS_createDataFile("/fonts", "atlas-1x.bin", new Uint8Array(atlasBytes), true, false, false);
      }],
      instantiateWasm: function (imports, receiveInstance) {
        program.then(function (compiled) {
          Mark("convtutor-compiled");
          return WebAssembly.instantiate(compiled, imports).then(function (instance) {
            receiveInstance(instance, compiled);
          });
        }).catch(DownloadFailed);
        return {};  // the exports come later, through receiveInstance
      },
      getPreloadedPackage: function () { return packageBytes; },
      print: function (text) { console.log(text); },
      printErr: function (text) { console.warn(text); },
      // The core refuses work larger than the page's memory before it starts, so this is a fault:
      // the learner gets words, the console gets emscripten's own "Aborted(...)" line.
      onAbort: function (what) {
        console.error(what);
        Fail("It hit a fault it could not recover from. Reload the page to go on: the work it had saved comes back.", true);
      },
    };
    canvas.addEventListener("webglcontextlost", function (event) {
      event.preventDefault();
      Fail("The graphics context was lost. Reload the page to start again.");
    });
    var script = document.createElement("script");
    script.src = "convtutor.js";
    script.onerror = function () { Fail("Could not load convtutor.js."); };
    document.body.appendChild(script);
  }).catch(DownloadFailed);
  program.then(function () {
    statusLine.textContent = "Starting…";
    bar.style.width = "100%";
  }, DownloadFailed);
})();
