/* Guide Studio preview: the page side of the preview's channel (editor-only; never shipped).
 * Runs in the preview's isolated world after qwebchannel.js, the runtime, the element picker
 * and the canvas editor (see widgets/preview/page.py). Python drives it with
 * window.__gsPreview.configure / show / update and hears back over the `previewBridge` object. */
(function () {
  'use strict';
  if (window.__gsPreview) return;
  var bridge = null, gs = null, cfg = {}, step = -1, lastBox = '', boxFrame = 0, sizes = null;
  var send = function (name, props) {
    if (bridge) bridge.event(name, JSON.stringify(props || {}));
  };
  function memory(seed) { // the runtime's storage: in memory, never the page's localStorage
    var m = Object.assign({}, seed || {}), has = Object.prototype.hasOwnProperty;
    return {getItem: function (k) { return has.call(m, k) ? m[k] : null; },
            setItem: function (k, v) { m[k] = String(v); },
            removeItem: function (k) { delete m[k]; }};
  }
  function onEvent(name, props) {
    if (name === 'step_shown' && props && props.guide_id === cfg.guide) step = props.step;
    send(name, props);
  }
  function stepElement() {
    return cfg.guide ? document.querySelector('.gs-root [data-gs-guide="' + CSS.escape(cfg.guide) +
                                              '"]') : null;
  }
  var present = function () { return !!stepElement(); };
  // Where the guide is (CSS pixels of the device viewport), so the canvas can zoom it readable
  // and scroll it into view: the step box, or a closed hotspot's beacon.
  function box() {
    var el = stepElement(), beacon = document.querySelector('.gs-root .gs-beacon');
    var r = el && !el.hidden && el.getClientRects().length ? el.getBoundingClientRect() : null;
    if (!r && beacon) r = beacon.getBoundingClientRect();
    if (!r) return null;
    return {x: Math.round(r.left), y: Math.round(r.top), w: Math.round(r.width),
            h: Math.round(r.height), step: step, beacon: !el || !!el.hidden};
  }
  function reportBox() {
    boxFrame = 0;
    var b = box(), text = b ? JSON.stringify(b) : '';
    if (text !== lastBox && bridge) { lastBox = text; bridge.guideBox(text); }
    if (sizes) sizes.disconnect();
    var el = stepElement();
    if (el && window.ResizeObserver) {
      sizes = new ResizeObserver(scheduleBox);
      sizes.observe(el);
    }
  }
  function scheduleBox() { if (!boxFrame) boxFrame = requestAnimationFrame(reportBox); }
  // A step that appears later (a tooltip waiting for its anchor) or a hotspot opened by its beacon.
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var t = records[i].target;
      if (t === document.body || (t.closest && t.closest('.gs-root'))) return scheduleBox();
    }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                         attributeFilter: ['hidden']});
  // Scrollbars would eat into a scaled-down device viewport (15 px at 25% zoom is 60 CSS px).
  var css = document.createElement('style');
  css.setAttribute('data-gs-preview', '');
  css.textContent = '::-webkit-scrollbar{width:0!important;height:0!important}';
  (document.head || document.documentElement).appendChild(css);
  var E = function () { return window.__gsEdit; };
  // Editing, a hotspot shows its step open (as after a click on its beacon): a dot on the page
  // says nothing about what the guide says.
  function openHotspot(edit) {
    var beacon = edit && edit.enabled && document.querySelector('.gs-root .gs-beacon');
    if (beacon && beacon.getAttribute('aria-expanded') === 'false') beacon.click();
  }
  function rendered(edit) { // after the runtime (re-)rendered: the canvas editor takes over again
    openHotspot(edit);
    if (E()) E().afterRender(edit);
    scheduleBox();
  }
  function showStep(i) {
    if (gs && cfg.guide && cfg.variant !== 'control') {
      gs.show(cfg.guide, {variant: cfg.variant, step: i, locale: cfg.locale});
    }
  }
  var P = window.__gsPreview = {
    configure: function (c) { // a fresh runtime: bundle, user, locale, history; then show
      cfg = c; step = -1;
      if (E()) E().beforeRender(c.edit, true);
      if (gs) gs.destroy();
      gs = null;
      if (c.bundle) {
        gs = GuideStudio.init({bundle: c.bundle, user: c.user, locale: c.locale,
                               storage: memory(c.storage), onEvent: onEvent});
        if (c.latest) gs.update(c.latest); // edits made since the bundle was built
        showStep(c.step || 0);
        // The product tracks events as they happen: the sample user's past ones tick items.
        (c.replay || []).forEach(function (name) { gs.track(name); });
      }
      rendered(c.edit);
      return step;
    },
    show: function (i) {
      if (!gs) return step;
      if (E()) E().beforeRender(cfg.edit, false);
      showStep(i);
      rendered(cfg.edit);
      return step;
    },
    update: function (x, edit) { // a compiled guide (or a whole bundle): re-render in place
      if (!gs) return step;
      if (edit) cfg.edit = edit;
      if (E()) E().beforeRender(cfg.edit, false);
      gs.update(x);
      if (!present()) showStep(Math.max(step, 0)); // closed in the preview: bring it back
      rendered(cfg.edit);
      return step;
    },
    edit: function (meta) { // what the canvas may edit changed (mode, locale), nothing to render
      cfg.edit = meta;
      openHotspot(meta);
      if (E()) E().configure(meta);
    },
    box: box,
    afterFrames: function (tag) { // two frames after now: what was rendered is painted
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { bridge.notify(tag); });
      });
    },
    pick: function (on) {
      if (on && E()) E().end();
      window.__gsPicker[on ? 'start' : 'stop']();
    },
    watchText: function (text, tag) { // tell Python once a guide on the page shows this text
      var has = function () {
        return [].some.call(document.querySelectorAll('.gs-root'), function (r) {
          return r.textContent.indexOf(text) >= 0;
        });
      };
      if (has()) { bridge.notify(tag); return; }
      var ob = new MutationObserver(function () {
        if (has()) { ob.disconnect(); bridge.notify(tag); }
      });
      ob.observe(document.documentElement, {childList: true, subtree: true, characterData: true});
    }
  };
  window.__gsPicker.onPick = function (selector) { if (bridge) bridge.picked(selector); };
  new QWebChannel(qt.webChannelTransport, function (channel) {
    bridge = channel.objects.previewBridge;
    if (E()) E().connect(bridge);
    bridge.ready(location.href);
  });
})();
