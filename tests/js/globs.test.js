// URL globs in linear time (issue 13): the runtime's matchUrl against the backtracking RegExp it
// replaced (the reference), and the glob that took seconds as a RegExp.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {matchUrl} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const BASE = 'https://app.acme.example/';
const reference = (pattern, url) => {
  const parsed = new URL(url, BASE);
  return !pattern || new RegExp('^' + pattern.replace(/\/\*\*|\*\*?|:[A-Za-z_]\w*|[.+?^${}()|[\]\\]/g, (token) =>
    (token === '/**' ? '(?:/.*)?' : token === '**' ? '.*' : token === '*' ? '[^/]*' : token[0] === ':' ? '[^/]+'
      : '\\' + token)) + '$').test(/^https?:/.test(pattern) ? parsed.origin + parsed.pathname : parsed.pathname);
};

test('eight ** against a 40-segment URL take milliseconds', () => {
  const url = '/' + Array.from({length: 40}, (_, i) => 'seg' + i).join('/') + '/x';
  const started = process.hrtime.bigint();
  assert.strictEqual(matchUrl('/**/a/**/b/**/c/**/d/**/e/**/f/**/g/**/h', url, BASE), false);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 100);
  assert.strictEqual(matchUrl('/**/a/**/b/**/c/**/d/**/e/**/f/**/g/**/h/**', '/a/b/c/d/e/f/g/h/x', BASE), true);
});

test('the same answers as the RegExp on random globs and paths', () => {
  let seed = 13;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const pieces = ['/', 'a', 'b', '*', '**', '/**', ':x', ':y', '.', '-', 'ab', '%41', '(', '?'];
  for (let i = 0; i < 3000; i++) {
    const pattern = Array.from({length: Math.floor(random() * 7)}, () => pick(pieces)).join('');
    const url = '/p' + Array.from({length: Math.floor(random() * 10)}, () => pick(['/', 'a', 'b', '.', '-', 'A', '..'])).join('');
    assert.strictEqual(matchUrl(pattern, url, BASE), reference(pattern, url), `${pattern} ~ ${url}`);
  }
});

test('full http(s) globs match origin and path', () => {
  assert.strictEqual(matchUrl('https://app.acme.example/**', 'https://app.acme.example/files/x?q#h', BASE), true);
  assert.strictEqual(matchUrl('https://app.acme.example/*', 'https://other.example/files', BASE), false);
});
