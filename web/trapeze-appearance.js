// The theme and UI scale, added to window.trapeze:
//   trapeze.appearance()                 -> {theme: 'dark' | 'light', scale: 75..200}
//   trapeze.setAppearance({theme, scale}) -> {ok, error}  (either key may be left out)
// The full app remembers what the reader picks in View > Theme / UI scale in the
// browser's local storage and restores it at start; an embed keeps nothing (a
// course page chooses with &theme= in its link). The page's own bars follow the
// theme and scale through <html data-theme> and the --ui-scale CSS variable.
(function () {
  'use strict';
  const T = window.trapeze;
  const embedded = document.body.dataset.mode === 'embed';
  const KEY = 'trapeze.appearance';

  const call = (name, ret, types, args) => window.trapezeCodec.ccall(name, ret, types, args);  // strings off the C stack

  function showOnPage(a) {
    document.documentElement.dataset.theme = a.theme;
    document.documentElement.style.setProperty('--ui-scale', String(a.scale / 100));
  }

  T.appearance = () => JSON.parse(call('trapeze_appearance_json', 'string'));

  T.setAppearance = (settings) => {
    const json = settings && typeof settings === 'object' ? T._jsonText(settings) : null;
    if (json === null) return T._refused('setAppearance', 'an object {theme, scale}', settings);
    const error = call('trapeze_set_appearance', 'string', ['string'], [json]);
    if (error) return { ok: false, error };
    showOnPage(T.appearance());
    return { ok: true, error: null };
  };

  function remember(a) {
    if (embedded) return;
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ theme: a.theme, scale: a.scale }));
    } catch (e) { /* storage off or full: the choice lasts this visit */ }
  }

  // What the reader chose before, if anything readable; a bad entry is dropped.
  function restore() {
    if (embedded) return;
    let saved = null;
    try {
      saved = window.localStorage.getItem(KEY);
    } catch (e) {
      return;
    }
    if (!saved) return;
    let parsed = null;
    try { parsed = JSON.parse(saved); } catch (e) { /* dropped below */ }
    const r = parsed && typeof parsed === 'object' ? T.setAppearance(parsed) : { ok: false };
    if (!r.ok) {
      try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    }
  }

  T.ready.then(() => {
    // The View menu calls this when the reader picks a theme or scale.
    window.Module.onTrapezeAppearance = (json) => {
      const a = JSON.parse(json);
      showOnPage(a);
      remember(a);
    };
    restore();
    showOnPage(T.appearance());
  }).catch(() => { /* the boot script shows why the app did not start */ });
})();
