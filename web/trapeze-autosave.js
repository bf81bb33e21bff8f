// Autosave: the scenario document is kept in the browser's local storage while
// the user edits (the app's change count is polled; a save follows a short pause
// in the changes). Saved data that cannot be restored is never dropped: it is set
// aside under its own key, reported in a banner, and can be downloaded.
//   trapeze.autosave.restore() -> {ok, restored} | {ok: false, error, asideKey}
//   trapeze.autosave.start()   begin saving edits;   .flush() save now if needed
// The full app's autosave is trapeze.autosave ('trapeze.autosave'); an embedded
// page makes its own under a key of its own (trapezeAutosave.create, used by
// web/trapeze-embed-save.js).
(function () {
  'use strict';
  const T = window.trapeze;
  const notices = window.trapezeNotices;

  const POLL_MS = 400;
  const KEEP_SET_ASIDE = 5;   // set-aside copies kept per key: the newest, and always the one just made
  const QUIET_MS = 800;     // save once the changes pause this long...
  const MAX_DELAY_MS = 5000;  // ...or at the latest this long after the first unsaved one

  // localStorage, or null where the browser refuses it (privacy settings,
  // storage partitioning in some cross-site iframes).
  function localStorageOrNull() {
    try {
      const s = window.localStorage;
      s.getItem('trapeze.autosave');
      return s;
    } catch (e) {
      return null;
    }
  }

  // key: where the document is kept; the set-aside copies go under KEY.set-aside.<time>.
  // what: how banners name the saved data; instead: what opens when it cannot be restored.
  function create({ key: KEY, what = 'Your autosaved scenario', instead = 'the default scenario',
                    failed = 'Autosave failed' } = {}) {
    const ASIDE_PREFIX = KEY + '.set-aside.';  // + an ISO time
    const BEFORE_LINK_KEY = KEY + '.before-link';

    const storage = localStorageOrNull;

    let savedCount = -1;       // change count of the last save
    let firstUnsaved = 0;      // time the first unsaved change was seen
    let lastSeen = -1, lastChange = 0;
    let timer = null;
    let stopped = false;       // after a failure that must not overwrite data
    let reportedFailure = false;

    function save() {
      const s = storage();
      if (!s || stopped) return false;
      const count = T.changeCount();
      try {
        s.setItem(KEY, T.currentDocument());
        savedCount = count;
        firstUnsaved = 0;
        return true;
      } catch (e) {
        if (!reportedFailure) {
          reportedFailure = true;
          const why = failed + ': ' + (e.message || e.name) + '. ';
          // Too large to save is too large to export: then the advice is the fix itself.
          if (T.canExport()) {
            notices.show('error', why + 'Until it saves again, export the scenario to keep your work.',
                         [{ label: 'Export', run: () => { T.exportScenario(); } }]);
          } else {
            notices.show('error', why + 'Until it saves again, your work is only on this page (it is too large ' +
                         'to export as well).');
          }
        }
        return false;
      }
    }

    function poll() {
      const count = T.changeCount();
      const now = Date.now();
      if (count !== lastSeen) { lastSeen = count; lastChange = now; }
      if (count === savedCount) return;
      if (!firstUnsaved) firstUnsaved = now;
      if (now - lastChange >= QUIET_MS || now - firstUnsaved >= MAX_DELAY_MS) save();
    }

    // Moves `text` (the saved data, or what is on screen) to a key of its own;
    // returns that key, or null if it could not be written.
    function putAside(text) {
      const s = storage();
      if (!s) return null;
      const time = new Date().toISOString();
      let key = ASIDE_PREFIX + time;
      for (let n = 2; s.getItem(key) !== null; n++) key = `${ASIDE_PREFIX}${time}.${n}`;  // same millisecond
      try {
        s.setItem(key, text);
        s.removeItem(KEY);
      } catch (e) {
        return null;
      }
      dropOldCopies(s, key);
      return key;
    }

    // Set-aside copies would pile up in storage with every reset or damaged save:
    // keeps `kept` and the newest others (ISO times sort as text), up to KEEP_SET_ASIDE.
    function dropOldCopies(s, kept) {
      try {
        const others = [];
        for (let i = 0; i < s.length; i++) {
          const k = s.key(i);
          if (k !== kept && k.startsWith(ASIDE_PREFIX)) others.push(k);
        }
        others.sort().reverse();
        for (const k of others.slice(KEEP_SET_ASIDE - 1)) s.removeItem(k);
      } catch (e) {
        // They stay; nothing is lost.
      }
    }

    // Moves unreadable saved data to its own key; returns that key (null if it
    // could not be moved: autosave then stays off so nothing overwrites it).
    function setAside(s, text) {
      const key = putAside(text);
      if (!key) stopped = true;
      return key;
    }

    function reportSetAside(reason, key, text) {
      const where = key
        ? `It is kept in this browser's storage under "${key}".`
        : 'It could not be moved, so autosave is off until you reload (it would overwrite it).';
      const because = /[.?!]$/.test(reason) ? reason : reason + '.';
      notices.show('error', `${what} could not be restored: ${because} ${where} ` +
                   `Trapeze started with ${instead} instead.`,
                   [{ label: 'Download it', run: () => { notices.download('trapeze-autosave-set-aside.json', text); return false; } }]);
    }

    // Loads the autosaved scenario, if any.
    function restore() {
      const s = storage();
      if (!s) return { ok: true, restored: false };
      const text = s.getItem(KEY);
      if (text === null) return { ok: true, restored: false };
      const loaded = T.loadDocument(text, false);
      if (loaded.ok) return { ok: true, restored: true, panels: loaded.panels, labError: loaded.labError };
      const key = setAside(s, text);
      reportSetAside(loaded.error, key, text);
      return { ok: false, error: loaded.error, asideKey: key };
    }

    // Before a share link replaces what the user had: keep their autosave under
    // another key, and offer it back. Returns true if there was one.
    function keepBeforeLink(what = 'a shared scenario') {
      const s = storage();
      const text = s && s.getItem(KEY);
      if (!text) return false;
      try {
        s.setItem(BEFORE_LINK_KEY, text);
      } catch (e) {
        stopped = true;  // cannot keep it: do not overwrite it either
        notices.show('error', 'Autosave is off for this visit: your earlier autosaved work could not be ' +
                     'kept aside, and saving the shared scenario would overwrite it.');
        return true;
      }
      notices.show('info', `Opened ${what}. Your own autosaved work was kept.`, [{
        label: 'Go back to my work',
        run: () => {
          const r = T.loadDocument(s.getItem(BEFORE_LINK_KEY) || '', false);
          if (!r.ok) {
            notices.show('error', 'Could not restore your work: ' + r.error);
            return;
          }
          if (r.labError) notices.labError(r.labError);  // the work is back; its lab is not (one this build lacks)
          save();
        },
      }]);
      return true;
    }

    const flushIfHidden = () => { if (document.hidden) flush(); };

    function start({ saveNow = false } = {}) {
      if (timer || stopped || !storage()) return;
      lastSeen = savedCount = T.changeCount();
      if (saveNow) save();
      timer = setInterval(poll, POLL_MS);
      // Last chance when the tab goes away.
      window.addEventListener('pagehide', flush);
      document.addEventListener('visibilitychange', flushIfHidden);
    }

    // Saves nothing more, even when the page goes away (what is on screen is no
    // longer this key's: another link's, or edits set aside before a reset).
    function stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flushIfHidden);
    }

    function flush() {
      if (timer && T.changeCount() !== savedCount) save();
    }

    return { restore, start, stop, flush, save, putAside, keepBeforeLink, available: () => !!storage(),
             KEY, ASIDE_PREFIX, BEFORE_LINK_KEY };
    }

    T.autosave = create({ key: 'trapeze.autosave' });
    window.trapezeAutosave = { create, localStorageOrNull };
  })();
