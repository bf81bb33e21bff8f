// window.trapeze: the JavaScript API of the page (docs/js-api.md), for tests, for
// course pages that script a demonstration, and for the page's own share/embed/
// autosave code. Only numbers and JSON text cross into the app; nothing passed
// in is ever run as code.
(function () {
  'use strict';
  let resolveReady, rejectReady;
  const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  ready.catch(() => {});  // failures are reported on the page and through `error`
  const readyCallbacks = [];

  const call = (name, ret, types, args) => window.trapezeCodec.ccall(name, ret, types, args);  // strings off the C stack
  const lastError = () => call('trapeze_last_error', 'string');
  // Wrong arguments are refused with an error naming what was expected and what
  // came (its type, never its value: it may be huge), not thrown: a course page's
  // script keeps running, and nothing runs on a guess.
  const kind = (v) => (v === null ? 'null' : v === undefined ? 'nothing' : Array.isArray(v) ? 'an array'
    : `${/^[aeiou]/.test(typeof v) ? 'an' : 'a'} ${typeof v}`);
  const refused = (what, expected, v) => ({ ok: false, error: `${what}: expected ${expected}, got ${kind(v)}` });
  // JSON text, or null for what is neither a string nor an object JSON can write (a cycle, a BigInt).
  const text = (value) => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      try { return JSON.stringify(value); } catch (e) { return null; }
    }
    return null;
  };
  // A guest's index (an integer number), or -1: no guest, so the call does nothing.
  const guestIndex = (v) => (Number.isInteger(v) && v >= 0 && v <= 0x7fffffff ? v : -1);

  const api = {
    // Resolves (with window.trapeze) once the app draws frames; rejects with the
    // message the page shows.
    ready: ready,
    onReady: (cb) => {
      if (typeof cb !== 'function') return;
      if (api.isReady()) cb(api); else readyCallbacks.push(cb);
    },
    isReady: () => !!window.Module && !!window.Module.calledRun && call('trapeze_is_ready', 'number') === 1,
    // Frames drawn so far.
    frames: () => call('trapeze_frame_count', 'number'),
    // Replaces the scenario (JSON text or an object): {ok, error}.
    loadScenario: (json) => {
      const t = text(json);
      if (t === null) return refused('loadScenario', 'a JSON string or an object', json);
      const failed = call('trapeze_load_scenario', 'number', ['string'], [t]);
      return failed ? { ok: false, error: lastError() } : { ok: true, error: null };
    },
    // The current document as JSON text (edited sources inline, strategies as switched).
    scenario: () => call('trapeze_scenario_json', 'string'),
    // Increases with every change to the document.
    changeCount: () => call('trapeze_change_count', 'number') >>> 0,
    // Runs every ready guest `cycles` host cycles now, synchronously (bounded);
    // returns the host cycles run.
    run: (cycles) => (typeof cycles === 'number' ? call('trapeze_run_cycles', 'number', ['number'], [cycles]) : 0),
    // Starts or pauses every guest (they then run a frame's share each frame).
    setRunning: (on) => { call('trapeze_set_running', null, ['number'], [on ? 1 : 0]); },
    // One instruction of guest `guest`; true if it ran one.
    step: (guest) => call('trapeze_step', 'number', ['number'], [guestIndex(guest)]) === 1,
    // Going back in time (docs/js-api.md): guest `guest` back one instruction, back to
    // just before its previous trap / VM exit / console write, or to an instruction count.
    stepBack: (guest) => call('trapeze_step_back', 'number', ['number'], [guestIndex(guest)]) === 1,
    runBack: (guest) => call('trapeze_run_back', 'number', ['number'], [guestIndex(guest)]) === 1,
    goTo: (guest, executed) => Number.isSafeInteger(executed) && executed >= 0 &&
      call('trapeze_go_to', 'number', ['number', 'number'], [guestIndex(guest), executed]) === 1,
    // {available, checkpoints, memoryBytes, budgetBytes, earliest, executed, error, marks}.
    rewind: (guest) => JSON.parse(call('trapeze_rewind_json', 'string', ['number'], [guestIndex(guest)])),
    // Switches guest `guest` to strategy `name` live: {ok, error}.
    setStrategy: (guest, name) => {
      if (guestIndex(guest) < 0) return refused('setStrategy', 'a guest index', guest);
      if (typeof name !== 'string') return refused('setStrategy', 'a strategy name', name);
      const failed = call('trapeze_set_strategy', 'number', ['number', 'string'], [guest, name]);
      return failed ? { ok: false, error: lastError() } : { ok: true, error: null };
    },
    // Replaces guest `guest`'s source and assembles it: {ok, errors: ["FILE:LINE:COL: message"]}.
    // The text is kept (and shown in the editor) whether or not it assembles.
    setSource: (guest, source) => {
      const wrong = guestIndex(guest) < 0 ? refused('setSource', 'a guest index', guest)
        : typeof source !== 'string' ? refused('setSource', 'the source text', source) : null;
      if (wrong) return { ok: false, errors: [], error: wrong.error };
      const r = window.trapezeCodec.callJson('trapeze_set_source', [guest, source]);
      return r.error ? { ok: false, errors: r.errors, error: r.error } : { ok: r.ok, errors: r.errors };
    },
    // Back to the state after loading: guest `guest`, or every guest without an argument.
    restart: (guest) => {
      if (guest !== undefined && guestIndex(guest) < 0) return refused('restart', 'a guest index or nothing', guest);
      const failed = call('trapeze_restart', 'number', ['number'], [guest === undefined ? -1 : guest]);
      return failed ? { ok: false, error: lastError() } : { ok: true, error: null };
    },
    // {hostCycles, guests: [{name, strategy, state, pc, running, errors, utilization,
    //   counters: {machine: {...}, vmm: {...}}, accounting: {...}}]} (docs/js-api.md)
    state: () => JSON.parse(call('trapeze_state_json', 'string')),
    // The selected guest's editor: {guest, pcLine, pcWhere} (the line marked as the pc's).
    editor: () => JSON.parse(call('trapeze_editor_json', 'string')),
    // Embed mode: {compact, panels: [names], readOnly}: {ok, error} (unknown panel
    // names are left out and named in the error; the known ones are shown).
    setUi: (settings) => {
      const t = text(settings);
      if (t === null) return refused('setUi', 'an object {compact, panels, readOnly}', settings);
      const failed = call('trapeze_set_ui', 'number', ['string'], [t]);
      return failed ? { ok: false, error: lastError() } : { ok: true, error: null };
    },
    // Where the panels are: {width, height, mode, panels: [{name, x, y, w, h}], hidden,
    // guestRowsVisible} (wasm/js_layout_api.cpp).
    layout: () => JSON.parse(call('trapeze_layout_json', 'string')),
    // What guest `guest` printed (one character per byte), or null if there is no such guest.
    console: (guest) => JSON.parse(call('trapeze_console', 'string', ['number'], [guestIndex(guest)])),
    // Where that output departs from bare metal: {status, comparedWith, referenceFinished,
    // byte, line, referenceLine} (null: no such guest).
    consoleDiff: (guest) => JSON.parse(call('trapeze_console_diff', 'string', ['number'], [guestIndex(guest)])),
    // {frames, meanMs, p95Ms, maxMs, ...} of recent frames.
    frameStats: () => JSON.parse(call('trapeze_frame_stats_json', 'string')),
    // Runs experiment `name` (nano, load, tlb, tc, nested) to the end, a slice per
    // frame (the experiments panel shows it): a Promise of {ok, error, columns,
    // rows, notes}, the rows as `trapeze experiment NAME --json` prints them.
    runExperiment: (name) => new Promise((resolve) => {
      const ask = (fn, types, args) => JSON.parse(call(fn, 'string', types, args));
      const end = (r) => resolve({ ok: r.ok, error: r.error, columns: r.columns || [], rows: r.rows || [],
                                   notes: r.notes || [] });
      if (typeof name !== 'string') return end(refused('runExperiment', 'an experiment name', name));
      const started = ask('trapeze_experiment_start', ['string'], [name]);
      if (!started.ok) return end(started);
      const poll = () => {
        const r = ask('trapeze_experiment_poll', ['number'], [started.run]);
        if (r.state === 'running' || r.state === 'paused') requestAnimationFrame(poll);
        else end(r);
      };
      requestAnimationFrame(poll);
    }),
    error: null,
    _refused: refused,  // for the parts added by the other trapeze-*.js
    _jsonText: text,
    _ready: () => {
      resolveReady(api);
      for (const cb of readyCallbacks.splice(0)) cb(api);
    },
    _fail: (message) => { api.error = message; rejectReady(new Error(message)); },
  };
  window.trapeze = api;
})();
