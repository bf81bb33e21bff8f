// The system clipboard for the app (the C++ side is wasm/clipboard.cpp).
//
// SDL's Emscripten port keeps its clipboard inside the app and cancels every
// Ctrl+key's default action, so the browser never copies or pastes. Here
// Ctrl/Cmd+C, X and V meant for the app are kept from SDL, so the browser turns
// them into the document's copy, cut and paste events (the browser's Edit menu
// sends the same events). Those carry the system clipboard's text without any
// permission: a paste hands the text to the app, which pastes it into the
// widget that has the keyboard; a copy or cut asks the app for its selection and
// puts it on the clipboard. Text the app copies by other means (a menu's Copy)
// goes out through navigator.clipboard.writeText where the browser allows it.
// Pasted text is passed to the app as a string, never run or parsed as code.
(function () {
  'use strict';

  const ready = () => !!(window.trapeze && window.trapeze.isReady());
  const call = (name, ret, types, args) => window.trapezeCodec.ccall(name, ret, types, args);  // strings off the C stack
  const canvas = () => document.getElementById('canvas');

  // Events meant for the page's own fields (the share link's text box) or text
  // the user selected on the page are the browser's business.
  const forThePage = (e) => {
    const t = e.target;
    if (t && t !== canvas() && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return true;
    const selection = window.getSelection && window.getSelection();
    return !!(selection && !selection.isCollapsed && String(selection).length > 0);
  };

  // Ctrl+Shift+V too (paste as plain text: all the app pastes is plain text).
  const clipboardKey = (e) => {
    const key = String(e.key).toLowerCase();
    return (e.ctrlKey || e.metaKey) && !e.altKey && (key === 'v' || (!e.shiftKey && (key === 'c' || key === 'x')));
  };

  // Capture phase on window: before SDL's own listener (on window, bubbling)
  // can cancel the default action that fires the clipboard event. A browser
  // that fires no event (nothing it counts as selected) gets the shortcut
  // handed to the app as it was before, after the key's default action.
  let awaiting = null;  // the shortcut whose clipboard event has not come yet
  window.addEventListener('keydown', (e) => {
    if (!ready() || !clipboardKey(e) || forThePage(e)) return;
    e.stopImmediatePropagation();
    const key = String(e.key).toLowerCase();
    awaiting = key;
    setTimeout(() => {
      if (awaiting !== key) return;
      awaiting = null;
      call('trapeze_clipboard_shortcut', null, ['number'], [key.charCodeAt(0)]);
    }, 0);
  }, true);

  let justCopied = null;  // what a copy event put on the clipboard, not to be written twice

  const copy = (e, cut) => {
    if (!ready() || forThePage(e)) return;
    awaiting = null;
    const text = call('trapeze_clipboard_copy', 'string', ['number'], [cut ? 1 : 0]);
    if (!text || !e.clipboardData) return;  // nothing selected in the app: the clipboard stays
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
    justCopied = text;
  };
  document.addEventListener('copy', (e) => copy(e, false));
  document.addEventListener('cut', (e) => copy(e, true));

  document.addEventListener('paste', (e) => {
    if (!ready() || forThePage(e) || !e.clipboardData) return;
    awaiting = null;
    const text = e.clipboardData.getData('text/plain');
    e.preventDefault();
    if (text) call('trapeze_clipboard_paste', null, ['string'], [text]);
  });

  // Where the browser lets the page read the clipboard without asking (a
  // permission already granted), the app's own Paste menu item sees what was
  // copied elsewhere: refreshed when the page gets focus and on each click.
  const refresh = async () => {
    if (!ready() || !navigator.clipboard || !navigator.permissions) return;
    try {
      const status = await navigator.permissions.query({ name: 'clipboard-read' });
      if (status.state !== 'granted') return;
      const text = await navigator.clipboard.readText();
      call('trapeze_clipboard_set', null, ['string'], [text]);
    } catch (err) {
      // Not supported or not allowed: the app keeps the text of the last paste.
    }
  };
  window.addEventListener('focus', refresh);
  window.addEventListener('pointerdown', refresh, true);

  window.trapezeClipboard = {
    // Called by the app whenever it copies (wasm/clipboard.cpp).
    written: (text) => {
      if (text === justCopied) {
        justCopied = null;
        return;
      }
      justCopied = null;
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(() => {});
    },
  };
})();
