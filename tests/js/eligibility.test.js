// The decision for one guide (docs/eligibility.md): every reason code, in order, and behaviour attributes.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {decide, attributes} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const NOW = Date.parse('2026-11-24T12:00:00Z');
const H = 36e5, DAY = 864e5;

function guide(extra = {}) {
  return Object.assign({
    id: 'g', name: 'G', kind: 'modal', status: 'live', priority: 0, theme: 'default', exempt_from_throttle: false,
    audience: {segments: [], condition: {}}, trigger: {on: 'page_view'}, schedule: {}, frequency: {stop_after: []},
    display: {}, variants: [{key: 'a', weight: 1, steps: []}, {key: 'b', weight: 1, steps: []}]
  }, extra);
}
const history = (g = {}, extra = {}) => Object.assign({v: 1, guides: {g}, events: {}}, extra);
const reason = (...args) => decide(...args).reason;
const USER = {id: 'user-1', plan: 'free', storage_used_pct: 42};

// Experiment whose buckets (seed exp1, hash v2) put user-0 in control (n=0.0423), user-1 in "a"
// (0.3993), user-5 in "b" (0.856); with coverage 0.5 user-3 (0.5521) falls in a gap.
const EXP = {key: 'exp1', seed: 'exp1', coverage: 1, control_weight: 0.2, variations: ['control', 'a', 'b'], weights: [0.2, 0.4, 0.4]};

test('eligible: the first variant without an experiment', () => {
  assert.deepStrictEqual(decide(guide(), USER, NOW, {}, {}), {eligible: true, reason: 'eligible', detail: '', variant: 'a'});
  assert.strictEqual(decide(guide(), USER, NOW, undefined, undefined).variant, 'a');
});

test('schedule', () => {
  assert.strictEqual(reason(guide({schedule: {start: '2026-11-25T00:00:00Z'}}), USER, NOW, {}), 'schedule_not_started');
  assert.strictEqual(reason(guide({schedule: {end: '2026-11-24T11:59:59Z'}}), USER, NOW, {}), 'schedule_ended');
  assert.strictEqual(reason(guide({schedule: {start: '2026-11-24T12:00:00Z', end: '2026-11-24T12:00:00Z'}}), USER, NOW, {}), 'eligible');
});

test('audience, with the first failing clause as detail', () => {
  const g = guide({audience: {segments: ['free'], condition: {$and: [{plan: 'free'}, {storage_used_pct: {$gte: 90}}]}}});
  const d = decide(g, USER, NOW, {});
  assert.strictEqual(d.reason, 'audience');
  assert.strictEqual(d.eligible, false);
  assert.strictEqual(d.variant, null);
  assert.strictEqual(d.detail, 'storage_used_pct {"$gte":90}');
  assert.strictEqual(reason(g, {...USER, storage_used_pct: 95}, NOW, {}), 'eligible');
  assert.strictEqual(reason(guide({audience: {segments: [], condition: {'account.tier': 'gold'}}}), {account: {tier: 'gold'}}, NOW, {}), 'eligible');
});

test('experiment: variant, control, gaps, namespace, missing hash attribute', () => {
  const g = guide({experiment: EXP});
  assert.deepStrictEqual(decide(g, {id: 'user-1'}, NOW, {}), {eligible: true, reason: 'eligible', detail: '', variant: 'a'});
  assert.strictEqual(decide(g, {id: 'user-5'}, NOW, {}).variant, 'b');
  assert.deepStrictEqual(decide(g, {id: 'user-0'}, NOW, {}), {eligible: false, reason: 'control', detail: '', variant: 'control'});
  assert.strictEqual(reason(guide({experiment: {...EXP, coverage: 0.5}}), {id: 'user-3'}, NOW, {}), 'not_in_experiment');
  // namespace ns1 [0, 0.5): user-0 hashes to 0.821 there, user-2 to 0.079
  const ns = guide({experiment: {...EXP, namespace: ['ns1', 0, 0.5]}});
  assert.strictEqual(reason(ns, {id: 'user-0'}, NOW, {}), 'not_in_namespace');
  assert.notStrictEqual(reason(ns, {id: 'user-2'}, NOW, {}), 'not_in_namespace');
  for (const user of [{}, {id: ''}, {id: null}, null]) assert.strictEqual(reason(g, user, NOW, {}), 'no_hash_attribute');
  // hash_attribute from the bundle; values hashed as String(): 1 and "1" land in the same bucket
  assert.strictEqual(reason(g, {id: 'x', account_id: 'user-0'}, NOW, {}, {hash_attribute: 'account_id'}), 'control');
  assert.strictEqual(decide(g, {id: 7}, NOW, {}).variant, decide(g, {id: '7'}, NOW, {}).variant);
  // no control group: variation 0 is a real variant
  const noControl = guide({experiment: {...EXP, control_weight: 0, variations: ['a', 'b'], weights: [0.5, 0.5]}});
  assert.strictEqual(decide(noControl, {id: 'user-0'}, NOW, {}).variant, 'a');
});

