// GuideStudio.targeting against GrowthBook's cross-SDK suite and our own vectors (same row layouts).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const {targeting: T} = require('../../guidestudio/resources/runtime/guide-runtime.js');

const GROWTHBOOK = path.join(__dirname, '../conformance/growthbook/cases.json');
const VECTORS = path.join(__dirname, '../vectors/targeting.json');

const close = (a, b) => Math.abs(a - b) < 1e-6;
const closeRanges = (got, want) => got.length === want.length && got.every((r, i) => close(r[0], want[i][0]) && close(r[1], want[i][1]));

// One runner per section; every file uses GrowthBook's row layouts.
const SECTIONS = {
  evalCondition: ([name, cond, attrs, expected, groups]) =>
    assert.strictEqual(T.evalCondition(attrs, cond, groups), expected, name),
  hash: ([seed, value, version, expected]) => {
    const got = T.hash(seed, value, version);
    assert.ok(expected === null ? got === null : close(got, expected), `hash(${JSON.stringify([seed, value, version])}) = ${got}, want ${expected}`);
  },
  getBucketRange: ([name, [n, coverage, weights], expected]) => {
    const got = T.getBucketRanges(n, coverage, weights === null ? undefined : weights);
    assert.ok(closeRanges(got, expected), `${name}: ${JSON.stringify(got)}`);
  },
  chooseVariation: ([name, n, ranges, expected]) => assert.strictEqual(T.chooseVariation(n, ranges), expected, name),
  inNamespace: ([name, value, ns, expected]) => assert.strictEqual(T.inNamespace(value, ns), expected, name),
  getEqualWeights: ([n, expected]) => {
    const got = T.getEqualWeights(n);
    assert.ok(got.length === expected.length && got.every((w, i) => close(w, expected[i])), `getEqualWeights(${n}) = ${got}`);
  },
  paddedVersion: ([input, expected]) => assert.strictEqual(T.paddedVersionString(input), expected, JSON.stringify(input))
};

function runFile(file, label) {
  if (!fs.existsSync(file)) {
    // Both files are the contract (test data in this repository, tests/conformance/):
    // without them nothing is verified, so their absence fails rather than skips.
    test(`${label} is present`, () => assert.fail(`missing ${file}`));
    return;
  }
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [section, run] of Object.entries(SECTIONS)) {
    if (!Array.isArray(data[section])) continue;
    test(`${label}: ${section} (${data[section].length} rows)`, () => {
      const failures = [];
      for (const row of data[section]) {
        try { run(row); } catch (e) { failures.push(e.message); }
      }
      assert.deepStrictEqual(failures, [], `${failures.length} of ${data[section].length} rows failed`);
    });
  }
}

runFile(GROWTHBOOK, 'GrowthBook suite');
runFile(VECTORS, 'tests/vectors/targeting.json');

test('GrowthBook suite has every section we rely on', () => {
  const data = JSON.parse(fs.readFileSync(GROWTHBOOK, 'utf8'));
  for (const s of ['evalCondition', 'hash', 'getBucketRange', 'chooseVariation', 'inNamespace', 'getEqualWeights']) {
    assert.ok(Array.isArray(data[s]) && data[s].length > 0, s);
  }
});

test('unknown and malformed operators fail instead of throwing', () => {
  assert.strictEqual(T.evalCondition({a: 1}, {a: {$nope: 1}}), false);
  assert.strictEqual(T.evalCondition({a: 1}, {a: {$noti: {$eq: 2}}}), false);
  assert.strictEqual(T.evalCondition({a: 1}, {a: {$constructor: 1}}), false);
  assert.strictEqual(T.evalCondition({a: 'x'}, {a: {$regex: '(?i)x'}}), false);
});

test('hashing uses UTF-16 code units and String()', () => {
  // "😀" is two code units; a code-point or UTF-8 implementation gives a different value.
  assert.strictEqual(T.hash('', '😀', 1), 0.472);
  assert.strictEqual(T.hash('seed', 1, 2), T.hash('seed', '1', 2));
  assert.strictEqual(T.hash('a', 'b', 3), null);
});
