// tests/vectors/eligibility.json — the cases core/eligibility.py runs too — through the runtime's
// own functions. Row layouts are described in the file's "layouts".
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const {decide, attributes, fires, pick, matchUrl} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const FILE = path.join(__dirname, '../vectors/eligibility.json');
const BASE = 'http://localhost/'; // relative URLs resolve as in the Python evaluator

// A simulated trigger event has no DOM: a click "hits" when the selectors are the same text.
const event = (ev) => ev && Object.assign({}, ev, {hit: (selector) => selector === ev.selector});

const SECTIONS = {
  decide: ([, guide, user, now, history, context, want]) => {
    const got = decide(guide, user, now, history, context);
    assert.deepStrictEqual({eligible: got.eligible, reason: got.reason, variant: got.variant}, want);
  },
  behaviour: ([, events, now, names, want]) => assert.deepStrictEqual(attributes({}, events, now, names).events, want),
  pick: ([, guides, user, now, history, context, trigger, want]) => {
    const concerned = guides.filter((g) => !trigger || fires(g.trigger, event(trigger), BASE));
    const best = pick(concerned, (g) => decide(g, user, now, history, context))[0];
    assert.strictEqual(best ? best.id : null, want);
  },
  trigger: ([, trigger, ev, want]) => assert.strictEqual(fires(trigger, event(ev), BASE), want),
  // The runtime only needs to know whether a page matches; the captured :params are not exposed.
  match_url: ([pattern, url, want]) => assert.strictEqual(matchUrl(pattern, url, BASE), want !== null)
};

if (!fs.existsSync(FILE)) {
  test('tests/vectors/eligibility.json is present', () => assert.fail(`missing ${FILE}`));
} else {
  const data = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  for (const [section, run] of Object.entries(SECTIONS)) {
    if (!Array.isArray(data[section])) continue;
    test(`eligibility vectors: ${section} (${data[section].length} rows)`, () => {
      const failures = [];
      for (const row of data[section]) {
        try { run(row); } catch (e) { failures.push(`${JSON.stringify(row[0])}: ${e.message.split('\n')[0]}`); }
      }
      assert.deepStrictEqual(failures, []);
    });
  }
}
