// The stored history: parsing untrusted storage values, and bounded event counting.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {parseHistory, recordEvent} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const NOW = Date.parse('2026-11-24T12:00:00Z'), DAY = 864e5;
const fresh = {v: 1, guides: {}, events: {}};

test('missing, corrupt and foreign values give a fresh history', () => {
  for (const raw of [null, undefined, '', '{', 'null', '42', '"v1"', '[]', '[{"v":1}]', '{"guides":{}}', '{"v":"1"}', '{"v":0}', '{"v":true}']) {
    assert.deepStrictEqual(parseHistory(raw), fresh, String(raw));
  }
});

test('a newer version is ignored and reported as null (the runtime then never overwrites it)', () => {
  assert.strictEqual(parseHistory('{"v":2,"guides":{"a":{"shows":1}}}'), null);
  assert.strictEqual(parseHistory('{"v":1.5}'), null);
});

test('a valid history is kept; broken parts are normalised', () => {
  const h = {v: 1, guides: {a: {shows: 2, dismissed: 5}}, events: {x: {'2026-11-24': 1}}, last_shown_any: 3,
    day: {date: '2026-11-24', shows: 1}, session: {started: 1, last_seen: 2, shows: 1}};
  assert.deepStrictEqual(parseHistory(JSON.stringify(h)), h);
  assert.deepStrictEqual(parseHistory('{"v":1,"guides":[1],"events":"x"}'), fresh);
});

test('events are counted per UTC day', () => {
  const h = parseHistory(null);
  recordEvent(h, 'report_opened', NOW);
  recordEvent(h, 'report_opened', NOW + 11 * 36e5); // 23:00Z, same UTC day
  recordEvent(h, 'report_opened', Date.parse('2026-11-25T00:00:00Z'));
  assert.deepStrictEqual(h.events, {report_opened: {'2026-11-24': 2, '2026-11-25': 1}});
});

test('at most 90 days are kept: the oldest day goes first', () => {
  const h = parseHistory(null);
  for (let i = 90; i >= 0; i--) recordEvent(h, 'x', NOW - i * DAY); // 91 days, oldest first
  const days = Object.keys(h.events.x).sort();
  assert.strictEqual(days.length, 90);
  assert.strictEqual(days[0], '2026-08-27'); // 89 days before today
  assert.strictEqual(days[89], '2026-11-24');
  assert.ok(!('2026-08-26' in h.events.x));
});

test('old days of other names are dropped too, and names left empty disappear', () => {
  const h = {v: 1, guides: {}, events: {stale: {'2026-01-01': 4}, mixed: {'2026-01-01': 1, '2026-11-01': 2}, junk: 'x'}};
  recordEvent(h, 'y', NOW);
  assert.deepStrictEqual(h.events, {mixed: {'2026-11-01': 2}, y: {'2026-11-24': 1}});
});

test('at most 100 names are kept: the least recently seen go first, never the one just tracked', () => {
  const h = parseHistory(null);
  for (let i = 0; i < 100; i++) h.events['e' + String(i).padStart(3, '0')] = {[new Date(NOW - (i % 50) * DAY).toISOString().slice(0, 10)]: 1};
  recordEvent(h, 'newest', NOW - 60 * DAY); // 101 names; recorded long ago by the clock, still kept
  const names = Object.keys(h.events);
  assert.strictEqual(names.length, 100);
  assert.ok(names.includes('newest'));
  // the dropped one was last seen the longest ago (49 days; two names tie, the first by name goes)
  assert.ok(!names.includes('e049'));
  assert.ok(names.includes('e099'));
});

test('101 names tracked today: one drops, not the one just tracked', () => {
  const h = parseHistory(null);
  for (let i = 0; i < 101; i++) recordEvent(h, 'n' + i, NOW);
  recordEvent(h, 'n0', NOW);
  assert.strictEqual(Object.keys(h.events).length, 100);
  assert.ok('n0' in h.events);
});
