// The shipped guide-runtime.min.js: built from the readable source (`make runtime`), never stale, and
// the same runtime. (`make runtime-check` also rebuilds it with esbuild and compares the bytes; the
// browser tests in tests/runtime run on both files.)
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const DIR = path.join(__dirname, '../../guidestudio/resources/runtime');
const SOURCE = fs.readFileSync(path.join(DIR, 'guide-runtime.js'), 'utf8');
const MINIFIED = fs.readFileSync(path.join(DIR, 'guide-runtime.min.js'), 'utf8');
const MAP = JSON.parse(fs.readFileSync(path.join(DIR, 'guide-runtime.min.js.map'), 'utf8'));
const VECTORS = JSON.parse(fs.readFileSync(path.join(__dirname, '../vectors/targeting.json'), 'utf8'));
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/bundle.json'), 'utf8'));

// Each file as a classic script in a realm of its own, as a page would load it, in a window with just
// what init() touches when nothing is shown (as in runtime.test.js).
const load = (code) => {
  const target = {addEventListener() {}, removeEventListener() {}};
  const document = {...target, head: {appendChild() {}}, createElement: () => ({}), querySelector: () => null};
  const realm = vm.createContext({self: {...target, document, location: {href: 'https://app.example/', protocol: 'https:'}},
    TextEncoder, URL, setTimeout, clearTimeout});
  vm.runInContext(code, realm);
  return realm.self.GuideStudio;
};
const readable = load(SOURCE), shipped = load(MINIFIED);
const plain = (x) => JSON.parse(JSON.stringify(x)); // across realms

test('the minified file was built from the current source (else: make runtime)', () => {
  assert.deepStrictEqual(MAP.sources, ['guide-runtime.js']);
  assert.ok(MAP.sourcesContent[0] === SOURCE, 'guide-runtime.min.js.map holds another guide-runtime.js: run `make runtime`');
  assert.ok(MINIFIED.endsWith('\n//# sourceMappingURL=guide-runtime.min.js.map\n'));
  assert.ok(MINIFIED.length < SOURCE.length / 2, 'not minified');
});

test('the minified runtime has the same public surface', () => {
  for (const runtime of [readable, shipped]) {
    assert.strictEqual(runtime.version, readable.version);
    assert.strictEqual(runtime.FORMAT_VERSION, 1);
    assert.strictEqual(typeof runtime.init, 'function');
  }
  assert.deepStrictEqual(Object.keys(shipped.targeting), Object.keys(readable.targeting));
  // the pure functions for tests are in the readable file only: the build drops them (tools/js/build-runtime.mjs)
  assert.ok(readable._internal.decide && !('_internal' in shipped));
});

test('the minified runtime gives the same answers on the targeting vectors and the fixture bundle', () => {
  const rows = VECTORS.evalCondition;
  assert.ok(rows.length > 100);
  for (const [name, condition, attributes, , groups] of rows) {
    assert.strictEqual(shipped.targeting.evalCondition(attributes, condition, groups),
      readable.targeting.evalCondition(attributes, condition, groups), name);
  }
  // Through the public API: init() checks the bundle (refused: every decide() is null) and decides.
  // Triggers that never fire, so that nothing is shown and only deciding runs.
  const {sha256, canonical} = readable._internal, {checksum, ...quiet} = plain(FIXTURE);
  quiet.guides = quiet.guides.map((guide) => ({...guide, trigger: {on: 'event', event: 'never'}}));
  quiet.checksum = 'sha256:' + sha256(canonical(quiet));
  const now = () => Date.parse('2026-11-24T12:00:00Z'), storage = {getItem: () => null, setItem() {}};
  for (const user of [{id: 'user-1', plan: 'free'}, {id: 'user-2', plan: 'pro'}, {}]) {
    const [ours, theirs] = [shipped, readable].map((runtime) => runtime.init({bundle: quiet, user, now, storage}));
    for (const guide of quiet.guides) {
      const decision = plain(ours.decide(guide.id));
      assert.ok(decision && decision.reason, guide.id);
      assert.deepStrictEqual(decision, plain(theirs.decide(guide.id)), guide.id);
    }
  }
});

test('the shipped file stays within its size budget: 9,216 bytes gzipped (-9)', () => {
  const size = require('node:zlib').gzipSync(MINIFIED, {level: 9}).length;
  assert.ok(size <= 9216, `${size} B gzipped`);
});
