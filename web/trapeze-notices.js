// Banners over the app: errors and notes the page must show in HTML (the app's
// own UI is a canvas). Text is only ever set as textContent: messages often quote
// a link, a file or saved data, which must stay data.
(function () {
  'use strict';
  const MAX_SHOWN = 4;

  function container() {
    let box = document.getElementById('notices');
    if (!box) {
      box = document.createElement('div');
      box.id = 'notices';
      document.body.appendChild(box);
    }
    return box;
  }

  // Direction marks and overrides (U+202E...) in a quoted link or file would turn
  // the rest of the message around on screen: they are shown as <U+202E>.
  const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  const visible = (text) => String(text).replace(BIDI_CONTROLS,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);

  // kind: 'error' | 'info'. actions: [{label, run}] buttons; each closes the notice
  // unless run() returns false. Returns the notice element.
  function show(kind, text, actions = []) {
    const note = document.createElement('div');
    note.className = 'notice ' + kind;
    note.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const message = document.createElement('span');
    message.className = 'notice-text';
    message.textContent = visible(text);
    note.appendChild(message);
    const close = () => note.remove();
    for (const a of actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = a.label;
      button.addEventListener('click', () => { if (a.run() !== false) close(); });
      note.appendChild(button);
    }
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'notice-close';
    dismiss.setAttribute('aria-label', 'Dismiss');
    dismiss.textContent = '\u00d7';
    dismiss.addEventListener('click', close);
    note.appendChild(dismiss);
    const box = container();
    box.appendChild(note);
    while (box.children.length > MAX_SHOWN) box.firstElementChild.remove();  // the oldest go
    return note;
  }

  // A document loaded but its lab did not open (one this build does not have):
  // said the same way wherever a document comes back (import, autosave, links, embeds).
  function labError(error) {
    const text = String(error);
    return show('error', `The lab could not be opened: ${/[.?!]$/.test(text) ? text : text + '.'}`);
  }

  // Downloads `text` as a file (export, and saved data that was set aside).
  function download(name, text, type = 'application/json') {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  window.trapezeNotices = { show, labError, download };
})();
