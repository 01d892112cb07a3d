import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {StoredFile} from '../../source/db/catalog.js';
import path from 'node:path';
import Database from 'better-sqlite3';
import {Catalog} from '../../source/db/catalog.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {groupUnits} from '../../source/dupes/find.js';
import {allowedBy, pairKey, stemOf, usableFiles} from '../../source/dupes/units.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

let nextId = 1;
function file(path: string, overrides: Partial<StoredFile> = {}): StoredFile {
	return {
		id: nextId++, path, size: 100, mtimeMs: 0, sha256: path, contentHash: null, format: 'jpeg', kind: 'image', width: 10, height: 10,
		orientation: 1, takenAt: null, takenAtSource: null, make: null, model: null, lens: null, gps: null, keywords: [], rating: null,
		title: null, description: null, software: null, livePhotoId: null, burstId: null, phash: null, dhash: null, phashRotations: null,
		signature: null, phashCrops: null, signatureCrops: null, contentWidth: null, contentHeight: null, thumb: null, error: null,
		status: 'present', ...overrides,
	};
}

test('a Live Photo movie and a RAW beside its JPEG travel with their photo as one unit', () => {
	const still = file('2021/IMG_0001.HEIC', {format: 'heic', livePhotoId: 'ABC'});
	const movie = file('2021/IMG_0001.MOV', {format: 'mov', kind: 'video', livePhotoId: 'ABC'});
	const jpeg = file('2021/DSC_0100.JPG');
	const raw = file('2021/DSC_0100.NEF', {format: 'nef', kind: 'raw'});
	const lone = file('2021/DSC_0200.NEF', {format: 'nef', kind: 'raw'});
	const otherFolderRaw = file('2022/DSC_0100.NEF', {format: 'nef', kind: 'raw'});
	const units = groupUnits([still, movie, jpeg, raw, lone, otherFolderRaw]);
	const byPath = new Map(units.map(unit => [unit.file.path, unit.companions.map(companion => companion.path)]));
	assert.deepEqual(byPath.get('2021/IMG_0001.HEIC'), ['2021/IMG_0001.MOV']);
	assert.deepEqual(byPath.get('2021/DSC_0100.JPG'), ['2021/DSC_0100.NEF']);
	assert.deepEqual(byPath.get('2021/DSC_0200.NEF'), [], 'a RAW without a JPEG is its own unit');
	assert.deepEqual(byPath.get('2022/DSC_0100.NEF'), [], 'only the same folder pairs');
	assert.equal(units.length, 4);
});

test('a file\'s stem is its path without the extension, lowercased, as path.posix makes it, for plain and odd paths alike', () => {
	const posixStem = (file: string) => {
		const extension = path.posix.extname(file);
		return path.posix.join(path.posix.dirname(file), path.posix.basename(file, extension)).toLowerCase();
	};

	for (const file of [
		'2021/DSC_0100.JPG', 'DSC_0100.NEF', '.hidden', 'a/.hidden', 'a/.hidden.jpg', 'a/b.', 'a/b.tar.gz', '/abs/IMG.JPG', '/IMG.JPG',
		'a/b/', 'a//b.jpg', './a.jpg', '../a.jpg', 'a/./b.jpg', 'a/../b.jpg', 'a/.', 'a/..', '.', '..', '', 'Ünïcödé/Fïlé.JPG',
		'name\nwith newline.jpg', 'dots.in.folder/x', 'dots.in.folder/x.y',
	]) {
		assert.equal(stemOf(file), posixStem(file), file);
	}
});

test('a RAW pairs with the first JPEG of its stem in file order, whatever the case of the names, and a second RAW too', () => {
	const jpeg = file('x/IMG_1.jpg');
	const raw = file('x/img_1.CR2', {format: 'cr2', kind: 'raw'});
	const second = file('x/IMG_1.dng', {format: 'dng', kind: 'raw'});
	const otherJpeg = file('x/IMG_1.JPEG');
	const units = groupUnits([raw, jpeg, second, otherJpeg]);
	const byPath = new Map(units.map(unit => [unit.file.path, unit.companions.map(companion => companion.path)]));
	assert.deepEqual(byPath.get('x/IMG_1.jpg'), ['x/img_1.CR2', 'x/IMG_1.dng']);
	assert.deepEqual(byPath.get('x/IMG_1.JPEG'), []);
	assert.deepEqual(units.map(unit => unit.file.path), ['x/IMG_1.jpg', 'x/IMG_1.JPEG'], 'units keep file order');
});

test('"not duplicates" decisions keep the same pairs apart for light records, whose hashes are checked by their first word first, as for whole records', () => {
	const file = path.join(tempDir('curate-allowed-'), 'catalog.db');
	buildSyntheticCatalog(file, 400, {seed: 23});
	const sql = new Database(file);
	const hashes = sql.prepare<[], {id: number; sha256: string}>('SELECT id, sha256 FROM files WHERE sha256 IS NOT NULL ORDER BY id').all();
	// A hash kept as given (capitals), and one whose first eight digits are a decided hash's but the rest another's.
	sql.prepare('UPDATE files SET sha256 = upper(sha256) WHERE id = ?').run(hashes[3]!.id);
	const decoy = `${hashes[0]!.sha256.slice(0, 8)}${hashes[9]!.sha256.slice(8)}`;
	sql.prepare('UPDATE files SET sha256 = ? WHERE id = ?').run(decoy, hashes[9]!.id);
	sql.close();
	const catalog = Catalog.open(file, {readonly: true});
	try {
		const whole = groupUnits(usableFiles(catalog.allPresent()));
		const light = groupUnits(new DupesData(catalog).lightFiles());
		assert.deepEqual(
			light.map(unit => unit.file.path),
			whole.map(unit => unit.file.path),
		);
		const shaOf = (k: number) => whole[k]!.file.sha256!;
		const at = (id: number) => whole.findIndex(unit => unit.file.id === id);
		const [first, capitals, decoyed, other] = [at(hashes[0]!.id), at(hashes[3]!.id), at(hashes[9]!.id), at(hashes[20]!.id)];
		// Decided: the first with the capitals, the first with another, and two more pairs far off.
		const distinct = new Set([pairKey(shaOf(first), shaOf(capitals)), pairKey(shaOf(first), shaOf(other)), pairKey(shaOf(5), shaOf(6)), pairKey(shaOf(50), shaOf(60))]);
		const fromLight = allowedBy(light, distinct);
		const fromWhole = allowedBy(whole, distinct);
		const asked = [first, capitals, decoyed, other, 5, 6, 50, 60, ...Array.from({length: 40}, (_, k) => 100 + k)];
		let apart = 0;
		for (const a of asked) {
			for (const b of asked) {
				assert.equal(fromLight(a, b), fromWhole(a, b), `${whole[a]!.file.path} and ${whole[b]!.file.path}`);
				apart += fromWhole(a, b) ? 0 : 1;
			}
		}

		// Each decided pair both ways round, and exact copies of a decided photo among those asked with its partner.
		assert.ok(apart >= 8, `${apart} pairs kept apart`);
		assert.ok(fromLight(first, decoyed) && fromLight(decoyed, other), 'a hash that only begins like a decided one is not decided');
	} finally {
		catalog.close();
	}
});
