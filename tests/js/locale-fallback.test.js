// tests/vectors/locale_fallback.json: which of a step's locales a reader sees (pt-BR -> pt -> default).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {resolveLocale} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;
const {rows} = require('../vectors/locale_fallback.json');

test('every locale fallback vector', () => {
  for (const [wanted, available, fallback, expected] of rows) {
    assert.strictEqual(resolveLocale(wanted, available, fallback), expected,
      `${wanted} of ${JSON.stringify(available)}, default ${fallback}`);
  }
});
