// window.trapeze: the small JavaScript API of the page, for tests and for course
// pages that script a demonstration. Only numbers and strings cross into the app.
(function () {
  'use strict';
  let resolveReady, rejectReady;
  const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  ready.catch(() => {});  // failures are reported on the page and through `error`

  const call = (name, ret, types, args) => window.Module.ccall(name, ret, types || [], args || []);

  window.trapeze = {
    // Resolves once the app draws frames; rejects with the message the page shows.
    ready: ready,
    isReady: () => !!window.Module && !!window.Module.calledRun && call('trapeze_is_ready', 'number') === 1,
    // Frames drawn so far.
    frames: () => call('trapeze_frame_count', 'number'),
    error: null,
    _ready: () => resolveReady(window.trapeze),
    _fail: (message) => { window.trapeze.error = message; rejectReady(new Error(message)); },
  };
})();
