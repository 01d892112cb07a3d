import assert from 'node:assert/strict';
import {test} from 'node:test';
import {escapeJsonText, middleEllipsis, safeJson, sanitize} from '../../source/core/sanitize.js';

test('escape sequences in names become visible text', () => {
	const name = 'evil\u001B]0;owned\u0007\u001B[2J\u009B31m.jpg';
	const clean = sanitize(name);
	assert.equal(clean, String.raw`evil\e]0;owned\x07\e[2J\x9b31m.jpg`);
	assert.doesNotMatch(clean, /[\u0000-\u001F\u007F-\u009F]/);
});

test('newlines and bidi overrides are escaped, ordinary unicode is kept', () => {
	assert.equal(sanitize('a\nb'), String.raw`a\nb`);
	assert.equal(sanitize('photo\u202Egpj.exe'), String.raw`photo\u202egpj.exe`);
	assert.equal(sanitize('Été 2021/café 📷.jpg'), 'Été 2021/café 📷.jpg');
});

test('middle ellipsis keeps both ends of a path', () => {
	const short = middleEllipsis('2021/summer/holiday/IMG_0001.jpg', 16);
	assert.equal([...short].length, 16);
	assert.ok(short.startsWith('2021/su'));
	assert.ok(short.endsWith('001.jpg'));
	assert.ok(short.includes('…'));
	assert.equal(middleEllipsis('short.jpg', 16), 'short.jpg');
});

test('safe JSON escapes C1 controls and stays parseable', () => {
	const value = {path: 'a\u009B2Jb\u001B', n: 1};
	const text = safeJson(value);
	assert.doesNotMatch(text, /[\u0000-\u001F\u007F-\u009F]/);
	assert.deepEqual(JSON.parse(text), value);
});

test('bidi marks and Unicode line separators are escaped too', () => {
	assert.equal(sanitize('a\u200Fb\u061Cc\u2028d'), String.raw`a\u200fb\u061cc\u2028d`);
	assert.equal(escapeJsonText(JSON.stringify({a: 'b\u009Bc\u202E'})), String.raw`{"a":"b\u009bc\u202e"}`);
});
