// Snapshots in the page (docs/js-api.md): trapeze.snapshot() -> Uint8Array,
// trapeze.restore(bytes) -> {ok, error}, and the app's Scenario menu's "Save
// snapshot" (a download, trapeze-<scenario>-<time>.trpz) and "Open snapshot" (a
// file chosen by the user). Opening one replaces the document: the user's
// autosaved work is kept aside first, as a shared link's opening does; a bad file
// shows its error and changes nothing. A snapshot is data only: the app's reader
// checks it, and nothing in it is run as code.
(function () {
  'use strict';
  const T = window.trapeze;
  const M = () => window.Module;
  const notices = () => window.trapezeNotices;

  T.snapshot = () => {
    const ptr = M().ccall('trapeze_snapshot_save', 'number', [], []);
    const size = M().ccall('trapeze_snapshot_size', 'number', [], []);
    const out = ptr ? M().HEAPU8.slice(ptr, ptr + size) : new Uint8Array(0);
    M().ccall('trapeze_snapshot_release', null, [], []);
    return out;
  };

  T.restore = (bytes) => {
    if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
    if (!(bytes instanceof Uint8Array)) return T._refused('restore', 'a Uint8Array or an ArrayBuffer', bytes);
    const ptr = M()._malloc(Math.max(1, bytes.length));
    if (!ptr) return { ok: false, error: 'not enough memory for the snapshot' };
    try {
      M().HEAPU8.set(bytes, ptr);
      const error = M().ccall('trapeze_snapshot_restore', 'string', ['number', 'number'], [ptr, bytes.length]);
      return error ? { ok: false, error } : { ok: true, error: null };
    } finally {
      M()._free(ptr);
    }
  };

  // "trapeze-<scenario>-<YYYYMMDD-HHMMSS>.trpz", the name made file-safe.
  function fileName() {
    let name = 'scenario';
    try { name = JSON.parse(T.scenario()).name || name; } catch (e) { /* keep the default */ }
    name = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'scenario';
    const d = new Date(), p = (n) => String(n).padStart(2, '0');
    const when = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
    return `trapeze-${name}-${when}.trpz`;
  }

  T.saveSnapshotFile = () => {
    const bytes = T.snapshot();
    if (!bytes.length) {
      notices().show('error', 'There is nothing to save: no scenario is loaded.');
      return;
    }
    notices().download(fileName(), bytes, 'application/octet-stream');
  };

  // Opens the snapshot in `file` (a File): {ok, error} through the promise.
  T.openSnapshotFile = async (file) => {
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      notices().show('error', `Could not read ${file && typeof file.name === 'string' ? file.name : 'the file'}.`);
      return { ok: false, error: 'unreadable' };
    }
    const r = T.restore(bytes);
    if (!r.ok) {
      notices().show('error', `Could not open ${file.name}: ${r.error}. Trapeze kept what it had.`);
      return r;
    }
    // Before the autosave stores the snapshot's document over the user's own work.
    if (T.autosave && T.autosave.keepBeforeLink('a snapshot')) T.autosave.flush();
    return r;
  };

  // The hidden file field the app's "Open snapshot" clicks.
  function field() {
    let input = document.getElementById('snapshot-file');
    if (input) return input;
    input = document.createElement('input');
    input.type = 'file';
    input.accept = '.trpz,application/octet-stream';
    input.hidden = true;
    input.id = 'snapshot-file';
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      input.value = '';
      if (file) T.openSnapshotFile(file);
    });
    document.body.appendChild(input);
    return input;
  }
  T.chooseSnapshotFile = () => field().click();
  T.ready.then(field, () => {});
})();
