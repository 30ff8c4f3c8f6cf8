/* Guide Studio runtime — decides whether, when and where to show the guides of a
 * compiled bundle. Vanilla ES2019, no dependencies. Specs: docs/runtime.md,
 * docs/eligibility.md, docs/bundle-format.md, ../shared/targeting.md.
 * This is the readable source: `make runtime` builds guide-runtime.min.js from it, and
 * `make runtime-check` type-checks it against guide-runtime.d.ts. */
// @ts-check
(function (/** @type {Window & typeof globalThis} */ win) {
  /** @typedef {import('./guide-runtime').Bundle} Bundle */
  /** @typedef {import('./guide-runtime').Guide} Guide */
  /** @typedef {import('./guide-runtime').Step} Step */
  /** @typedef {import('./guide-runtime').Action} Action */
  /** @typedef {import('./guide-runtime').Condition} Condition */
  /** @typedef {import('./guide-runtime').Attributes} Attributes */
  /** @typedef {import('./guide-runtime').Decision} Decision */
  /** @typedef {import('./guide-runtime').EventProps} EventProps */
  /** @typedef {import('./guide-runtime').InitOptions} InitOptions */
  /** @typedef {import('./guide-runtime').Instance} Instance */
  /** @typedef {import('./guide-runtime').Runtime} Runtime */

  const MINUTE = 6e4, HOUR = 36e5, DAY = 864e5, SESSION = 30 * MINUTE, MARGIN = 8;
  const isArray = Array.isArray, toJson = JSON.stringify, keys = Object.keys, assign = Object.assign;
  const isObject = (value) => !!value && typeof value === 'object' && !isArray(value);
  const utcDate = (time) => new Date(time).toISOString().slice(0, 10); // YYYY-MM-DD

  /* ---------- Targeting: GrowthBook SDK spec 0.8.0 (its semantics are JavaScript's) ---------- */

  /** @type {Map<string, string[]>} each path split once: audiences read the same attributes again and again */
  const PATHS = new Map();
  // own: only the object's own properties (placeholders); else any, inherited ones too, as
  // GrowthBook reads them ({"toString": {"$exists": true}} is true for every user).
  function getPath(value, path, own) {
    let parts = PATHS.get(path);
    if (!parts) PATHS.set(path, parts = path.split('.'));
    for (const part of parts) {
      if (value && typeof value === 'object' && (own ? {}.hasOwnProperty.call(value, part) : part in value)) value = value[part];
      else return null;
    }
    return value;
  }
  // Which of a step's locales a reader sees: theirs, its shorter forms (pt-BR -> pt), then the default's,
  // then the first; tags compare case-blind (core/l10n/fallback.py; tests/vectors/locale_fallback.json).
  /** @type {(wanted: string | undefined, available: string[], fallback: string) => string | null} */
  const resolveLocale = (wanted, available, fallback) => {
    const tags = available.map((key) => key.toLowerCase());
    for (let tag of [wanted, fallback]) {
      for (tag = (tag || '').toLowerCase(); tag; tag = tag.replace(/-?[^-]*$/, '')) {
        if (tags.includes(tag)) return available[tags.indexOf(tag)];
      }
    }
    return available.length ? available[0] : null;
  };
  // What a placeholder shows: the user's attribute as text, else null (the fallback stays). Own properties
  // only, so {{constructor|friend}} shows "friend", not the source of Object.
  /** @type {(user: Attributes, path: string) => string | null} */
  const attrText = (user, path, value = getPath(user, path, 1)) => (value != null && value !== '' ? '' + value : null);
  const isOperatorObject = (object) => {
    const names = keys(object);
    return names.length > 0 && names.every((name) => name[0] === '$');
  };
  /** @type {(attrs: Attributes, condition: Condition, groups?: object) => boolean} */
  function evalCondition(attrs, condition, groups) {
    for (const key in condition) {
      const value = /** @type {any} */ (condition[key]);
      if (key === '$or' ? !evalOr(attrs, value, groups)
        : key === '$nor' ? evalOr(attrs, value, groups)
        : key === '$and' ? !value.every((part) => evalCondition(attrs, part, groups))
        : key === '$not' ? evalCondition(attrs, value, groups)
        : !evalValue(value, getPath(attrs, key), groups)) return false;
    }
    return true;
  }
  const evalOr = (attrs, conditions, groups) =>
    !conditions.length || conditions.some((condition) => evalCondition(attrs, condition, groups));
  // A literal or an operator object against one value; caseless: the case-insensitive …i operators.
  function evalValue(expected, value, groups, caseless) {
    if (typeof expected === 'string') {
      return caseless ? String(value).toLowerCase() === expected.toLowerCase() : value + '' === expected;
    }
    if (typeof expected === 'number') return value * 1 === expected;
    if (typeof expected === 'boolean') return value !== null && !!value === expected;
    if (expected === null) return value === null;
    if (isArray(expected) || !isOperatorObject(expected)) return toJson(value) === toJson(expected);
    for (const op in expected) { // unknown operators fail
      if (!(OPERATORS[op] && OPERATORS[op](value, expected[op], groups))) return false;
    }
    return true;
  }
  // Membership (strict types); an array attribute passes when it intersects.
  function isIn(value, list, caseless) {
    const fold = (item) => (caseless && typeof item === 'string' ? item.toLowerCase() : item),
      has = (item) => list.some((entry) => fold(entry) === fold(item));
    return isArray(value) ? value.some(has) : has(value);
  }
  // Operators: (attribute value, expected, saved groups, caseless). Every key starts with '$', so no
  // lookup can reach Object.prototype.
  /** @type {{[op: string]: (value: any, expected: any, groups?: object, caseless?: number) => boolean}} */
  const OPERATORS = {
    $eq: (value, expected) => value === expected, $ne: (value, expected) => value !== expected,
    $lt: (value, expected) => value < expected, $lte: (value, expected) => value <= expected,
    $gt: (value, expected) => value > expected, $gte: (value, expected) => value >= expected,
    $exists: (value, expected) => (expected ? value != null : value == null),
    $in: (value, expected, groups, caseless) => isArray(expected) && isIn(value, expected, caseless),
    $nin: (value, expected, groups, caseless) => isArray(expected) && !isIn(value, expected, caseless),
    $inGroup: (value, expected, groups) => isIn(value, (groups || {})[expected] || []),
    $notInGroup: (value, expected, groups) => !isIn(value, (groups || {})[expected] || []),
    $not: (value, expected, groups) => !evalValue(expected, value, groups),
    $size: (value, expected, groups) => isArray(value) && evalValue(expected, value.length, groups),
    $elemMatch: (value, expected, groups) => isArray(value) && value.some((item) => item &&
      (isOperatorObject(expected) ? evalValue(expected, item, groups) : evalCondition(item, expected, groups))),
    $all: (value, expected, groups, caseless) => isArray(expected) && isArray(value) &&
      expected.every((wanted) => value.some((item) => evalValue(wanted, item, groups, caseless))),
    $regex: (value, expected, groups, caseless) => {
      try { return typeof expected === 'string' && new RegExp(expected, caseless ? 'i' : '').test(value); } catch (e) { return false; }
    },
    // GrowthBook's names: typeof for string, number, boolean, object and undefined; else 'unknown' (a function)
    $type: (value, expected) => (value === null ? 'null' : isArray(value) ? 'array'
      : 'stringnumberbooleanobjectundefined'.includes(typeof value) ? typeof value : 'unknown') === expected
  };
  // The case-insensitive twins ($ini …) and the version comparisons ($veq …), built once.
  for (const name of ['in', 'nin', 'all', 'regex']) {
    OPERATORS['$' + name + 'i'] = (value, expected, groups) => OPERATORS['$' + name](value, expected, groups, 1);
  }
  for (const op of keys(OPERATORS).slice(0, 6)) { // the first six: $eq … $gte
    OPERATORS['$v' + op.slice(1)] = (value, expected) => OPERATORS[op](paddedVersionString(value), paddedVersionString(expected));
  }
  /** @type {(version: any) => string} */
  function paddedVersionString(version) {
    if (typeof version === 'number') version = version + '';
    if (!version || typeof version !== 'string') version = '0';
    const parts = version.replace(/(^v|\+.*$)/g, '').split(/[-.]/);
    if (parts.length === 3) parts.push('~'); // "1.0.0" sorts after "1.0.0-beta"
    return parts.map((part) => (/^[0-9]+$/.test(part) ? part.padStart(5, ' ') : part)).join('-');
  }
  // FNV-1a 32-bit over UTF-16 code units.
  function fnv(text) {
    let result = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) result = Math.imul(result ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return result;
  }
  const hash = (seed, value, version) => (version === 2 ? fnv(fnv(seed + value) + '') % 1e4 / 1e4
    : version === 1 ? fnv(value + seed) % 1e3 / 1e3 : null);
  const getEqualWeights = (count) => (count > 0 ? Array(count).fill(1 / count) : []);
  function getBucketRanges(count, coverage = 1, weights) {
    coverage = Math.min(Math.max(coverage, 0), 1);
    const total = (weights || []).reduce((sum, weight) => sum + weight, 0);
    let cumulative = 0;
    if (!weights || weights.length !== count || total < 0.99 || total > 1.01) weights = getEqualWeights(count); // missing or invalid
    return weights.map((weight) => {
      const start = cumulative;
      cumulative += weight;
      return [start, start + coverage * weight];
    });
  }
  const chooseVariation = (bucket, ranges) => ranges.findIndex((range) => bucket >= range[0] && bucket < range[1]);
  function inNamespace(hashValue, namespace) {
    const bucket = hash('__' + namespace[0], hashValue, 1);
    return bucket >= namespace[1] && bucket < namespace[2]; // (version 1 always hashes)
  }
  // "Why not shown?": the first failing clause, descending into $and (text for humans).
  function explain(attrs, condition) {
    const key = keys(condition).find((name) => !evalCondition(attrs, {[name]: condition[name]})), value = condition[key];
    return !key ? '' : key === '$and' ? explain(attrs, value.find((part) => !evalCondition(attrs, part)))
      : key + ' ' + toJson(value);
  }

  /* ---------- Bundle integrity: canonical JSON + synchronous SHA-256 ---------- */

  /** @type {(value: unknown) => string} */
  const canonical = (value) => (isArray(value) ? '[' + value.map(canonical).join(',') + ']'
    : isObject(value) ? '{' + keys(value).sort().map((key) => toJson(key) + ':' + canonical(value[key])).join(',') + '}'
    : toJson(value));
  // The rest follows FIPS 180-4 and its names: H the hash value, K the constants, M the message,
  // W the message schedule, a … h the working variables, T1 and T2 the temporaries.
  const rotr = (x, bits) => x >>> bits | x << 32 - bits;
  // SHA-256's Σ/σ functions: three rotations, or two and a shift (a negative third).
  const sigma = (x, first, second, third) =>
    rotr(x, first) ^ rotr(x, second) ^ (third < 0 ? x >>> -third : rotr(x, third));
  const fractionBits = (x) => x % 1 * 2 ** 32 | 0;
  // One 64-byte block at byte offset of M into the hash value H. A function of its own so that the engine
  // optimises it after a few blocks: as one long loop, a page's first check ran unoptimised (~4× slower).
  function block(H, M, offset, K) {
    let [a, b, c, d, e, f, g, h] = H, t = 0, T1, T2;
    const W = [];
    for (; t < 64; t++) {
      W[t] = t < 16 ? M.getInt32(offset + t * 4)
        : sigma(W[t - 15], 7, 18, -3) + W[t - 16] + sigma(W[t - 2], 17, 19, -10) + W[t - 7] | 0;
      T1 = h + sigma(e, 6, 11, 25) + (e & f ^ ~e & g) + K[t] + W[t] | 0;
      T2 = sigma(a, 2, 13, 22) + (a & b ^ a & c ^ b & c) | 0;
      h = g; g = f; f = e; e = d + T1 | 0; d = c; c = b; b = a; a = T1 + T2 | 0;
    }
    return [a, b, c, d, e, f, g, h].map((word, i) => H[i] + word | 0);
  }
  // Compact SHA-256 (crypto.subtle is async and missing on file:// pages). The constants are the
  // fractional bits of the square/cube roots of the first primes: computed, not tabled.
  function sha256(text) {
    const bytes = new TextEncoder().encode(text), length = bytes.length, padded = length + 72 >> 6 << 6,
      buffer = new Uint8Array(padded), M = new DataView(buffer.buffer), K = [];
    let H = [], prime = 2, found = 0, divisor, offset;
    for (; found < 64; prime++) {
      for (divisor = 2; prime % divisor; divisor++);
      if (divisor === prime) {
        if (found < 8) H[found] = fractionBits(prime ** 0.5);
        K[found++] = fractionBits(prime ** (1 / 3));
      }
    }
    buffer.set(bytes);
    buffer[length] = 128; // the 1 bit, then the length in bits (its high word is 0 below 512 MB)
    M.setUint32(padded - 4, length * 8);
    for (offset = 0; offset < padded; offset += 64) H = block(H, M, offset, K);
    return H.map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
  }

  // The text the checksum and the signature cover: the bundle's canonical JSON without either.
  /** @type {(bundle: Bundle) => string} */
  const signedText = ({checksum, signature, ...rest}) => canonical(rest);
  // '' when the bundle is usable, else why not.
  function checkBundle(bundle) {
    return !isObject(bundle) || bundle.format !== 'guidestudio-bundle' || bundle.format_version !== 1 || !isArray(bundle.guides) ? 'format'
      : bundle.checksum === 'sha256:' + sha256(signedText(bundle)) ? '' : 'checksum';
  }
  // Ed25519 over the signed text's UTF-8 bytes, with WebCrypto: resolves when `signature` ("ed25519:<base64>")
  // verifies under `key` (base64 of the raw 32-byte public key), else rejects with why not
  // (unsigned, does not match; or WebCrypto's error: a bad key, no crypto.subtle on an insecure page).
  /** @type {(bundle: Bundle, key: string) => Promise<void>} */
  async function verifySignature(bundle, key) {
    const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), subtle = crypto.subtle,
      signature = bundle.signature;
    if (!signature) throw 'unsigned';
    if (!await subtle.verify('Ed25519', await subtle.importKey('raw', bytes(key), 'Ed25519', false, ['verify']),
      bytes(signature.slice(8)), new TextEncoder().encode(signedText(bundle)))) throw 'does not match';
  }

  /* ---------- URL globs ---------- */

  // '*' within a segment, '**' across ('/x/**' also matches '/x'), ':name' one non-empty segment.
  // Full http(s) patterns match the URL without query and fragment; others match its path.
  // The glob runs as an automaton, one character at a time for every state at once, so any glob takes
  // time linear in the URL (as a backtracking RegExp, eight '**' on a long URL took seconds).
  function matchUrl(pattern, url, base) {
    const parsed = new URL(url, base), segment = (c) => c !== '/', any = (c) => /./.test(c);
    if (!pattern) return true;
    /** @type {any[][]} a state: [what it reads, where to, where to without reading] */
    const states = [];
    for (const token of pattern.match(/\/\*\*|\*\*?|:[A-Za-z_]\w*|[^]/g)) {
      const i = states.length;
      states.push(...(token === '/**' ? [[(c) => c === '/', i + 1, i + 2], [any, i + 1, i + 2]]
        : token === '**' ? [[any, i, i + 1]] : token === '*' ? [[segment, i, i + 1]]
        : token[1] && token[0] === ':' ? [[segment, i + 1], [segment, i + 1, i + 2]] : [[(c) => c === token, i + 1]]));
    }
    // the states reached: Set iteration visits what it adds, so this follows every skip
    const skip = (reached) => { for (const i of reached) if (states[i] && states[i][2]) reached.add(states[i][2]); return reached; };
    let reached = skip(new Set([0]));
    for (const c of (/^https?:/.test(pattern) ? parsed.origin + parsed.pathname : parsed.pathname).split('')) {
      const next = new Set();
      for (const i of reached) if (states[i] && states[i][0](c)) next.add(states[i][1]);
      reached = skip(next);
    }
    return reached.has(states.length);
  }

  /**
   * What happened on the page, for triggers: a page view, a click (hit(selector): whether the clicked
   * element is inside one matching selector), a tracked event or a delay.
   * @typedef {{on: string, url?: string, event?: string, hit?: (selector: string) => unknown}} TriggerEvent
   */
  // Does a trigger event fire this trigger (none: page_view)?
  function fires(trigger, event, base) {
    trigger = trigger || {on: 'page_view'};
    return trigger.on === event.on && (trigger.on !== 'event' || trigger.event === event.event) &&
      matchUrl(trigger.url, event.url, base) && (trigger.on !== 'click' || event.hit(trigger.selector));
  }
  // The eligible guides, best first: highest priority (missing: 0), then the id that sorts first.
  /** @type {(guides: Guide[], decideFor: (guide: Guide) => Decision) => Guide[]} */
  const pick = (guides, decideFor) => guides.filter((guide) => decideFor(guide).eligible)
    .sort((a, b) => (b.priority || 0) - (a.priority || 0) || (a.id < b.id ? -1 : 1));

  /* ---------- Placement maths (plain rects, viewport coordinates) ---------- */

  /**
   * The wanted side, else its opposite (flip) when only that one has room; then clamp to the viewport.
   * @param {{top: number, left: number, width: number, height: number}} anchor
   * @param {{width: number, height: number}} box
   * @param {{width: number, height: number}} viewport
   * @param {string} placement
   * @param {number} offset
   * @param {boolean} [rtl]  a right-to-left step: 'right' and 'left' mirror ('right' is the side its reader
   *   reads towards: the anchor's left), 'auto' tries left before right; the result names the side on screen
   */
  function place(anchor, box, viewport, placement, offset, rtl) {
    const width = box.width, height = box.height, top = anchor.top, left = anchor.left,
      below = top + anchor.height + offset, after = left + anchor.width + offset,
      centreTop = top + anchor.height / 2 - height / 2, centreLeft = left + anchor.width / 2 - width / 2,
      // each side's [top, left], in the order 'auto' tries; opposites pair up (i ^ 1)
      spots = {bottom: [below, centreLeft], top: [top - offset - height, centreLeft], right: [centreTop, after], left: [centreTop, left - offset - width]},
      fits = {bottom: below + height <= viewport.height, top: spots.top[0] >= 0, right: after + width <= viewport.width, left: spots.left[1] >= 0},
      sides = keys(spots), wanted = sides.indexOf(placement);
    if (rtl) sides.splice(2, 0, sides.pop()); // bottom, top, left, right
    const order = wanted < 0 ? sides : [sides[wanted], sides[wanted ^ 1]],
      side = order.find((name) => fits[name]) || order[0], [y, x] = spots[side];
    return {placement: side, top: clamp(y, viewport.height - height), left: clamp(x, viewport.width - width)};
  }
  const clamp = (value, max) => Math.max(MARGIN, Math.min(value, max - MARGIN));

  /* ---------- History (the storage value) and behaviour attributes ---------- */

  /**
   * The stored history of one project (docs/eligibility.md), under one storage key.
   * @typedef {object} History
   * @property {number} v  the format version: 1
   * @property {{[guideId: string]: GuideRecord}} guides
   * @property {{[eventName: string]: {[utcDate: string]: number}}} events  tracked events, counted per UTC day
   * @property {number} [last_shown_any]  when any guide was last shown (epoch ms)
   * @property {{date: string, shows: number}} [day]  shows on the latest UTC date with a show
   * @property {{started: number, last_seen: number, shows: number}} [session]  the current session
   */
  /**
   * What the history keeps about one guide; every time is epoch ms.
   * @typedef {object} GuideRecord
   * @property {number} [shows]
   * @property {number} [first_shown]
   * @property {number} [last_shown]
   * @property {number} [step]  the index of the step last shown
   * @property {number} [dismissed]  each outcome: when it first happened
   * @property {number} [completed]
   * @property {number} [cta_clicked]
   * @property {number} [goal_reached]
   * @property {number} [snoozed_until]
   * @property {string[]} [items]  the ids of the checklist items done
   */

  /** @returns {History} */
  const freshHistory = () => ({v: 1, guides: {}, events: {}});
  // Stored text -> history. Corrupt or foreign data -> a fresh history; a newer version -> null
  // (ignored, and the runtime then leaves it alone rather than overwrite a newer runtime's data).
  /** @returns {History | null} */
  function parseHistory(raw) {
    let history;
    try { history = JSON.parse(raw); } catch (e) { /* corrupt */ }
    if (!isObject(history) || history.v !== 1) return isObject(history) && history.v > 1 ? null : freshHistory();
    if (!isObject(history.guides)) history.guides = {};
    if (!isObject(history.events)) history.events = {};
    return history;
  }
  // Count one event on today's UTC date; keep 90 days and the 100 most recently seen names.
  /** @type {(history: History, name: string, now: number) => History} */
  function recordEvent(history, name, now) {
    const events = history.events, today = utcDate(now), cutoff = utcDate(now - 89 * DAY),
      counts = events[name] = isObject(events[name]) ? events[name] : {};
    counts[today] = (+counts[today] || 0) + 1;
    for (const other in events) {
      const days = isObject(events[other]) ? events[other] : {};
      for (const day in days) if (day < cutoff) delete days[day];
      if (!keys(days).length) delete events[other];
    }
    const byAge = keys(events) // last day seen + name, oldest first
      .map((other) => (other === name ? '9999-99-99' : keys(events[other]).sort().pop()) + other).sort();
    byAge.slice(0, -100).forEach((entry) => delete events[entry.slice(10)]); // all but the 100 most recent
    return history;
  }
  // events.<name>.{count,last_7d,last_30d,days_since} for every kept name and every name the
  // condition mentions; dotted names nest (getPath splits on '.'); the product's own values win.
  function mentioned(condition, out) { // the <name> of every events.<name>.<field> key, at any depth
    if (condition && typeof condition === 'object') {
      for (const key in condition) {
        const match = /^events\.(.+)\.(count|last_7d|last_30d|days_since)$/.exec(key);
        if (match) out.push(match[1]);
        mentioned(condition[key], out);
      }
    }
    return out;
  }
  function merge(base, over) {
    for (const key in over) {
      if (key !== '__proto__') base[key] = isObject(over[key]) && isObject(base[key]) ? merge(base[key], over[key]) : over[key];
    }
    return base;
  }
  function attributes(user, events, now, names) {
    const out = {}, today = Date.parse(utcDate(now));
    events = events || {};
    for (const name of keys(events).concat(names || [])) {
      /** @type {{count: number, last_7d: number, last_30d: number, days_since?: number}} */
      const summary = {count: 0, last_7d: 0, last_30d: 0}, days = isObject(events[name]) ? events[name] : {};
      for (const day in days) {
        const count = +days[day] || 0, time = Date.parse(day), ago = (today - time) / DAY;
        if (!count || time !== time || utcDate(time) !== day) continue; // only real YYYY-MM-DD dates count
        summary.count += count;
        if (ago >= 0 && ago < 7) summary.last_7d += count;
        if (ago >= 0 && ago < 30) summary.last_30d += count;
        if (!(ago >= summary.days_since)) summary.days_since = ago; // the most recent day (absent when never seen)
      }
      merge(out, name.split('.').reduceRight((value, key) => ({[key]: value}), /** @type {object} */ (summary))); // "a.b" -> {a: {b: …}}
    }
    return {...user, events: merge(out, (user || {}).events)};
  }

  /* ---------- Decisions (docs/eligibility.md, checks in its order) ---------- */

  // Experiment assignment: {variant} or {reason[, variant: 'control']}.
  /** @type {(guide: Guide, user: Attributes, hashAttribute?: string) => {variant?: string, reason?: string}} */
  function assignVariant(guide, user, hashAttribute) {
    const experiment = guide.experiment;
    if (!experiment) return {variant: guide.variants[0].key};
    // As GrowthBook's SDKs read it: the attribute of that literal name, and a falsy value ('', 0, false) is none
    const value = Object(user)[experiment.hashAttribute || hashAttribute || 'id'];
    if (!value) return {reason: 'no_hash_attribute'};
    if (experiment.namespace && !inNamespace(value, experiment.namespace)) return {reason: 'not_in_namespace'};
    const index = chooseVariation(hash(experiment.seed || experiment.key, value, 2),
      getBucketRanges(experiment.variations.length, experiment.coverage, experiment.weights));
    if (index < 0) return {reason: 'not_in_experiment'};
    if (index === 0 && experiment.control_weight > 0) return {reason: 'control', variant: 'control'};
    return {variant: experiment.variations[index]};
  }
  /** @type {(guide: Guide, key: string) => Guide['variants'][number]} the variant, else the first */
  const variantOf = (guide, key) => guide.variants.find((variant) => variant.key === key) || guide.variants[0];
  /**
   * @param {Guide} guide  (schedule, frequency, audience are always present in a bundle guide)
   * @param {Attributes} user
   * @param {number} now
   * @param {Partial<History>} [history]
   * @param {{throttle?: Bundle['throttle'], session?: History['session'], hash_attribute?: string}} [context]
   *   the bundle, or the throttle and session of a simulation
   * @returns {Decision}
   */
  function decide(guide, user, now, history = {}, context = {}) {
    const record = (history.guides || {})[guide.id] || {}, schedule = guide.schedule, frequency = guide.frequency,
      throttle = context.throttle || {}, condition = guide.audience.condition, session = context.session || history.session,
      throttled = !guide.exempt_from_throttle, day = history.day,
      attrs = attributes(user, history.events, now, mentioned(condition, [])),
      assignment = assignVariant(guide, user, context.hash_attribute),
      stop = frequency.stop_after.find((outcome) => record[outcome === 'snoozed' ? 'snoozed_until' : outcome] != null);
    // The first failing check in the order of docs/eligibility.md. A missing time or limit makes its
    // comparison false (undefined -> NaN), so it never blocks.
    const reason = /** @type {Decision['reason']} */ ([
      now < Date.parse(schedule.start) && 'schedule_not_started',
      now > Date.parse(schedule.end) && 'schedule_ended',
      !evalCondition(attrs, condition) && 'audience',
      assignment.reason, // no_hash_attribute, not_in_namespace, not_in_experiment, control
      stop && 'stopped',
      record.snoozed_until > now && 'snoozed',
      (record.shows || 0) >= frequency.max_shows && 'frequency_cap',
      now < record.last_shown + frequency.cooldown_hours * HOUR && 'cooldown',
      throttled && now < history.last_shown_any + throttle.min_minutes_between * MINUTE && 'throttle_gap',
      throttled && session && now - session.last_seen <= SESSION && session.shows >= throttle.max_per_session &&
        'throttle_session',
      throttled && day && day.date === utcDate(now) && day.shows >= throttle.max_per_day && 'throttle_day'
    ].find(Boolean) || 'eligible');
    return {
      eligible: reason === 'eligible', reason,
      detail: reason === 'audience' ? explain(attrs, condition) : reason === 'stopped' ? stop : '',
      variant: reason === 'eligible' || reason === 'control' ? assignment.variant : null
    };
  }

  /* ---------- The instance (DOM): the state of the guide on screen, and page helpers ---------- */

  /**
   * The guide on screen, from start() to close(); also, for events, a guide that is not showing.
   * @typedef {object} GuideState
   * @property {Guide} guide
   * @property {string} variantKey  the variant shown ('control': a control user, who is shown nothing)
   * @property {Step[]} [steps]  the variant's steps
   * @property {number} [index]  the current step
   * @property {boolean | number} [forced]  opened by show(): a `guide` button opens its target regardless
   * @property {string} [locale]
   * @property {Array<() => void>} [cleanups]  what to undo when the step goes (listeners, observers, timers)
   * @property {HTMLElement | null} [box]  the step's .gs-root on the page
   * @property {HTMLElement} [stepElement]  the .gs-step element in it
   * @property {string} [layout]  how the step is shown (a tooltip whose anchor is missing: 'modal')
   * @property {boolean} [modal]
   * @property {HTMLElement} [focusBefore]  where the focus was when the guide started
   * @property {boolean} [focused]  the focus was in the step that went last: the next step takes it, or close() gives it back
   * @property {HTMLElement} [anchor]  the step's anchor, if it has one
   * @property {number} [shown]  the guide's show count, once this showing was counted
   * @property {() => void} [reposition]  a tooltip's or hotspot's: follow the anchor
   * @property {HTMLElement} [beacon]  a hotspot's button
   * @property {boolean} [expanded]  a hotspot's step is open
   * @property {number} [opened]  a hotspot's step was opened (step_shown was sent)
   * @property {number} [chosenScore]  the survey score chosen
   * @property {number} [answered]  the survey was submitted
   */
  const doc = win.document; // (none in Node: only init() and what it calls use it)
  /** @type {(root: ParentNode, selector: string) => HTMLElement[]} */
  const elements = (root, selector) => /** @type {HTMLElement[]} */ ([...root.querySelectorAll(selector)]);
  /** @type {(root: ParentNode, selector: string, fn: (element: HTMLElement) => void) => void} */
  const all = (root, selector, fn) => root.querySelectorAll(selector).forEach(fn);
  // An anchor: the first match that is rendered, so one in a hidden view (display: none) counts as
  // missing and if_missing applies. undefined: none; false: an invalid selector.
  /** @type {(selector: string) => HTMLElement | undefined | false} */
  const findAnchor = (selector) => {
    try {
      return elements(doc, selector).find((element) => element.getClientRects().length);
    } catch (e) { return false; }
  };
  /** @type {(box: Element) => HTMLElement[]} enabled and visible controls */
  const focusables = (box) => elements(box, '[href],button,input,select,textarea,[tabindex]')
    .filter((element) => !(/** @type {HTMLButtonElement} */ (element)).disabled && element.tabIndex >= 0 && element.getClientRects().length);
  /** @type {(state: GuideState) => void} */
  function clearStep(state) {
    const box = state.box;
    state.cleanups.splice(0).forEach((undo) => undo());
    if (box) { // (the shadow root's activeElement, in one)
      state.focused = box.contains(/** @type {Document} */ (box.getRootNode()).activeElement);
      box.remove();
    }
    state.box = null;
  }
  /** @type {(state: Partial<GuideState>, guide: Guide, variantKey: string) => GuideState} the state shows that variant (else the first) */
  function showVariant(state, guide, variantKey) {
    const variant = variantOf(guide, variantKey);
    return assign(state, {guide, variantKey: variant.key, steps: variant.steps});
  }


  /* ---------- The instance: init() and its three parts ---------- */

  // init() keeps the flow (triggers, the queue, one guide step by step) and the API. Three parts hold
  // the rest: history (the project's record in storage), rendering (one step's DOM) and input (clicks
  // and keys). Each is a module-level function of exactly what it uses of init() and of the other
  // parts, so its parameters are its whole interface; history and rendering return their functions as
  // an object that init() calls by name (history.save(), rendering.render()), input attaches its
  // listeners and returns what removes them. Why this shape: docs/runtime.md, "Structure".

  /** @typedef {(name: string, state: GuideState, extra?: EventProps) => void} Say  an event about a guide */
  /** @typedef {(fn: Function) => (...args: any[]) => any} Guard  fn, reporting what it throws as runtime_error */
  /** @typedef {(target: EventTarget, type: string, fn: Function, capture?: boolean) => () => void} Listen  a guarded listener; returns what removes it */

  /**
   * History: the project's record, in storage under one namespaced, versioned key.
   * @typedef {object} HistoryPart
   * @property {(key: string) => History} read  the history under a bundle's key (in memory only, and
   *   never written back, when it belongs to a newer runtime)
   * @property {(guideId: string) => GuideRecord} record  a guide's record, created on first use
   * @property {() => void} save
   * @property {(state: GuideState, outcome: string) => void} mark  an outcome's time, the first time only
   * @property {() => void} touch  activity: a session ends after 30 minutes without
   * @property {(state: GuideState, index: number) => void} shown  step index is on screen: the guide's show
   *   is counted once, the step remembered, and step_shown sent (a hotspot's: when its beacon opens it)
   */
  /**
   * @param {InitOptions} options  (storage)
   * @param {() => number} now
   * @param {Say} say
   * @returns {HistoryPart}
   */
  function historyPart(options, now, say) {
    let storage = options.storage, storageKey, readOnly;
    /** @type {History} */
    let history;
    try { storage = storage || win.localStorage; } catch (e) { /* blocked storage */ }

    /** @type {HistoryPart['record']} */
    const record = (guideId) => (isObject(history.guides[guideId]) ? history.guides[guideId] : (history.guides[guideId] = {}));
    const save = () => {
      if (!readOnly) try { storage.setItem(storageKey, toJson(history)); } catch (e) { /* full or blocked */ }
    };
    function touch() {
      const time = now(), session = history.session;
      history.session = session && time - session.last_seen <= SESSION ? assign(session, {last_seen: time})
        : {started: time, last_seen: time, shows: 0};
    }
    return {
      record, save, touch,
      read(key) {
        let raw;
        try { raw = storage.getItem(storageKey = key); } catch (e) { /* throwing storage */ }
        history = parseHistory(raw);
        readOnly = !history; // a newer runtime's data: read nothing, overwrite nothing
        return history = history || freshHistory();
      },
      mark(state, outcome) {
        const entry = record(state.guide.id);
        entry[outcome] = entry[outcome] || now();
        save();
      },
      shown(state, index) {
        const guide = state.guide;
        if (!state.shown) { // count the show
          const time = now(), entry = record(guide.id), today = utcDate(time), day = history.day;
          state.shown = entry.shows = (+entry.shows || 0) + 1;
          entry.first_shown = entry.first_shown || time;
          entry.last_shown = history.last_shown_any = time;
          history.day = {date: today, shows: day && day.date === today ? day.shows + 1 : 1};
          touch();
          history.session.shows++;
          if (guide.experiment) say('experiment_viewed', state);
          say('guide_shown', state);
        }
        record(guide.id).step = index;
        save();
        if (state.layout !== 'hotspot') say('step_shown', state);
      }
    };
  }

  /**
   * Rendering: one step's DOM, and keeping it in place.
   * @typedef {object} RenderingPart
   * @property {(state: GuideState, index: number, step: Step, layout: string, anchor: HTMLElement | undefined, defaultLocale: string) => void} render
   *   step `index` on the page as `layout` (the step's, or 'modal' for a tooltip whose anchor is missing),
   *   pinned to `anchor` if there is one, in the state's locale, else the bundle's default locale
   * @property {(state: GuideState, kind: string, targets: Node[], fn: Function) => void} watch
   *   observe targets (kind: 'MutationObserver' or 'ResizeObserver') while the step is up
   * @property {(state: GuideState, open: boolean) => void} toggle  hotspot: the beacon opens and closes the step
   * @property {(state: GuideState) => void} paint  checklist: tick the done items, update the progress text
   * @property {(css?: string) => void} styles  the theme's stylesheet: put in place, or (no css) removed with the
   *   shadow host
   */
  /**
   * @param {InitOptions} options  (user, root, shadow, nonce)
   * @param {Say} say
   * @param {Guard} guard
   * @param {Listen} listen
   * @param {HistoryPart['record']} record
   * @returns {RenderingPart}
   */
  function renderingPart(options, say, guard, listen, record) {
    // Where guides and their stylesheet go: the page, or (options.shadow) an open shadow root on a <guide-studio>
    // element, which host CSS cannot reach. The stylesheet is constructed and adopted, which no Content-Security-
    // Policy blocks; a browser without constructable sheets gets a <style> element carrying options.nonce.
    const adopt = doc.adoptedStyleSheets,
      shadow = options.shadow && (options.root || doc.body).appendChild(doc.createElement('guide-studio')).attachShadow({mode: 'open'}),
      scope = shadow || doc,
      sheet = /** @type {any} */ (adopt ? new CSSStyleSheet() : assign(doc.createElement('style'), {nonce: options.nonce || ''}));
    if (adopt) scope.adoptedStyleSheets = [...scope.adoptedStyleSheets, sheet];
    else (shadow || doc.head).appendChild(sheet);
    /** @type {RenderingPart['watch']} (re-rendering or closing the step disconnects) */
    function watch(state, kind, targets, fn) {
      if (!win[kind]) return;
      const observer = new win[kind](guard(fn));
      targets.forEach((target) => observer.observe(target, {childList: true, subtree: true, attributes: true}));
      state.cleanups.push(() => observer.disconnect());
    }
    /**
     * Tooltip/hotspot: keep the step (and the beacon) against the anchor as things move.
     * @param {GuideState} state
     * @param {Step['anchor']} spec
     * @param {HTMLElement} anchor
     */
    function pin(state, spec, anchor) {
      const box = state.box, step = state.stepElement, offset = spec.offset != null ? spec.offset : 10, rtl = step.dir == 'rtl';
      let beacon, frame;
      // a hotspot's beacon: compiled before its (hidden) step, named in the step's language
      beacon = state.beacon = box.querySelector('.gs-beacon');
      const reposition = state.reposition = () => {
        if (!anchor.isConnected) anchor = findAnchor(spec.selector) || anchor; // the product re-rendered it
        const rect = anchor.getBoundingClientRect(), page = doc.documentElement,
          spot = place(rect, step.getBoundingClientRect(), {width: page.clientWidth, height: page.clientHeight}, spec.placement, offset, rtl);
        box.style.visibility = anchor.isConnected && rect.width + rect.height ? '' : 'hidden';
        // (through the CSSOM, as every inline style here: a strict CSP refuses style attributes in markup)
        // (the beacon on the anchor's top corner at the end of its line: top right, or top left in
        // right-to-left; centred there by the theme)
        if (beacon) assign(beacon.style, {top: rect.top + 'px', left: rect[rtl ? 'left' : 'right'] + 'px'});
        assign(step.style, {top: spot.top + 'px', left: spot.left + 'px'});
        step.dataset.gsPlacement = spot.placement;
        // the theme's arrow points at the anchor's centre, even when the step was clamped
        step.style.setProperty('--gs-arrow-x', rect.left + rect.width / 2 - spot.left - 6 + 'px');
        step.style.setProperty('--gs-arrow-y', rect.top + rect.height / 2 - spot.top - 6 + 'px');
      };
      const schedule = () => { // at most once per frame
        if (!frame) frame = requestAnimationFrame(() => { frame = 0; if (box.isConnected) reposition(); });
      };
      state.cleanups.push(listen(win, 'scroll', schedule, true), listen(win, 'resize', schedule));
      watch(state, 'ResizeObserver', [anchor, step], schedule);
      // the anchor may move when the page changes; our own moves (inside box) must not loop
      watch(state, 'MutationObserver', [doc.body], (mutations) => mutations.some((mutation) => !box.contains(mutation.target)) && schedule());
      reposition();
    }
    /** @type {RenderingPart['paint']} */
    function paint(state) {
      const done = record(state.guide.id).items || [], items = elements(state.box, '[data-gs-item]');
      let count = 0;
      for (const item of items) {
        if (done.includes(item.dataset.gsItem)) {
          count++;
          item.classList.add('gs-done'); // (the compiled markup says "done" or "to do" for it)
        }
      }
      all(state.box, '[data-gs-checklist-progress]', (element) => { element.textContent = count + ' / ' + items.length; });
    }
    return {
      watch, paint,
      render(state, index, step, layout, anchor, defaultLocale) {
        const guide = state.guide, display = guide.display, html = step.html, box = doc.createElement('div'),
          modal = /modal|survey/.test(layout),
          position = display.position || (modal ? 'center' : layout === 'checklist' ? 'bottom-right' : 'top');
        box.className = 'gs-root gs-theme-' + guide.theme + ' gs-layout-' + layout;
        // Compiled, escaped markup from the bundle (trusted); user data only ever goes in as textContent.
        box.innerHTML = html[resolveLocale(state.locale, keys(html), defaultLocale)];
        const element = /** @type {HTMLElement} */ (box.querySelector('.gs-step') || box.lastElementChild), style = element.style;
        all(box, '[data-gs-attr]', (span) => {
          const text = attrText(options.user, span.dataset.gsAttr); // (no user: the fallbacks stay)
          if (text != null) span.textContent = text;
        });
        assign(state, {index, box, stepElement: element, layout, modal, anchor});
        if (!anchor) element.hidden = false; // a hotspot shown as a modal: its anchor is missing (the theme hides the beacon)
        // Tooltip/hotspot: the step is placed by pin(). Others: the box covers the viewport (clicks pass
        // through unless there is a backdrop) and flex-aligns the step to display.position.
        box.style.cssText = 'position:fixed;z-index:var(--gs-z);' + (anchor ? 'top:0;left:0'
          : 'inset:0;display:flex;pointer-events:none;padding:' + (layout === 'banner' ? 0 : 16) + 'px');
        // display.position 'bottom-right' -> margin 'auto 0 0 auto': the step sticks to the named sides
        assign(style, {position: anchor ? 'fixed' : 'relative', pointerEvents: 'auto',
          margin: anchor ? '' : ['top', 'right', 'bottom', 'left'].map((side) => (position.includes(side) ? 0 : 'auto')).join(' ')},
        layout === 'banner' && {flex: 1}); // (false adds nothing)
        if (display.width) style.setProperty('--gs-width', display.width + 'px'); // the theme clamps it to the viewport
        if (modal) {
          if (display.backdrop !== false) {
            box.insertAdjacentHTML('afterbegin', '<div class="gs-backdrop"></div>');
            /** @type {HTMLElement} */ (box.firstChild).style.cssText = 'position:absolute;inset:0;pointer-events:auto';
          }
          element.setAttribute('aria-modal', /** @type {*} */ (true));
        }
        // A top banner goes first in the page (early in the tab order), everything else last.
        (options.root || doc.body)[layout === 'banner' && position !== 'bottom' ? 'prepend' : 'append'](shadow ? shadow.host : box);
        if (shadow) shadow.append(box);
        if (layout === 'banner' && display.push) { // push the page, and its fixed and sticky bars on that side, instead of covering it
          const side = position === 'bottom' ? 'bottom' : 'top',
            length = (bar, name) => parseFloat(getComputedStyle(bar).getPropertyValue(name));
          // the body's padding, and each bar: fixed or sticky, its top (bottom) in the window's upper (lower) half (a
          // fixed element's computed top is where it is; a sticky one's is auto unless it sticks). All read first,
          // then written: one layout, not one per bar. Each inline style is set through the CSSOM (a strict CSP
          // allows that), by the banner's height as it is now (a narrower window wraps its text onto more lines),
          // and put back as it was when the step goes.
          const bars = /** @type {Array<[HTMLElement, string]>} */ ([[doc.body, 'padding-' + side], ...elements(doc.body, '*').filter((bar) => bar !== box &&
              /fixed|sticky/.test(getComputedStyle(bar).position) && length(bar, side) < innerHeight / 2).map((bar) => [bar, side])])
              .map(([bar, name]) => /** @type {[HTMLElement, string, number]} */ ([bar, name, length(bar, name)])),
            push = () => { const height = element.offsetHeight; bars.forEach(([bar, name, base]) => bar.style.setProperty(name, base + height + 'px', 'important')); };
          bars.forEach(([bar, name]) => {
            const style = bar.style, had = bar.hasAttribute('style'),
              /** @type {[string, string]} */ before = [style.getPropertyValue(name), style.getPropertyPriority(name)];
            state.cleanups.push(() => {
              style.setProperty(name, ...before);
              // it had none: remove the empty one (reading it first: the engine may not have written it yet)
              had || bar.getAttribute('style') || bar.removeAttribute('style');
            });
          });
          push();
          watch(state, 'ResizeObserver', [element], push);
        }
        if (layout === 'checklist') paint(state);
        if (anchor) pin(state, step.anchor, anchor);
        // A modal takes the focus, and so does any step that follows one that had it (close() gives it back)
        if (modal || state.focused) (focusables(box)[0] || assign(element, {tabIndex: -1})).focus();
      },
      styles(css) {
        if (css == null) return void (shadow ? shadow.host.remove() : adopt ? doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((other) => other !== sheet) : sheet.remove());
        adopt ? sheet.replaceSync(css) : sheet.textContent = css;
      },
      toggle(state, open) {
        state.expanded = open;
        state.stepElement.hidden = !open;
        state.beacon.setAttribute('aria-expanded', /** @type {*} */ (open));
        state.reposition();
        if (open && !state.opened) {
          state.opened = 1;
          say('step_shown', state);
        }
      }
    };
  }

  /**
   * Input: clicks and keys on the page, through capturing listeners on the document: click triggers,
   * the step's buttons and the survey, ESC and the focus trap of modals. Attached once the first good
   * bundle is loaded.
   * @param {Listen} listen
   * @param {() => GuideState} showing  the guide on screen, if any
   * @param {Say} say
   * @param {HistoryPart['mark']} mark
   * @param {(state: GuideState, fn: Function, ms: number) => void} later
   * @param {(event: TriggerEvent) => void} triggered  the flow's: a trigger event happened
   * @param {RenderingPart['toggle']} toggle
   * @param {(outcome?: string) => void} finish  the flow's: close the guide (outcome: dismissed | completed | none)
   * @param {(state: GuideState, action: Action) => void} act  the flow's: a button's action
   * @returns {Array<() => void>} what removes the listeners
   */
  function inputPart(listen, showing, say, mark, later, triggered, toggle, finish, act) {
    /** @type {(event: MouseEvent) => void} */
    function onClick(event) {
      // target: as the page sees it; inner: in the guide's shadow root too (options.shadow)
      const state = showing(), target = /** @type {HTMLElement} */ (event.target), inner = /** @type {HTMLElement} */ (event.composedPath()[0]);
      if (!target.closest) return;
      if (!state || !state.box || !state.box.contains(inner)) {
        return triggered({on: 'click', hit: (selector) => { try { return target.closest(selector); } catch (e) { /* bad selector */ } }});
      }
      // Every control in the markup is a button: data-gs-action / -close / -score / -submit, or the beacon.
      const button = /** @type {HTMLButtonElement} */ (inner.closest('button') || inner), data = button.dataset, // (hooks: on buttons)
        action = state.steps[state.index].actions[data.gsAction];
      if (button === state.beacon) toggle(state, !state.expanded); // (no beacon: null, never equal to button)
      if ('gsClose' in data) finish('dismissed');
      if (action) act(state, action);
      if ('gsScore' in data) { // NPS survey
        state.chosenScore = +data.gsScore;
        all(state.box, '[data-gs-score]', (other) => other.setAttribute('aria-pressed', /** @type {*} */ (other === button)));
      }
      if ('gsSubmit' in data) {
        event.preventDefault(); // no form submission: the answer goes to onEvent
        // without a score: the compiled alert shows, and says so (the theme hides it once a score is chosen)
        if (state.chosenScore == null) all(state.box, '[data-gs-error]', (alert) => { alert.hidden = false; });
        else if (!state.answered) answer(state, button.form);
      }
    }
    /** @type {(state: GuideState, form: HTMLFormElement) => void} the NPS survey was submitted with a score */
    function answer(state, form) {
      const comment = /** @type {HTMLTextAreaElement} */ (form.querySelector('[data-gs-comment]')),
        thanks = /** @type {HTMLElement} */ (state.box.querySelector('[data-gs-thanks]'));
      state.answered = 1;
      say('survey_response', state, {score: state.chosenScore, comment: comment ? comment.value : ''});
      if (thanks) assign(thanks, {hidden: false}).focus(); // (the focus was on the submit button, about to hide)
      form.dataset.gsSubmitted = ''; // the theme hides the form, shows the thanks
      mark(state, 'completed');
      say('guide_completed', state);
      later(state, finish, 2500);
    }
    /** @type {(event: KeyboardEvent) => void} */
    function onKey(event) {
      const state = showing();
      if (!state || !state.box) return;
      const active = /** @type {Document} */ (state.box.getRootNode()).activeElement; // (the shadow root's, in one)
      if (event.key === 'Escape' && !/banner|checklist/.test(state.layout)) finish('dismissed');
      if (event.key === 'Tab' && state.modal) { // focus trap: Tab / Shift+Tab cycle inside the dialog
        const controls = focusables(state.box)[event.shiftKey ? 'reverse' : 'slice'](), to = controls[0],
          from = controls[controls.length - 1]; // wrap from -> to
        if (!state.box.contains(active) || !to || active === from) {
          event.preventDefault();
          if (to) to.focus();
        }
      }
    }
    return [listen(doc, 'click', onClick, true), listen(doc, 'keydown', onKey, true)];
  }

  /** @type {(options: InitOptions) => Instance} */
  function init(options) {
    options = options || /** @type {InitOptions} */ ({});
    const location = win.location, now = options.now || Date.now, user = options.user || {}, timers = {}, unlisten = [];
    /** @type {Bundle} */
    let bundle;
    /** @type {History} */
    let stored;
    /** @type {GuideState} the guide on screen */
    let current;
    let queue = {}, url = options.url, booted, destroyed, latest;
    /** @type {Guide[]} the bundle's guides that the runtime can use */
    let guides;

    const emit = (name, props) => {
      try { options.onEvent && options.onEvent(name, props); } catch (e) { /* the product's handler */ }
    };
    // Events about a guide carry guide_id, variant, experiment, step and the user's locale (results per locale).
    /** @type {(name: string, state: GuideState, extra?: EventProps) => void} */
    const say = (name, state, extra) => emit(name, assign({guide_id: state.guide.id, variant: state.variantKey,
      experiment: (state.guide.experiment || {}).key || null, step: state.index,
      locale: state.locale || options.locale || bundle.default_locale}, extra));
    // Every entry point, listener and timer runs through here: the product page must keep working.
    const guard = (fn) => (...args) => {
      try { return fn(...args); } catch (e) { emit('runtime_error', {message: '' + e}); }
    };
    const later = (state, fn, ms) => {
      const timer = setTimeout(guard(fn), ms);
      state.cleanups.push(() => clearTimeout(timer));
    };
    // The page's listener, through the guard; returns what removes it.
    const listen = (target, type, fn, capture) => {
      fn = guard(fn);
      target.addEventListener(type, fn, capture);
      return () => target.removeEventListener(type, fn, capture);
    };
    const history = historyPart(options, now, say),
      rendering = renderingPart(options, say, guard, listen, history.record);

    const href = () => url || location.href;
    /** @type {(guide: Guide, event: TriggerEvent) => boolean} */
    const triggers = (guide, event) => fires(guide.trigger, assign({url: href()}, event), location.href);
    const byId = (id) => bundle && guides.find((guide) => guide.id === id);
    const assigned = (guide) => assignVariant(guide, user, bundle.hash_attribute).variant;
    // A guide the runtime cannot use is left out alone, with a runtime_error naming it: the others still show.
    const skip = (guide, error) => emit('runtime_error', {guide_id: guide && guide.id, message: 'guide skipped: ' + error});
    /** @type {(guide: Guide) => Decision} the bundle is the context */
    const decideNow = (guide) => {
      try { return decide(guide, user, now(), stored, bundle); } catch (e) {
        skip(guide, e);
        return {eligible: false, reason: 'runtime_error', detail: '' + e, variant: null};
      }
    };
    // What the runtime reads of a guide, tried once when the bundle (or the guide) arrives.
    function usable(guide) {
      try {
        if (!(typeof guide.id == 'string' && isObject(guide.display) && guide.variants.every((variant) =>
          variant.steps.every((step) => isObject(step.html) && isArray(step.actions))))) throw 'a field it reads is missing';
        decide(guide, {id: 'u'}, 0);
        matchUrl((guide.trigger || {}).url, '/', 'http://localhost/');
        return 1;
      } catch (e) { skip(guide, e); }
    }
    // A bundle is used only once it passed its checks: then ready() runs. With a publicKey the signature
    // is checked first, asynchronously: until then nothing is on screen and the API does nothing, as
    // before any bundle; a bundle refused for its signature is reported as a runtime_error.
    function load(candidate) {
      const refused = checkBundle(candidate), key = options.publicKey, refuse = (why) => {
        console.warn('GuideStudio: ' + (why = 'bundle refused: ' + why));
        if (key) emit('runtime_error', {message: why});
      };
      latest = candidate;
      if (refused) refuse(refused);
      else if (!key) use(candidate);
      else verifySignature(candidate, key).then(() => guard(use)(candidate), (e) => refuse('signature: ' + e));
    }
    function use(candidate) {
      if (candidate !== latest) return; // destroyed, or a newer bundle came in the meantime
      bundle = candidate;
      guides = candidate.guides.filter(usable);
      stored = history.read('guidestudio:' + candidate.project.id);
      rendering.styles(candidate.theme_css);
      ready();
    }

    /* The flow: a trigger picks a guide; it shows step by step until it finishes; then the queue. */

    // A trigger fired for these guides: control users are logged; the best eligible guide shows (or the
    // next best, if it has nothing it can show) and the others wait in the queue with their page.
    function fire(guides) {
      const winners = pick(guides, (guide) => {
        const decision = decideNow(guide);
        if (decision.reason === 'control') say('experiment_viewed', {guide, variantKey: 'control'}); // exposed, sees nothing
        return decision;
      });
      for (const guide of winners) {
        if (!current) start(guide, assigned(guide));
        else if (guide !== current.guide) queue[guide.id] = href(); // id -> page
      }
    }
    function triggered(event) {
      fire(guides.filter((guide) => triggers(guide, event)));
    }
    // The shown guide closed: re-decide the guides queued on this page (those from other pages are dropped).
    const next = () => {
      const queued = queue;
      queue = {};
      fire(guides.filter((guide) => queued[guide.id] === href()));
    };
    function pageView() {
      for (const guide of guides) {
        const id = guide.id, delay = {on: 'delay'};
        if (!triggers(guide, delay)) timers[id] = clearTimeout(timers[id]); // not (or no longer) on its page
        else if (!timers[id]) {
          timers[id] = setTimeout(guard(() => {
            timers[id] = 0;
            if (bundle && triggers(guide, delay)) fire([guide]);
          }), guide.trigger.seconds * 1000);
        }
      }
      triggered({on: 'page_view'});
    }

    /** @type {(guide: Guide, variantKey: string, how?: {step?: number, forced?: boolean | number, locale?: string}) => void} */
    function start(guide, variantKey, how = {}) {
      close();
      current = showVariant({index: how.step || 0, forced: how.forced, locale: how.locale || options.locale, cleanups: [],
        focusBefore: /** @type {HTMLElement} */ (doc.activeElement)},
        guide, variantKey);
      go(current.index, 1);
    }
    function close() {
      const state = current;
      if (!state) return;
      clearStep(state);
      current = null;
      // The focus was in the guide: back where it was before, else to the anchor, else the page's first
      // control (without scrolling: the page stays where the reader left it)
      if (state.focused || state.modal) {
        [state.focusBefore, state.anchor, ...focusables(doc.body)].some((element) =>
          element && element !== doc.body && (element.focus({preventScroll: true}), element === doc.activeElement));
      }
    }
    function finish(outcome) { // outcome: dismissed | completed | nothing
      if (outcome) {
        history.mark(current, outcome);
        say('guide_' + outcome, current);
      }
      close();
      history.save(); // (a snooze has no outcome to mark, but must be kept too)
      next();
    }
    // Show step `index`; a missing anchor follows if_missing: skip (on in `direction`), wait, or modal.
    function go(index, direction, waited) {
      const state = current, step = state.steps[index];
      try {
        clearStep(state);
        if (!step) return direction < 0 ? go(state.index, 1) : finish(state.shown && 'completed'); // ran past the last step
        const spec = step.anchor, ifMissing = step.if_missing; // (absent: skip)
        let layout = step.layout, anchor;
        if (/tooltip|hotspot/.test(layout)) {
          anchor = spec ? findAnchor(spec.selector) : false;
          if (!anchor && spec) {
            if (anchor !== false && ifMissing === 'wait' && !waited) { // until the anchor appears, or time is up
              rendering.watch(state, 'MutationObserver', [doc.documentElement], () => findAnchor(spec.selector) && go(index, direction));
              return later(state, () => go(index, direction, 1), (step.wait_seconds != null ? step.wait_seconds : 5) * 1000);
            }
            say('step_error', state, {step: index, selector: spec.selector,
              reason: waited ? 'timeout' : anchor === false ? 'invalid_selector' : 'not_found'});
            if (ifMissing !== 'modal') return go(index + direction, direction);
          }
          if (!anchor) layout = 'modal'; // if_missing: modal, or a step without an anchor
        }
        rendering.render(state, index, step, layout, anchor, bundle.default_locale);
        history.shown(state, index);
      } catch (e) {
        say('runtime_error', state, {message: '' + e});
        if (current === state) finish();
      }
    }
    /**
     * A button's action on the guide.
     * @param {GuideState} state
     * @param {Action} action
     */
    function act(state, action) {
      const kind = action.action, url = kind === 'url' && new URL(action.url, location.href);
      if (kind === 'next') return go(state.index + 1, 1);
      if (kind === 'back') return state.index && go(state.index - 1, -1);
      if (kind === 'dismiss' || kind === 'complete') return finish(kind === 'dismiss' ? 'dismissed' : 'completed');
      if (kind === 'snooze') {
        const until = history.record(state.guide.id).snoozed_until = now() + action.hours * HOUR;
        say('guide_snoozed', state, {hours: action.hours, until});
        return finish();
      }
      // url / event / guide: calls to action. A url must resolve to http(s) or mailto, or stay on the
      // page's own protocol (relative links in a file:// preview); checked here, at click time.
      if (url && !/^(https?|mailto):$/.test(url.protocol) && url.protocol !== location.protocol) return;
      history.mark(state, 'cta_clicked');
      say('cta_clicked', state, {action: kind, [kind]: action[kind]});
      if (kind === 'event') say(action.event, state);
      close();
      if (url && !action.new_tab) return location.assign(url);
      if (url) win.open(url, '_blank', 'noopener');
      const target = kind === 'guide' && byId(action.guide);
      if (target && (state.forced || decideNow(target).eligible)) start(target, assigned(target), {forced: state.forced});
      else next();
    }

    function track(name) {
      if (!bundle || !name || name === '__proto__') return; // (that key would reach Object.prototype)
      const time = now();
      history.touch();
      recordEvent(stored, name, time);
      for (const guide of guides) {
        const entry = stored.guides[guide.id], showing = current && current.guide === guide;
        if (!(entry && entry.last_shown)) continue; // goals and checklists count after a show
        const state = showing ? current : showVariant({index: 0}, guide, assigned(guide)),
          items = state.steps.flatMap((step) => step.items || []),
          done = entry.items = isArray(entry.items) ? entry.items : [],
          /** @type {Partial<Guide['goal']>} */ goal = guide.goal || {};
        // (without within_days the comparison is with NaN: false, so there is no window)
        if (goal.event === name && !entry.goal_reached && !(time - entry.last_shown > goal.within_days * DAY)) {
          entry.goal_reached = time;
          say('goal_reached', state, {goal: name});
        }
        for (const item of items) {
          if (item.event === name && !done.includes(item.id)) {
            done.push(item.id);
            say('checklist_item_done', state, {item: item.id});
          }
        }
        if (showing && state.box) rendering.paint(state);
        if (items[0] && !entry.completed && items.every((item) => done.includes(item.id))) {
          entry.completed = time;
          say('guide_completed', state);
        }
      }
      history.save();
      triggered({on: 'event', event: name});
    }

    /** @type {Instance} */
    const api = {
      page(newUrl) {
        if (bundle) {
          url = newUrl ? '' + newUrl : null;
          history.touch();
          history.save();
          pageView();
        }
      },
      track,
      show(id, how = {}) { // preview/debug: regardless of eligibility
        const guide = byId(id);
        if (guide) start(guide, how.variant || assigned(guide), {forced: 1, step: how.step, locale: how.locale});
      },
      // Live preview: swap in a freshly compiled bundle or guide; re-render the showing step in place.
      update(/** @type {any} */ replacement) {
        if (destroyed || !replacement) return;
        if (replacement.format) return load(replacement);
        if (bundle && replacement.id && isArray(replacement.variants)) {
          guides = guides.filter((guide) => guide.id !== replacement.id).concat(usable(replacement) ? replacement : []); // (pick() sorts)
          redraw();
        }
      },
      decide(id) {
        const guide = byId(id);
        return guide ? decideNow(guide) : null;
      },
      destroy() {
        close();
        queue = {};
        for (const id in timers) clearTimeout(timers[id]);
        unlisten.splice(0).forEach((remove) => remove());
        rendering.styles();
        bundle = latest = null;
        destroyed = 1;
      }
    };
    for (const name in api) api[name] = guard(api[name]); // the product page must keep working
    // The showing guide again, from the bundle or guide just swapped in (gone from it: closed).
    function redraw() {
      const state = current, guide = state && byId(state.guide.id);
      if (!guide) return close();
      showVariant(state, guide, state.variantKey);
      go(Math.min(state.index, state.steps.length - 1), 1);
    }
    // A bundle passed its checks. Listeners are attached once, for the first (at init, or later by update()).
    function ready() {
      if (booted) return redraw();
      booted = 1;
      unlisten.push(listen(win, 'popstate', () => api.page()),
        ...inputPart(listen, () => current, say, history.mark, later, triggered, rendering.toggle, finish, act));
      api.page(url);
    }
    guard(() => load(options.bundle))();
    return api;
  }

  /** @type {Runtime & {_internal?: object}} */
  const runtime = {
    version: '1.0.0',
    FORMAT_VERSION: 1,
    init,
    targeting: {evalCondition, hash, getBucketRanges, chooseVariation, inNamespace, getEqualWeights, paddedVersionString}
  };
  // Pure logic, for tests and diagnostics; not a stable API, and only in this readable file: the shipped
  // guide-runtime.min.js leaves the labelled statement out (tools/js/build-runtime.mjs, dropLabels).
  internal: runtime._internal = {sha256, canonical, checkBundle, verifySignature, matchUrl, fires, pick, place, decide, attributes, parseHistory, recordEvent, attrText, resolveLocale};
  // Node require() gets module.exports; a classic <script> (or an ES module import, see
  // guide-runtime.mjs) gets the global GuideStudio.
  if (typeof module == 'object') module.exports = runtime;
  else win.GuideStudio = runtime;
})(typeof self < 'u' ? self : this);
