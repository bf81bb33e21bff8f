// What the page does once the app is ready: pick the scenario to start with (a
// share link in the URL fragment, else the autosave, else the app's default
// preset), wire the toolbar (Copy link, Export, Import), and in embed mode
// (embed.html) show only the panels the link asks for, with an "Open in full
// Trapeze" link. trapeze.started resolves to {source: 'link' | 'autosave' |
// 'default', error?} once the start-up choice is made.
(function () {
  'use strict';
  const T = window.trapeze;
  const notices = window.trapezeNotices;
  const embedded = document.body.dataset.mode === 'embed';

  let resolveStarted;
  T.started = new Promise((resolve) => { resolveStarted = resolve; });

  // Unknown panel names are left out by the app, which names the valid ones: say so.
  function setUi(ui) {
    if (typeof T.setUi !== 'function') return;
    const r = T.setUi(ui);
    if (r && !r.ok) notices.show('error', sentence(r.error.replace(/^setUi: panels: /, 'This link asks for an ')));
  }

  // An embedded lab without a panel list: its text, the editor and the console.
  const LAB_EMBED_PANELS = ['lab', 'editor', 'console'];

  function applyLayout(link) {
    // A link's theme holds for this visit; it does not replace the one the
    // reader chose in the View menu (trapeze-appearance.js).
    if (link.theme && typeof T.setAppearance === 'function') T.setAppearance({ theme: link.theme });
    if (embedded) {
      const panels = link.panels || (link.lab ? LAB_EMBED_PANELS : undefined);
      setUi({ compact: true, panels, readOnly: !!link.readOnly });
    } else if (link.panels && link.panels.length) {
      setUi({ compact: false, panels: link.panels, readOnly: false });
    }
  }

  // "reason" -> "reason.", not "reason?." or "reason..".
  const sentence = (text) => (/[.?!]$/.test(text) ? text : text + '.');

  // A document opened with guests whose source does not assemble (kept as typed):
  // say which, so the reader knows why they do not run.
  function noteUnassembled(how) {
    let names = [];
    try {
      names = T.state().guests.filter((g) => g.state === 'no image').map((g) => `"${g.name}"`);
    } catch (e) {
      return;
    }
    if (!names.length) return;
    const which = names.length === 1 ? `guest ${names[0]} does` : `guests ${names.join(', ')} do`;
    notices.show('info', `${how}: ${which} not assemble yet. The source is kept as typed, with its ` +
                 'errors marked in the editor; it runs once it assembles (Ctrl+Enter).');
  }

  // `opened`: what the page opened instead, at start-up (nothing was "kept" then).
  function linkError(error, opened) {
    notices.show('error', `This link could not be opened: ${sentence(error)} ` +
                 (opened ? `Trapeze opened ${opened} instead.` : 'Trapeze kept the scenario it had.'));
  }

  const labError = notices.labError;

  // A link's lab without a scenario (lab=NAME&step=N) opens once the student's
  // own autosave is back, so their work in that lab is kept; when the step
  // replaces another scenario the student had, that autosave is kept aside.
  function openLinkedLab(link, started) {
    if (!link.ok || !link.lab || link.opened) return;
    const before = T.scenario();
    const r = T.openLab(link.lab, link.step || 0);
    if (!r.ok) {
      labError(r.error);
      started.labError = r.error;
      return;
    }
    started.lab = link.lab;
    if (!embedded && T.scenario() !== before && T.autosave.keepBeforeLink('the lab')) started.keptEarlierWork = true;
    forgetFragment();
  }

  // The full app drops the fragment once opened: a reload then shows the autosave,
  // with the edits made since, not the link's original.
  function forgetFragment() {
    if (!embedded && window.location.hash) {
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  // The welcome panel is for a first visit: it opens with the app, and on later
  // visits (this browser remembers one) it is closed, the rest of the layout kept.
  function welcomeOnlyOnce() {
    const KEY = 'trapeze.welcomed';
    try {
      if (!window.localStorage.getItem(KEY)) {
        window.localStorage.setItem(KEY, '1');
        return;
      }
      const ui = JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], []));  // never lists it
      if (Array.isArray(ui.panels)) setUi({ compact: false, panels: ui.panels, readOnly: !!ui.readOnly });
    } catch (e) {
      // No storage: every visit is a first one.
    }
  }

  async function start() {
    let started = { source: 'default' };
    const link = await T.openLink(window.location.hash, { deferLab: true });
    if (!link.ok) {
      started.error = link.error;  // said below, with what opened instead
    } else if (link.opened) {
      started.source = 'link';
      noteUnassembled('Opened a shared scenario');
      if (!embedded && T.autosave.keepBeforeLink()) started.keptEarlierWork = true;
      forgetFragment();
    }
    if (link.labError) labError(link.labError), started.labError = link.labError;
    applyLayout(link.ok ? link : {});
    // An embed keeps the student's edits under its own key (web/trapeze-embed-save.js).
    if (embedded && T.embedSave.begin(link, { openLab: () => openLinkedLab(link, started), noteUnassembled })) {
      started.source = 'autosave';
    }
    if (!embedded) {
      if (started.source !== 'link') {
        const restored = T.autosave.restore();
        if (restored.ok && restored.restored) {
          started.source = 'autosave';
          noteUnassembled('Restored your autosaved work');
          applyLayout({ panels: restored.panels });
          if (restored.labError) labError(restored.labError);
        } else if (!restored.ok) {
          started.autosaveError = restored.error;
        }
      }
      openLinkedLab(link, started);
      welcomeOnlyOnce();
      // A link's scenario or lab is saved at once (it is what a reload must show).
      T.autosave.start({ saveNow: started.source === 'link' || !!started.lab });
      if (!T.autosave.available()) {
        notices.show('info', 'This browser does not let Trapeze keep your work between visits ' +
                     '(its local storage is off). Use Export to save a scenario file.');
      }
    }
    if (started.error) linkError(started.error, started.source === 'autosave' ? 'your autosaved work' : 'the default scenario');
    resolveStarted(started);
  }

  // Pasting another link into the address bar changes only the fragment.
  window.addEventListener('hashchange', async () => {
    if (!window.location.hash) return;
    // What is on the screen now is what a link may set aside (or, embedded, keeps under this link's key).
    if (embedded) T.embedSave.flush(); else T.autosave.flush();
    const before = T.scenario();
    const link = await T.openLink(window.location.hash);
    if (!link.ok) {
      linkError(link.error);
      return;
    }
    if (link.opened && !embedded) {
      T.autosave.keepBeforeLink();
      T.autosave.flush();
    }
    if (link.opened) noteUnassembled('Opened a shared scenario');
    if (link.labError) labError(link.labError);
    applyLayout(link);
    if (embedded && (link.opened || link.lab)) T.embedSave.begin(link, { noteUnassembled });  // another link: its own key
    if (link.lab && !link.opened && !embedded) {
      if (T.scenario() !== before) T.autosave.keepBeforeLink('the lab');
      T.autosave.flush();
    }
    forgetFragment();
  });

  // ---- the toolbar ---------------------------------------------------------------------

  function button(label, title, run) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', run);
    return b;
  }

  // Shows the link in a field to copy by hand (no clipboard on plain http).
  function showLinkField(url) {
    const note = notices.show('info', 'Copy this link:');
    const field = document.createElement('input');
    field.type = 'text';
    field.readOnly = true;
    field.value = url;
    field.className = 'notice-link';
    note.insertBefore(field, note.querySelector('button'));
    field.focus();
    field.select();
  }

  async function copyLink(b) {
    const link = await T.shareLink();
    if (!link.ok) {
      notices.show('error', 'Could not make a link: ' + link.error);
      return;
    }
    T.lastShareLink = link.url;
    try {
      await navigator.clipboard.writeText(link.url);
      b.textContent = 'Link copied';
      setTimeout(() => { b.textContent = 'Copy link'; }, 2000);
    } catch (e) {
      showLinkField(link.url);
    }
  }

  function importFile(input) {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    // Checked before a byte is read: the limit every input file has (text/input_file.h).
    const max = window.trapezeCodec.callJson('trapeze_share_limits', []).maxInputFileBytes;
    if (file.size > max) {
      notices.show('error', `Could not import ${file.name}: it has ${file.size} bytes (input files must have at most ${max} bytes).`);
      return;
    }
    file.text().then((text) => {
      const r = T.importScenario(text);
      if (!r.ok) {
        notices.show('error', `Could not import ${file.name}: ${sentence(r.error)} Trapeze kept the scenario it had.`);
        return;
      }
      applyLayout(r);
      if (r.labError) labError(r.labError);  // the scenario loaded; its lab did not (one this build lacks)
      noteUnassembled(`Imported ${file.name}`);
      T.autosave.flush();
    }, () => notices.show('error', `Could not read ${file.name}.`));
  }

  function buildToolbar() {
    const bar = document.createElement('div');
    bar.id = 'toolbar';
    if (embedded) {
      const open = document.createElement('a');
      open.id = 'open-full';
      open.textContent = 'Open in full Trapeze \u2197';
      open.target = '_blank';
      open.rel = 'noopener';
      // The same scenario in the full app's default layout: without the embed's
      // panel list and read-only flag.
      const update = () => {
        const kept = window.location.hash.replace(/^#/, '').split('&')
          .filter((part) => !/^(panels|ro)=/.test(part)).join('&');
        open.href = 'index.html' + (kept ? '#' + kept : '');
      };
      update();
      window.addEventListener('hashchange', update);
      bar.appendChild(open);
    } else {
      const copy = button('Copy link', 'Copy a link that opens this scenario', () => copyLink(copy));
      copy.id = 'copy-link';
      const exp = button('Export', 'Download the scenario as a .json file', () => T.exportScenario());
      exp.id = 'export';
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,application/json';
      input.hidden = true;
      input.id = 'import-file';
      input.addEventListener('change', () => importFile(input));
      const imp = button('Import', 'Open a scenario .json file', () => input.click());
      imp.id = 'import';
      const docs = document.createElement('a');
      docs.href = 'docs.html';
      docs.target = '_blank';
      docs.rel = 'noopener';
      docs.textContent = 'Docs';
      bar.append(copy, exp, imp, input, docs);
    }
    document.body.appendChild(bar);
    if (!embedded) fitToolbar(bar);
  }

  // The toolbar sits in the app's menu bar, after its menus. Where it does not fit
  // there (a narrow window, a large UI scale) its last buttons were cut off at the
  // window's edge, out of reach: it then takes a row of its own above the app
  // (trapeze.css), which lays out in the rest, as under a banner.
  function fitToolbar(bar) {
    const GAP = 4;  // trapeze.css: div#toolbar's gap
    const fit = () => {
      const items = [...bar.children].filter((e) => !e.hidden);
      const width = items.reduce((sum, e) => sum + e.getBoundingClientRect().width, 0) + GAP * (items.length - 1);
      const root = getComputedStyle(document.documentElement);
      const scale = parseFloat(root.getPropertyValue('--ui-scale')) || 1;
      const menuEnd = parseFloat(root.getPropertyValue('--menu-end')) || 290 * scale;  // trapeze.css's estimate
      const row = menuEnd + width + GAP > window.innerWidth;
      if (row !== (document.body.dataset.toolbar === 'row')) {
        if (row) document.body.dataset.toolbar = 'row'; else delete document.body.dataset.toolbar;
      }
    };
    window.addEventListener('resize', fit);
    // The app moves --menu-end, and the UI scale (--ui-scale) resizes the buttons.
    new MutationObserver(fit).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    fit();
  }

  T.ready.then(() => {
    buildToolbar();
    return start();
  }).catch((e) => {
    // The boot script already shows why the app did not start.
    resolveStarted({ source: 'none', error: e.message });
  });
})();
