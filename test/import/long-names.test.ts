import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import {runCli, runJson} from '../helpers/cli.js';
import {contentsOf, cornerPhotos, isWholeUtf8, longNames, notUtf8Name, oddNames, sha256} from '../helpers/odd-names.js';
import {needsCorpus, tempDir} from '../helpers/temp.js';

/** Names of the files directly in `dir`. */
const namesIn = (dir: string) => fs.readdirSync(dir).sort();

/**
 * A card holding a real photo under every odd name (and one whose name is not UTF-8), and a library whose folder
 * `imported` already holds a different photo under each long name, so that every long name must be suffixed.
 */
async function cardAndLibrary() {
	const base = tempDir();
	const card = path.join(base, 'card');
	const root = path.join(base, 'library');
	fs.mkdirSync(card);
	fs.mkdirSync(path.join(root, 'imported'), {recursive: true});
	const names = [...longNames, ...oddNames];
	const photos = cornerPhotos(names.length * 2 + 1);
	for (const [index, name] of names.entries()) {
		fs.writeFileSync(path.join(card, name), photos[index]!);
	}

	for (const [index, name] of longNames.entries()) {
		assert.equal(Buffer.byteLength(name), 255);
		fs.writeFileSync(path.join(root, 'imported', name), photos[names.length + index]!);
	}

	fs.writeFileSync(Buffer.concat([Buffer.from(`${card}/`), notUtf8Name]), photos.at(-1)!);
	const scan = await runCli(['scan', root, '--json']);
	assert.equal(scan.code, 0, scan.stderr);
	return {card, root, names, cardPhotos: photos.slice(0, names.length), libraryPhotos: photos.slice(names.length, names.length + longNames.length)};
}

test('importing photos with 255-byte names beside photos of the same names suffixes them within 255 bytes, keeps the extension, never splits a character, and undo and redo change only the copies', {skip: needsCorpus, timeout: 240_000}, async () => {
	const {card, root, names, cardPhotos, libraryPhotos} = await cardAndLibrary();
	const existing = namesIn(path.join(root, 'imported'));
	const {result, json} = await runJson(['import', card, '--library', root, '--pattern', 'imported', '--json']);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(json.imported, names.length, result.stdout);
	// The name that is not UTF-8 is named in one line (its bytes escaped), and left on the card.
	assert.deepEqual(json.errors.map((error: {path: string}) => path.basename(error.path)), ['caf\\xe9\\xff.jpg'], JSON.stringify(json.errors));
	assert.ok(fs.existsSync(Buffer.concat([Buffer.from(`${card}/`), notUtf8Name])));

	const landed = namesIn(path.join(root, 'imported')).filter(name => !existing.includes(name));
	assert.equal(landed.length, names.length, landed.join('\n'));
	for (const name of landed) {
		assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes: ${name}`);
		assert.ok(isWholeUtf8(name), name);
	}

	for (const long of longNames) {
		const extension = path.extname(long);
		const stem = long.slice(0, -extension.length);
		const suffixed = landed.find(name => name.endsWith(` (1)${extension}`) && stem.startsWith(name.slice(0, -` (1)${extension}`.length)));
		assert.ok(suffixed, `${long.slice(0, 12)}… lands suffixed " (1)${extension}", cut short: ${landed.join(', ')}`);
		assert.ok(Buffer.byteLength(suffixed) >= 254, `cut no further than needed (one byte short where a two-byte character would not fit): ${Buffer.byteLength(suffixed)} bytes`);
	}

	// A newline or an escape sequence in a name never reaches the library: control characters are dropped.
	for (const name of oddNames) {
		assert.ok(landed.includes(name.replaceAll(/[\u0000-\u001F]/g, '')), `${JSON.stringify(name)} lands without its control characters`);
	}

	// Nothing lost: every card photo is in the library, every library photo is where it was.
	const contents = contentsOf(root);
	for (const photo of cardPhotos) {
		assert.ok(contents.get(sha256(photo))?.some(where => where.startsWith('imported/')), 'every card photo was copied in');
	}

	for (const [index, photo] of libraryPhotos.entries()) {
		assert.deepEqual(contents.get(sha256(photo)), [`imported/${longNames[index]}`]);
	}

	const undo = await runJson(['undo', '--library', root, '--json']);
	assert.equal(undo.result.code, 0, undo.result.stderr);
	assert.deepEqual(namesIn(path.join(root, 'imported')), existing, 'undo leaves exactly the names that were there');
	const afterUndo = contentsOf(root);
	for (const photo of cardPhotos) {
		assert.ok(afterUndo.get(sha256(photo))?.every(where => where.startsWith('.curate/trash/')), 'the copies are in the trash');
	}

	const redo = await runJson(['redo', '--library', root, '--json']);
	assert.equal(redo.result.code, 0, redo.result.stderr);
	assert.deepEqual(namesIn(path.join(root, 'imported')), [...existing, ...landed].sort(), 'redo brings the same names back');
});

test('organizing photos with 255-byte names into a folder holding those names suffixes them within 255 bytes, and undo puts back the exact names', {skip: needsCorpus, timeout: 240_000}, async () => {
	const {card, root, names, cardPhotos} = await cardAndLibrary();
	// The card's photos join the library in a folder of their own (the one not named in UTF-8 too), then organize
	// moves them into `imported`, leaving the one it cannot name where it is.
	fs.mkdirSync(path.join(root, 'card'));
	for (const name of [...names.map(name => Buffer.from(name)), notUtf8Name]) {
		fs.copyFileSync(Buffer.concat([Buffer.from(`${card}/`), name]), Buffer.concat([Buffer.from(`${root}/card/`), name]));
	}

	assert.equal((await runCli(['scan', root, '--json'])).code, 0);
	const before = contentsOf(root);
	const {result, json} = await runJson(['organize', '--library', root, '--pattern', 'imported', '--apply', '--json']);
	assert.equal(result.code, 0, result.stderr);
	const moved = (json.moves as Array<{from: string; to: string}>).filter(move => move.from.startsWith('card/'));
	assert.equal(moved.length, names.length, result.stdout);
	for (const move of moved) {
		const name = path.posix.basename(move.to);
		assert.ok(Buffer.byteLength(name) <= 255 && isWholeUtf8(name), name);
		assert.equal(path.extname(name), path.extname(move.from), JSON.stringify(move));
		assert.ok(fs.existsSync(path.join(root, move.to)));
	}

	for (const photo of cardPhotos) {
		assert.ok(contentsOf(root).get(sha256(photo))?.[0]?.startsWith('imported/'));
	}

	const undo = await runJson(['undo', '--library', root, '--json']);
	assert.equal(undo.result.code, 0, undo.result.stderr);
	assert.deepEqual(contentsOf(root), before, 'every photo is back under its exact name');
	assert.deepEqual(namesIn(path.join(root, 'card')), [...names, notUtf8Name.toString('utf8')].sort());
});
