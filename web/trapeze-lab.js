// Labs in the page, added to window.trapeze (docs/js-api.md):
//   trapeze.openLab(name, step)     -> {ok, error}
//   trapeze.lab()                   -> {open, title, step, steps, stepTitle, answers, checked, results, sources, labs}
//   trapeze.checkLab()              -> the step's results, as `trapeze check LAB --json` prints them
//                                      | {ok: false, error}
//   trapeze.setLabAnswer(id, value) -> {ok, error}
// and the lab's part of share links and the autosave (trapeze-share.js calls
// labProgress / restoreLab / openLabFromLink). The lab's links open here, in a
// new tab, only when they are http(s): nothing from a lab or a link runs as code.
(function () {
  'use strict';
  const T = window.trapeze;
  const codec = () => window.trapezeCodec;
  const call = (name, ret, types, args) => window.trapezeCodec.ccall(name, ret, types, args);  // strings off the C stack

  T.openLab = (name, step = 0) => {
    if (typeof name !== 'string') return T._refused('openLab', 'a lab\'s name', name);
    if (!Number.isInteger(step) || step < 0 || step > 0x7fffffff) return T._refused('openLab', 'a step number', step);
    return codec().callJson('trapeze_lab_open', [name, step]);
  };
  T.lab = () => JSON.parse(call('trapeze_lab_json', 'string'));
  T.setLabAnswer = (id, value) => {
    if (typeof id !== 'string') return T._refused('setLabAnswer', 'a prediction\'s id', id);
    if (typeof value !== 'string' && !Number.isFinite(value)) return T._refused('setLabAnswer', 'a number or a string', value);
    return codec().callJson('trapeze_lab_answer', [id, String(value)]);
  };
  T.checkLab = () => {
    const r = codec().callJson('trapeze_lab_check', []);
    return r.ok ? r.results : { ok: false, error: r.error };
  };

  // The progress for a document: every lab's (autosave) or the open one's (share
  // link); '' when the student never opened a lab.
  T.labProgress = (openOnly) => call('trapeze_lab_progress', 'string', ['number'], [openOnly ? 1 : 0]);
  // A document's progress back into the app: {ok, error}.
  T.restoreLab = (json) => (typeof json === 'string' ? codec().callJson('trapeze_lab_restore', [json])
    : T._refused('restoreLab', 'JSON text', json));

  // What the links of the page make for the lab open now: {lab, step} or null.
  T.labInLink = () => {
    try {
      const l = T.lab();
      return l.open ? { lab: l.open, step: l.step } : null;
    } catch (e) {
      return null;
    }
  };

  // A lab's link, clicked in the Lab panel: opened in a new tab when its resolved
  // URL is http or https (a relative link is on this site).
  function openLink(text) {
    let url;
    try {
      url = new URL(String(text), window.location.href);
    } catch (e) {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    window.open(url.href, '_blank', 'noopener,noreferrer');
    return true;
  }

  window.trapezeLab = { openLink };
})();
