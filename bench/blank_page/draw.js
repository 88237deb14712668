// Draws one WebGL2 frame (a clear and one triangle), then marks "blank-ready" and sets
// window.blankReady, the counterpart of the tutor's "convtutor-ready" mark in bench/page_load.mjs.
"use strict";
(() => {
  const gl = document.getElementById("canvas").getContext("webgl2");
  const Compile = (type, source) => {
    const shader = gl.createShader(type);
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    return shader;
  };
  const program = gl.createProgram();
  gl.attachShader(program, Compile(gl.VERTEX_SHADER, "#version 300 es\nin vec2 p;void main(){gl_Position=vec4(p,0,1);}"));
  gl.attachShader(program, Compile(gl.FRAGMENT_SHADER,
    "#version 300 es\nprecision mediump float;out vec4 c;void main(){c=vec4(0.2,0.4,0.8,1);}"));
  gl.linkProgram(program);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, 0, 1]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  requestAnimationFrame(() => {
    gl.clearColor(0.1, 0.1, 0.1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.useProgram(program);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    gl.finish();
    performance.mark("blank-ready");
    window.blankReady = true;
  });
})();
