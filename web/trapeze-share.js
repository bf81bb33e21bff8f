// Share links and scenario files, added to window.trapeze:
//   await trapeze.shareLink()          -> {ok, url, fragment} | {ok: false, error}
//   await trapeze.openLink('#s=1...')  -> {ok, opened, panels, readOnly, lab, step, labError?}
//                                        | {ok: false, error}
//   trapeze.exportScenario()           -> downloads the scenario as a .json file: {ok, name}
//                                        | {ok: false, error} (too large for Import: said in a banner)
//   trapeze.importScenario(text)       -> {ok} | {ok: false, error}
// A link holds the scenario document (core/scenario/share_link.h) compressed
// with raw deflate and base64url-encoded: index.html#s=1.DATA. All checks but the
// decompression are the C++ ones (wasm/js_share_api.cpp).
(function () {
  'use strict';
  const T = window.trapeze;
  const codec = window.trapezeCodec;

  // The panels the app shows now (its layout choice), if it says.
  function currentPanels() {
    try {
      const ui = JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], []));
      return Array.isArray(ui.panels) ? ui.panels.filter((p) => typeof p === 'string') : [];
    } catch (e) {
      return [];
    }
  }

  // The scenario document (JSON text) of what the app holds now, with the lab
  // progress: every lab's, or only the open lab's (`openLabOnly`: a share link).
  function currentDocument(openLabOnly) {
    const lab = typeof T.labProgress === 'function' ? T.labProgress(!!openLabOnly) : '';
    const answer = codec.callJson('trapeze_share_encode', [T.scenario(), currentPanels().join(','), lab]);
    if (!answer.ok) throw new Error(answer.error);
    return answer.document;
  }

  // Loads a document's scenario (and layout, and lab progress) into the app;
  // {ok, panels, labError} or {ok:false,error}. A lab that does not open (one
  // this build does not have) leaves the scenario loaded and says why in labError.
  function loadDocument(text, acceptBare) {
    if (typeof text !== 'string') return T._refused('loadDocument', 'the document\'s JSON text', text);
    const doc = codec.callJson('trapeze_share_decode', [text, acceptBare ? 1 : 0]);
    if (!doc.ok) return doc;
    const loaded = T.loadScenario(doc.scenario);
    if (!loaded.ok) return { ok: false, error: 'the scenario does not load: ' + loaded.error };
    const result = { ok: true, panels: doc.panels };
    if (doc.lab) {
      const lab = T.restoreLab(doc.lab);
      if (!lab.ok) result.labError = lab.error;
    }
    return result;
  }

  T.currentDocument = currentDocument;
  T.loadDocument = loadDocument;

  // Where share links point: the full app beside this page.
  function appUrl(fragment) {
    return new URL('index.html', window.location.href).href + '#' + fragment;
  }

  T.shareLink = async function shareLink() {
    try {
      const data = await codec.compress(currentDocument(true));
      const lab = (typeof T.labInLink === 'function' && T.labInLink()) || { lab: '', step: 0 };
      const frag = codec.callJson('trapeze_share_make_fragment', [data, '', 0, lab.lab, lab.step]);
      if (!frag.ok) return { ok: false, error: frag.error };
      return { ok: true, url: appUrl(frag.fragment), fragment: frag.fragment };
    } catch (e) {
      return { ok: false, error: e.message };
    }
  };

  // Opens the lab a fragment names (lab=NAME&step=N): {ok} or {ok: false, error}.
  function openLinkedLab(f) {
    const r = T.openLab(f.lab, f.step || 0);
    return r.ok ? { ok: true } : { ok: false, error: r.error };
  }

  // The browser %-encodes a fragment's other characters (<, >, spaces, letters
  // such as é): the checks, and the messages naming them, get them as typed. The
  // fragment is split into its KEY=VALUE parts first, then each key and value is
  // decoded on its own, so a %26 or %3D (an encoded & or =) in a value stays in
  // that value, as typed, instead of splitting the link. A key or value with a
  // control character (%00 would end the text for the C side) or a malformed
  // escape is left as it came, to be refused as it is, under its own name.
  const SEPARATOR = /(%26|%3d)/i;  // kept as typed: the C side splits on & and =
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  function fieldAsTyped(text) {
    let decoded;
    try {
      decoded = text.split(SEPARATOR).map((piece, i) => (i % 2 ? piece : decodeURIComponent(piece))).join('');
    } catch (e) {
      return text;
    }
    return CONTROL.test(decoded) ? text : decoded;
  }
  function asTyped(fragment) {
    return fragment.split('&').map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? fieldAsTyped(part) : fieldAsTyped(part.slice(0, eq)) + '=' + fieldAsTyped(part.slice(eq + 1));
    }).join('&');
  }

  // Opens a fragment ('#s=1.DATA&panels=...&ro=1&theme=light&lab=NAME&step=N'). opened:
  // false when it holds no scenario (panels, readOnly, theme, lab and step still say what
  // it asks for). A lab without a scenario opens at once, unless `deferLab` (the page
  // restores the student's autosave first, then opens it). On any error the app keeps
  // the scenario it had.
  T.openLink = async function openLink(fragment, options) {
    const deferLab = !!(options && options.deferLab);
    if (fragment !== undefined && fragment !== null && typeof fragment !== 'string') {
      return T._refused('openLink', 'a link or its fragment', fragment);
    }
    const f = codec.callJson('trapeze_share_parse_fragment', [asTyped(fragment || '')]);
    if (!f.ok) return { ok: false, error: f.error };
    const result = { ok: true, opened: false, panels: f.panels, readOnly: f.readOnly, theme: f.theme,
                     lab: f.lab, step: f.step };
    if (!f.data) {
      if (!f.lab || deferLab) return result;
      const lab = openLinkedLab(f);
      return lab.ok ? result : lab;
    }
    let text;
    try {
      text = await codec.decompress(f.data, codec.callJson('trapeze_share_limits', []).maxDocumentBytes);
    } catch (e) {
      return { ok: false, error: e.message };
    }
    const loaded = loadDocument(text, false);
    if (!loaded.ok) return loaded;
    result.opened = true;
    if (loaded.labError) result.labError = loaded.labError;
    if (f.lab) {
      const lab = openLinkedLab(f);
      if (!lab.ok) result.labError = lab.error;
    }
    if (!result.panels && loaded.panels.length) result.panels = loaded.panels;
    return result;
  };

  // A file name from the scenario's name: letters, digits and dashes only.
  function fileName() {
    let name = '';
    try { name = JSON.parse(T.scenario()).name || ''; } catch (e) { /* unnamed */ }
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
    return (slug || 'scenario') + '.json';
  }

  // Export writes only what Import (and every input file) takes back: null, or why not.
  function tooLargeToImport(text) {
    const max = codec.callJson('trapeze_share_limits', []).maxInputFileBytes;
    const bytes = new TextEncoder().encode(text).length;
    return bytes <= max ? null : `the scenario is ${bytes} bytes, more than the ${max} bytes Import accepts ` +
      '(make a guest\'s source shorter or remove a guest, then export again)';
  }

  // The plain scenario, which `trapeze run FILE.json` runs too. A scenario too
  // large to import again is not written; the banner says why (nothing changes).
  T.exportScenario = function exportScenario() {
    const text = T.scenario();
    const refused = tooLargeToImport(text);
    if (refused) {
      window.trapezeNotices.show('error', `Could not export: ${refused}. Your work stays as it is.`);
      return { ok: false, error: refused };
    }
    window.trapezeNotices.download(fileName(), text);
    return { ok: true, name: fileName() };
  };
  T.canExport = () => !tooLargeToImport(T.scenario());

  // A scenario file or a saved document.
  T.importScenario = function importScenario(text) {
    const max = codec.callJson('trapeze_share_limits', []).maxInputFileBytes;
    if (typeof text !== 'string') return T._refused('importScenario', 'the file\'s text', text);
    const bytes = new TextEncoder().encode(text).length;  // the limit is in bytes, not UTF-16 units
    if (bytes > max) return { ok: false, error: `the file has ${bytes} bytes (input files must have at most ${max} bytes)` };
    return loadDocument(text, true);
  };
})();
