import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {sidecarPathFor} from '../../source/journal/metadata.js';
import {runCli, runJson} from '../helpers/cli.js';
import {contentsOf, cornerPhotos, longNames, notUtf8Name, oddNames, sha256} from '../helpers/odd-names.js';
import {needsCorpus, tempDir} from '../helpers/temp.js';

after(endExiftool);

const names = [...longNames, ...oddNames];

/** A library with `files` (name → bytes) in its folder `odd`, and the photo whose name is not UTF-8, scanned. */
async function library(files: ReadonlyArray<readonly [string, Buffer]>): Promise<string> {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(path.join(root, 'odd'), {recursive: true});
	for (const [name, bytes] of files) {
		fs.writeFileSync(path.join(root, 'odd', name), bytes);
	}

	fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/odd/`), notUtf8Name]), cornerPhotos(1)[0]!);
	const scan = await runCli(['scan', root, '--json']);
	assert.equal(scan.code, 0, scan.stderr);
	return root;
}

test('trashing duplicates named with 255 bytes, a newline or an escape sequence keeps every photo in the library or the trash, and undo and redo put each under its exact name', {skip: needsCorpus, timeout: 240_000}, async () => {
	const photo = cornerPhotos(2)[1]!;
	const root = await library([...names, 'keeper.jpg'].map(name => [name, photo] as const));
	const before = contentsOf(root);
	assert.equal(before.get(sha256(photo))?.length, names.length + 1);
	await runCli(['dupes', '--json'], {cwd: root});
	const apply = await runJson(['dupes', '--apply', 'keepers', '--json'], {cwd: root});
	assert.equal(apply.result.code, 0, apply.result.stderr);
	assert.equal(apply.json.trashed.length, names.length, apply.result.stdout);
	const trashed = contentsOf(root).get(sha256(photo))!;
	assert.equal(trashed.length, names.length + 1, 'every copy is still on disk');
	assert.equal(trashed.filter(where => where.startsWith('.curate/trash/')).length, names.length, trashed.join('\n'));
	for (const name of names) {
		assert.ok(trashed.some(where => where.startsWith('.curate/trash/') && where.endsWith(`/odd/${name}`)) || trashed.includes(`odd/${name}`), `${JSON.stringify(name.slice(0, 12))} kept its name`);
	}

	const undo = await runJson(['undo', '--json'], {cwd: root});
	assert.equal(undo.result.code, 0, undo.result.stderr);
	assert.deepEqual(contentsOf(root), before, 'every copy back under its exact name');
	const redo = await runJson(['redo', '--json'], {cwd: root});
	assert.equal(redo.result.code, 0, redo.result.stderr);
	assert.deepEqual(contentsOf(root).get(sha256(photo)), trashed, 'redo trashes the same copies under the same names');
	const again = await runJson(['undo', '--json'], {cwd: root});
	assert.equal(again.result.code, 0, again.result.stderr);
	assert.deepEqual(contentsOf(root), before);
});

test('editing a photo whose name is 255 bytes writes its sidecar as NAME.xmp (no room for NAME.jpg.xmp), which scan reads; undo takes it away', {skip: needsCorpus, timeout: 240_000}, async () => {
	// A 251-byte name still has room for `.xmp` after its extension.
	const fits = `${'b'.repeat(247)}.jpg`;
	const photos = cornerPhotos(names.length + 1);
	const root = await library([...names, fits].map((name, index) => [name, photos[index]!] as const));
	const before = contentsOf(root);
	const edit = await runJson(['edit', ...[...names, fits].map(name => `odd/${name}`), '--add-keyword', 'long', '--json'], {cwd: root});
	assert.equal(edit.result.code, 0, edit.result.stderr);
	const stem = (name: string) => name.slice(0, name.lastIndexOf('.'));
	const expected = [...longNames.map(name => `odd/${stem(name)}.xmp`), ...[...oddNames, fits].map(name => `odd/${name}.xmp`)];
	assert.deepEqual([...edit.json.written].sort(), expected.sort());
	for (const sidecar of expected) {
		assert.ok(Buffer.byteLength(path.basename(sidecar)) <= 255 && fs.existsSync(path.join(root, sidecar)), sidecar);
	}

	const rescan = await runCli(['scan', root, '--json']);
	assert.equal(rescan.code, 0, rescan.stderr);
	for (const name of [...names, fits]) {
		const show = await runJson(['show', `odd/${name}`, '--json'], {cwd: root});
		assert.deepEqual(show.json.keywords, ['long'], `scan reads the sidecar of ${JSON.stringify(name.slice(0, 12))}`);
	}

	const undo = await runJson(['undo', '--json'], {cwd: root});
	assert.equal(undo.result.code, 0, undo.result.stderr);
	for (const sidecar of expected) {
		assert.ok(!fs.existsSync(path.join(root, sidecar)), `${sidecar} went to the trash`);
	}

	const after = contentsOf(root);
	for (const [hash, where] of before) {
		assert.deepEqual(after.get(hash), where, 'every photo where it was');
	}
});

test('writing keywords into photos whose names are 255 bytes (--write-embedded) changes them, and undo restores their bytes', {skip: needsCorpus, timeout: 240_000}, async () => {
	const photos = cornerPhotos(names.length);
	const root = await library(names.map((name, index) => [name, photos[index]!] as const));
	const edit = await runJson(['edit', ...names.map(name => `odd/${name}`), '--add-keyword', 'long', '--write-embedded', '--json'], {cwd: root});
	assert.equal(edit.result.code, 0, edit.result.stderr);
	for (const [index, name] of names.entries()) {
		assert.notEqual(sha256(fs.readFileSync(path.join(root, 'odd', name))), sha256(photos[index]!), `${JSON.stringify(name.slice(0, 12))} was written`);
	}

	assert.deepEqual(fs.readdirSync(path.join(root, 'odd')).filter(name => /tmp|partial/.test(name)), [], 'no temporary file is left');
	const undo = await runJson(['undo', '--json'], {cwd: root});
	assert.equal(undo.result.code, 0, undo.result.stderr);
	for (const [index, name] of names.entries()) {
		assert.equal(sha256(fs.readFileSync(path.join(root, 'odd', name))), sha256(photos[index]!));
	}
});

test('a photo whose 255-byte name leaves no room for any sidecar name is refused in one line, naming it; others get the name that fits', () => {
	assert.throws(() => sidecarPathFor(`odd/${'z'.repeat(255)}`), {message: /^z{255}: its name leaves no room for a sidecar's \.xmp within the 255 bytes a file name may have; rename it to write its metadata$/});
	assert.equal(sidecarPathFor(`odd/${'é'.repeat(125)}.jpeg`, 'lightroom'), `odd/${'é'.repeat(125)}.xmp`);
	assert.equal(sidecarPathFor(`odd/${'é'.repeat(125)}.jpeg`), `odd/${'é'.repeat(125)}.xmp`, 'no room for .jpeg.xmp');
	assert.equal(sidecarPathFor('odd/IMG_1.jpg'), 'odd/IMG_1.jpg.xmp');
});
