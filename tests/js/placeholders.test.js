// tests/vectors/placeholders.json: what a {{attribute|fallback}} placeholder shows (null: the fallback).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {attrText} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;
const {rows} = require('../vectors/placeholders.json');

test('every placeholder vector', () => {
  for (const [path, user, expected] of rows) {
    assert.strictEqual(attrText(user, path), expected, `${path} of ${JSON.stringify(user)}`);
  }
});

test('the vectors cover every name Object.prototype has', () => {
  const names = new Set(rows.map((row) => row[0].split('.').pop()));
  const missing = Object.getOwnPropertyNames(Object.prototype).filter((name) => !names.has(name));
  assert.deepStrictEqual(missing, []);
});
