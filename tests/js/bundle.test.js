// Bundle integrity: canonical JSON, the built-in SHA-256, and the checks init() runs before showing anything.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const path = require('node:path');
const GS = require('../../guidestudio/resources/runtime/guide-runtime.js');
const {sha256, canonical, checkBundle} = GS._internal;

const fixture = () => JSON.parse(require('node:fs').readFileSync(path.join(__dirname, 'fixtures/bundle.json'), 'utf8'));

test('sha256 matches node:crypto on padding edges, non-ASCII and large input', () => {
  const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(119),
    'é日本😀\u0000\u2028', 'ストレージ'.repeat(1000), 'x'.repeat(200003)];
  for (const s of inputs) {
    assert.strictEqual(sha256(s), crypto.createHash('sha256').update(s, 'utf8').digest('hex'), `length ${s.length}`);
  }
});

test('canonical JSON: sorted keys at every depth, no whitespace, JS number and string forms', () => {
  assert.strictEqual(canonical({b: 1, a: {d: [3, {z: 1, y: 2}], c: null}}), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  assert.strictEqual(canonical({n: [1.0, 1e-7, 0.00001, 1e21, -0]}), '{"n":[1,1e-7,0.00001,1e+21,0]}');
  assert.strictEqual(canonical({s: 'é "q" \\ \n\u0001 ü'}), '{"s":"é \\"q\\" \\\\ \\n\\u0001 ü"}');
  // keys sort by UTF-16 code unit
  assert.strictEqual(canonical({'\uff01': 1, '😀': 2, B: 3, a: 4}), '{"B":3,"a":4,"😀":2,"！":1}');
});

test('the fixture bundle is accepted (its checksum was cross-checked with Python hashlib)', () => {
  const b = fixture();
  assert.strictEqual(checkBundle(b), '');
  // Python: hashlib.sha256(json.dumps(b_without_checksum, sort_keys=True, ensure_ascii=False,
  //         separators=(',', ':')).encode()).hexdigest()
  assert.strictEqual(b.checksum, 'sha256:c18856be707bf2d715c9875947c08a8058047b89194b6b92feb1fc7f093946ea');
});

test('key order in the file does not matter', () => {
  const b = fixture(), shuffled = {};
  for (const k of Object.keys(b).reverse()) shuffled[k] = b[k];
  assert.strictEqual(checkBundle(shuffled), '');
});

test('tampered, wrong-version and foreign bundles are refused', () => {
  const tampered = fixture();
  tampered.guides[0].variants[0].steps[0].html.en += '<img src=x onerror=alert(1)>';
  assert.strictEqual(checkBundle(tampered), 'checksum');

  const noChecksum = fixture();
  delete noChecksum.checksum;
  assert.strictEqual(checkBundle(noChecksum), 'checksum');

  const v2 = fixture();
  v2.format_version = 2;
  assert.strictEqual(checkBundle(v2), 'format');

  assert.strictEqual(checkBundle({...fixture(), format: 'other'}), 'format');
  for (const bad of [null, undefined, 'bundle', [], 42]) assert.strictEqual(checkBundle(bad), 'format');
});

test('public surface', () => {
  assert.strictEqual(GS.FORMAT_VERSION, 1);
  assert.match(GS.version, /^\d+\.\d+\.\d+$/);
  assert.deepStrictEqual(Object.keys(GS.targeting).sort(),
    ['chooseVariation', 'evalCondition', 'getBucketRanges', 'getEqualWeights', 'hash', 'inNamespace', 'paddedVersionString']);
  assert.strictEqual(typeof GS.init, 'function');
});

test('the ES module shim exports the same runtime', async () => {
  const {pathToFileURL} = require('node:url');
  const mod = await import(pathToFileURL(path.join(__dirname, '../../guidestudio/resources/runtime/guide-runtime.mjs')).href);
  assert.strictEqual(mod.default, GS);
  assert.strictEqual(mod.targeting, GS.targeting);
  assert.strictEqual(mod.FORMAT_VERSION, 1);
});
