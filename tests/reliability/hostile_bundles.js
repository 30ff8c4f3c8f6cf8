// Hostile bundles in the runtime (issue 13): bundles whose checksum is valid but whose guides are
// broken in random ways, tampered bundles, and attempts at prototype pollution through guides,
// conditions, user attributes, stored history and event names. For each trial: nothing throws
// out of the runtime, a runtime_error names only broken guides, every intact guide decides exactly
// as it does in the clean bundle and is still put on the page when it is in the clean run,
// tampered bundles are refused, and Object.prototype stays clean. The window is a fake whose
// elements refuse markup ("fake-dom"): the runtime_error that follows says which guide it showed.
// Usage: node hostile_bundles.js TRIALS SEED  -> JSON list of failure lines on stdout.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SOURCE = fs.readFileSync(path.join(__dirname, '../../guidestudio/resources/runtime/guide-runtime.js'), 'utf8');
const FIXTURE = fs.readFileSync(path.join(__dirname, '../js/fixtures/bundle.json'), 'utf8');
const NOW = Date.parse('2026-11-24T12:00:00Z');
const [trials, seed] = [Number(process.argv[2] || 100), Number(process.argv[3] || 1)];

let state = seed >>> 0 || 1;
const random = () => ((state = Math.imul(state ^ (state >>> 15), 2246822519) + 0x9e3779b9 >>> 0) / 4294967296);
const pick = (list) => list[Math.floor(random() * list.length)];

function fakeWindow() {
  const target = () => ({addEventListener() {}, removeEventListener() {}});
  const element = () => Object.defineProperty({remove() {}, style: {}}, 'innerHTML', {set() { throw new Error('fake-dom'); }});
  const doc = Object.assign(target(), {head: {appendChild() {}}, createElement: element, querySelector: () => null});
  return Object.assign(target(), {document: doc, location: {href: 'https://app.example/app/home', protocol: 'https:'}});
}
function runtime() {
  const win = fakeWindow(), warnings = [];
  const ctx = vm.createContext({self: win, console: {warn: (...a) => warnings.push(a.join(' '))}, TextEncoder, URL, setTimeout, clearTimeout});
  vm.runInContext(SOURCE, ctx);
  return {GS: ctx.self.GuideStudio, warnings, ctx};
}
const {sha256, canonical} = runtime().GS._internal;
function seal(bundle) {
  delete bundle.checksum;
  bundle.checksum = 'sha256:' + sha256(canonical(bundle));
  return bundle;
}
const cleanBundle = () => JSON.parse(FIXTURE);

