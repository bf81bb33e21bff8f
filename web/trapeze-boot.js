// Starts the WebAssembly app: checks what the browser can do, shows progress
// while trapeze.wasm downloads and compiles, and shows a readable message (never a blank
// page) when WebAssembly or WebGL2 is missing or loading fails.
(function () {
  'use strict';
  const statusBox = document.getElementById('status');
  const statusText = document.getElementById('status-text');
  const progress = document.getElementById('status-progress');

  let failed = false;
  function fail(message) {
    if (failed) return;  // the first failure is the one to explain
    failed = true;
    statusBox.hidden = false;
    statusBox.classList.add('error');
    progress.hidden = true;
    statusText.textContent = message;
    window.trapeze._fail(message);
  }

  function hasWebGL2() {
    try {
      return !!document.createElement('canvas').getContext('webgl2');
    } catch (e) {
      return false;
    }
  }

  if (typeof WebAssembly !== 'object') {
    fail('Trapeze needs WebAssembly, which this browser does not offer. ' +
         'Try a current version of Firefox, Chrome, Edge or Safari.');
    return;
  }
  if (!hasWebGL2()) {
    fail('Trapeze needs WebGL 2, which this browser or graphics driver does not offer ' +
         '(or it is turned off). Try another browser, or enable hardware acceleration.');
    return;
  }

  const canvas = document.getElementById('canvas');
  canvas.addEventListener('webglcontextlost', (e) => {
    e.preventDefault();
    fail('The graphics context was lost. Reload the page to continue.');
  });

  // Banners push the canvas down (trapeze.css). SDL takes the canvas's CSS size
  // when the window resizes: a change of the canvas alone is announced as one.
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => window.dispatchEvent(new Event('resize'))).observe(canvas);
  }

  // A click gives the app the keyboard: SDL cancels the mouse's default action, which
  // would have moved the focus here (on a course page, from another embed or the page).
  canvas.addEventListener('pointerdown', () => canvas.focus(), true);

  window.Module = {
    canvas: canvas,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    setStatus: (text) => { if (text && !failed) statusText.textContent = text; },
    onAbort: (what) => fail('Trapeze stopped: ' + what),
    onTrapezeReady: () => {
      statusBox.hidden = true;
      // The full app is the page: it takes the keyboard. An embed waits for a click
      // (above): focusing it would scroll the course page to it and take its keys.
      if (document.body.dataset.mode !== 'embed') canvas.focus();
      window.trapeze._ready();
    },
  };

  // trapeze.wasm and trapeze.js download in parallel (index.html preloads both),
  // and the module compiles while it downloads (WebAssembly.instantiateStreaming).
  // A second reader of the same response counts the bytes for the progress bar
  // and keeps them, for browsers or servers that cannot stream (no
  // instantiateStreaming, or trapeze.wasm not served as application/wasm).
  const wasm = fetch('trapeze.wasm').then((response) => {
    if (!response.ok) throw new Error(`trapeze.wasm: HTTP ${response.status}`);
    const bytes = readWithProgress(response.clone());
    bytes.catch(() => {});  // reported by instantiate() when they are needed
    return { response, bytes };
  });

  // Resolves to every byte of `response`, showing how many have arrived.
  async function readWithProgress(response) {
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body || !total) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    progress.max = total;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      progress.value = received;
      if (!failed) statusText.textContent = `Loading ${(received / 1048576).toFixed(1)} of ${(total / 1048576).toFixed(1)} MB`;
    }
    if (!failed) statusText.textContent = 'Starting';  // a failure's message stays
    progress.removeAttribute('value');
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    return bytes;
  }

  async function instantiate(imports) {
    const { response, bytes } = await wasm;
    if (typeof WebAssembly.instantiateStreaming === 'function') {
      try {
        return await WebAssembly.instantiateStreaming(response, imports);
      } catch (e) {
        // A wrong Content-Type is a TypeError; a broken module fails again below.
        console.warn('Streaming compilation failed, compiling the downloaded bytes: ' + e.message);
      }
    }
    return WebAssembly.instantiate(await bytes, imports);
  }

  // Data the app reads from its in-memory filesystem, downloaded beside trapeze.wasm
  // and written there before main(): the guest sources, presets and labs
  // (trapeze-files.txt, core/bundle/file_blob.h), and the UI font (without it the
  // app draws with Dear ImGui's own font).
  const files = fetch('trapeze-files.txt').then((response) => {
    if (!response.ok) throw new Error(`trapeze-files.txt: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const font = fetch('trapeze-font.ttf').then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.arrayBuffer();
  }).catch((e) => {
    console.warn(`trapeze-font.ttf could not be loaded (${e.message}): using the built-in font`);
    return null;
  });
  window.Module.preRun = [() => {
    const M = window.Module;
    M.addRunDependency('trapeze-data');
    Promise.all([files, font]).then(([fileBytes, fontBytes]) => {
      M.FS_createDataFile('/', 'trapeze-files.txt', new Uint8Array(fileBytes), true, false, false);
      if (fontBytes) M.FS_createDataFile('/', 'trapeze-font.ttf', new Uint8Array(fontBytes), true, false, false);
      M.removeRunDependency('trapeze-data');
    }, () => {});  // reported below
  }];

  // The Emscripten runtime (trapeze.js) asks for the module through this hook.
  window.Module.instantiateWasm = (imports, receiveInstance) => {
    instantiate(imports).then((result) => receiveInstance(result.instance, result.module),
      (e) => fail('Trapeze could not start (' + e.message + '). Reload the page to try again.'));
    return {};
  };

  wasm.catch((e) => fail('Could not download Trapeze (' + e.message + '). Check the connection and reload.'));
  files.catch((e) => fail('Could not download Trapeze (' + e.message + '). Check the connection and reload.'));
  const script = document.createElement('script');
  script.src = 'trapeze.js';
  script.onerror = () => fail('Could not load trapeze.js. Is the site complete?');
  document.body.appendChild(script);
})();
