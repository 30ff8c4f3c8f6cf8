// init() without a DOM library: the runtime runs against a minimal fake window (nothing here renders;
// rendering is covered in the real browser). Covers storage robustness, the storage record,
// refusal of bad bundles, behaviour tracking, control exposure and goals.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const {checkBundle, sha256, canonical} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const SOURCE = fs.readFileSync(path.join(__dirname, '../../guidestudio/resources/runtime/guide-runtime.js'), 'utf8');
const FIXTURE = fs.readFileSync(path.join(__dirname, 'fixtures/bundle.json'), 'utf8');
const NOW = Date.parse('2026-11-24T12:00:00Z');

// A window with just what init() touches when nothing is shown.
function fakeWindow(extra = {}) {
  const listeners = [];
  const target = () => ({
    addEventListener: (type) => listeners.push(type),
    removeEventListener: (type) => listeners.splice(listeners.indexOf(type), 1)
  });
  const doc = Object.assign(target(), {
    head: {appendChild: (el) => { el.parentNode = doc.head; }},
    createElement: () => ({remove() { this.parentNode = null; }}),
    querySelector: () => null
  });
  return Object.assign(target(), {document: doc, location: {href: 'https://app.example/app/home', protocol: 'https:'}, listeners}, extra);
}

// Evaluate the runtime as a classic script in a fresh realm whose global is `win`.
function runtimeIn(win) {
  const warnings = [];
  const ctx = vm.createContext({self: win, console: {warn: (...a) => warnings.push(a.join(' '))}, TextEncoder, URL, setTimeout, clearTimeout});
  vm.runInContext(SOURCE, ctx);
  return {GS: ctx.self.GuideStudio, warnings};
}
const plain = (x) => JSON.parse(JSON.stringify(x)); // across realms

// A bundle without page_view guides, so init() has nothing to render here.
function bundle(mutate) {
  const b = JSON.parse(FIXTURE);
  delete b.checksum;
  b.guides = b.guides.filter((g) => g.trigger.on !== 'page_view');
  if (mutate) mutate(b);
  b.checksum = 'sha256:' + sha256(canonical(b));
  assert.strictEqual(checkBundle(b), '');
  return b;
}
function memoryStorage(initial) {
  const data = Object.assign({}, initial);
  return {data, getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); }};
}
function start(opts = {}) {
  const win = fakeWindow(opts.window);
  const {GS, warnings} = runtimeIn(win);
  const events = [];
  const gs = GS.init(Object.assign({bundle: bundle(), user: {id: 'user-1', plan: 'free'}, now: () => opts.t || NOW,
    onEvent: (n, p) => events.push([n, plain(p)])}, opts.init));
  return {gs, events, warnings, win, GS};
}

test('the browser global is GuideStudio when loaded as a classic script', () => {
  const {GS} = runtimeIn(fakeWindow());
  assert.strictEqual(typeof GS.init, 'function');
  assert.strictEqual(GS.FORMAT_VERSION, 1);
});

test('history goes to one namespaced, versioned key', () => {
  const storage = memoryStorage();
  const {gs, events} = start({init: {storage}});
  gs.track('report_opened');
  gs.track('report_opened');
  assert.deepStrictEqual(Object.keys(storage.data), ['guidestudio:acme']);
  const h = JSON.parse(storage.data['guidestudio:acme']);
  assert.strictEqual(h.v, 1);
  assert.deepStrictEqual(h.events, {report_opened: {'2026-11-24': 2}});
  assert.deepStrictEqual(h.session, {started: NOW, last_seen: NOW, shows: 0});
  assert.deepStrictEqual(events.filter((e) => e[0] === 'runtime_error'), []);
});

test('a throwing storage is not fatal; history then lives in memory', () => {
  const throwing = {getItem() { throw new Error('denied'); }, setItem() { throw new Error('quota'); }};
  const {gs, events} = start({init: {storage: throwing}});
  gs.track('report_opened');
  gs.page('/files/x');
  assert.strictEqual(gs.decide('nps').reason, 'eligible');
  assert.deepStrictEqual(events, []);
});

