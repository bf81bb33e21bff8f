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

  const script = document.createElement('script');
  script.src = 'trapeze.js';
  script.onerror = () => fail('Could not load trapeze.js. Is the site complete?');
  document.body.appendChild(script);
})();
