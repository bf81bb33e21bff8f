// Checks on trapeze.layout() shared by the layout and embed tests: every open
// panel (and the bar of the small layouts) inside the window, no two overlapping.
import assert from 'node:assert/strict';

// Resolves after the app has drawn `n` more frames.
export function framesLater(page, n) {
  return page.evaluate((k) => {
    const until = window.trapeze.frames() + k;
    return new Promise((resolve) => {
      const tick = () => (window.trapeze.frames() >= until ? resolve() : requestAnimationFrame(tick));
      tick();
    });
  }, n);
}

// The names of the open panels, as the app says.
export async function uiPanels(page) {
  return page.evaluate(() => JSON.parse(window.Module.ccall('trapeze_ui_json', 'string', [], [])).panels);
}

// Every open panel drawn (or, on a phone, behind a tab), inside the window, and
// no two windows overlapping.
export function assertTiled(layout, open, where) {
  const dump = `\n${JSON.stringify(layout.panels)}`;
  const drawn = layout.panels.map((p) => p.name);
  for (const name of open) {
    assert.ok(drawn.includes(name) || (layout.mode === 'tabs' && layout.hidden.includes(name)),
              `${where}: open panel ${name} is not drawn${dump}`);
  }
  for (const p of layout.panels) {
    assert.ok(p.w > 0 && p.h > 0, `${where}: ${p.name} has no area${dump}`);
    assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.w <= layout.width && p.y + p.h <= layout.height,
              `${where}: ${p.name} is not inside the ${layout.width}x${layout.height} window${dump}`);
  }
  for (let i = 0; i < layout.panels.length; ++i) {
    for (let j = i + 1; j < layout.panels.length; ++j) {
      const a = layout.panels[i], b = layout.panels[j];
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `${where}: ${a.name} and ${b.name} overlap${dump}`);
    }
  }
}