const BAD_VALUES = [null, 0, 'x', [], {}, true, -1, JSON.parse('{"__proto__": {"polluted": 1}}')];
const GUIDE_BREAKS = [
  (g) => { delete g[pick(['variants', 'schedule', 'frequency', 'audience', 'display', 'id', 'trigger'])]; },
  (g) => { g[pick(['variants', 'schedule', 'frequency', 'audience', 'display', 'id', 'trigger'])] = pick(BAD_VALUES); },
  (g) => { g.variants = []; },
  (g) => { g.variants[0].steps = pick([null, 'x', [null], [{}]]); },
  (g) => { g.variants[0].steps[0].html = pick([null, 5, 'x']); },
  (g) => { g.variants[0].steps[0].actions = pick([null, 'x', {}]); },
  (g) => { g.frequency.stop_after = pick([null, {}, 'dismissed', 5]); },
  (g) => { g.audience.condition = pick([{$and: 5}, {$or: null}, {tags: {$elemMatch: null}}]); },
  (g) => { g.trigger = pick([{on: 'event', event: 'x', url: 5}, {on: 'delay', seconds: 'x', url: {}}, 'page_view']); },
  (g) => { g.experiment = pick([{key: 'k', variations: null}, {key: 'k', variations: ['a'], namespace: 5}, 'x']); }
];
// Each returns the ids of the guides it changes ('*': it changes what every guide reads).
const POLLUTION = [
  (b) => { b.guides[0].audience.condition = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'); return [b.guides[0].id]; },
  (b) => { b.guides.push(JSON.parse('{"__proto__": {"polluted": 1}, "id": "__proto__"}')); return ['__proto__']; },
  (b) => { b.project = JSON.parse('{"id": "__proto__", "__proto__": {"polluted": 1}}'); return ['*']; } // another storage key
];
const TAMPERS = [
  (b) => { b.guides[0].priority = 99; }, // after sealing: the checksum no longer matches
  (b) => { b.format_version = 2; },
  (b) => { b.guides = {}; }
];
const USERS = [
  () => ({id: 'user-1', plan: 'free'}),
  () => JSON.parse('{"id": "user-2", "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "events": {"__proto__": {"polluted": 1}}}'),
  () => ({id: 'user-3', tags: ['a'], toString: 'x', valueOf: null})
];
const HISTORIES = [
  () => null,
  () => JSON.stringify({v: 1, guides: {}, events: {}}),
  () => '{"v": 1, "guides": {"__proto__": {"polluted": 1}}, "events": {"__proto__": {"2026-11-24": 1}}, "__proto__": {"polluted": 1}}'
];

function session(bundle, user, stored) {
  const {GS, warnings, ctx} = runtime(), events = [], data = stored ? {'guidestudio:acme': stored} : {};
  const storage = {getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); }};
  const gs = GS.init({bundle, user, storage, now: () => NOW, onEvent: (name, props) => events.push([name, props])});
  const decisions = {};
  for (const id of ['nps', 'onboarding', 'reports-hotspot', 'storage-banner', 'tour', 'upload-tip', 'welcome', '__proto__', 'constructor']) {
    decisions[id] = JSON.stringify(gs.decide(id));
  }
  gs.page('/app/home');
  gs.page('/files/x');
  for (const name of ['report_opened', 'nps_due', 'show_checklist', '__proto__', 'constructor', 'toString']) gs.track(name);
  gs.destroy();
  const shown = new Set(events.filter((e) => e[0] === 'runtime_error' && /fake-dom/.test(e[1].message)).map((e) => e[1].guide_id));
  return {events: events.filter((e) => !(e[0] === 'runtime_error' && /fake-dom/.test(e[1].message))), warnings, decisions, shown, polluted: vm.runInContext('({}).polluted !== undefined || Object.keys(Object.prototype).length > 0', ctx)};
}

const failures = [], cleanRuns = {};
for (let trial = 0; trial < trials; trial++) {
  const userIndex = Math.floor(random() * USERS.length), historyIndex = Math.floor(random() * HISTORIES.length);
  const user = USERS[userIndex](), stored = HISTORIES[historyIndex]();
  const clean = cleanRuns[userIndex + ',' + historyIndex] = cleanRuns[userIndex + ',' + historyIndex] ||
    session(seal(cleanBundle()), USERS[userIndex](), stored);
  const bundle = cleanBundle(), broken = new Set();
  const kind = random();
  let tampered = false;
  if (kind < 0.7) {
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const guide = pick(bundle.guides);
      broken.add(guide.id);
      try { pick(GUIDE_BREAKS)(guide); } catch (e) { /* an earlier break took what this one changes */ }
    }
  } else if (kind < 0.85) {
    for (const id of pick(POLLUTION)(bundle)) broken.add(id);
  }
  seal(bundle);
  if (kind >= 0.85) {
    pick(TAMPERS)(bundle);
    tampered = true;
  }
  const what = `trial ${trial}: ${JSON.stringify([...broken])}${tampered ? ' tampered' : ''}`;
  let run;
  try {
    run = session(bundle, user, stored);
  } catch (e) {
    failures.push(`${what}: threw out of the runtime: ${e}`);
    continue;
  }
  if (run.polluted || clean.polluted) failures.push(`${what}: Object.prototype was polluted`);
  if (tampered) {
    if (run.warnings.length !== 1 || run.events.length) failures.push(`${what}: a tampered bundle was not refused`);
    continue;
  }
  const errors = run.events.filter((e) => e[0] === 'runtime_error').map((e) => e[1]);
  for (const error of errors) {
    if (error.guide_id != null && !broken.has(error.guide_id) && typeof error.guide_id === 'string') {
      failures.push(`${what}: runtime_error names the intact guide ${error.guide_id}: ${error.message}`);
    }
  }
  for (const id of clean.shown) {
    if (!broken.has(id) && !broken.has('*') && !run.shown.has(id)) failures.push(`${what}: the intact guide ${id} no longer shows`);
  }
  for (const id of Object.keys(clean.decisions)) {
    if (!broken.has(id) && !broken.has('*') && run.decisions[id] !== clean.decisions[id]) {
      failures.push(`${what}: the intact guide ${id} decides ${run.decisions[id]}, not ${clean.decisions[id]}`);
    }
  }
}
process.stdout.write(JSON.stringify(failures));
