/* Guide Studio runtime — decides whether, when and where to show the guides of a
 * compiled bundle. Vanilla ES2019, no dependencies. Specs: docs/runtime.md,
 * docs/eligibility.md, docs/bundle-format.md, ../shared/targeting.md. */
(function (root, factory) {
  // Node require() gets module.exports; a classic <script> (or an ES module import, see
  // guide-runtime.mjs) gets the global GuideStudio.
  if (typeof module == 'object') module.exports = factory(root);
  else root.GuideStudio = factory(root);
})(typeof self < 'u' ? self : this, (W) => {
  const MIN = 6e4, HOUR = 36e5, DAY = 864e5, SESSION = 30 * MIN, MARGIN = 8;
  const isArr = Array.isArray, J = JSON.stringify, keys = Object.keys, put = Object.assign;
  const isObj = (v) => !!v && typeof v === 'object' && !isArr(v);
  const ymd = (t) => new Date(t).toISOString().slice(0, 10); // UTC date

  /* ---------- Targeting: GrowthBook SDK spec 0.8.0 (its semantics are JavaScript's) ---------- */

  const PATHS = new Map(); // each path split once: audiences read the same attributes again and again
  function getPath(o, path) {
    let p = PATHS.get(path);
    if (!p) PATHS.set(path, p = path.split('.'));
    for (const k of p) {
      if (o && typeof o === 'object' && k in o) o = o[k];
      else return null;
    }
    return o;
  }
  const isOpObj = (o) => { const k = keys(o); return k.length > 0 && k.every((x) => x[0] === '$'); };
  function evalCondition(attrs, cond, groups) {
    for (const k in cond) {
      const v = cond[k];
      if (k === '$or' ? !evalOr(attrs, v, groups)
        : k === '$nor' ? evalOr(attrs, v, groups)
        : k === '$and' ? !v.every((c) => evalCondition(attrs, c, groups))
        : k === '$not' ? evalCondition(attrs, v, groups)
        : !evalValue(v, getPath(attrs, k), groups)) return false;
    }
    return true;
  }
  const evalOr = (attrs, list, groups) => !list.length || list.some((c) => evalCondition(attrs, c, groups));
  // A literal or an operator object against one value; ci = case-insensitive (the …i operators).
  function evalValue(c, v, groups, ci) {
    if (typeof c === 'string') return ci ? String(v).toLowerCase() === c.toLowerCase() : v + '' === c;
    if (typeof c === 'number') return v * 1 === c;
    if (typeof c === 'boolean') return v !== null && !!v === c;
    if (c === null) return v === null;
    if (isArr(c) || !isOpObj(c)) return J(v) === J(c);
    for (const op in c) if (!(OPS[op] && OPS[op](v, c[op], groups))) return false; // unknown operators fail
    return true;
  }
  // Membership (strict types); an array attribute passes when it intersects.
  function isIn(a, list, ci) {
    const f = (x) => (ci && typeof x === 'string' ? x.toLowerCase() : x), has = (x) => list.some((e) => f(e) === f(x));
    return isArr(a) ? a.some(has) : has(a);
  }
  // Operators: (attribute value, expected, saved groups, case-insensitive). Every key starts with
  // '$', so no lookup can reach Object.prototype.
  const OPS = {
    $eq: (a, e) => a === e, $ne: (a, e) => a !== e,
    $lt: (a, e) => a < e, $lte: (a, e) => a <= e, $gt: (a, e) => a > e, $gte: (a, e) => a >= e,
    $exists: (a, e) => (e ? a != null : a == null),
    $in: (a, e, g, ci) => isArr(e) && isIn(a, e, ci),
    $nin: (a, e, g, ci) => isArr(e) && !isIn(a, e, ci),
    $inGroup: (a, e, g) => isIn(a, (g || {})[e] || []),
    $notInGroup: (a, e, g) => !isIn(a, (g || {})[e] || []),
    $not: (a, e, g) => !evalValue(e, a, g),
    $size: (a, e, g) => isArr(a) && evalValue(e, a.length, g),
    $elemMatch: (a, e, g) => isArr(a) && a.some((x) => x && (isOpObj(e) ? evalValue(e, x, g) : evalCondition(x, e, g))),
    $all: (a, e, g, ci) => isArr(e) && isArr(a) && e.every((c) => a.some((x) => evalValue(c, x, g, ci))),
    $regex: (a, e, g, ci) => { try { return typeof e === 'string' && new RegExp(e, ci ? 'i' : '').test(a); } catch (x) { return false; } },
    $type: (a, e) => (a === null ? 'null' : isArr(a) ? 'array' : typeof a) === e
  };
  // The case-insensitive twins ($ini …) and the version comparisons ($veq …), built once.
  for (const k of ['in', 'nin', 'all', 'regex']) OPS['$' + k + 'i'] = (a, e, g) => OPS['$' + k](a, e, g, 1);
  for (const k of keys(OPS).slice(0, 6)) OPS['$v' + k.slice(1)] = (a, e) => OPS[k](paddedVersionString(a), paddedVersionString(e)); // the first six: $eq … $gte
  function paddedVersionString(v) {
    if (typeof v === 'number') v += '';
    if (!v || typeof v !== 'string') v = '0';
    const p = v.replace(/(^v|\+.*$)/g, '').split(/[-.]/);
    if (p.length === 3) p.push('~'); // "1.0.0" sorts after "1.0.0-beta"
    return p.map((x) => (/^[0-9]+$/.test(x) ? x.padStart(5, ' ') : x)).join('-');
  }
  // FNV-1a 32-bit over UTF-16 code units.
  function fnv(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }
  const hash = (seed, value, version) => (version === 2 ? fnv(fnv(seed + value) + '') % 1e4 / 1e4
    : version === 1 ? fnv(value + seed) % 1e3 / 1e3 : null);
  const getEqualWeights = (n) => (n > 0 ? Array(n).fill(1 / n) : []);
  function getBucketRanges(n, coverage = 1, weights) {
    coverage = Math.min(Math.max(coverage, 0), 1);
    const sum = (weights || []).reduce((s, w) => s + w, 0);
    let c = 0;
    if (!weights || weights.length !== n || sum < 0.99 || sum > 1.01) weights = getEqualWeights(n); // missing or invalid
    return weights.map((w) => { const s = c; c += w; return [s, s + coverage * w]; });
  }
  const chooseVariation = (n, ranges) => ranges.findIndex((r) => n >= r[0] && n < r[1]);
  function inNamespace(hv, ns) {
    const n = hash('__' + ns[0], hv, 1);
    return n >= ns[1] && n < ns[2]; // (version 1 always hashes)
  }
  // "Why not shown?": the first failing clause, descending into $and (text for humans).
  function explain(attrs, cond) {
    const k = keys(cond).find((x) => !evalCondition(attrs, {[x]: cond[x]})), v = cond[k];
    return !k ? '' : k === '$and' ? explain(attrs, v.find((c) => !evalCondition(attrs, c))) : k + ' ' + J(v);
  }

  /* ---------- Bundle integrity: canonical JSON + synchronous SHA-256 ---------- */

  const canonical = (v) => (isArr(v) ? '[' + v.map(canonical).join(',') + ']'
    : isObj(v) ? '{' + keys(v).sort().map((k) => J(k) + ':' + canonical(v[k])).join(',') + '}'
    : J(v));
  const ror = (x, n) => x >>> n | x << 32 - n;
  // SHA-256's Σ/σ functions: three rotations, or two and a shift (c < 0).
  const sig = (x, a, b, c) => ror(x, a) ^ ror(x, b) ^ (c < 0 ? x >>> -c : ror(x, c));
  const frac = (x) => x % 1 * 2 ** 32 | 0;
  // One 64-byte block at byte i of M into the hash state H. A function of its own so that the engine
  // optimises it after a few blocks: as one long loop, a page's first check ran unoptimised (~4× slower).
  function block(H, M, i, K) {
    let [a, b, c, d, e, f, g, h] = H, j = 0, s, t, w = [];
    for (; j < 64; j++) {
      w[j] = j < 16 ? M.getInt32(i + j * 4) : sig(w[j - 15], 7, 18, -3) + w[j - 16] + sig(w[j - 2], 17, 19, -10) + w[j - 7] | 0;
      t = h + sig(e, 6, 11, 25) + (e & f ^ ~e & g) + K[j] + w[j] | 0;
      s = sig(a, 2, 13, 22) + (a & b ^ a & c ^ b & c) | 0;
      h = g; g = f; f = e; e = d + t | 0; d = c; c = b; b = a; a = t + s | 0;
    }
    return [a, b, c, d, e, f, g, h].map((x, k) => H[k] + x | 0);
  }
  // Compact SHA-256 (crypto.subtle is async and missing on file:// pages). The constants are the
  // fractional bits of the square/cube roots of the first primes: computed, not tabled.
  function sha256(str) {
    const e8 = new TextEncoder().encode(str), L = e8.length, n = L + 72 >> 6 << 6, u = new Uint8Array(n),
      M = new DataView(u.buffer), K = [];
    let H = [], p = 2, i = 0, j;
    for (; i < 64; p++) {
      for (j = 2; p % j; j++);
      if (j === p) { if (i < 8) H[i] = frac(p ** 0.5); K[i++] = frac(p ** (1 / 3)); }
    }
    u.set(e8);
    u[L] = 128; // the 1 bit, then the length in bits (its high word is 0 below 512 MB)
    M.setUint32(n - 4, L * 8);
    for (i = 0; i < n; i += 64) H = block(H, M, i, K);
    return H.map((h) => (h >>> 0).toString(16).padStart(8, 0)).join('');
  }

  // '' when the bundle is usable, else why not.
  function checkBundle(b) {
    if (!isObj(b) || b.format !== 'guidestudio-bundle' || b.format_version !== 1) return 'format';
    const {checksum, ...rest} = b;
    return checksum === 'sha256:' + sha256(canonical(rest)) ? '' : 'checksum';
  }

  /* ---------- URL globs ---------- */

  // '*' within a segment, '**' across ('/x/**' also matches '/x'), ':name' one non-empty segment.
  // Full http(s) patterns match the URL without query and fragment; others match its path.
  function matchUrl(pattern, url, base) {
    const u = new URL(url, base);
    return !pattern || new RegExp('^' + pattern.replace(/\/\*\*|\*\*?|:[A-Za-z_]\w*|[.+?^${}()|[\]\\]/g, (m) =>
      (m === '/**' ? '(?:/.*)?' : m === '**' ? '.*' : m === '*' ? '[^/]*' : m[0] === ':' ? '[^/]+' : '\\' + m)) + '$')
      .test(/^https?:/.test(pattern) ? u.origin + u.pathname : u.pathname);
  }

  // Does a trigger event {on, url, event?, hit?} fire this trigger (none: page_view)? A click brings
  // hit(selector): in the page, whether the clicked element is inside one matching selector.
  function fires(t, ev, base) {
    t = t || {on: 'page_view'};
    return t.on === ev.on && (t.on !== 'event' || t.event === ev.event) && matchUrl(t.url, ev.url, base) &&
      (t.on !== 'click' || ev.hit(t.selector));
  }
  // The eligible guides, best first: highest priority (missing: 0), then the id that sorts first.
  const pick = (guides, dec) => guides.filter((g) => dec(g).eligible)
    .sort((a, b) => (b.priority || 0) - (a.priority || 0) || (a.id < b.id ? -1 : 1));

  /* ---------- Placement maths (plain rects, viewport coordinates) ---------- */

  const SIDES = ['bottom', 'top', 'right', 'left']; // the order 'auto' tries; opposites pair up (i ^ 1)
  // a: anchor {top,left,width,height}; box: {width,height}; vp: {width,height}.
  // The wanted side, else its opposite (flip) when only that one has room; then clamp to the viewport.
  function place(a, box, vp, placement, off) {
    const bw = box.width, bh = box.height, room = { // spare space on each side (negative: no room)
      top: a.top - bh - off, bottom: vp.height - a.top - a.height - bh - off,
      left: a.left - bw - off, right: vp.width - a.left - a.width - bw - off
    };
    const i = SIDES.indexOf(placement), order = i < 0 ? SIDES : [placement, SIDES[i ^ 1]],
      side = order.find((s) => room[s] >= 0) || order[0];
    const cx = a.left + a.width / 2 - bw / 2, cy = a.top + a.height / 2 - bh / 2;
    const pos = side === 'top' ? [a.top - off - bh, cx] : side === 'bottom' ? [a.top + a.height + off, cx]
      : side === 'left' ? [cy, a.left - off - bw] : [cy, a.left + a.width + off];
    return {placement: side, top: clamp(pos[0], vp.height - bh), left: clamp(pos[1], vp.width - bw)};
  }
  const clamp = (v, max) => Math.max(MARGIN, Math.min(v, max - MARGIN));

  /* ---------- History (the storage value) and behaviour attributes ---------- */

  const freshHistory = () => ({v: 1, guides: {}, events: {}});
  // Stored text -> history. Corrupt or foreign data -> a fresh history; a newer version -> null
  // (ignored, and the runtime then leaves it alone rather than overwrite a newer runtime's data).
  function parseHistory(raw) {
    let h;
    try { h = JSON.parse(raw); } catch (e) { /* corrupt */ }
    if (!isObj(h) || h.v !== 1) return isObj(h) && h.v > 1 ? null : freshHistory();
    if (!isObj(h.guides)) h.guides = {};
    if (!isObj(h.events)) h.events = {};
    return h;
  }
  // Count one event on today's UTC date; keep 90 days and the 100 most recently seen names.
  function recordEvent(h, name, now) {
    const ev = h.events, today = ymd(now), cut = ymd(now - 89 * DAY), d = ev[name] = isObj(ev[name]) ? ev[name] : {};
    d[today] = (+d[today] || 0) + 1;
    for (const n in ev) {
      const days = isObj(ev[n]) ? ev[n] : {};
      for (const day in days) if (day < cut) delete days[day];
      if (!keys(days).length) delete ev[n];
    }
    const byAge = keys(ev).map((n) => (n === name ? '9999-99-99' : keys(ev[n]).sort().pop()) + n).sort(); // last day seen + name
    byAge.slice(0, -100).forEach((x) => delete ev[x.slice(10)]); // all but the 100 most recent
    return h;
  }
  // events.<name>.{count,last_7d,last_30d,days_since} for every kept name and every name the
  // condition mentions; dotted names nest (getPath splits on '.'); the product's own values win.
  function mentioned(c, out) { // the <name> of every events.<name>.<field> key, at any depth
    if (c && typeof c === 'object') for (const k in c) { const m = /^events\.(.+)\.(count|last_7d|last_30d|days_since)$/.exec(k); if (m) out.push(m[1]); mentioned(c[k], out); }
    return out;
  }
  function merge(base, over) {
    for (const k in over) if (k !== '__proto__') base[k] = isObj(over[k]) && isObj(base[k]) ? merge(base[k], over[k]) : over[k];
    return base;
  }
  function attributes(user, events, now, names) {
    const out = {}, today = Date.parse(ymd(now));
    events = events || {};
    for (const n of keys(events).concat(names || [])) {
      const a = {count: 0, last_7d: 0, last_30d: 0}, days = isObj(events[n]) ? events[n] : {};
      for (const d in days) {
        const c = +days[d] || 0, t = Date.parse(d), ago = (today - t) / DAY;
        if (!c || t !== t || ymd(t) !== d) continue; // only real YYYY-MM-DD dates count
        a.count += c;
        if (ago >= 0 && ago < 7) a.last_7d += c;
        if (ago >= 0 && ago < 30) a.last_30d += c;
        if (!(ago >= a.days_since)) a.days_since = ago; // the most recent day (absent when never seen)
      }
      merge(out, n.split('.').reduceRight((v, k) => ({[k]: v}), a)); // "a.b" -> {a: {b: …}}
    }
    return {...user, events: merge(out, (user || {}).events)};
  }

  /* ---------- Decisions (docs/eligibility.md, checks in its order) ---------- */

  // Experiment assignment: {variant} or {reason[, variant: 'control']}.
  function assign(g, user, hashAttr) {
    const x = g.experiment;
    if (!x) return {variant: g.variants[0].key};
    let v = getPath(user, hashAttr || 'id');
    if (v == null || v === '') return {reason: 'no_hash_attribute'};
    v = String(v);
    if (x.namespace && !inNamespace(v, x.namespace)) return {reason: 'not_in_namespace'};
    const i = chooseVariation(hash(x.seed || x.key, v, 2), getBucketRanges(x.variations.length, x.coverage, x.weights));
    if (i < 0) return {reason: 'not_in_experiment'};
    if (i === 0 && x.control_weight > 0) return {reason: 'control', variant: 'control'};
    return {variant: x.variations[i]};
  }
  function decide(g, user, now, h = {}, ctx = {}) {
    // (schedule, frequency, audience are always present in a bundle guide)
    const gh = (h.guides || {})[g.id] || {}, s = g.schedule, f = g.frequency,
      t = ctx.throttle || {}, cond = g.audience.condition, ss = ctx.session || h.session, T = !g.exempt_from_throttle,
      attrs = attributes(user, h.events, now, mentioned(cond, [])), r = assign(g, user, ctx.hash_attribute),
      stop = f.stop_after.find((o) => gh[o === 'snoozed' ? 'snoozed_until' : o] != null);
    // The first failing check in the order of docs/eligibility.md. A missing time or limit makes its
    // comparison false (undefined -> NaN), so it never blocks.
    const reason = [
      now < Date.parse(s.start) && 'schedule_not_started',
      now > Date.parse(s.end) && 'schedule_ended',
      !evalCondition(attrs, cond) && 'audience',
      r.reason, // no_hash_attribute, not_in_namespace, not_in_experiment, control
      stop && 'stopped',
      gh.snoozed_until > now && 'snoozed',
      (gh.shows || 0) >= f.max_shows && 'frequency_cap',
      now < gh.last_shown + f.cooldown_hours * HOUR && 'cooldown',
      T && now < h.last_shown_any + t.min_minutes_between * MIN && 'throttle_gap',
      T && ss && now - ss.last_seen <= SESSION && ss.shows >= t.max_per_session && 'throttle_session',
      T && h.day && h.day.date === ymd(now) && h.day.shows >= t.max_per_day && 'throttle_day'
    ].find(Boolean) || 'eligible';
    return {
      eligible: reason === 'eligible', reason,
      detail: reason === 'audience' ? explain(attrs, cond) : reason === 'stopped' ? stop : '',
      variant: reason === 'eligible' || reason === 'control' ? r.variant : null
    };
  }

  /* ---------- The runtime instance (DOM) ---------- */

  function init(o) {
    o = o || {};
    const D = W.document, loc = W.location, now = o.now || Date.now, user = o.user || {}, timers = {}, unlisten = [];
    let store = o.storage, B, key, hist, ro, cur, queue = {}, styleEl, url = o.url, booted, dead;
    try { store = store || W.localStorage; } catch (e) { /* blocked storage */ }

    const emit = (name, props) => { try { o.onEvent && o.onEvent(name, props); } catch (e) { /* the product's handler */ } };
    // Events about guide state c carry guide_id, variant, experiment and step.
    const say = (name, c, extra) => emit(name, put({guide_id: c.g.id, variant: c.v, experiment: (c.g.experiment || {}).key || null, step: c.i}, extra));
    // Every entry point, listener and timer runs through here: the product page must keep working.
    const safe = (fn) => (...args) => { try { return fn(...args); } catch (e) { emit('runtime_error', {message: '' + e}); } };
    const on = (t, ev, fn, opt) => { fn = safe(fn); t.addEventListener(ev, fn, opt); return () => t.removeEventListener(ev, fn, opt); };
    const later = (c, fn, ms) => { const tm = setTimeout(safe(fn), ms); c.off.push(() => clearTimeout(tm)); };
    const all = (el, sel, fn) => el.querySelectorAll(sel).forEach(fn);
    // An anchor: the first match that is rendered, so one in a hidden view (display: none) counts as
    // missing and if_missing applies. undefined: none; false: an invalid selector.
    const find = (sel) => { try { return [...D.querySelectorAll(sel)].find((a) => a.getClientRects().length); } catch (e) { return false; } };
    const href = () => url || loc.href;
    const fired = (g, ev) => fires(g.trigger, put({url: href()}, ev), loc.href);
    const byId = (id) => B && B.guides.find((g) => g.id === id);
    const variantOf = (g, k) => g.variants.find((v) => v.key === k) || g.variants[0];
    const assigned = (g) => assign(g, user, B.hash_attribute).variant;
    const dec = (g) => decide(g, user, now(), hist, B); // the bundle is the context: hash_attribute, throttle

    // History: one namespaced, versioned storage key.
    const gh = (id) => (isObj(hist.guides[id]) ? hist.guides[id] : (hist.guides[id] = {}));
    const save = () => { if (!ro) try { store.setItem(key, J(hist)); } catch (e) { /* full or blocked */ } };
    const mark = (c, field) => { const x = gh(c.g.id); x[field] = x[field] || now(); save(); }; // first time only
    function touch() { // a session ends after 30 minutes without activity
      const t = now(), s = hist.session;
      hist.session = s && t - s.last_seen <= SESSION ? put(s, {last_seen: t}) : {started: t, last_seen: t, shows: 0};
    }

    function load(b) {
      const bad = checkBundle(b), k = bad || 'guidestudio:' + b.project.id;
      if (bad) return void console.warn('GuideStudio: bundle refused: ' + bad);
      B = b;
      let raw;
      try { raw = store.getItem(key = k); } catch (e) { /* throwing storage */ }
      hist = parseHistory(raw);
      ro = !hist; // a newer runtime's data: read nothing, overwrite nothing
      hist = hist || freshHistory();
      styleEl = styleEl || D.createElement('style');
      styleEl.textContent = b.theme_css;
      D.head.appendChild(styleEl);
      return 1;
    }

    // A trigger fired for these guides: control users are logged; the best eligible guide shows (or the
    // next best, if it has nothing it can show) and the others wait in the queue with their page.
    function fire(list) {
      const win = pick(list, (g) => {
        const d = dec(g);
        if (d.reason === 'control') say('experiment_viewed', {g, v: 'control'}); // exposed, sees nothing
        return d;
      });
      for (const g of win) if (!cur) start(g, assigned(g)); else if (g !== cur.g) queue[g.id] = href(); // id -> page
    }
    const triggered = (ev) => fire(B.guides.filter((g) => fired(g, ev)));
    // The shown guide closed: re-decide the guides queued on this page (those from other pages are dropped).
    const next = () => { const q = queue; queue = {}; fire(B.guides.filter((g) => q[g.id] === href())); };
    function pageView() {
      for (const g of B.guides) {
        const id = g.id, delay = {on: 'delay'};
        if (!fired(g, delay)) timers[id] = clearTimeout(timers[id]); // not (or no longer) on its page
        else if (!timers[id]) timers[id] = setTimeout(safe(() => { timers[id] = 0; if (B && fired(g, delay)) fire([g]); }), g.trigger.seconds * 1000);
      }
      triggered({on: 'page_view'});
    }

    function start(g, variant, so = {}) {
      close();
      const vr = variantOf(g, variant);
      cur = {g, v: vr.key, steps: vr.steps, i: so.step || 0, forced: so.forced, loc: so.locale || o.locale, off: []};
      go(cur.i, 1);
    }
    function clearStep(c) {
      c.off.splice(0).forEach((f) => f());
      if (c.box) c.box.remove();
      c.box = null;
    }
    function close() {
      const c = cur;
      if (!c) return;
      clearStep(c);
      cur = null;
      if (c.prev) c.prev.focus(); // give back the focus a modal took
    }
    function finish(outcome) { // outcome: dismissed | completed | nothing
      if (outcome) { mark(cur, outcome); say('guide_' + outcome, cur); }
      close();
      save(); // (a snooze has no outcome to mark, but must be kept too)
      next();
    }

    // Show step i; a missing anchor follows if_missing: skip (on in direction dir), wait, or modal.
    function go(i, dir, waited) {
      const c = cur, st = c.steps[i];
      try {
        clearStep(c);
        if (!st) return dir < 0 ? go(c.i, 1) : finish(c.shown && 'completed'); // ran past the last step
        const an = st.anchor, mode = st.if_missing; // (absent: skip)
        let lay = st.layout, el;
        if (/tooltip|hotspot/.test(lay)) {
          el = an ? find(an.selector) : false;
          if (!el && an) {
            if (el !== false && mode === 'wait' && !waited) { // until the anchor appears, or time is up
              watch(c, 'MutationObserver', [D.documentElement], () => find(an.selector) && go(i, dir));
              return later(c, () => go(i, dir, 1), (st.wait_seconds != null ? st.wait_seconds : 5) * 1000);
            }
            say('step_error', c, {step: i, selector: an.selector, reason: waited ? 'timeout' : el === false ? 'invalid_selector' : 'not_found'});
            if (mode !== 'modal') return go(i + dir, dir);
          }
          if (!el) lay = 'modal'; // if_missing: modal, or a step without an anchor
        }
        render(c, i, st, lay, el);
      } catch (e) {
        say('runtime_error', c, {message: '' + e});
        if (cur === c) finish();
      }
    }
    // Observe targets while the step is up; re-rendering or closing disconnects.
    function watch(c, Obs, targets, fn) {
      if (!W[Obs]) return;
      const ob = new W[Obs](safe(fn));
      targets.forEach((t) => ob.observe(t, {childList: true, subtree: true, attributes: true}));
      c.off.push(() => ob.disconnect());
    }

    function render(c, i, st, lay, anchor) {
      const g = c.g, disp = g.display, html = st.html, box = D.createElement('div'), modal = /modal|survey/.test(lay),
        p = disp.position || (modal ? 'center' : lay === 'checklist' ? 'bottom-right' : 'top');
      box.className = 'gs-root gs-theme-' + g.theme + ' gs-layout-' + lay;
      // Compiled, escaped markup from the bundle (trusted); user data only ever goes in as textContent.
      box.innerHTML = html[c.loc] || html[B.default_locale] || html[keys(html)[0]];
      const step = box.querySelector('.gs-step') || box.firstElementChild, ss = step.style;
      all(box, '[data-gs-attr]', (s) => {
        const v = getPath(user, s.dataset.gsAttr);
        if (v != null && v !== '') s.textContent = v;
      });
      put(c, {i, box, step, lay, modal});
      // Tooltip/hotspot: the step is placed by pin(). Others: the box covers the viewport (clicks pass
      // through unless there is a backdrop) and flex-aligns the step to display.position.
      box.style.cssText = 'position:fixed;z-index:var(--gs-z);' + (anchor ? 'top:0;left:0'
        : 'inset:0;display:flex;pointer-events:none;padding:' + (lay === 'banner' ? 0 : 16) + 'px');
      // display.position 'bottom-right' -> margin 'auto 0 0 auto': the step sticks to the named sides
      put(ss, {position: anchor ? 'fixed' : 'relative', pointerEvents: 'auto',
        margin: anchor ? '' : ['top', 'right', 'bottom', 'left'].map((x) => (p.includes(x) ? 0 : 'auto')).join(' ')},
        lay === 'banner' && {flex: 1}); // (false adds nothing)
      if (disp.width) ss.setProperty('--gs-width', disp.width + 'px'); // the theme clamps it to the viewport
      if (modal) {
        if (disp.backdrop !== false) box.insertAdjacentHTML('afterbegin', '<div class="gs-backdrop" style="position:absolute;inset:0;pointer-events:auto"></div>');
        step.setAttribute('aria-modal', true);
      }
      (o.root || D.body).appendChild(box);
      if (lay === 'banner' && disp.push) { // push the page instead of covering it
        const bs = D.body.style, side = 'padding' + (p === 'bottom' ? 'Bottom' : 'Top'), old = bs[side];
        bs[side] = (parseFloat(W.getComputedStyle(D.body)[side]) || 0) + step.offsetHeight + 'px';
        c.off.push(() => { bs[side] = old; });
      }
      if (lay === 'checklist') paint(c);
      if (anchor) pin(c, st.anchor, anchor);
      if (modal) {
        c.prev = c.prev || D.activeElement;
        (focusables(box)[0] || put(step, {tabIndex: -1})).focus();
      }
      if (!c.shown) { // count the show
        const t = now(), x = gh(g.id), d = ymd(t), day = hist.day;
        c.shown = x.shows = (+x.shows || 0) + 1;
        x.first_shown = x.first_shown || t;
        x.last_shown = hist.last_shown_any = t;
        hist.day = {date: d, shows: day && day.date === d ? day.shows + 1 : 1};
        touch();
        hist.session.shows++;
        if (g.experiment) say('experiment_viewed', c);
        say('guide_shown', c);
      }
      gh(g.id).step = i;
      save();
      if (lay !== 'hotspot') say('step_shown', c);
    }
    const focusables = (box) => [...box.querySelectorAll('[href],button,textarea,[tabindex]')]
      .filter((e) => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length); // enabled and visible
    // Tooltip/hotspot: keep the step (and the beacon) against the anchor as things move.
    function pin(c, an, anchor) {
      const box = c.box, step = c.step, off = an.offset != null ? an.offset : 10;
      let beacon, pending;
      if (c.lay === 'hotspot') {
        box.insertAdjacentHTML('beforeend', '<button class="gs-beacon" aria-expanded="false" style="position:fixed;transform:translate(-50%,-50%)"></button>');
        beacon = c.beacon = box.lastChild;
        const label = step.getAttribute('aria-label'); // the step's name: its title, or a label
        beacon.setAttribute(label ? 'aria-label' : 'aria-labelledby', label || step.getAttribute('aria-labelledby'));
        step.hidden = true; // until the beacon opens it
      }
      const pos = c.pos = () => {
        if (!anchor.isConnected) anchor = find(an.selector) || anchor; // the product re-rendered it
        const r = anchor.getBoundingClientRect(), de = D.documentElement,
          q = place(r, step.getBoundingClientRect(), {width: de.clientWidth, height: de.clientHeight}, an.placement, off);
        box.style.visibility = anchor.isConnected && r.width + r.height ? '' : 'hidden';
        if (beacon) put(beacon.style, {left: r.right + 'px', top: r.top + 'px'});
        put(step.style, {top: q.top + 'px', left: q.left + 'px'});
        step.dataset.gsPlacement = q.placement;
        // the theme's arrow points at the anchor's centre, even when the step was clamped
        step.style.setProperty('--gs-arrow-x', r.left + r.width / 2 - q.left - 6 + 'px');
        step.style.setProperty('--gs-arrow-y', r.top + r.height / 2 - q.top - 6 + 'px');
      };
      const sched = () => { // at most once per frame
        if (!pending) pending = requestAnimationFrame(() => { pending = 0; if (box.isConnected) pos(); });
      };
      c.off.push(on(W, 'scroll', sched, true), on(W, 'resize', sched));
      watch(c, 'ResizeObserver', [anchor, step], sched);
      // the anchor may move when the page changes; our own moves (inside box) must not loop
      watch(c, 'MutationObserver', [D.body], (rs) => rs.some((r) => !box.contains(r.target)) && sched());
      pos();
    }
    function toggle(c, open) { // hotspot: the beacon opens and closes the tooltip
      c.open = open;
      c.step.hidden = !open;
      c.beacon.setAttribute('aria-expanded', open);
      c.pos();
      if (open && !c.opened) { c.opened = 1; say('step_shown', c); }
    }
    function paint(c) { // checklist: tick the done items and update the progress text
      const done = gh(c.g.id).items || [], items = [...c.box.querySelectorAll('[data-gs-item]')];
      let n = 0;
      for (const li of items) if (done.includes(li.dataset.gsItem)) { n++; li.classList.add('gs-done'); li.setAttribute('aria-checked', true); }
      all(c.box, '[data-gs-checklist-progress]', (e) => { e.textContent = n + ' / ' + items.length; });
    }

    function act(c, a) {
      const t = a.action, dest = t === 'url' && new URL(a.url, loc.href);
      if (t === 'next') return go(c.i + 1, 1);
      if (t === 'back') return c.i && go(c.i - 1, -1);
      if (t === 'dismiss' || t === 'complete') return finish(t === 'dismiss' ? 'dismissed' : 'completed');
      if (t === 'snooze') {
        const until = gh(c.g.id).snoozed_until = now() + a.hours * HOUR;
        say('guide_snoozed', c, {hours: a.hours, until});
        return finish();
      }
      // url / event / guide: calls to action. A url must resolve to http(s) or mailto, or stay on the
      // page's own protocol (relative links in a file:// preview); checked here, at click time.
      if (dest && !/^(https?|mailto):$/.test(dest.protocol) && dest.protocol !== loc.protocol) return;
      mark(c, 'cta_clicked');
      say('cta_clicked', c, {action: t, [t]: a[t]});
      if (t === 'event') say(a.event, c);
      close();
      if (dest && !a.new_tab) return loc.assign(dest);
      if (dest) W.open(dest, '_blank', 'noopener');
      const g2 = t === 'guide' && byId(a.guide);
      if (g2 && (c.forced || dec(g2).eligible)) start(g2, assigned(g2), {forced: c.forced});
      else next();
    }

    function onClick(e) {
      const c = cur, t = e.target;
      if (!B || !t.closest) return;
      if (!c || !c.box || !c.box.contains(t)) return triggered({on: 'click', hit: (sel) => { try { return t.closest(sel); } catch (x) { /* bad selector */ } }});
      // Every control in the markup is a button: data-gs-action / -close / -score / -submit, or the beacon.
      const b = t.closest('button'), ds = b ? b.dataset : {}, a = c.steps[c.i].actions[ds.gsAction];
      if (b === c.beacon) toggle(c, !c.open); // (no beacon: undefined, never equal to b)
      if ('gsClose' in ds) finish('dismissed');
      if (a) act(c, a);
      if ('gsScore' in ds) { // NPS survey
        c.score = +ds.gsScore;
        all(c.box, '[data-gs-score]', (s) => s.setAttribute('aria-pressed', s === b));
      }
      if ('gsSubmit' in ds) {
        e.preventDefault(); // no form submission: the answer goes to onEvent
        if (c.score != null && !c.answered) answer(c, b.form);
      }
    }
    function answer(c, form) {
      const cm = form.querySelector('[data-gs-comment]'), th = c.box.querySelector('[data-gs-thanks]');
      c.answered = 1;
      say('survey_response', c, {score: c.score, comment: cm ? cm.value : ''});
      if (th) th.hidden = false;
      form.dataset.gsSubmitted = ''; // the theme hides the form, shows the thanks
      mark(c, 'completed');
      say('guide_completed', c);
      later(c, finish, 2500);
    }
    function onKey(e) {
      const c = cur, a = D.activeElement;
      if (!c || !c.box) return;
      if (e.key === 'Escape' && !/banner|checklist/.test(c.lay)) finish('dismissed');
      if (e.key === 'Tab' && c.modal) { // focus trap: Tab / Shift+Tab cycle inside the dialog
        const f = focusables(c.box)[e.shiftKey ? 'reverse' : 'slice'](), to = f[0], from = f[f.length - 1]; // wrap from -> to
        if (!c.box.contains(a) || !to || a === from) {
          e.preventDefault();
          if (to) to.focus();
        }
      }
    }

    function track(name) {
      if (!B || !name || name === '__proto__') return; // (that key would reach Object.prototype)
      const t = now();
      touch();
      recordEvent(hist, name, t);
      for (const g of B.guides) {
        const h = hist.guides[g.id], showing = cur && cur.g === g;
        if (!(h && h.last_shown)) continue; // goals and checklists count after a show
        const vr = variantOf(g, showing ? cur.v : assigned(g)), c = showing ? cur : {g, v: vr.key, i: 0},
          items = vr.steps.flatMap((st) => st.items || []), done = h.items = isArr(h.items) ? h.items : [], goal = g.goal || {};
        // (without within_days the comparison is with NaN: false, so there is no window)
        if (goal.event === name && !h.goal_reached && !(t - h.last_shown > goal.within_days * DAY)) {
          h.goal_reached = t;
          say('goal_reached', c, {goal: name});
        }
        for (const it of items) {
          if (it.event === name && !done.includes(it.id)) { done.push(it.id); say('checklist_item_done', c, {item: it.id}); }
        }
        if (showing && c.box) paint(c);
        if (items[0] && !h.completed && items.every((it) => done.includes(it.id))) {
          h.completed = t;
          say('guide_completed', c);
        }
      }
      save();
      triggered({on: 'event', event: name});
    }

    const api = {
      page(u) { if (B) { url = u ? '' + u : null; touch(); save(); pageView(); } },
      track,
      show(id, so = {}) { // preview/debug: regardless of eligibility
        const g = byId(id);
        if (g) start(g, so.variant || assigned(g), {forced: 1, step: so.step, locale: so.locale});
      },
      // Live preview: swap in a freshly compiled bundle or guide; re-render the showing step in place.
      update(x) {
        if (dead || !x) return;
        if (x.format) { if (!load(x)) return; if (!booted) return boot(); }
        else if (B && x.id && isArr(x.variants)) B.guides = B.guides.filter((g) => g.id !== x.id).concat(x); // (pick() sorts)
        else return;
        const c = cur, g = c && byId(c.g.id);
        if (!g) return close();
        const vr = variantOf(g, c.v);
        put(c, {g, v: vr.key, steps: vr.steps});
        go(Math.min(c.i, vr.steps.length - 1), 1);
      },
      decide(id) { const g = byId(id); return g ? dec(g) : null; },
      destroy() {
        close();
        queue = {};
        for (const k in timers) clearTimeout(timers[k]);
        unlisten.splice(0).forEach((f) => f());
        if (styleEl) styleEl.remove();
        B = null;
        dead = 1;
      }
    };
    for (const k in api) api[k] = safe(api[k]); // the product page must keep working
    // Listeners are attached once the first good bundle is loaded (at init, or later by update()).
    function boot() {
      booted = 1;
      unlisten.push(on(W, 'popstate', () => api.page()), on(D, 'click', onClick, true), on(D, 'keydown', onKey, true));
      api.page(url);
    }
    safe(() => load(o.bundle) && boot())();
    return api;
  }

  return {
    version: '1.0.0',
    FORMAT_VERSION: 1,
    init,
    targeting: {evalCondition, hash, getBucketRanges, chooseVariation, inNamespace, getEqualWeights, paddedVersionString},
    // Pure logic, for tests and diagnostics; not a stable API.
    _internal: {sha256, canonical, checkBundle, matchUrl, fires, pick, place, decide, attributes, parseHistory, recordEvent}
  };
});