test('experiment is decided before frequency: a control user stays control', () => {
  const g = guide({experiment: EXP, frequency: {stop_after: ['dismissed']}});
  assert.strictEqual(reason(g, {id: 'user-0'}, NOW, history({dismissed: NOW - H})), 'control');
});

test('stopped: each outcome, named in detail', () => {
  for (const [outcome, field] of [['dismissed', 'dismissed'], ['completed', 'completed'], ['cta_clicked', 'cta_clicked'],
    ['goal_reached', 'goal_reached'], ['snoozed', 'snoozed_until']]) {
    const g = guide({frequency: {stop_after: [outcome]}});
    const d = decide(g, USER, NOW, history({[field]: NOW - 30 * DAY}));
    assert.deepStrictEqual([d.reason, d.detail, d.variant], ['stopped', outcome, null], outcome);
    assert.strictEqual(reason(g, USER, NOW, history({[field]: null})), 'eligible', `${outcome} null`);
  }
  // an outcome not listed in stop_after does not stop
  assert.strictEqual(reason(guide({frequency: {stop_after: ['completed']}}), USER, NOW, history({dismissed: NOW})), 'eligible');
});

test('snoozed, frequency_cap, cooldown', () => {
  assert.strictEqual(reason(guide(), USER, NOW, history({snoozed_until: NOW + 1})), 'snoozed');
  assert.strictEqual(reason(guide(), USER, NOW, history({snoozed_until: NOW})), 'eligible');
  const capped = guide({frequency: {max_shows: 2, stop_after: []}});
  assert.strictEqual(reason(capped, USER, NOW, history({shows: 2})), 'frequency_cap');
  assert.strictEqual(reason(capped, USER, NOW, history({shows: 1})), 'eligible');
  const cool = guide({frequency: {cooldown_hours: 24, stop_after: []}});
  assert.strictEqual(reason(cool, USER, NOW, history({last_shown: NOW - 23 * H})), 'cooldown');
  assert.strictEqual(reason(cool, USER, NOW, history({last_shown: NOW - 24 * H})), 'eligible');
  assert.strictEqual(reason(cool, USER, NOW, history({})), 'eligible');
});

test('throttle: gap, session, day; exemption', () => {
  const ctx = {throttle: {min_minutes_between: 10, max_per_session: 2, max_per_day: 3}};
  const h = (extra) => Object.assign({v: 1, guides: {}, events: {}}, extra);
  assert.strictEqual(reason(guide(), USER, NOW, h({last_shown_any: NOW - 9 * 6e4}), ctx), 'throttle_gap');
  assert.strictEqual(reason(guide(), USER, NOW, h({last_shown_any: NOW - 10 * 6e4}), ctx), 'eligible');
  const session = {started: NOW - H, last_seen: NOW - 60e3, shows: 2};
  assert.strictEqual(reason(guide(), USER, NOW, h({session}), ctx), 'throttle_session');
  // a session ends after 30 minutes without activity
  assert.strictEqual(reason(guide(), USER, NOW, h({session: {...session, last_seen: NOW - 31 * 6e4}}), ctx), 'eligible');
  // context.session, when given, is the session
  assert.strictEqual(reason(guide(), USER, NOW, h({}), {...ctx, session}), 'throttle_session');
  assert.strictEqual(reason(guide(), USER, NOW, h({day: {date: '2026-11-24', shows: 3}}), ctx), 'throttle_day');
  assert.strictEqual(reason(guide(), USER, NOW, h({day: {date: '2026-11-23', shows: 3}}), ctx), 'eligible');
  const exempt = guide({exempt_from_throttle: true});
  assert.strictEqual(reason(exempt, USER, NOW, h({last_shown_any: NOW, session, day: {date: '2026-11-24', shows: 9}}), ctx), 'eligible');
  // no throttle configured: nothing blocks
  assert.strictEqual(reason(guide(), USER, NOW, h({last_shown_any: NOW, session, day: {date: '2026-11-24', shows: 9}}), {}), 'eligible');
});

