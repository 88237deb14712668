// Starts the tutor: checks the browser can run it, downloads the program (convtutor.wasm) and its
// lessons and fonts (convtutor.data) with a progress bar, then hands them to convtutor.js.
// window.convtutor is the automation hook: `ready` turns true after the first frame is drawn.
"use strict";

window.convtutor = { ready: false, state: function () { return null; } };

(function () {
  var canvas = document.getElementById("canvas");
  var loading = document.getElementById("loading");
  var statusLine = document.getElementById("status");
  var bar = document.getElementById("progress-bar");

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

  function MissingWebGL2() {
    var probe = document.createElement("canvas");
    var gl = null;
    try { gl = probe.getContext("webgl2"); } catch (e) { gl = null; }
    if (!gl) return "Your browser could not start WebGL 2 (it may be switched off, or the graphics driver is blocked).";
    var lose = gl.getExtension("WEBGL_lose_context");
    if (lose) lose.loseContext();
    return "";
  }

  function Megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  // Fetches every file, reporting the bytes received over all of them.
  function DownloadAll(names) {
    var received = names.map(function () { return 0; });
    var totals = names.map(function () { return 0; });
    function Report() {
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
    return Promise.all(names.map(function (name, index) {
      return fetch(name).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        // A gzipped response's Content-Length counts compressed bytes while the stream yields them
        // unpacked: its total is then unknown and the bar shows activity instead of a fraction.
        var packed = response.headers.get("Content-Encoding");
        totals[index] = packed ? 0 : Number(response.headers.get("Content-Length")) || 0;
        Report();
        if (!response.body || !response.body.getReader) {
          return response.arrayBuffer().then(function (buffer) { received[index] = buffer.byteLength; Report(); return buffer; });
        }
        var reader = response.body.getReader();
        var chunks = [];
        function Pump() {
          return reader.read().then(function (part) {
            if (part.done) {
              var whole = new Uint8Array(received[index]);
              var offset = 0;
              chunks.forEach(function (chunk) { whole.set(chunk, offset); offset += chunk.length; });
              return whole.buffer;
            }
            chunks.push(part.value);
            received[index] += part.value.length;
            Report();
            return Pump();
          });
        }
        return Pump();
      });
    }));
  }

  function Reveal() {
    statusLine.textContent = "Ready";
    loading.classList.add("fading");
    setTimeout(function () { loading.classList.add("hidden"); }, 300);
    canvas.focus();
  }

  if (!HasWebAssembly()) { Fail("Your browser does not support WebAssembly."); return; }
  // The download starts first: it runs while the WebGL 2 probe (a few dozen ms) blocks the page.
  var downloads = DownloadAll(["convtutor.wasm", "convtutor.data"]);
  var missing = MissingWebGL2();
  if (missing) {
    downloads.catch(function () {});
    Fail(missing);
    return;
  }

  window.addEventListener("convtutor-ready", Reveal, { once: true });
  // Clicking anywhere gives the canvas the keyboard again (keys go to the canvas only).
  canvas.addEventListener("pointerdown", function () { canvas.focus(); });
  canvas.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  downloads.then(function (files) {
    if (window.performance && performance.mark) performance.mark("convtutor-downloaded");
    statusLine.textContent = "Starting…";
    bar.style.width = "100%";
    window.Module = {
      canvas: canvas,
      wasmBinary: files[0],
      getPreloadedPackage: function () { return files[1]; },
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
  }).catch(function (error) {
    Fail("Downloading the tutor failed (" + error.message + "). Check your connection and reload.");
  });
})();
