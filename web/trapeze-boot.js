// Starts the WebAssembly app: checks what the browser can do, shows progress
// while trapeze.wasm downloads, and shows a readable message (never a blank
// page) when WebAssembly or WebGL2 is missing or loading fails.
(function () {
  'use strict';
  const statusBox = document.getElementById('status');
  const statusText = document.getElementById('status-text');
  const progress = document.getElementById('status-progress');

  function fail(message) {
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

  window.Module = {
    canvas: canvas,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    setStatus: (text) => { if (text) statusText.textContent = text; },
    onAbort: (what) => fail('Trapeze stopped: ' + what),
    onTrapezeReady: () => {
      statusBox.hidden = true;
      canvas.focus();
      window.trapeze._ready();
    },
  };

  // Download trapeze.wasm ourselves so the page can show real progress, then
  // hand the bytes to the Emscripten runtime (Module.wasmBinary).
  async function fetchWithProgress(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
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
      statusText.textContent = `Loading ${(received / 1048576).toFixed(1)} of ${(total / 1048576).toFixed(1)} MB`;
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    return bytes;
  }

  fetchWithProgress('trapeze.wasm').then((bytes) => {
    window.Module.wasmBinary = bytes;
    statusText.textContent = 'Starting';
    progress.removeAttribute('value');
    const script = document.createElement('script');
    script.src = 'trapeze.js';
    script.onerror = () => fail('Could not load trapeze.js. Is the site complete?');
    document.body.appendChild(script);
  }, (e) => fail('Could not download Trapeze (' + e.message + '). Check the connection and reload.'));
})();
