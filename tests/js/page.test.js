// Page-side pure logic: trigger URL globs and tooltip placement maths on plain rects.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {matchUrl, place} = require('../../guidestudio/resources/runtime/guide-runtime.js')._internal;

const BASE = 'http://localhost/';
const yes = (pattern, ...urls) => urls.forEach((u) => assert.strictEqual(matchUrl(pattern, u, BASE), true, `${pattern} ~ ${u}`));
const no = (pattern, ...urls) => urls.forEach((u) => assert.strictEqual(matchUrl(pattern, u, BASE), false, `${pattern} !~ ${u}`));

test('no pattern matches every page', () => {
  yes(undefined, '/', '/a/b?x=1');
  yes('', '/anything');
});

test('literal paths match fully and case-sensitively; query and fragment are ignored', () => {
  yes('/files', '/files', '/files?sort=name', 'https://acme.example/files#top');
  no('/files', '/files/', '/Files', '/files/a', '/myfiles');
  no('/a.b', '/axb'); // regex characters are literal
  yes('/a.b+(c)', '/a.b+(c)');
});

test('* matches within one segment', () => {
  yes('/files/*', '/files/a', '/files/', '/files/report.pdf');
  no('/files/*', '/files', '/files/a/b');
  yes('/files/*.pdf', '/files/x.pdf');
  no('/files/*.pdf', '/files/a/x.pdf');
});

test('** matches across segments, and /x/** matches /x itself', () => {
  yes('/files/**', '/files', '/files/', '/files/a', '/files/a/b/c');
  no('/files/**', '/filesx', '/other/files');
  yes('/a/**/z', '/a/z', '/a/b/z', '/a/b/c/z');
  no('/a/**/z', '/a/b/c');
  yes('/**', '/', '/x/y');
});

test(':name matches one non-empty segment', () => {
  yes('/projects/:id/settings', '/projects/42/settings', '/projects/a-b/settings');
  no('/projects/:id/settings', '/projects//settings', '/projects/1/2/settings');
  yes('/u/:user/:tab', '/u/ada/files');
});

test('full-URL patterns match origin + path', () => {
  yes('https://acme.example/billing/*', 'https://acme.example/billing/plans?x=1#y');
  no('https://acme.example/billing/*', 'http://acme.example/billing/plans', 'https://evil.example/billing/plans');
  yes('https://acme.example:8443/x', 'https://acme.example:8443/x'); // a port is not a :param
  yes('http://localhost/**', '/docs/a'); // relative URLs resolve against the base
});

test('relative page URLs resolve against the base', () => {
  assert.strictEqual(matchUrl('/files/*', 'b', 'https://acme.example/files/a'), true);
  assert.strictEqual(matchUrl('https://acme.example/files/*', '/files/x', 'https://acme.example/'), true);
});

const VP = {width: 1000, height: 800};
const anchor = (top, left, width = 100, height = 40) => ({top, left, width, height});
const BOX = {width: 200, height: 100};

test('placement on the wanted side, centred on the anchor, offset by the gap', () => {
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'bottom', 10), {placement: 'bottom', top: 350, left: 350});
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'top', 10), {placement: 'top', top: 190, left: 350});
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'left', 10), {placement: 'left', top: 270, left: 190});
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'right', 10), {placement: 'right', top: 270, left: 510});
});

test('flips to the opposite side when the wanted side has no room', () => {
  assert.strictEqual(place(anchor(700, 400), BOX, VP, 'bottom', 10).placement, 'top');
  assert.strictEqual(place(anchor(50, 400), BOX, VP, 'top', 10).placement, 'bottom');
  assert.strictEqual(place(anchor(300, 850), BOX, VP, 'right', 10).placement, 'left');
  assert.strictEqual(place(anchor(300, 50), BOX, VP, 'left', 10).placement, 'right');
  // exactly enough room is room
  assert.strictEqual(place(anchor(110, 400), BOX, VP, 'top', 10).placement, 'top');
  assert.strictEqual(place(anchor(109, 400), BOX, VP, 'top', 10).placement, 'bottom');
});

test('keeps the wanted side when neither it nor its opposite has room', () => {
  const tall = {width: 200, height: 500};
  assert.strictEqual(place(anchor(350, 400), tall, VP, 'top', 10).placement, 'top');
});

test('auto: bottom, then top, right, left', () => {
  assert.strictEqual(place(anchor(300, 400), BOX, VP, 'auto', 10).placement, 'bottom');
  assert.strictEqual(place(anchor(700, 400), BOX, VP, 'auto', 10).placement, 'top');
  assert.strictEqual(place(anchor(0, 300, 100, 800), BOX, VP, 'auto', 10).placement, 'right');
  assert.strictEqual(place(anchor(0, 700, 100, 800), BOX, VP, undefined, 10).placement, 'left');
});

test('right-to-left: right and left mirror, the result names the side on screen', () => {
  // 'right' is the side a right-to-left reader reads towards: the anchor's left, as 'left' is in left-to-right
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'right', 10, true), place(anchor(300, 400), BOX, VP, 'left', 10));
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'left', 10, true), {placement: 'right', top: 270, left: 510});
  // top and bottom do not mirror
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'bottom', 10, true), {placement: 'bottom', top: 350, left: 350});
  assert.deepStrictEqual(place(anchor(300, 400), BOX, VP, 'top', 10, true), {placement: 'top', top: 190, left: 350});
  // the flip still goes to the opposite side: no room on the anchor's left -> its right
  assert.strictEqual(place(anchor(300, 50), BOX, VP, 'right', 10, true).placement, 'right');
  assert.strictEqual(place(anchor(300, 850), BOX, VP, 'left', 10, true).placement, 'left');
  // auto: bottom, then top, left, right
  assert.strictEqual(place(anchor(300, 400), BOX, VP, 'auto', 10, true).placement, 'bottom');
  assert.strictEqual(place(anchor(0, 300, 100, 800), BOX, VP, 'auto', 10, true).placement, 'left');
  assert.strictEqual(place(anchor(0, 100, 100, 800), BOX, VP, undefined, 10, true).placement, 'right');
  // left-to-right is unchanged by a false flag
  assert.strictEqual(place(anchor(300, 400), BOX, VP, 'right', 10, false).placement, 'right');
});

test('clamped into the viewport with an 8px margin', () => {
  assert.deepStrictEqual(place(anchor(300, 0, 40), BOX, VP, 'bottom', 10), {placement: 'bottom', top: 350, left: 8});
  assert.deepStrictEqual(place(anchor(300, 980, 20), BOX, VP, 'bottom', 10), {placement: 'bottom', top: 350, left: 792});
  // a box larger than the viewport sticks to the top-left margin
  assert.deepStrictEqual(place(anchor(300, 400), {width: 2000, height: 2000}, VP, 'bottom', 10), {placement: 'bottom', top: 8, left: 8});
});
