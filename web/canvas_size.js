// emscripten's emscripten_set_canvas_element_size, replaced for the tutor's page (a --js-library of
// convtutor-app): a canvas with a WebGL context reallocates its drawing buffer each time its width
// or height is assigned, even to the value it has, and that costs milliseconds in Chromium. So a
// size is assigned only where it changes, and SDL's probe is skipped: as SDL opens its window it sets
// the canvas to 1×1 to learn whether CSS sizes it, then reads the CSS size and sets the real one.
// style.css fixes the canvas's CSS size to the window, so the probe would read the same size
// without it.
mergeInto(LibraryManager.library, {
  emscripten_set_canvas_element_size__deps: ["$findCanvasEventTarget"],
  emscripten_set_canvas_element_size__sig: "iiii",
  emscripten_set_canvas_element_size: function (target, width, height) {
    var canvas = findCanvasEventTarget(target);
    if (!canvas) return -4;  // EMSCRIPTEN_RESULT_UNKNOWN_TARGET
    var sdlProbe = width === 1 && height === 1;
    if (!sdlProbe && canvas.width !== width) canvas.width = width;
    if (!sdlProbe && canvas.height !== height) canvas.height = height;
    return 0;  // EMSCRIPTEN_RESULT_SUCCESS
  },
});