test('a window whose localStorage getter throws is not fatal', () => {
  const win = {};
  Object.defineProperty(win, 'localStorage', {get() { throw new Error('SecurityError'); }});
  const {gs, events} = start({window: win});
  gs.track('x');
  assert.strictEqual(gs.decide('nps').eligible, true);
  assert.deepStrictEqual(events, []);
});

test('corrupt and foreign stored values are ignored and replaced', () => {
  for (const raw of ['{not json', '"hello"', '{"foo":1}', '[1,2]']) {
    const storage = memoryStorage({'guidestudio:acme': raw});
    const {gs} = start({init: {storage}});
    assert.strictEqual(gs.decide('nps').eligible, true, raw);
    gs.track('x');
    assert.strictEqual(JSON.parse(storage.data['guidestudio:acme']).v, 1, raw);
  }
});

test('a newer stored version is ignored and never overwritten', () => {
  const newer = JSON.stringify({v: 2, guides: {nps: {shows: 99, dismissed: 1}}});
  const storage = memoryStorage({'guidestudio:acme': newer});
  const {gs} = start({init: {storage}});
  assert.strictEqual(gs.decide('nps').eligible, true);
  gs.track('x');
  assert.strictEqual(storage.data['guidestudio:acme'], newer);
});

test('stored history drives decisions', () => {
  const h = {v: 1, guides: {nps: {shows: 1, last_shown: NOW - 36e5, dismissed: NOW - 36e5}}, events: {}};
  const {gs} = start({init: {storage: memoryStorage({'guidestudio:acme': JSON.stringify(h)})}});
  assert.deepStrictEqual(plain(gs.decide('nps')), {eligible: false, reason: 'stopped', detail: 'dismissed', variant: null});
  assert.strictEqual(gs.decide('no-such-guide'), null);
});

test('tracked events become behaviour attributes', () => {
  const {gs} = start({init: {bundle: bundle((b) => {
    b.guides.find((g) => g.id === 'nps').audience.condition = {'events.report_opened.count': {$gte: 2}};
  }), storage: memoryStorage()}});
  assert.strictEqual(gs.decide('nps').reason, 'audience');
  gs.track('report_opened');
  gs.track('report_opened');
  assert.strictEqual(gs.decide('nps').reason, 'eligible');
});

test('bad bundles are refused with one console.warn and nothing happens', () => {
  const tampered = bundle();
  tampered.guides[0].name = 'changed';
  for (const [b, why] of [[tampered, 'checksum'], [{...bundle(), format_version: 2}, 'format'], [{}, 'format'], [undefined, 'format']]) {
    const {gs, warnings, events, win} = start({init: {bundle: b, storage: memoryStorage()}});
    assert.strictEqual(warnings.length, 1, why);
    assert.match(warnings[0], new RegExp(why));
    assert.strictEqual(gs.decide('nps'), null);
    gs.track('nps_due');
    gs.page('/x');
    gs.show('nps');
    assert.deepStrictEqual(events, []);
    assert.deepStrictEqual(win.listeners, []); // nothing attached to the page
  }
});

test('update() with a good bundle after a refused one starts the runtime', () => {
  const storage = memoryStorage();
  const {gs, win} = start({init: {bundle: {}, storage}});
  assert.strictEqual(gs.decide('nps'), null);
  gs.update(bundle());
  assert.strictEqual(gs.decide('nps').eligible, true);
  assert.ok(win.listeners.includes('popstate'));
  gs.destroy();
  assert.deepStrictEqual(win.listeners, []);
  assert.deepStrictEqual(win.document.listeners || [], []);
});

test('a control user is logged with experiment_viewed each time the trigger fires, and sees nothing', () => {
  const {gs, events} = start({init: {user: {id: 'user-0'}, storage: memoryStorage(), bundle: bundle((b) => {
    b.guides.find((g) => g.id === 'nps').experiment = {key: 'exp1', seed: 'exp1', coverage: 1, control_weight: 0.2,
      variations: ['control', 'a', 'b'], weights: [0.2, 0.4, 0.4]};
  })}});
  gs.track('nps_due');
  gs.track('nps_due');
  const viewed = ['experiment_viewed', {guide_id: 'nps', variant: 'control', experiment: 'exp1', locale: 'en'}];
  assert.deepStrictEqual(events, [viewed, viewed]);
});

