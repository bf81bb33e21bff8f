// An embedded page (embed.html) keeps what the student edits in it: its document
// is saved in local storage like the full app's autosave (web/trapeze-autosave.js),
// but under a key of its own, made from what the embed was opened with (the
// page's path and the link's scenario, lab and step; not its panels or theme). Two
// embeds on one course page never overwrite each other, and the full app's
// 'trapeze.autosave' is never touched. A read-only embed (ro=1) keeps nothing.
// A reload brings the edits back with a banner offering "Reset to the original",
// which the toolbar offers too once there are edits (the banner can be closed);
// a reset sets the edits aside first (and offers them back). "Open in full
// Trapeze" opens the edits, not the course's original, once there are some.
//   trapeze.embedSave.key    the key in use (null: read-only, or not started)
(function () {
  'use strict';
  const T = window.trapeze;
  const notices = window.trapezeNotices;

  const PREFIX = 'trapeze.embed.';
  const NOT_KEPT_POLL_MS = 1000;
  const OPEN_FULL_POLL_MS = 1000;
  const EDITED_POLL_MS = 1000;

  // FNV-1a over the UTF-16 code units, twice with different starting values:
  // 16 hex digits (a course page has a handful of embeds, not billions).
  function hash(text) {
    let a = 0x811c9dc5, b = 0x2b9d6a1f;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c, 0x01000193) >>> 0;
    }
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }

  // What an embed was opened with: the page's path and the parts of the link that
  // choose what opens (the scenario, the lab and step), in the order written.
  function keyFor(location) {
    const parts = location.hash.replace(/^#/, '').split('&').filter((p) => p && !/^(panels|ro|theme)=/.test(p));
    return PREFIX + hash(location.pathname + '#' + parts.join('&'));
  }

  const localStorageOrNull = () => window.trapezeAutosave.localStorageOrNull();

  let saver = null;        // the autosave for the link open now
  let notKeptTimer = null;
  let openFullTimer = null;
  let resetTimer = null;

  function end() {
    if (saver) saver.stop();
    saver = null;
    api.key = null;
    clearInterval(notKeptTimer);
    clearInterval(openFullTimer);
    clearInterval(resetTimer);
    notKeptTimer = openFullTimer = resetTimer = null;
    const b = document.getElementById('reset-original');
    if (b) b.hidden = true;
  }

  // The toolbar's "Reset to the original" (web/trapeze-page.js builds the
  // toolbar), shown once the embed holds edits: restored ones (`now`), or new.
  function offerResetInToolbar(now) {
    const bar = document.getElementById('toolbar');
    if (!bar) return;
    let b = document.getElementById('reset-original');
    if (!b) {
      b = document.createElement('button');
      b.type = 'button';
      b.id = 'reset-original';
      b.textContent = 'Reset to the original';
      b.title = 'Open the course\'s original again; your edits are set aside in this browser and offered back';
      b.addEventListener('click', reset);
      bar.prepend(b);
    }
    const from = T.changeCount();
    b.hidden = !now;
    if (now) return;
    resetTimer = setInterval(() => {
      if (T.changeCount() === from) return;
      clearInterval(resetTimer);
      resetTimer = null;
      b.hidden = false;
    }, EDITED_POLL_MS);
  }

  // "Open in full Trapeze" takes the student's edits along: once something has
  // changed, it points at a share link of the document as it is now (the full app
  // keeps its own autosave aside when it opens a link).
  // `now`: the document differs from the link already (restored edits).
  function openFullFollowsEdits(now) {
    let seen = now ? -1 : T.changeCount();
    let busy = false;
    const timer = setInterval(async () => {
      const count = T.changeCount();
      if (count === seen || busy) return;
      busy = true;
      const link = await T.shareLink();
      busy = false;
      const a = document.getElementById('open-full');
      if (!link.ok || !a || openFullTimer !== timer) return;  // failed: tried again next time
      seen = count;
      a.href = link.url;
    }, OPEN_FULL_POLL_MS);
    openFullTimer = timer;
  }

  // Without storage the embed still works; once the student changes something, a
  // quiet note says it will not be kept.
  function noteNotKept() {
    const from = T.changeCount();
    notKeptTimer = setInterval(() => {
      if (T.changeCount() === from) return;
      clearInterval(notKeptTimer);
      notKeptTimer = null;
      notices.show('info', 'Your edits here will not be kept after a reload: this browser does not let ' +
                   'the embedded Trapeze use its storage.');
    }, NOT_KEPT_POLL_MS);
  }

  // "Reset to the original": the edits on screen go aside under a key of their
  // own, and the embed reloads the way a first visit opens it (exactly the
  // course's scenario, or the lab step's starter code). If they cannot be set
  // aside, nothing is reset.
  function reset() {
    const current = saver;
    let text;
    try {
      text = T.currentDocument();
    } catch (e) {
      notices.show('error', `Could not reset: your edits could not be read (${e.message}).`);
      return;
    }
    const aside = current && current.putAside(text);
    if (!aside) {
      notices.show('error', 'Could not reset: your edits could not be set aside in this browser\'s storage ' +
                   '(it may be full), so nothing was changed.',
                   [{ label: 'Download them', run: () => { notices.download('trapeze-embed-edits.json', text); return false; } }]);
      return;
    }
    current.stop();  // nothing more under this key until the page is back
    try {
      localStorageOrNull().setItem(current.KEY + '.reset', aside);
    } catch (e) {
      // The edits are aside; the next visit just cannot point at them.
    }
    window.location.reload();
  }

  // After a reset: the original is back; the edits set aside can come back too.
  function offerEditsBack(s, key) {
    const asideKey = s.getItem(key + '.reset');
    if (asideKey === null) return;
    s.removeItem(key + '.reset');
    if (!asideKey.startsWith(key + '.set-aside.')) return;  // not one of ours: left as it is
    notices.show('info', 'This is the original again. Your edits were set aside in this browser.', [{
      label: 'Go back to my edits',
      run: () => {
        const text = s.getItem(asideKey);
        const r = text === null ? { ok: false, error: 'they are no longer in this browser\'s storage' }
          : T.loadDocument(text, false);
        if (!r.ok) {
          notices.show('error', 'Could not bring your edits back: ' + r.error);
          return;
        }
        if (r.labError) notices.labError(r.labError);
        if (saver && saver.save()) s.removeItem(asideKey);
      },
    }]);
  }

  // At start-up, or when the page's link changes (hashchange), after the link is
  // open: restores the edits kept for this link, if any (saved data that cannot be
  // restored is set aside and reported); then openLab() unless the restored work
  // already has the link's lab open; then saves from here on.
  // Returns true if the student's edits were restored.
  function begin(link, { openLab = () => {}, noteUnassembled = () => {} } = {}) {
    end();
    if (link.ok && link.readOnly) {
      openLab();
      return false;
    }
    const s = localStorageOrNull();
    if (!s) {
      openLab();
      noteNotKept();
      openFullFollowsEdits();
      return false;
    }
    const key = keyFor(window.location);
    saver = window.trapezeAutosave.create({
      key, what: 'Your edits kept for this embedded scenario', instead: 'the original',
      failed: 'Your edits here could not be kept',
    });
    api.key = key;
    const r = saver.restore();
    const restored = r.ok && r.restored;
    if (restored) {
      noteUnassembled('Restored your edits');
      if (r.labError) notices.labError(r.labError);  // the edits are back; their lab is not (one this build lacks)
      notices.show('info', 'Restored your edits from your last visit (kept in this browser).',
                   [{ label: 'Reset to the original', run: reset }]);
    }
    let labOpen = null;
    try { labOpen = restored && T.lab().open; } catch (e) { /* no lab */ }
    if (!(link.ok && link.lab && labOpen === link.lab)) openLab();
    offerEditsBack(s, key);
    saver.start();
    openFullFollowsEdits(restored);
    offerResetInToolbar(restored);
    return restored;
  }

  function flush() {
    if (saver) saver.flush();
  }

  const api = { key: null, begin, flush, keyFor };
  T.embedSave = api;
})();
