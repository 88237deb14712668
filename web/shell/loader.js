// Starts the tutor: checks the browser can run it, downloads the program (convtutor.wasm, compiled
// while it downloads) and its lessons and fonts (convtutor.data) behind a loading card, then hands
// them to convtutor.js. index.html preloads all three, so the downloads start before this runs.
// window.convtutor is the automation hook: `ready` turns true after the first frame is drawn.
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

  // `fault`: the tutor itself stopped, so the card says so instead of blaming the browser.
  function Fail(reason, fault) {
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
  // emscripten for (SDL's defaults: no alpha, a depth buffer, no stencil, no multisampling), so
  // SDL's getContext("webgl2") later returns this same context instead of the page making two.
  function MissingWebGL2() {
    var gl = null;
    try {
      gl = canvas.getContext("webgl2", { alpha: false, depth: true, stencil: false, antialias: false });
    } catch (e) {
      gl = null;
    }
    return gl ? "" : "Your browser could not start WebGL 2 (it may be switched off, or the graphics driver is blocked).";
  }

  // Fetches every file. The wasm's response goes to the compiler untouched: reading its body here
  // too (to count bytes for a progress bar) passed every chunk through this script and held its
  // compilation back (by 35-230 ms in alternated loads), so the bar shows activity, not a fraction.
  function DownloadAll(names) {
    statusLine.textContent = "Downloading…";
    bar.classList.add("indeterminate");
    return names.map(function (name) {
      return fetch(name).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response;
      });
    });
  }

  // The "downloaded" mark at the moment the last byte of `names` arrived, as the browser's
  // resource timing saw it (set once both are in, so nothing reads the streams to find out).
  function MarkDownloaded(names) {
    var ends = performance.getEntriesByType("resource").filter(function (entry) {
      return names.some(function (name) { return entry.name.endsWith("/" + name); });
    }).map(function (entry) { return entry.responseEnd; });
    if (ends.length < names.length) return;
    try {
      performance.mark("convtutor-downloaded", { startTime: Math.max.apply(null, ends) });
    } catch (e) {
      Mark("convtutor-downloaded");  // a browser without User Timing 3: the moment it is known
    }
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
    statusLine.textContent = "Ready";
    loading.classList.add("fading");
    setTimeout(function () { loading.classList.add("hidden"); }, 300);
    canvas.focus();
  }

  if (!HasWebAssembly()) { Fail("Your browser does not support WebAssembly."); return; }
  var files = ["convtutor.wasm", "convtutor.data"];
  var downloads = DownloadAll(files);
  var program = Compile(downloads[0]);
  var data = downloads[1].then(function (response) { return response.arrayBuffer(); });
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
  data.then(function (packageBytes) {
    window.Module = {
      canvas: canvas,
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
  program.then(function () { statusLine.textContent = "Starting…"; }, DownloadFailed);
  Promise.all([program, data]).then(function () { MarkDownloaded(files); }, function () {});
})();