test('goal_reached once, within the window after a show', () => {
  const shown = (daysAgo) => JSON.stringify({v: 1, guides: {'storage-banner': {shows: 1, last_shown: NOW - daysAgo * 864e5}}, events: {}});
  const withBanner = () => bundle((b) => { b.guides.push(JSON.parse(FIXTURE).guides.find((g) => g.id === 'storage-banner')); });
  let s = start({init: {bundle: withBanner(), storage: memoryStorage({'guidestudio:acme': shown(6)})}});
  s.gs.track('plan_upgraded');
  s.gs.track('plan_upgraded');
  assert.deepStrictEqual(s.events.map((e) => e[0]), ['goal_reached']);
  assert.deepStrictEqual(s.events[0][1], {guide_id: 'storage-banner', variant: 'a', experiment: null, step: 0, locale: 'en', goal: 'plan_upgraded'});
  s = start({init: {bundle: withBanner(), storage: memoryStorage({'guidestudio:acme': shown(8)})}});
  s.gs.track('plan_upgraded');
  assert.deepStrictEqual(s.events, []);
});

test('checklist items are ticked and persisted from tracked events once the checklist was shown', () => {
  const storage = memoryStorage({'guidestudio:acme': JSON.stringify({v: 1, guides: {onboarding: {shows: 1, last_shown: NOW}}, events: {}})});
  const {gs, events} = start({init: {storage}});
  gs.track('file_uploaded');
  gs.track('file_uploaded');
  gs.track('teammate_invited');
  assert.deepStrictEqual(events.map((e) => [e[0], e[1].item]), [
    ['checklist_item_done', 'upload'], ['checklist_item_done', 'invite'], ['guide_completed', undefined]]);
  const h = JSON.parse(storage.data['guidestudio:acme']).guides.onboarding;
  assert.deepStrictEqual(h.items, ['upload', 'invite']);
  assert.strictEqual(h.completed, NOW);
});

test('a guide the runtime cannot use is skipped alone, with a runtime_error naming it', () => {
  const breakages = {
    'upload-tip': (g) => { delete g.variants; },
    'reports-hotspot': (g) => { g.frequency = null; },
    onboarding: (g) => { g.trigger.url = 42; }, // a glob that is not text
    tour: (g) => { g.variants[0].steps[0].actions = 'none'; }
  };
  const {gs, events} = start({init: {storage: memoryStorage(), bundle: bundle((b) => {
    for (const g of b.guides) if (breakages[g.id]) breakages[g.id](g);
    b.guides.push('not a guide', null);
  })}});
  const errors = events.filter((e) => e[0] === 'runtime_error').map((e) => e[1]);
  assert.deepStrictEqual(errors.map((e) => e.guide_id), ['onboarding', 'reports-hotspot', 'tour', 'upload-tip', undefined, null]);
  for (const error of errors) assert.match(error.message, /^guide skipped: /);
  for (const id of Object.keys(breakages)) assert.strictEqual(gs.decide(id), null); // left out
  assert.strictEqual(gs.decide('nps').eligible, true); // the others still work
  gs.track('report_opened'); // every usable guide is looked at, none shows (this window cannot render)
  gs.page('/app/home');
  assert.strictEqual(events.length, errors.length);
});

test('a guide that throws while being decided fails alone', () => {
  // {$elemMatch: null} throws (Object.keys(null)) only for a user whose tags has an element
  const {gs, events} = start({init: {storage: memoryStorage(), user: {id: 'user-1', tags: ['a']}, bundle: bundle((b) => {
    b.guides.find((g) => g.id === 'upload-tip').audience.condition = {tags: {$elemMatch: null}};
  })}});
  assert.deepStrictEqual(plain(gs.decide('upload-tip')).reason, 'runtime_error');
  assert.deepStrictEqual(events.map((e) => [e[0], e[1].guide_id]), [['runtime_error', 'upload-tip']]);
  assert.strictEqual(gs.decide('nps').eligible, true);
});
