"""Pick an element on the host page and get a CSS selector a product can keep matching.

An anchor selector outlives many releases of the product, so the picker
prefers what developers keep stable on purpose — an id that does not look
generated, then test/analytics ``data-*`` hooks — and only then short
``tag.class`` forms, anchored to the nearest stable ancestor. A positional
``:nth-of-type`` is added at a level only where siblings would otherwise be
ambiguous, never as a whole chain when something stable exists. Whatever it
returns matches exactly one element (``querySelectorAll(sel).length === 1``)
at the moment of the pick.

The JavaScript runs in the preview's isolated world with the runtime (see
``preview_page.injected_script``), so it works on any page loaded in the
preview without the page's cooperation. ``ElementPicker`` is the Qt side: it
switches pick mode on a surface and relays the result.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from guidestudio.core.model import Guide

PICKER_JS = r"""
(function () {
  'use strict';
  if (window.__gsPicker) return;
  var D = document;
  var PREFERRED = ['data-testid', 'data-test', 'data-qa', 'data-gs-anchor', 'data-cy',
                   'data-test-id'];
  var STATE = new RegExp('^(is-|has-)|^(active|hover|focus|focused|selected|open|opened|' +
                         'disabled|visible|hidden|show|collapsed|expanded|current)$');
  var TOOLING = new RegExp('^(ember|react-|radix-|headlessui-|mui-|yui_|ext-gen|j_id|css-|' +
                           'sc-|jsx-|svelte-|emotion-|ng-|gs-)', 'i');
  // Does a value look machine-made (it would change with the next build or render)?
  function generated(v) {
    if (!v || v.length > 60 || /^[\d-]|[:\s]/.test(v) || TOOLING.test(v)) return true;
    return v.split(/[-_.]/).some(function (t) {
      return /^\d{3,}$/.test(t) || (t.length >= 5 && /\d/.test(t) && /[a-z]/i.test(t));
    });
  }
  var q = function (v) {
    return '"' + String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  };
  function unique(sel, el) {
    try {
      var m = D.querySelectorAll(sel);
      return m.length === 1 && m[0] === el;
    } catch (e) {
      return false; // not a valid selector
    }
  }
  var tag = function (el) { return el.tagName.toLowerCase(); };
  function classes(el) {
    return [].filter.call(el.classList, function (c) {
      return !STATE.test(c) && !generated(c);
    }).slice(0, 3);
  }
  // Selectors from the element's own stable hooks: id, then data-* (test hooks first).
  function hooks(el) {
    var out = [];
    if (el.id && !generated(el.id)) out.push('#' + CSS.escape(el.id));
    PREFERRED.forEach(function (n) {
      if (el.hasAttribute(n)) out.push('[' + n + '=' + q(el.getAttribute(n)) + ']');
    });
    [].forEach.call(el.attributes, function (a) {
      var n = a.name, v = a.value;
      if (n.indexOf('data-') !== 0 || PREFERRED.indexOf(n) >= 0 || /^data-gs-/.test(n) ||
          generated(n.slice(5))) return;
      if (!v) out.push('[' + n + ']');
      else if (v.length <= 40 && !generated(v)) out.push('[' + n + '=' + q(v) + ']');
    });
    return out;
  }
  // Short forms that need no hook: tag[name], tag[aria-label], tag.class(es), the tag.
  function plain(el) {
    var t = tag(el), out = [], cs = classes(el);
    ['name', 'aria-label'].forEach(function (n) {
      var v = el.getAttribute(n);
      if (v && v.length <= 40 && !generated(v)) out.push(t + '[' + n + '=' + q(v) + ']');
    });
    cs.forEach(function (c) { out.push(t + '.' + CSS.escape(c)); });
    if (cs.length > 1) out.push(t + cs.map(function (c) { return '.' + CSS.escape(c); }).join(''));
    out.push(t);
    return out;
  }
  function first(list, el, prefix) {
    for (var i = 0; i < list.length; i++) if (unique(prefix + list[i], el)) return prefix + list[i];
    return '';
  }
  // The nearest ancestors that have a unique hook of their own.
  function stableAncestors(el, max) {
    var out = [];
    for (var a = el.parentElement; a && a !== D.documentElement && out.length < max;
         a = a.parentElement) {
      var h = first(hooks(a), a, '');
      if (h) out.push({el: a, sel: h});
    }
    return out;
  }
  // One level of a structural path: tag(.class), positional only if a sibling looks the same.
  function level(el) {
    var cs = classes(el), p = el.parentElement;
    var s = tag(el) + (cs[0] ? '.' + CSS.escape(cs[0]) : '');
    if (!p) return s;
    var same = [].filter.call(p.children, function (c) { return c.matches(s); });
    if (same.length < 2) return s;
    var n = 1;
    for (var c = el.previousElementSibling; c; c = c.previousElementSibling) {
      if (c.tagName === el.tagName) n++;
    }
    return s + ':nth-of-type(' + n + ')';
  }
  function structural(el) {
    var parts = [], stop = stableAncestors(el, 1)[0];
    for (var c = el; c && c !== D.documentElement; c = c.parentElement) {
      if (stop && c === stop.el) { parts.unshift(stop.sel); break; }
      parts.unshift(level(c));
      var sel = parts.join(' > ');
      if (unique(sel, el)) return sel;
    }
    return parts.join(' > ');
  }
  function selectorFor(el) {
    if (!el || el.nodeType !== 1) return '';
    var s = first(hooks(el), el, '') || first(plain(el), el, '');
    if (s) return s;
    var anc = stableAncestors(el, 4);
    var own = hooks(el).concat(plain(el));
    for (var i = 0; i < anc.length && !s; i++) s = first(own, el, anc[i].sel + ' ');
    s = s || structural(el);
    return unique(s, el) ? s : '';
  }

  var box = null, label = null, hovered = null, on = false;
  var EVENTS = ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick',
                'auxclick', 'contextmenu'];
  function block(e) { e.preventDefault(); e.stopPropagation(); e.stopImmediatePropagation(); }
  function outline(el) {
    if (!box) {
      box = D.createElement('div');
      box.setAttribute('data-gs-picker', '');
      box.style.cssText = 'position:fixed;pointer-events:none;z-index:2147483647;' +
        'box-sizing:border-box;border:2px solid #c026d3;background:rgba(192,38,211,.12);' +
        'border-radius:3px';
      label = D.createElement('div');
      label.style.cssText = 'position:absolute;left:-2px;bottom:100%;margin-bottom:2px;' +
        'padding:1px 6px;font:12px/1.5 monospace;color:#fff;background:#c026d3;' +
        'border-radius:3px;white-space:nowrap';
      box.appendChild(label);
    }
    if (!box.isConnected) D.documentElement.appendChild(box);
    var r = el.getBoundingClientRect();
    Object.assign(box.style, {left: r.left + 'px', top: r.top + 'px', width: r.width + 'px',
                              height: r.height + 'px'});
    label.textContent = selectorFor(el) || tag(el);
  }
  function onMove(e) {
    var el = e.target;
    if (el && el.nodeType === 1 && el !== hovered) { hovered = el; outline(el); }
  }
  function onClick(e) {
    block(e);
    if (e.type !== 'click') return;
    var sel = selectorFor(e.target);
    P.stop();
    P.onPick(sel);
  }
  function onKey(e) {
    if (e.key !== 'Escape') return;
    block(e);
    P.stop();
    P.onPick('');
  }
  // How stable a kind of selector is, in the order selectorFor tries them: 0 an id, 1 a test
  // hook, 2 another data-* hook, 3 tag[name|aria-label], 4 tag.class, 5 the bare tag.
  function rank(sel, own) {
    if (own) return sel.charAt(0) === '#' ? 0 : PREFERRED.some(function (n) {
      return sel.indexOf('[' + n + '=') === 0;
    }) ? 1 : 2;
    return sel.indexOf('[') >= 0 ? 3 : sel.indexOf('.') >= 0 ? 4 : 5;
  }
  // Every unique selector the rules above make for the page's rendered elements, with its
  // rank: what "did you mean" chooses from when an anchor is not on the page.
  function candidates(max) {
    var out = [], seen = {}, all = D.body ? D.body.getElementsByTagName('*') : [];
    function add(sel, r, el) {
      if (!seen[sel] && unique(sel, el)) { seen[sel] = 1; out.push([sel, r]); }
    }
    for (var i = 0; i < all.length && out.length < max; i++) {
      var el = all[i];
      if (el.closest('.gs-root,[data-gs-picker]') || !el.getClientRects().length) continue;
      hooks(el).forEach(function (s) { add(s, rank(s, true), el); });
      plain(el).forEach(function (s) { add(s, rank(s, false), el); });
    }
    return out;
  }

  var P = window.__gsPicker = {
    onPick: function () {},
    selectorFor: selectorFor,
    candidates: candidates,
    active: function () { return on; },
    start: function () {
      if (on) return;
      on = true;
      D.documentElement.setAttribute('data-gs-picking', '');
      var st = D.createElement('style');
      st.setAttribute('data-gs-picker', '');
      // Guides fade out of the way; their own inline pointer-events must not catch clicks.
      st.textContent = '[data-gs-picking] .gs-root{opacity:.35}' +
        '[data-gs-picking] .gs-root, [data-gs-picking] .gs-root *' +
        '{pointer-events:none!important}[data-gs-picking] *{cursor:crosshair!important}';
      D.documentElement.appendChild(st);
      window.addEventListener('mousemove', onMove, true);
      EVENTS.forEach(function (t) { window.addEventListener(t, onClick, true); });
      window.addEventListener('keydown', onKey, true);
    },
    stop: function () {
      if (!on) return;
      on = false;
      hovered = null;
      D.documentElement.removeAttribute('data-gs-picking');
      [].forEach.call(D.querySelectorAll('[data-gs-picker]'), function (n) { n.remove(); });
      window.removeEventListener('mousemove', onMove, true);
      EVENTS.forEach(function (t) { window.removeEventListener(t, onClick, true); });
      window.removeEventListener('keydown', onKey, true);
    }
  };
})();
"""


def anchor_path(guide: Guide, variant: int, step: int) -> tuple[Any, ...]:
    """Where a picked selector goes: the anchor of that step (clamped to the variant's steps)."""
    steps = guide.variants[variant].steps
    step = min(max(step, 0), max(len(steps) - 1, 0))
    return ("guides", guide.id, "variants", variant, "steps", step, "anchor", "selector")


class ElementPicker(QObject):
    """Pick mode for one preview surface: ``start()``, then ``selectorPicked`` or ``cancelled``.

    The surface (``preview_surface.PreviewSurface``) runs the JavaScript and
    replays pick mode after the page loads again; this object only keeps the
    state and turns the page's answer into signals.
    """

    selectorPicked = Signal(str)
    cancelled = Signal()
    activeChanged = Signal(bool)

    def __init__(self, surface, parent: QObject | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._surface = surface
        self._active = False
        surface.bridge.selectorPicked.connect(self._picked)

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        self._set_active(True)

    def stop(self) -> None:
        self._set_active(False)

    def _set_active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        self._surface.set_picking(on)
        self.activeChanged.emit(on)

    def _picked(self, selector: str) -> None:
        if not self._active:
            return
        self._active = False
        self._surface.set_picking(False)
        self.activeChanged.emit(False)
        if selector:
            self.selectorPicked.emit(selector)
        else:
            self.cancelled.emit()
