import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {escapeName, walkLibrary} from '../../source/scan/walk.js';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';

/** A library with one photo under each hard name: bytes that are not UTF-8, 255 bytes, a newline, an escape sequence. */
async function craftedLibrary() {
	const {root} = await sampleLibrary();
	const photo = fs.readFileSync(path.join(root, 'colors', fs.readdirSync(path.join(root, 'colors'))[0]!));
	const folder = Buffer.from(path.join(root, 'crafted'));
	fs.mkdirSync(folder);
	const at = (name: Buffer) => Buffer.concat([folder, Buffer.from('/'), name]);
	const notUtf8 = Buffer.from([0x66, 0xff, 0x2e, 0x6a, 0x70, 0x67]);
	fs.writeFileSync(at(notUtf8), photo);
	// A folder whose name is not UTF-8 hides every photo in it just as well.
	const badFolder = at(Buffer.from([0x64, 0x69, 0x72, 0xe9]));
	fs.mkdirSync(badFolder);
	fs.writeFileSync(Buffer.concat([badFolder, Buffer.from('/inside.jpg')]), photo);
	const long = `${'l'.repeat(251)}.jpg`;
	const newline = 'two\nlines.jpg';
	const escape = 'title\u001B]0;pwned\u0007.jpg';
	for (const name of [long, newline, escape]) {
		fs.writeFileSync(path.join(root, 'crafted', name), photo);
	}

	return {root, long, newline, escape};
}

test('escapeName keeps UTF-8 and shows every other byte as \\xNN', () => {
	assert.equal(escapeName(Buffer.from([0x66, 0xff, 0x2e, 0x6a, 0x70, 0x67])), String.raw`f\xff.jpg`);
	assert.equal(escapeName(Buffer.from('café.jpg')), 'café.jpg');
	// Latin-1 é, a lone continuation byte, a surrogate encoded in UTF-8, an overlong slash.
	assert.equal(escapeName(Buffer.from([0x63, 0x61, 0x66, 0xe9])), String.raw`caf\xe9`);
	assert.equal(escapeName(Buffer.from([0x80, 0x41])), String.raw`\x80A`);
	assert.equal(escapeName(Buffer.from([0xed, 0xa0, 0x80])), String.raw`\xed\xa0\x80`);
	assert.equal(escapeName(Buffer.from([0xc0, 0xaf])), String.raw`\xc0\xaf`);
});

test('files whose names are not valid UTF-8 are reported with the escaped name and what to do, never skipped in silence', async () => {
	const {root} = await craftedLibrary();
	const walk = await walkLibrary(root);
	assert.deepEqual(
		walk.problems.map(problem => problem.path).sort(),
		[String.raw`crafted/dir\xe9/inside.jpg`, String.raw`crafted/f\xff.jpg`],
	);
	const {result, json} = await runJson(['scan', root, '--json']);
	assert.equal(result.code, 0, result.stderr);
	const errors = new Map<string, string>(json.errors.map((error: {path: string; error: string}) => [error.path, error.error]));
	assert.match(errors.get(String.raw`crafted/f\xff.jpg`) ?? '', /file name is not valid UTF-8.*rename it/);
	assert.match(errors.get(String.raw`crafted/dir\xe9/inside.jpg`) ?? '', /folder name is not valid UTF-8.*rename it/);
	// Every rescan says so again: the files are still not in the catalog.
	const text = await runCli(['scan', root]);
	assert.match(text.stdout, /crafted\/f\\xff\.jpg: file name is not valid UTF-8/);
	// show, handed the name by a shell, explains instead of a bare "not in the catalog".
	const shown = await runCli(['show', path.join(root, 'crafted', 'f\uFFFD.jpg')]);
	assert.equal(shown.code, 2);
	assert.match(shown.stderr, /not valid UTF-8/);
});

test('a 255-byte name, a name with a newline and one with an escape sequence are catalogued and shown escaped', async () => {
	const {root, long, newline, escape} = await craftedLibrary();
	const {result, json} = await runJson(['scan', root, '--json']);
	assert.equal(result.code, 0, result.stderr);
	for (const name of [long, newline, escape]) {
		assert.equal(Buffer.byteLength(name) <= 255, true);
		assert.equal(json.errors.some((error: {path: string}) => error.path === `crafted/${name}`), false, name);
		// eslint-disable-next-line no-await-in-loop
		const shown = await runJson(['show', path.join(root, 'crafted', name), '--json']);
		assert.equal(shown.json.path, `crafted/${name}`, 'JSON carries the name exactly');
		assert.match(shown.json.sha256, /^[\da-f]{64}$/);
		assert.match(shown.json.phash, /^[\da-f]{16}$/);
	}

	const text = await runCli(['show', path.join(root, 'crafted', newline)]);
	assert.match(text.stdout, /^path +crafted\/two\\nlines\.jpg$/m);
	const evil = await runCli(['show', path.join(root, 'crafted', escape)]);
	assert.match(evil.stdout, /^path +crafted\/title\\e\]0;pwned\\x07\.jpg$/m);
	assert.doesNotMatch(evil.stdout, /\u001B|\u0007/);
});
