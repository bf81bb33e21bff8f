// The keyboard between the app and the page's own controls, for people who use
// the keyboard only.
//
// SDL's Emscripten port listens for keys on the whole window and cancels the
// default action of the keys the app uses, Tab, Enter and Space among them. So
// the toolbar's and the notices' buttons could not be reached or pressed from the
// keyboard, and an embed that had the keyboard kept it (a keyboard trap). Here:
//  - a key pressed while one of the page's controls has the focus (a button, a
//    link, a field) is the page's: SDL never sees it, and Tab, Enter and Space do
//    what they do on any page;
//  - in the app, Escape then Tab (or Shift+Tab) hands the keyboard back to the
//    page, as code editors on the web do (the app's editor uses Tab itself). The
//    Escape still reaches the app (it closes a menu or a popup);
//  - a mouse click on a toolbar or banner button does not take the keyboard from
//    the app.
// Capture phase on window: before SDL's own listener (on window, bubbling).
(function () {
  'use strict';

  const canvas = () => document.getElementById('canvas');
  // The app's keys: those sent to its canvas, or to no control at all (the page).
  const forTheApp = (t) => !t || t === canvas() || t === document.body || t === document.documentElement;

  let escaped = false;  // the app's last key was Escape: a Tab now leaves it
  const onKey = (e) => {
    if (!forTheApp(e.target)) {
      e.stopImmediatePropagation();
      return;
    }
    if (e.type !== 'keydown') return;
    if (escaped && e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.stopImmediatePropagation();  // the browser moves the focus on
      escaped = false;
      return;
    }
    escaped = e.key === 'Escape';
  };
  for (const type of ['keydown', 'keypress', 'keyup']) window.addEventListener(type, onKey, true);

  // A click on a toolbar or banner button leaves the keyboard where it was: with the
  // app, whose editor still shows its cursor. (A button that took the focus on a
  // click made every key after it the page's: the text typed next was lost, F10 did
  // not step and F5 reloaded the page.) Tab still reaches the buttons; fields such
  // as the link to copy still take the focus.
  window.addEventListener('mousedown', (e) => {
    if (e.target instanceof Element && e.target.closest('#toolbar button, #toolbar a, #notices button')) e.preventDefault();
  }, true);
})();
