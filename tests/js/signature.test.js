// Signed bundles in Node (its WebCrypto has Ed25519, like browsers): what the signature covers, and
// init() with a publicKey using a bundle only once it verified. The same checks run in the real web
// engine on bundles Python signed (tests/runtime/test_signed_bundles.py).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const {sha256, canonical, checkBundle, verifySignature} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const SOURCE = fs.readFileSync(path.join(__dirname, '../../guidestudio/resources/runtime/guide-runtime.js'), 'utf8');
const FIXTURE = fs.readFileSync(path.join(__dirname, 'fixtures/bundle.json'), 'utf8');

function keyPair() {
  const {publicKey, privateKey} = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(12); // SPKI = 12-byte header + raw key
  return {publicKey: raw.toString('base64'), privateKey};
}
// What `guidestudio export --sign` writes: checksum and signature over the text without both.
function signed(privateKey, mutate) {
  const b = JSON.parse(FIXTURE);
  delete b.checksum;
  b.guides = b.guides.filter((g) => g.trigger.on !== 'page_view'); // nothing to render here
  if (mutate) mutate(b);
  const text = canonical(b);
  b.checksum = 'sha256:' + sha256(text);
  b.signature = 'ed25519:' + crypto.sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
  return b;
}
const reason = (promise) => promise.then(() => 'verified', (e) => String(e));

test('a signature verifies over the checksummed text, and the checksum ignores the signature', async () => {
  const {publicKey, privateKey} = keyPair(), b = signed(privateKey);
  assert.strictEqual(checkBundle(b), '');
  assert.strictEqual(await reason(verifySignature(b, publicKey)), 'verified');
  const shuffled = {}; // key order in the file does not matter
  for (const k of Object.keys(b).reverse()) shuffled[k] = b[k];
  assert.strictEqual(await reason(verifySignature(shuffled, publicKey)), 'verified');
});

test('tampered text, a missing signature and another key do not verify', async () => {
  const mine = keyPair(), theirs = keyPair();
  const tampered = signed(mine.privateKey);
  tampered.guides[0].variants[0].steps[0].html.en += '<a href="https://evil.example">pay</a>';
  const {checksum, signature, ...rest} = tampered;
  tampered.checksum = 'sha256:' + sha256(canonical(rest)); // an attacker recomputes the checksum
  assert.strictEqual(checkBundle(tampered), '');
  assert.strictEqual(await reason(verifySignature(tampered, mine.publicKey)), 'does not match');

  const unsigned = signed(mine.privateKey);
  delete unsigned.signature;
  assert.strictEqual(checkBundle(unsigned), '');
  assert.strictEqual(await reason(verifySignature(unsigned, mine.publicKey)), 'unsigned');

  assert.strictEqual(await reason(verifySignature(signed(theirs.privateKey), mine.publicKey)), 'does not match');
  assert.match(await reason(verifySignature(signed(mine.privateKey), 'not base64!')), /InvalidCharacterError|Invalid character/);
});

// init() in a fresh realm whose global is a minimal window (nothing renders in Node).
function start(bundle, publicKey) {
  const listeners = [], target = () => ({addEventListener: (t) => listeners.push(t), removeEventListener() {}});
  const doc = Object.assign(target(), {head: {appendChild() {}}, createElement: () => ({remove() {}}), querySelector: () => null});
  const win = Object.assign(target(), {document: doc, location: {href: 'https://app.example/app/home', protocol: 'https:'}});
  const warnings = [], events = [], verifying = []; // the runtime's signature checks, as started
  const subtle = {importKey: (...a) => crypto.subtle.importKey(...a),
    verify: (...a) => { const p = crypto.subtle.verify(...a); verifying.push(p); return p; }};
  const ctx = vm.createContext({self: win, console: {warn: (m) => warnings.push(m)}, TextEncoder, URL, setTimeout, clearTimeout, atob, crypto: {subtle}});
  vm.runInContext(SOURCE, ctx);
  const gs = ctx.self.GuideStudio.init({bundle, publicKey, user: {id: 'user-1', plan: 'free'}, storage: {getItem: () => null, setItem() {}},
    onEvent: (name, props) => events.push([name, JSON.parse(JSON.stringify(props))])});
  return {gs, events, warnings, listeners, verifying};
}
// Up to 10 s of clock, not a number of turns: the signature is checked by WebCrypto on
// libuv's thread pool, which a loaded machine may not reach within 1,000 turns (18 ms).
async function until(check) {
  const end = Date.now() + 10000;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.ok(check(), 'timed out');
}

test('with a publicKey, init uses the bundle only once the signature verified', async () => {
  const {publicKey, privateKey} = keyPair();
  const {gs, events, listeners} = start(signed(privateKey), publicKey);
  assert.strictEqual(gs.decide('nps'), null); // not yet: no bundle, no listeners
  assert.deepStrictEqual(listeners, []);
  await until(() => gs.decide('nps'));
  assert.strictEqual(gs.decide('nps').eligible, true);
  assert.ok(listeners.includes('click'));
  assert.deepStrictEqual(events, []);
});

test('with a publicKey, an unsigned or tampered bundle is refused with a runtime_error', async () => {
  const {publicKey, privateKey} = keyPair();
  const unsigned = signed(privateKey);
  delete unsigned.signature;
  const badChecksum = {...signed(privateKey), checksum: 'sha256:' + '0'.repeat(64)};
  for (const [bundle, message] of [[unsigned, 'bundle refused: signature: unsigned'],
    [signed(keyPair().privateKey), 'bundle refused: signature: does not match'],
    [badChecksum, 'bundle refused: checksum']]) {
    const {gs, events, warnings, listeners} = start(bundle, publicKey);
    await until(() => events.length);
    assert.deepStrictEqual(events, [['runtime_error', {message}]]);
    assert.deepStrictEqual(warnings, ['GuideStudio: ' + message]);
    gs.page('/files');
    assert.strictEqual(gs.decide('nps'), null);
    assert.deepStrictEqual(listeners, []);
  }
});

test('without a publicKey a bundle is used at once, signed or not; a bad one only warns, as before', () => {
  const {privateKey} = keyPair();
  for (const bundle of [signed(privateKey), {...signed(privateKey), signature: undefined}]) {
    const {gs, events} = start(bundle);
    assert.strictEqual(gs.decide('nps').eligible, true);
    assert.deepStrictEqual(events, []);
  }
  const {gs, events, warnings} = start({...signed(privateKey), checksum: 'sha256:' + '0'.repeat(64)});
  assert.strictEqual(gs.decide('nps'), null);
  assert.deepStrictEqual(events, []);
  assert.deepStrictEqual(warnings, ['GuideStudio: bundle refused: checksum']);
});

test('destroy() before the signature verified: the bundle is never used', async () => {
  const {publicKey, privateKey} = keyPair();
  const {gs, listeners, verifying} = start(signed(privateKey), publicKey);
  gs.destroy();
  await until(() => verifying.length); // the check was started, and has now finished:
  await Promise.allSettled(verifying);
  for (let i = 0; i < 50; i++) await new Promise(setImmediate); // what init does after it
  assert.strictEqual(gs.decide('nps'), null);
  assert.deepStrictEqual(listeners, []);
});
