// The docs page: shows one of the project's Markdown documents (copied into the
// site's docs/ folder) as HTML. docs.html?page=isa. A small renderer for the
// Markdown those files use (headings, paragraphs, lists, tables, code blocks,
// inline code, emphasis, links), building DOM nodes from text: nothing in a
// document is ever parsed as HTML.
(function () {
  'use strict';

  // The documents the site carries: page name -> file and title.
  const PAGES = {
    isa: { file: 'docs/isa.md', title: 'The instruction set' },
    machine: { file: 'docs/machine.md', title: 'The machine' },
    vmm: { file: 'docs/vmm.md', title: 'The VMM' },
    guests: { file: 'docs/guests.md', title: 'The guest kernels' },
    'js-api': { file: 'docs/js-api.md', title: 'JavaScript API' },
    web: { file: 'docs/web.md', title: 'Links and embedding' },
  };
  // Markdown file names as the documents link to each other.
  const BY_FILE = { 'isa.md': 'isa', 'machine.md': 'machine', 'vmm.md': 'vmm', 'js-api.md': 'js-api',
                    'web.md': 'web', 'README.md': 'guests', '../guests/README.md': 'guests' };

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  // GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes.
  function slug(text) {
    return text.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
  }

  // Where a link in a document goes on this site; null: not here (shown as text).
  function target(href) {
    if (/^https?:\/\//i.test(href)) return href;
    if (href.startsWith('#')) return href;
    const [file, anchor] = href.split('#');
    const page = BY_FILE[file];
    if (!page) return null;
    return 'docs.html?page=' + page + (anchor ? '#' + anchor : '');
  }

  // Inline Markdown: `code`, **strong**, *em*, [text](href).
  function inline(parent, text) {
    const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
    let last = 0;
    for (const m of text.matchAll(pattern)) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) parent.appendChild(el('code', m[1]));
      else if (m[2] !== undefined) inline(parent.appendChild(el('strong')), m[2]);
      else if (m[3] !== undefined) inline(parent.appendChild(el('em')), m[3]);
      else {
        const href = target(m[5]);
        const a = href ? el('a') : el('span');
        if (href) {
          a.href = href;
          if (/^https?:/i.test(href)) a.rel = 'noopener';
        }
        inline(a, m[4]);
        parent.appendChild(a);
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function cells(line) {
    return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
  }

  function render(markdown, out) {
    const lines = markdown.replace(/\r\n/g, '\n').split('\n');
    let i = 0;
    const isBlockStart = (l) => /^(#{1,6} |```|\s*[-*] |\s*\d+\. |\||<!--)/.test(l);
    while (i < lines.length) {
      const line = lines[i];
      if (!line.trim()) { i++; continue; }
      if (line.startsWith('<!--')) {  // HTML comments (the generated-section markers)
        while (i < lines.length && !lines[i].includes('-->')) i++;
        i++;
        continue;
      }
      const h = /^(#{1,6}) (.*)$/.exec(line);
      if (h) {
        const e = el('h' + h[1].length);
        inline(e, h[2]);
        e.id = slug(e.textContent);
        out.appendChild(e);
        i++;
        continue;
      }
      if (line.startsWith('```')) {
        const code = [];
        for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
        i++;
        out.appendChild(el('pre')).appendChild(el('code', code.join('\n')));
        continue;
      }
      if (line.startsWith('|')) {
        const table = el('table');
        const head = cells(line);
        const tr = table.appendChild(el('thead')).appendChild(el('tr'));
        for (const c of head) inline(tr.appendChild(el('th')), c);
        i++;
        if (i < lines.length && /^\|?\s*:?-/.test(lines[i])) i++;
        const body = table.appendChild(el('tbody'));
        for (; i < lines.length && lines[i].startsWith('|'); i++) {
          const row = body.appendChild(el('tr'));
          for (const c of cells(lines[i])) inline(row.appendChild(el('td')), c);
        }
        out.appendChild(table);
        continue;
      }
      const item = /^(\s*)([-*]|\d+\.) (.*)$/.exec(line);
      if (item) {
        const list = el(/\d/.test(item[2]) ? 'ol' : 'ul');
        while (i < lines.length) {
          const m = /^(\s*)([-*]|\d+\.) (.*)$/.exec(lines[i]);
          if (!m) break;
          let text = m[3];
          // Continuation lines of this item.
          for (i++; i < lines.length && lines[i].trim() && /^\s+\S/.test(lines[i]) &&
               !/^\s*([-*]|\d+\.) /.test(lines[i]); i++) text += ' ' + lines[i].trim();
          inline(list.appendChild(el('li')), text);
        }
        out.appendChild(list);
        continue;
      }
      const para = [];
      for (; i < lines.length && lines[i].trim() && (para.length === 0 || !isBlockStart(lines[i])); i++) {
        para.push(lines[i].trim());
      }
      inline(out.appendChild(el('p')), para.join(' '));
    }
  }

  const nav = document.getElementById('docs-nav');
  for (const [name, page] of Object.entries(PAGES)) {
    const a = el('a', page.title);
    a.href = 'docs.html?page=' + name;
    nav.appendChild(a);
  }
  const requested = new URLSearchParams(window.location.search).get('page') || 'isa';
  const content = document.getElementById('docs-content');
  const page = Object.prototype.hasOwnProperty.call(PAGES, requested) ? PAGES[requested] : null;
  if (!page) {
    content.appendChild(el('p', 'There is no document called "' + requested.slice(0, 40) + '".', 'docs-error'));
    return;
  }
  document.title = page.title + ' - Trapeze';
  fetch(page.file).then((r) => {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.text();
  }).then((text) => {
    render(text, content);
    if (window.location.hash) {
      let id = window.location.hash.slice(1);
      try { id = decodeURIComponent(id); } catch (e) { /* a malformed %-escape: look it up as it is */ }
      const anchor = document.getElementById(id);
      if (anchor) anchor.scrollIntoView();
    }
  }, (e) => {
    content.appendChild(el('p', 'Could not load ' + page.file + ' (' + e.message + ').', 'docs-error'));
  });
})();