test('checks run in the documented order', () => {
  const g = guide({schedule: {end: '2020-01-01T00:00:00Z'}, audience: {segments: [], condition: {plan: 'pro'}},
    frequency: {max_shows: 1, stop_after: ['dismissed']}});
  const h = history({shows: 5, dismissed: NOW, snoozed_until: NOW + H});
  assert.strictEqual(reason(g, USER, NOW, h), 'schedule_ended');
  g.schedule = {};
  assert.strictEqual(reason(g, USER, NOW, h), 'audience');
  g.audience.condition = {};
  assert.strictEqual(reason(g, USER, NOW, h), 'stopped');
  g.frequency.stop_after = [];
  assert.strictEqual(reason(g, USER, NOW, h), 'snoozed');
  delete h.guides.g.snoozed_until;
  assert.strictEqual(reason(g, USER, NOW, h), 'frequency_cap');
});

test('behaviour attributes: count, last_7d, last_30d, days_since per UTC day', () => {
  const events = {report_opened: {'2026-11-24': 2, '2026-11-18': 1, '2026-11-17': 4, '2026-10-26': 8, '2026-10-25': 16, '2026-06-01': 32}};
  const a = attributes({id: 'u'}, events, NOW, []).events.report_opened;
  assert.deepStrictEqual(a, {count: 63, last_7d: 3, last_30d: 15, days_since: 0});
  const b = attributes({}, {x: {'2026-11-21': 1}}, Date.parse('2026-11-24T23:59:59Z'), []).events.x;
  assert.strictEqual(b.days_since, 3);
});

test('behaviour attributes: never-seen names get zeros and no days_since; dotted names nest; the product wins', () => {
  const a = attributes({id: 'u', events: {report_opened: {count: 99}}}, {report_opened: {'2026-11-24': 1}, 'files.shared': {'2026-11-20': 2}},
    NOW, ['never_done', 'files.shared']);
  assert.deepStrictEqual(a.events.never_done, {count: 0, last_7d: 0, last_30d: 0});
  assert.deepStrictEqual(a.events.files.shared, {count: 2, last_7d: 2, last_30d: 2, days_since: 4});
  assert.strictEqual(a.events.report_opened.count, 99);
  assert.strictEqual(a.events.report_opened.last_7d, 1);
  assert.strictEqual(a.id, 'u');
});

test('behaviour attributes in conditions', () => {
  const h = {v: 1, guides: {}, events: {report_opened: {'2026-11-23': 3}}};
  const cond = (c) => guide({audience: {segments: [], condition: c}});
  assert.strictEqual(reason(cond({'events.report_opened.last_7d': {$gte: 3}}), USER, NOW, h), 'eligible');
  assert.strictEqual(reason(cond({'events.report_opened.days_since': 1}), USER, NOW, h), 'eligible');
  // "uses feature A but not B": B was never tracked, its count is 0
  assert.strictEqual(reason(cond({$and: [{'events.report_opened.count': {$gt: 0}}, {'events.export_done.count': 0}]}), USER, NOW, h), 'eligible');
  assert.strictEqual(reason(cond({'events.export_done.days_since': {$exists: true}}), USER, NOW, h), 'audience');
  assert.strictEqual(reason(cond({$or: [{'events.x.y.count': {$gte: 1}}]}), USER, NOW, {v: 1, guides: {}, events: {'x.y': {'2026-11-01': 1}}}), 'eligible');
});

test('hostile attribute and event names do not reach Object.prototype', () => {
  attributes({events: JSON.parse('{"__proto__": {"polluted": 1}}')}, JSON.parse('{"__proto__": {"2026-11-24": 1}}'), NOW, ['__proto__']);
  assert.strictEqual({}.polluted, undefined);
  assert.strictEqual({}.count, undefined);
});
