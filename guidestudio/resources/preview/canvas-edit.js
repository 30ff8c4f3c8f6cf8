/* Guide Studio preview: edit a guide's texts where they are shown (editor-only; never shipped).
 *
 * A click on a title, body, button label, checklist item or survey question makes that element
 * of the product's own rendering editable (contenteditable). Every change is serialised back
 * to Markdown (canvas-markdown.js) and sent to Python, which writes it to the document like a
 * form edit (one undo step per burst of typing); the runtime then re-renders the step from the
 * recompiled guide. The re-rendered element replaces the one being typed in — caret restored —
 * once Python has applied everything typed so far (`edit.ack`); until then the element being
 * typed in is kept, so a keystroke is never undone by an older rendering. Placeholders become
 * chips (contenteditable=false) that carry their source `{{name|fallback}}`; a small bar offers
 * bold, italic, link and a placeholder. Everything added here (attributes, the bar, styles)
 * lives in the preview page's DOM only: what reaches the document is Markdown text.
 */
(function () {
  'use strict';
  if (window.__gsEdit) return;
  var D = document, M = window.__gsMarkdown;
  var bridge = null, meta = null, editing = null, seq = 0, snap = null, ui = null;
  var SAFE_URL = /^(https?:|mailto:|[^:]*$)/i;

  // Every message says which guide, variant and language it is about: one that arrives after
  // the canvas moved on to another is not applied to what is shown now.
  var send = function (type, data) {
    var about = meta ? {guide: meta.guide, variant: meta.variant, locale: meta.locale} : {};
    if (bridge) bridge.canvas(JSON.stringify(Object.assign({type: type}, about, data || {})));
  };

  // --- which element is which field -----------------------------------------------------

  function selectorFor(key) {
    var m;
    if (key === 'title') return '.gs-title';
    if (key === 'body') return '.gs-body';
    if (key === 'survey.question') return '.gs-question';
    if ((m = /^button\.(\d+)$/.exec(key))) return '.gs-btn[data-gs-action="' + m[1] + '"]';
    if ((m = /^item\.(.+)\.(label|description)$/.exec(key))) {
      return '[data-gs-item="' + CSS.escape(m[1]) + '"] .gs-item-' +
        (m[2] === 'label' ? 'label' : 'desc');
    }
    return null;
  }
  function stepElement() {
    return meta && meta.guide ? D.querySelector('.gs-root .gs-step[data-gs-guide="' +
                                                CSS.escape(meta.guide) + '"]') : null;
  }
  function fieldsOf(stepId) {
    var step = meta && meta.steps && meta.steps[stepId];
    return step ? step.fields : {};
  }
  function markFields() {
    var stepEl = stepElement();
    D.documentElement.toggleAttribute('data-gs-edit-on', !!(meta && meta.enabled && stepEl));
    if (!stepEl || !meta.enabled) return;
    var fields = fieldsOf(stepEl.dataset.gsStep);
    Object.keys(fields).forEach(function (key) {
      var sel = selectorFor(key), el = sel && stepEl.querySelector(sel);
      if (el) el.setAttribute('data-gs-field', key);
    });
  }

  // --- caret positions that survive a re-render: counted in characters ------------------
  // A chip or a <br> is one unit, and so is the start of every block after the first.

  function leaves(node, out) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) out.push({node: c, len: c.data.length});
      else if (c.nodeType !== 1) continue;
      else if (M.isChip(c) || c.tagName === 'BR') out.push({node: c, len: 1, atom: true});
      else {
        if (M.isBlock(c) && out.length) out.push({len: 1, sep: true});
        leaves(c, out);
      }
    }
    return out;
  }
  function unitsBefore(el, node, offset) {
    var r = D.createRange();
    r.setStart(el, 0);
    try { r.setEnd(node, offset); } catch (e) { return 0; }
    var box = D.createElement('div');
    box.appendChild(r.cloneContents());
    return leaves(box, []).reduce(function (n, leaf) { return n + leaf.len; }, 0);
  }
  function pointAt(el, units) {
    var list = leaves(el, []);
    for (var i = 0; i < list.length; i++) {
      var leaf = list[i];
      if (leaf.sep) { units -= 1; continue; }
      if (!leaf.atom && units <= leaf.len) return {node: leaf.node, offset: Math.max(units, 0)};
      if (leaf.atom && units <= 0) {
        return {node: leaf.node.parentNode, offset: [].indexOf.call(leaf.node.parentNode.childNodes, leaf.node)};
      }
      units -= leaf.len;
    }
    return {node: el, offset: el.childNodes.length};
  }
  function rangeAt(el, caret) {
    var a = pointAt(el, caret.anchor), f = pointAt(el, caret.focus), r = D.createRange();
    r.setStart(a.node, a.offset);
    r.setEnd(f.node, f.offset);
    return r;
  }
  var barFocused = function () { return !!ui && D.activeElement === ui.host; };
  function saveCaret(el) {
    var s = D.getSelection();
    if (!s.rangeCount || !el.contains(s.anchorNode)) return null;
    return {anchor: unitsBefore(el, s.anchorNode, s.anchorOffset),
            focus: unitsBefore(el, s.focusNode, s.focusOffset),
            raw: [s.anchorNode, s.anchorOffset, s.focusNode, s.focusOffset]};
  }
  function restoreCaret(el, caret, raw) {
    var s = D.getSelection();
    if (raw && caret && caret.raw && el.contains(caret.raw[0]) && el.contains(caret.raw[2])) {
      s.setBaseAndExtent(caret.raw[0], caret.raw[1], caret.raw[2], caret.raw[3]);
      return;
    }
    var a = pointAt(el, caret ? caret.anchor : Infinity), f = pointAt(el, caret ? caret.focus : Infinity);
    s.setBaseAndExtent(a.node, a.offset, f.node, f.offset);
  }

  // --- an editing session ---------------------------------------------------------------

  function decorate(el, info) {
    if (info.block) strip(el);
    var tokens = info.tokens || [];
    [].forEach.call(el.querySelectorAll('[data-gs-attr]'), function (chip, i) {
      if (tokens[i]) chip.setAttribute('data-gs-src', tokens[i]);
      chip.setAttribute('data-gs-chip', '');
      chip.setAttribute('contenteditable', 'false');
      chip.title = 'Personalized: ' + (chip.getAttribute('data-gs-src') || chip.dataset.gsAttr);
    });
    el.setAttribute('contenteditable', 'true');
    el.spellcheck = true;
  }
  // The renderer's newlines between blocks would show as empty lines while white-space is kept.
  function strip(el) {
    [].slice.call(el.childNodes).forEach(function (n) {
      if (n.nodeType === 3 && !n.data.trim() &&
          (M.isBlock(n.previousSibling || {}) || M.isBlock(n.nextSibling || {}))) n.remove();
      else if (n.nodeType === 1 && /^(UL|OL|LI|BLOCKQUOTE)$/.test(n.tagName)) strip(n);
    });
  }
  function undecorate(el) {
    el.removeAttribute('contenteditable');
    el.removeAttribute('spellcheck');
    [].forEach.call(el.querySelectorAll('[data-gs-chip]'), function (chip) {
      chip.removeAttribute('contenteditable');
      chip.removeAttribute('data-gs-chip');
      chip.removeAttribute('title');
    });
  }
  var serialize = function (el, info) {
    return M.serialize(el, {block: info.block, links: info.links});
  };

  function begin(el, key, caretAtEnd) {
    if (editing && editing.el === el) return;
    end();
    var stepEl = el.closest('[data-gs-step]'), info = stepEl && fieldsOf(stepEl.dataset.gsStep)[key];
    if (!info) return;
    D.execCommand('defaultParagraphSeparator', false, 'p');
    D.execCommand('styleWithCSS', false, false);
    editing = {key: key, step: stepEl.dataset.gsStep, el: el, info: info, lastSent: info.md,
               seq: 0, original: el.innerHTML, held: null, composing: false};
    decorate(el, info);
    var md = serialize(el, info);
    if (md !== info.md) { // the serialiser writes this text differently: may it be edited?
      editing.checking = true;
      send('check', {key: key, step: editing.step, md: md});
    }
    el.focus({preventScroll: true});
    if (caretAtEnd) restoreCaret(el, null);
    showBar();
    send('begin', {key: key, step: editing.step});
  }

  function end(restore) {
    var e = editing;
    if (!e) return;
    editing = null;
    if (restore) e.el.innerHTML = e.original;
    undecorate(e.el);
    if (D.activeElement === e.el) e.el.blur();
    hideBar();
    send('end', {key: e.key, step: e.step});
  }

  function changed() {
    var e = editing;
    if (!e || e.composing) return;
    var md = serialize(e.el, e.info);
    if (md === e.lastSent && !e.held) return;
    e.lastSent = md;
    if (e.checking) { e.held = md; return; }
    e.held = null;
    e.seq = ++seq;
    send('edit', {key: e.key, step: e.step, md: md, seq: e.seq});
    if (window.__gsEdit.watch) { // the benchmark: when the typed character is on screen
      var typed = e.seq;
      requestAnimationFrame(function () { if (bridge) bridge.notify('canvas-typed:' + typed); });
    }
    updateBar();
  }

  // --- the runtime re-renders: keep typing where it was --------------------------------

  function childPath(root, node) {
    var path = [];
    for (var n = node; n && n !== root; n = n.parentNode) {
      path.unshift([].indexOf.call(n.parentNode.childNodes, n));
    }
    return n === root ? path : null;
  }
  function follow(root, path) {
    var n = root;
    for (var i = 0; n && i < path.length; i++) n = n.childNodes[path[i]];
    return n || null;
  }

  function beforeRender(fresh) {
    if (fresh) { end(); return; }
    if (!editing || snap) return;
    var stepEl = editing.el.closest('[data-gs-step]');
    var range = barFocused() && ui.range;
    snap = {caret: saveCaret(editing.el),
            barRange: range && editing.el.contains(range.startContainer) ? {
              anchor: unitsBefore(editing.el, range.startContainer, range.startOffset),
              focus: unitsBefore(editing.el, range.endContainer, range.endOffset)} : null,
            where: stepEl && childPath(stepEl, editing.el.parentNode),
            index: [].indexOf.call(editing.el.parentNode.childNodes, editing.el)};
  }

  function afterRender() {
    var s = snap, e = editing;
    snap = null;
    markFields();
    if (!e) return;
    var stepEl = stepElement();
    if (!stepEl || stepEl.dataset.gsStep !== e.step) { end(); return; }
    var sel = selectorFor(e.key), fresh = stepEl.querySelector(sel);
    if (fresh === e.el) return; // this element was not re-rendered
    var info = fieldsOf(e.step)[e.key], applied = (meta.ack || 0) >= e.seq;
    if (fresh && info) decorate(fresh, info);
    // Take the product's rendering when it says what is being typed (it may not: a space at
    // the end of a paragraph is not rendered until a word follows it), or when the text was
    // changed elsewhere (Undo, the inspector): `mine` says whether the document still holds
    // what this canvas wrote last.
    var take = !!fresh && !!info && applied && !e.composing && !e.checking &&
      (!info.mine || serialize(fresh, info) === e.lastSent);
    if (take) {
      e.el = fresh;
      e.info = info;
      e.lastSent = serialize(fresh, info);
      if (barFocused()) { // typing a link or a fallback in the bar: keep it, and its target
        if (s && s.barRange) ui.range = rangeAt(fresh, s.barRange);
      } else {
        fresh.focus({preventScroll: true});
        if (s) restoreCaret(fresh, s.caret);
      }
      e.adopted = e.seq;
      if (window.__gsEdit.watch) notifyPainted(e.seq);
    } else { // older than what is typed (or emptied): keep the element being typed in
      if (fresh) fresh.replaceWith(e.el);
      else {
        var parent = s && s.where && follow(stepEl, s.where);
        if (!parent) { end(); return; }
        parent.insertBefore(e.el, parent.childNodes[s.index] || null);
      }
      if (info && applied) e.info = info;
      if (!barFocused()) {
        e.el.focus({preventScroll: true});
        if (s) restoreCaret(e.el, s.caret, true);
      }
    }
    if (applied) e.rendered = e.seq;
    laterPositionBar(); // measuring now would lay the page out a second time
  }
  function notifyPainted(n) { // the benchmark: the re-rendered text is in the page, then painted
    if (bridge) bridge.notify('canvas-edit:' + n);
    requestAnimationFrame(function () { if (bridge) bridge.notify('canvas-painted:' + n); });
  }

  // --- formatting -----------------------------------------------------------------------

  // A title or a button is bold by its style: **…** would change nothing people can see (and
  // the browser would "unbold" it with a style the Markdown cannot say).
  var boldByStyle = function (el) { return +getComputedStyle(el).fontWeight >= 600; };
  function format(what) {
    if (!editing) return;
    if (what === 'bold' && boldByStyle(editing.el)) note('This text is bold already.');
    else if (what === 'bold' || what === 'italic') D.execCommand(what);
    updateBar();
  }
  // Home/End: Chrome stops at a chip (contenteditable=false) as if it ended the line.
  function homeEnd(e) {
    var s = D.getSelection(), at = s.focusNode;
    var box = editing.info.block && at ? (at.nodeType === 1 ? at : at.parentElement)
      .closest('p,li,h1,h2,h3,h4,h5,h6,blockquote,pre') : null;
    if (!box || !editing.el.contains(box)) box = editing.el;
    var r = D.createRange();
    r.selectNodeContents(box);
    r.collapse(e.key === 'Home');
    if (e.shiftKey) s.extend(r.startContainer, r.startOffset);
    else s.collapse(r.startContainer, r.startOffset);
  }
  function setLink(url, range) {
    if (!editing || !editing.info.links) return false;
    url = (url || '').trim();
    if (!url || !SAFE_URL.test(url.replace(/\s/g, ''))) {
      note('Links go to web addresses (https://…), email (mailto:…) or a page of the product (/…).');
      return false;
    }
    focusWith(range);
    var s = D.getSelection();
    if (s.isCollapsed && !closestLink()) {
      var a = D.createElement('a');
      a.href = url;
      a.textContent = url;
      D.execCommand('insertHTML', false, a.outerHTML);
    } else {
      D.execCommand('createLink', false, url);
    }
    changed();
    return true;
  }
  function removeLink(range) {
    if (!editing) return;
    focusWith(range);
    var a = closestLink();
    if (a && D.getSelection().isCollapsed) D.getSelection().selectAllChildren(a);
    D.execCommand('unlink');
    changed();
  }
  function insertPlaceholder(attr, fallback, range) {
    if (!editing || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(attr || '')) return;
    focusWith(range);
    fallback = (fallback || '').replace(/[{}|\n]/g, '').trim();
    var chip = D.createElement('span'), known = (meta.attrs || []).filter(function (a) {
      return a.key === attr;
    })[0];
    chip.setAttribute('data-gs-attr', attr);
    chip.setAttribute('data-gs-src', '{{' + attr + (fallback ? '|' + fallback : '') + '}}');
    chip.textContent = known && known.value != null && known.value !== '' ? known.value
      : fallback || attr;
    chip.setAttribute('data-gs-chip', '');
    chip.setAttribute('contenteditable', 'false');
    chip.title = 'Personalized: ' + chip.getAttribute('data-gs-src');
    var s = D.getSelection(), r = s.rangeCount ? s.getRangeAt(0) : null;
    if (!r || !editing.el.contains(r.startContainer)) {
      r = D.createRange();
      r.selectNodeContents(editing.el);
      r.collapse(false);
    }
    r.deleteContents();
    r.insertNode(chip);
    r.setStartAfter(chip);
    r.collapse(true);
    s.removeAllRanges();
    s.addRange(r);
    changed();
  }
  function closestLink() {
    var s = D.getSelection(), n = s.anchorNode;
    n = n && (n.nodeType === 1 ? n : n.parentElement);
    var a = n && n.closest('a');
    return a && editing && editing.el.contains(a) ? a : null;
  }
  function focusWith(range) {
    editing.el.focus({preventScroll: true});
    if (range && editing.el.contains(range.startContainer)) {
      var s = D.getSelection();
      s.removeAllRanges();
      s.addRange(range);
    }
  }

  // --- the floating bar -----------------------------------------------------------------

  var BAR_CSS = ':host{all:initial}' +
    '.bar{display:flex;flex-wrap:wrap;gap:4px;align-items:center;padding:4px;border-radius:8px;' +
    'background:#111827;color:#f9fafb;font:13px/1.3 system-ui,sans-serif;' +
    'box-shadow:0 4px 16px rgba(0,0,0,.25);max-width:420px}' +
    'button{font:inherit;color:inherit;background:transparent;border:0;border-radius:5px;' +
    'padding:4px 8px;cursor:pointer}button:hover{background:#374151}' +
    'button[aria-pressed=true]{background:#2563eb}' +
    '.row{display:flex;gap:4px;align-items:center;width:100%}.row[hidden],[hidden]{display:none}' +
    'input,select{font:inherit;padding:3px 6px;border-radius:4px;border:1px solid #4b5563;' +
    'background:#1f2937;color:#f9fafb;min-width:0;flex:1}' +
    '.note{flex-basis:100%;color:#fcd34d;padding:2px 4px}.note:empty{display:none}';
  var BAR_HTML = '<div class="bar" role="toolbar" aria-label="Text formatting">' +
    '<button data-cmd="bold" title="Bold (Ctrl+B)"><b>B</b></button>' +
    '<button data-cmd="italic" title="Italic (Ctrl+I)"><i>I</i></button>' +
    '<button data-cmd="link" title="Link (Ctrl+K)">Link</button>' +
    '<button data-cmd="placeholder" title="Insert a value from the user\'s profile, such as ' +
    'their first name, with a fallback">Personalize</button>' +
    '<div class="row" data-row="link" hidden><input data-in="url" placeholder="https://…" ' +
    'aria-label="Link address"><button data-cmd="apply-link">Apply</button>' +
    '<button data-cmd="remove-link">Remove link</button></div>' +
    '<div class="row" data-row="placeholder" hidden><select data-in="attr" ' +
    'aria-label="Profile value"></select><input data-in="fallback" aria-label="If unknown, show"' +
    ' placeholder="If unknown, show…"><button data-cmd="apply-placeholder">Insert</button></div>' +
    '<div class="note" role="status"></div></div>';

  function makeBar() {
    var host = D.createElement('div');
    host.setAttribute('data-gs-editor', 'bar');
    host.style.cssText = 'position:fixed;z-index:2147483647;left:0;top:0;display:none';
    var root = host.attachShadow({mode: 'open'});
    root.innerHTML = '<style>' + BAR_CSS + '</style>' + BAR_HTML;
    var $ = function (s) { return root.querySelector(s); };
    ui = {host: host, root: root, $: $, range: null};
    root.addEventListener('mousedown', function (e) {
      if (e.target.closest('button')) e.preventDefault(); // keep the text's selection
    });
    root.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (b) command(b.dataset.cmd);
    });
    return ui;
  }
  // Keys typed in the bar (a link's address, a fallback): Enter applies, Escape goes back to the
  // text; none reaches the runtime (a dialog's focus trap would take Tab back into the guide).
  function barKey(e) {
    if (e.key === 'Enter') {
      e.preventDefault();
      command(ui.$('[data-row=link]').hidden ? 'apply-placeholder' : 'apply-link');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      closeRows();
      if (editing) focusWith(ui.range);
    }
  }
  function command(cmd) {
    if (!editing) return;
    var $ = ui.$;
    if (cmd === 'bold' || cmd === 'italic') format(cmd);
    else if (cmd === 'link') openRow('link');
    else if (cmd === 'placeholder') openRow('placeholder');
    else if (cmd === 'apply-link') { if (setLink($('[data-in=url]').value, ui.range)) closeRows(); }
    else if (cmd === 'remove-link') { removeLink(ui.range); closeRows(); }
    else if (cmd === 'apply-placeholder') {
      insertPlaceholder($('[data-in=attr]').value, $('[data-in=fallback]').value, ui.range);
      closeRows();
    }
  }
  function openRow(which) {
    var $ = ui.$, s = D.getSelection();
    ui.range = s.rangeCount && editing.el.contains(s.anchorNode) ? s.getRangeAt(0).cloneRange() : null;
    closeRows();
    $('[data-row=' + which + ']').hidden = false;
    if (which === 'link') {
      var a = closestLink();
      $('[data-in=url]').value = a ? a.getAttribute('href') : '';
      $('[data-cmd=remove-link]').hidden = !a;
      $('[data-in=url]').focus();
    } else {
      var select = $('[data-in=attr]');
      select.textContent = '';
      (meta.attrs || []).forEach(function (a) {
        var o = D.createElement('option');
        o.value = a.key;
        o.textContent = a.label && a.label !== a.key ? a.label + ' (' + a.key + ')' : a.key;
        select.appendChild(o);
      });
      select.focus();
    }
    positionBar();
  }
  function closeRows() {
    [].forEach.call(ui.root.querySelectorAll('.row'), function (r) { r.hidden = true; });
    positionBar();
  }
  function note(text) { if (ui) ui.$('.note').textContent = text || ''; positionBar(); }
  function showBar() {
    if (!ui) makeBar();
    if (!ui.host.isConnected) D.documentElement.appendChild(ui.host);
    closeRows();
    var info = editing.info;
    ui.$('[data-cmd=link]').hidden = !info.links;
    ui.$('[data-cmd=bold]').hidden = boldByStyle(editing.el);
    note(info.fallback ? 'This text has no “' + meta.locale + '” version yet: what you type ' +
         'becomes it.' : '');
    ui.host.style.display = 'block';
    updateBar();
  }
  function hideBar() { if (ui) ui.host.style.display = 'none'; }
  function updateBar() {
    if (!ui || !editing) return;
    ui.$('[data-cmd=bold]').setAttribute('aria-pressed', D.queryCommandState('bold'));
    ui.$('[data-cmd=italic]').setAttribute('aria-pressed', D.queryCommandState('italic'));
    laterPositionBar();
  }
  var barFrame = 0;
  function laterPositionBar() {
    if (!barFrame) barFrame = requestAnimationFrame(function () { barFrame = 0; positionBar(); });
  }
  // Next to the text being edited, where it covers no other text of the guide: above it, below
  // it, above the guide, below the guide — the first place that is free and on the page.
  function positionBar() {
    if (!ui || !editing || !editing.el.isConnected) return;
    var r = editing.el.getBoundingClientRect(), h = ui.host.offsetHeight || 34, gap = 8;
    var w = ui.host.offsetWidth || 240, page = D.documentElement;
    var stepEl = editing.el.closest('.gs-step'), box = stepEl ? stepEl.getBoundingClientRect() : r;
    var left = Math.max(4, Math.min(r.left, page.clientWidth - w - 4));
    var others = [].filter.call(stepEl ? stepEl.querySelectorAll('[data-gs-field]') : [],
      function (f) { return f !== editing.el; }).map(function (f) { return f.getBoundingClientRect(); });
    var free = function (top) {
      return top >= 4 && top + h <= page.clientHeight - 4 && !others.some(function (o) {
        return o.left < left + w && o.right > left && o.top < top + h && o.bottom > top;
      });
    };
    var tops = [r.top - h - gap, r.bottom + gap, box.top - h - gap, box.bottom + gap];
    var top = tops.filter(free)[0];
    if (top === undefined) top = tops[0] >= 4 ? tops[0] : tops[1];
    ui.host.style.top = Math.round(top) + 'px';
    ui.host.style.left = Math.round(left) + 'px';
  }

  // --- input ----------------------------------------------------------------------------

  var inEditing = function (n) { return !!(editing && n && editing.el.contains(n)); };
  window.addEventListener('mousedown', function (e) {
    if (!meta || !meta.enabled || e.button !== 0 || !e.target.closest) return;
    var stepEl = e.target.closest('.gs-root [data-gs-step]');
    if (!stepEl) return;
    send('step', {step: stepEl.dataset.gsStep});
    var field = e.target.closest('[data-gs-field]');
    if (field && stepEl.contains(field)) begin(field, field.getAttribute('data-gs-field'));
  }, true);
  window.addEventListener('click', function (e) { // the text is edited, not followed or pressed
    var field = meta && meta.enabled && e.target.closest && e.target.closest('[data-gs-field]');
    if (field && field.closest('.gs-root')) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  window.addEventListener('keydown', function (e) {
    if (ui && e.target === ui.host) {
      e.stopPropagation();
      barKey(e);
      return;
    }
    if (!editing || !inEditing(e.target)) return;
    var mod = e.ctrlKey || e.metaKey, key = e.key.toLowerCase();
    e.stopPropagation(); // neither the runtime (Escape dismisses) nor the host page sees typing
    if (e.key === 'Escape' || (e.key === 'Enter' && !editing.info.block)) {
      e.preventDefault();
      end();
    } else if (mod && (key === 'z' || key === 'y')) {
      e.preventDefault();
      send('command', {name: key === 'y' || e.shiftKey ? 'redo' : 'undo'});
    } else if (mod && (key === 'b' || key === 'i')) {
      e.preventDefault();
      format(key === 'b' ? 'bold' : 'italic');
    } else if (mod && key === 'k') {
      e.preventDefault();
      if (editing.info.links) openRow('link');
    } else if (mod && key === 'u') {
      e.preventDefault();
    } else if (e.key === ' ' && !mod && editing.el.closest('button')) {
      e.preventDefault(); // a button takes a space as a press: type it ourselves
      D.execCommand('insertText', false, ' ');
    } else if ((e.key === 'Home' || e.key === 'End') && !mod && !e.altKey) {
      e.preventDefault();
      homeEnd(e);
    }
  }, true);
  // What typing may do; a drag within the text is refused whole (its drop would be lost).
  var ALLOWED = /^(insertText|insertReplacementText|insertCompositionText|insertParagraph|delete(?!ByDrag).*|formatBold|formatItalic|insertLink)$/;
  window.addEventListener('beforeinput', function (e) {
    if (!inEditing(e.target)) return;
    var t = e.inputType;
    if (t === 'historyUndo' || t === 'historyRedo') {
      e.preventDefault();
      send('command', {name: t === 'historyUndo' ? 'undo' : 'redo'});
    } else if (t === 'insertLineBreak' && editing.info.block) {
      e.preventDefault();
      D.execCommand('insertParagraph');
    } else if (t === 'insertParagraph' && !editing.info.block) {
      e.preventDefault();
    } else if (!ALLOWED.test(t) && t !== 'insertHTML') {
      e.preventDefault(); // pasted markup, underline, lists… are not part of guide text
    }
  }, true);
  window.addEventListener('paste', function (e) {
    if (!inEditing(e.target)) return;
    e.preventDefault();
    var text = (e.clipboardData && e.clipboardData.getData('text/plain')) || '';
    if (!editing.info.block) text = text.replace(/\s*\n\s*/g, ' ');
    D.execCommand('insertText', false, text);
  }, true);
  window.addEventListener('drop', function (e) { if (inEditing(e.target)) e.preventDefault(); }, true);
  D.addEventListener('input', function (e) { if (inEditing(e.target)) changed(); }, true);
  D.addEventListener('compositionstart', function (e) {
    if (inEditing(e.target)) editing.composing = true;
  }, true);
  D.addEventListener('compositionend', function (e) {
    if (!inEditing(e.target)) return;
    editing.composing = false;
    changed();
  }, true);
  D.addEventListener('selectionchange', function () { if (editing) updateBar(); });
  D.addEventListener('focusout', function (e) {
    if (!editing || e.target !== editing.el) return;
    setTimeout(function () {
      var active = D.activeElement;
      if (editing && active !== editing.el && !(ui && active === ui.host) && !inEditing(active)) end();
    }, 0);
  }, true);

  var css = D.createElement('style');
  css.setAttribute('data-gs-editor', 'style');
  css.textContent =
    'html[data-gs-edit-on] .gs-root [data-gs-field]{cursor:text}' +
    'html[data-gs-edit-on] .gs-root [data-gs-field]:hover{outline:1px dashed rgba(37,99,235,.85);' +
    'outline-offset:2px}' +
    '.gs-root [data-gs-field][contenteditable=true]{outline:2px solid #2563eb!important;' +
    'outline-offset:2px;white-space:pre-wrap;cursor:text;min-width:1ch;user-select:text}' +
    '.gs-root [data-gs-chip]{border-radius:4px;padding:0 2px;white-space:nowrap;' +
    'background:rgba(37,99,235,.14);box-shadow:inset 0 0 0 1px rgba(37,99,235,.5)}';
  D.documentElement.appendChild(css);

  window.__gsEdit = {
    watch: false,
    connect: function (b) { bridge = b; },
    configure: function (m) {
      meta = m || null;
      if (!meta || !meta.enabled) end();
      markFields();
    },
    beforeRender: function (m, fresh) { if (m) meta = m; beforeRender(fresh); },
    afterRender: function (m) { if (m) meta = m; afterRender(); },
    checked: function (ok, message) { // Python's verdict on a text serialised differently
      var e = editing;
      if (!e || !e.checking) return;
      e.checking = false;
      if (!ok) {
        end(true);
        note(message || '');
        return;
      }
      if (e.held !== null) { e.lastSent = null; changed(); }
    },
    notice: note,
    end: function () { end(); },
    // Tests and the benchmark: start editing a field with the caret at the end.
    begin: function (key) {
      var stepEl = stepElement(), sel = selectorFor(key), el = stepEl && sel && stepEl.querySelector(sel);
      if (!el) return false;
      begin(el, key, true);
      return !!editing;
    },
    format: format,
    link: function (url) { return setLink(url, null); },
    unlink: function () { removeLink(null); },
    placeholder: function (attr, fallback) { insertPlaceholder(attr, fallback, null); },
    select: function (from, to) { // a selection by character counts (tests)
      if (!editing) return;
      var a = pointAt(editing.el, from), f = pointAt(editing.el, to);
      D.getSelection().setBaseAndExtent(a.node, a.offset, f.node, f.offset);
    },
    state: function () {
      return editing ? {key: editing.key, step: editing.step, md: serialize(editing.el, editing.info),
                        checking: !!editing.checking, seq: editing.seq,
                        adopted: editing.adopted || 0, rendered: editing.rendered || 0} : null;
    },
    bar: function () { return ui; }
  };
})();
