// What duplicate finding reads of every photo in one pass over the files (issue 15): the light records in path order,
// the window hashes and the damaged ids, and per batch of candidates the verification data with where each photo's
// thumbnail is. Compared with what the catalog's whole rows hold.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import Database from 'better-sqlite3';
import {Catalog, type StoredFile} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {DupesData, type EveryBatch, type EveryBatchesAway, type EveryPhoto, type EveryRead} from '../../source/db/dupes-data.js';
import {findDuplicates} from '../../source/dupes/find.js';
import {findDuplicatesIn} from '../../source/dupes/in-catalog.js';
import {ThumbnailPaths} from '../../source/db/thumbnail-paths.js';
import {encodeWindowHashes, windowHashes} from '../../source/dupes/window-hash.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {preparedBy, queryPlan} from '../helpers/sql.js';
import {tempDir} from '../helpers/temp.js';

/** What usableFiles() keeps: hashed, not empty, a photo or a video. */
const usable = (file: StoredFile) => file.sha256 !== null && file.size > 0 && file.kind !== 'other' && file.kind !== 'sidecar';

describe('every photo in one pass', () => {
	let catalog: Catalog;
	let dir: string;
	before(() => {
		dir = path.join(tempDir('curate-dupes-data-'), '.curate');
		const file = path.join(dir, 'catalog.db');
		buildSyntheticCatalog(file, 600, {seed: 3});
		const db = Catalog.open(file);
		const sql = connectionOf(db);
		// Paths whose byte order (SQLite's) and UTF-16 order (JavaScript's) disagree: U+FFFD sorts before an emoji in
		// UTF-8 and after it in UTF-16.
		const [first, second] = sql.prepare<[], {id: number}>("SELECT id FROM files WHERE status = 'present' AND kind = 'image' ORDER BY id LIMIT 2").all();
		sql.prepare('UPDATE files SET path = ? WHERE id = ?').run('zz/a\uFFFD.jpg', first!.id);
		sql.prepare('UPDATE files SET path = ? WHERE id = ?').run('zz/a\u{1F600}.jpg', second!.id);
		// Names a batch's JSON must escape and give back as they are: a newline, an escape, a quote and a backslash.
		const [third] = sql.prepare<[], {id: number}>("SELECT id FROM files WHERE status = 'present' AND kind = 'image' ORDER BY id LIMIT 1 OFFSET 5").all();
		sql.prepare('UPDATE files SET path = ? WHERE id = ?').run('zz/line\nbreak \u001B[31m "quoted" back\\slash.jpg', third!.id);
		// A photo scanned before migration 19 (no window hashes stored), one that decoded only in part, thumbnails.
		sql.prepare("UPDATE files SET window_hashes = NULL WHERE id = (SELECT id FROM files WHERE status = 'present' AND kind = 'image' AND signature IS NOT NULL ORDER BY id DESC LIMIT 1)").run();
		// And one among the first, so that rows after it in a batch read their blobs after its signature.
		sql.prepare("UPDATE files SET window_hashes = NULL WHERE id = (SELECT id FROM files WHERE status = 'present' AND kind = 'image' AND signature IS NOT NULL ORDER BY id LIMIT 1 OFFSET 2)").run();
		sql.prepare("UPDATE files SET error = 'damaged image data: premature end' WHERE id = (SELECT id FROM files WHERE status = 'present' AND kind = 'image' ORDER BY id DESC LIMIT 1 OFFSET 3)").run();
		sql.prepare("UPDATE files SET thumb = 'thumbs/' || sha256 || '.webp' WHERE id % 3 = 0").run();
		// Verification data as older scans and odd files leave it: no detail grid (before migration 19), no crop signatures,
		// empty ones. A batch's blobs come end to end in one buffer, so each length must hold for every row after it too.
		sql.prepare('UPDATE files SET detail = NULL WHERE id % 7 = 1').run();
		sql.prepare('UPDATE files SET signature_crop = NULL WHERE id % 11 = 2').run();
		sql.prepare("UPDATE files SET signature_crop = X'' WHERE id % 13 = 4").run();
		// Hex fingerprints that are not lowercase hex of their width, which the read gives back as stored: empty, short,
		// not hex at all, hex with a character past 'f' (which SQLite's unhex and Buffer's hex would both stop at).
		sql.prepare("UPDATE files SET phash_crop = '' WHERE id % 17 = 3").run();
		sql.prepare("UPDATE files SET content_hash = substr(content_hash, 1, 60) WHERE id % 19 = 5").run();
		sql.prepare("UPDATE files SET phash_rot = 'not hex at all' WHERE id % 23 = 6").run();
		sql.prepare("UPDATE files SET phash = substr(phash, 1, 15) || 'g' WHERE id % 29 = 7").run();
		// Missing ones, as a video or a file that did not decode has (packed as zeros, read back as null).
		sql.prepare('UPDATE files SET phash = NULL, phash_rot = NULL, phash_crop = NULL WHERE id % 31 = 8').run();
		sql.prepare('UPDATE files SET content_hash = NULL WHERE id % 37 = 9').run();
		sql.prepare("UPDATE files SET thumb = '../../outside.webp' WHERE id = (SELECT max(id) FROM files WHERE thumb IS NOT NULL)").run();
		// Keeper fields of whole records: positions with and without altitude, keywords, camera.
		sql.prepare("UPDATE files SET gps_lat = 48.85, gps_lon = 2.35, gps_alt = CASE WHEN id % 2 = 0 THEN 35.5 END, keywords = '[\"paris\",\"night\"]', make = 'Canon', model = 'EOS R', rating = 4 WHERE id % 5 = 0").run();
		db.close();
		catalog = Catalog.open(file, {readonly: true});
	});
	after(() => {
		catalog.close();
	});

	test('the light records are the usable present files in SQLite path order, with every field finding reads and no keeper-only one', () => {
		const whole = catalog.allPresent().filter(file => usable(file));
		const {files} = new DupesData(catalog).everyPhoto();
		assert.deepEqual(
			files.map(file => file.path),
			whole.map(file => file.path),
		);
		assert.ok(files.findIndex(file => file.path === 'zz/a\uFFFD.jpg') < files.findIndex(file => file.path === 'zz/a\u{1F600}.jpg'));
		assert.ok(files.some(file => file.path === 'zz/line\nbreak \u001B[31m "quoted" back\\slash.jpg'));
		for (const [index, file] of files.entries()) {
			const row = whole[index]!;
			for (const key of ['id', 'path', 'size', 'sha256', 'contentHash', 'format', 'kind', 'width', 'height', 'takenAt', 'takenAtSource', 'livePhotoId', 'burstId', 'phash', 'phashRotations', 'phashCrops', 'contentWidth', 'contentHeight', 'frames', 'status'] as const) {
				assert.deepEqual(file[key], row[key], `${key} of ${row.path}`);
			}

			// Keeper-only fields and signatures are left out: null (or no keywords), as the finder expects of a light record.
			for (const key of ['make', 'model', 'lens', 'gps', 'rating', 'title', 'description', 'software', 'dhash', 'signature', 'signatureCrops', 'thumb', 'error', 'orientation', 'grey'] as const) {
				assert.equal(file[key], null, `${key} of ${row.path}`);
			}

			assert.ok(Number.isNaN(file.mtimeMs), 'a light record has no file time');

			assert.deepEqual(file.keywords, []);
		}
	});

	test('window hashes as stored, made from the signature when none are stored, and the damaged ids', () => {
		const sql = connectionOf(catalog);
		const rows = sql.prepare<[], {id: number; window_hashes: Buffer | null; signature: Buffer | null; error: string | null}>("SELECT id, window_hashes, signature, error FROM files WHERE status = 'present'").all();
		const light = new Set(new DupesData(catalog).lightFiles().map(file => file.id));
		let made = 0;
		const every = new DupesData(catalog).everyPhoto(signature => {
			made++;
			return encodeWindowHashes(windowHashes(signature));
		});
		assert.equal(made, 2, 'two photos have no window hashes stored');
		for (const row of rows.filter(row => light.has(row.id))) {
			const expected = row.window_hashes ?? (row.signature ? Buffer.from(encodeWindowHashes(windowHashes(row.signature))) : undefined);
			assert.deepEqual(every.windowHashes(row.id) && Buffer.from(every.windowHashes(row.id)!), expected, `window hashes of ${row.id}`);
		}

		// The finder releases them once it has packed them by unit: from then on the table holds nothing.
		every.windowHashes.release?.();
		assert.ok(rows.every(row => every.windowHashes(row.id) === undefined));
		const damaged = rows.filter(row => light.has(row.id) && row.error?.startsWith('damaged image data')).map(row => row.id);
		assert.equal(damaged.length, 1);
		assert.deepEqual([...every.damaged], damaged);
	});

	test('the files that may share their bytes or pixels: every one whose hash another file has, present or not, read with the records', () => {
		const sql = connectionOf(catalog);
		const rows = sql.prepare<[], {id: number; sha256: string | null; content_hash: string | null}>('SELECT id, sha256, content_hash FROM files').all();
		const sharing = (key: 'sha256' | 'content_hash') => {
			const counts = new Map<string, number>();
			for (const row of rows) if (row[key] !== null) counts.set(row[key], (counts.get(row[key]) ?? 0) + 1);
			return new Set(rows.filter(row => row[key] !== null && counts.get(row[key])! > 1).map(row => row.id));
		};

		const {shared} = new DupesData(catalog).everyPhoto();
		assert.ok(shared);
		assert.deepEqual(new Set(shared.sha256), sharing('sha256'));
		assert.deepEqual(new Set(shared.contentHash), sharing('content_hash'));
		assert.ok(shared.sha256.size > 0 && shared.contentHash.size > shared.sha256.size, `${shared.sha256.size} and ${shared.contentHash.size} files share`);
		const queries = preparedBy(() => new DupesData(catalog)).filter(text => /GROUP BY (sha256|content_hash)/.test(text));
		assert.equal(queries.length, 2);
		for (const query of queries) {
			const plan = queryPlan(sql, query);
			assert.ok(plan.every(step => !/^SCAN files$|SEARCH files USING INTEGER PRIMARY KEY/.test(step)) && plan.some(step => /COVERING INDEX/.test(step)), `${query}: ${plan.join('; ')}`);
		}
	});

	test('every photo\'s lookup hashes, as a refresh reads them to find the partners of new photos: each usable present file once, in id order, as its row holds them', () => {
		const sql = connectionOf(catalog);
		const rows = sql
			.prepare<[], {id: number; phash: string | null; phash_rot: string | null; phash_crop: string | null; taken_at: string | null; taken_at_source: string | null; window_hashes: Buffer | null; signature: Buffer | null}>(
				"SELECT id, phash, phash_rot, phash_crop, taken_at, taken_at_source, window_hashes, signature FROM files WHERE status = 'present' AND sha256 IS NOT NULL AND size > 0 AND kind NOT IN ('other', 'sidecar') ORDER BY id",
			)
			.all();
		const seen: unknown[] = [];
		new DupesData(catalog).eachLookupRow(
			signature => encodeWindowHashes(windowHashes(signature)),
			(id, file, windows) => seen.push({id, ...file, windows: windows && Buffer.from(windows)}),
		);
		assert.deepEqual(
			seen,
			rows.map(row => ({
				id: row.id,
				phash: row.phash,
				phashRotations: row.phash_rot,
				phashCrops: row.phash_crop,
				takenAt: row.taken_at,
				takenAtSource: row.taken_at_source,
				windows: row.window_hashes ?? (row.signature ? Buffer.from(encodeWindowHashes(windowHashes(row.signature))) : undefined),
			})),
		);
		assert.ok(rows.some(row => row.window_hashes === null && row.signature !== null) && rows.some(row => row.phash === null));
	});

	test('verification data by id, with where each photo\'s thumbnail is for the thumbnail check', () => {
		const sql = connectionOf(catalog);
		const rows = sql.prepare<[], {id: number; signature: Buffer | null; signature_crop: Buffer | null; detail: Buffer | null; thumb: string | null}>("SELECT id, signature, signature_crop, detail, thumb FROM files WHERE status = 'present'").all();
		const thumbnails = new ThumbnailPaths(catalog);
		const data = new DupesData(catalog).verification([...rows.map(row => row.id), 999_999], thumb => thumbnails.place(thumb));
		assert.equal(data.size, rows.length, 'an id not in the catalog is left out');
		let placed = 0;
		for (const row of rows) {
			const verified = data.get(row.id)!;
			assert.deepEqual(verified.signature && Buffer.from(verified.signature), row.signature);
			assert.deepEqual(verified.signatureCrops && Buffer.from(verified.signatureCrops), row.signature_crop);
			assert.deepEqual(verified.detail && Buffer.from(verified.detail), row.detail);
			// The thumbnail check takes the function off the record and calls it later (source/dupes/thumb-judge.ts).
			const {thumbnail} = verified;
			if (row.thumb?.startsWith('thumbs/')) {
				assert.equal(thumbnail(), path.join(dir, row.thumb));
				placed++;
			} else {
				assert.equal(thumbnail(), undefined, `no thumbnail for ${row.thumb}: none stored, or one outside the thumbnail folder`);
			}
		}

		assert.ok(placed > 50);
		assert.ok(rows.some(row => row.thumb === '../../outside.webp'));
		assert.ok(rows.some(row => row.detail === null) && rows.some(row => row.signature_crop === null) && rows.some(row => row.signature_crop?.length === 0));
		assert.ok(rows.filter(row => row.signature_crop?.length === 0).every(row => data.get(row.id)!.signatureCrops?.length === 0), 'an empty blob stays empty, not null');
	});

	test('what ranking reads of chosen files is each field the catalog gives for them, and no other', () => {
		// The keeper rules' fields (source/dupes/rank.ts keeperMember) and those a cluster's text shows.
		const rankedFields = ['id', 'path', 'size', 'mtimeMs', 'sha256', 'contentHash', 'format', 'kind', 'width', 'height', 'orientation', 'takenAt', 'takenAtSource', 'make', 'model', 'gps', 'keywords', 'rating', 'software', 'contentWidth', 'contentHeight', 'error', 'grey'];
		const whole = catalog.allPresent();
		const chosen = whole.filter((_, index) => index % 4 === 0);
		const ranked = new DupesData(catalog).rankedFiles(chosen.map(file => file.id));
		assert.equal(ranked.size, chosen.length);
		assert.ok(chosen.some(file => file.gps?.alt !== undefined) && chosen.some(file => file.gps && file.gps.alt === undefined) && chosen.some(file => file.keywords.length === 2));
		assert.ok(chosen.some(file => file.grey === true) || chosen.some(file => file.grey === false), 'the catalog has grey flags to read');
		for (const file of chosen) {
			const got = ranked.get(file.id)!;
			const fields = Object.keys(got) as Array<keyof typeof got>;
			assert.deepEqual([...fields].sort(), [...rankedFields].sort(), 'the fields ranking reads');
			// The altitude is not read: ranking asks only whether there is a position.
			const expected = {...Object.fromEntries(fields.map(field => [field, file[field]])), gps: file.gps && {lat: file.gps.lat, lon: file.gps.lon}};
			assert.deepEqual(got, expected);
		}
	});
});


describe('the search over light records', () => {
	let file: string;
	before(() => {
		file = path.join(tempDir('curate-dupes-light-'), 'catalog.db');
		buildSyntheticCatalog(file, 1500, {seed: 5});
	});

	/** What a search over every whole row finds, and what `curate dupes` finds from the light records. */
	const both = () => {
		const catalog = Catalog.open(file);
		try {
			return {whole: findDuplicates(catalog.allPresent(), {distinct: catalog.distinctPairs()}), light: findDuplicatesIn(catalog)};
		} finally {
			catalog.close();
		}
	};

	test('keepers chosen on the file time, a mirroring orientation and greyscale, which light records leave to ranking', () => {
		const before = both().whole;
		const near = before.filter(cluster => cluster.kind === 'near' && cluster.members.length >= 2);
		assert.ok(near.length >= 2, `near clusters to mark (${near.length})`);
		const [grey, mirrored] = near.map(cluster => cluster.members.find(member => member.keeper)!.path);
		const sql = new Database(file);
		sql.prepare('UPDATE files SET grey = 1 WHERE path = ?').run(grey);
		sql.prepare('UPDATE files SET orientation = 2 WHERE path = ?').run(mirrored);
		sql.close();
		const {whole, light} = both();
		assert.deepEqual(light, whole);
		const reasons = light.flatMap(cluster => cluster.members.flatMap(member => member.reasons));
		assert.ok(reasons.some(reason => reason.includes('greyscale')), 'a greyscale copy is named as one');
		assert.ok(reasons.some(reason => reason.includes('mirrored by EXIF orientation 2')), 'a mirrored copy is named as one');
		assert.ok(reasons.some(reason => /(older|newer) file/.test(reason)), 'file times decide between otherwise equal copies');
		const keeperOf = (clusters: typeof light, member: string) => clusters.find(cluster => cluster.members.some(each => each.path === member))?.members.find(each => each.keeper)?.path;
		assert.notEqual(keeperOf(light, grey!), grey, 'the greyscale copy is no longer the keeper');
	});

	test('hashes the catalog holds in another form than lowercase hex are compared as they are', () => {
		const clustered = new Set(both().whole.flatMap(cluster => cluster.members.map(member => member.path)));
		const sql = new Database(file);
		const [a, b] = sql
			.prepare<[], {id: number; path: string}>("SELECT id, path FROM files WHERE status = 'present' AND kind = 'image' AND phash IS NOT NULL ORDER BY id")
			.all()
			.filter(row => !clustered.has(row.path));
		// Two photos that are no copies of each other: the second's hashes are the first's in capitals, equal to them
		// only if compared other than as they are.
		sql.prepare('UPDATE files SET (sha256, content_hash) = (SELECT upper(sha256), upper(content_hash) FROM files WHERE id = ?) WHERE id = ?').run(a!.id, b!.id);
		// A near pair's pHashes in capitals: the same numbers, so the same candidates.
		const pair = both().whole.find(cluster => cluster.kind === 'near')!.members.map(member => member.path);
		sql.prepare('UPDATE files SET phash = upper(phash), phash_rot = upper(phash_rot), phash_crop = upper(phash_crop) WHERE path IN (?, ?)').run(pair[0], pair[1]);
		sql.close();
		const {whole, light} = both();
		assert.deepEqual(light, whole);
		const paths = new Set(light.flatMap(cluster => cluster.members.map(member => member.path)));
		assert.ok(!paths.has(a!.path) && !paths.has(b!.path), 'hashes that differ in case are different hashes');
		assert.ok(paths.has(pair[0]!) && paths.has(pair[1]!), 'pHashes in capitals still find their copies');
	});
});

test('what a refresh reads of a few photos goes through an index: their rows, their contents, the files beside them, a Live Photo\'s halves', () => {
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	try {
		const statements = preparedBy(() => new DupesData(catalog));
		const plan = (sql: string) => queryPlan(connectionOf(catalog), sql, Array.from({length: sql.split('?').length - 1}, () => '[]')).join(' | ');
		const expected: Array<[RegExp, RegExp]> = [
			[/WHERE path = \?/, /^SEARCH files USING COVERING INDEX sqlite_autoindex_files_1 \(path=\?\)$/],
			[/sha256 IN \(SELECT value FROM json_each/, /^SEARCH files USING INDEX files_sha256 \(sha256=\?\)/],
			[/path >= \? AND path < \?/, /^SEARCH files USING INDEX sqlite_autoindex_files_1 \(path>\? AND path<\?\)$/],
			[/live_photo_id = \?/, /^SEARCH files USING INDEX files_live_photo_id \(live_photo_id=\?\)$/],
			[/status = 'present' AND id IN/, /^SEARCH files USING INTEGER PRIMARY KEY \(rowid=\?\)/],
			// The photos with a new photo's bytes or pixels, through both hashes' indexes.
			[/AND \(sha256 IN \(SELECT sha256/, /^MULTI-INDEX OR .*SEARCH files USING INDEX files_sha256 \(sha256=\?\).*SEARCH files USING INDEX files_content_hash \(content_hash=\?\)$/],
		];
		for (const [statement, wanted] of expected) {
			const sql = statements.filter(text => statement.test(text));
			assert.ok(sql.length > 0, String(statement));
			for (const text of sql) {
				assert.match(plan(text), wanted, text);
				assert.doesNotMatch(plan(text), /SCAN files/, text);
			}
		}
	} finally {
		catalog.close();
	}
});

test('the photos at some paths are read as every photo is, in path order, with the files beside them and the halves of a Live Photo', () => {
	const file = path.join(tempDir('curate-photos-at-'), 'catalog.db');
	buildSyntheticCatalog(file, 600, {seed: 3});
	const catalog = Catalog.open(file);
	try {
		const data = new DupesData(catalog);
		const every = data.everyPhoto(signature => encodeWindowHashes(windowHashes(signature)));
		const some = every.files.filter((_, index) => index % 7 === 3);
		// Out of order, twice over, and with a path that is not there: what is read is in path order, once each.
		const asked = [...some].reverse().map(photo => photo.path);
		const at = data.photosAt([...asked, ...asked, 'no/such/photo.jpg'], signature => encodeWindowHashes(windowHashes(signature)));
		assert.deepEqual(at.files.map(photo => ({...photo})), some.map(photo => ({...photo})));
		for (const photo of some) {
			assert.deepEqual(at.windowHashes(photo.id), every.windowHashes(photo.id));
		}

		const live = every.files.find(photo => photo.livePhotoId !== null)!;
		assert.ok(live, 'the catalog has Live Photos');
		assert.ok(data.presentWithLiveId(live.livePhotoId!).length >= 2, 'a Live Photo\'s still and movie');
		const folder = path.posix.dirname(some[0]!.path);
		const beside = data.presentInFolder(folder === '.' ? '' : folder).map(row => row.path);
		assert.deepEqual(beside.sort(), every.files.map(photo => photo.path).filter(other => path.posix.dirname(other) === folder).sort());
		const copied = every.files.find(photo => every.files.filter(other => other.sha256 === photo.sha256).length > 1)!;
		assert.deepEqual(data.pathsWithContents([copied.sha256!]).sort(), every.files.filter(photo => photo.sha256 === copied.sha256).map(photo => photo.path).sort());
	} finally {
		catalog.close();
	}
});

test('a batch of every photo read elsewhere is taken only when it is of this read\'s state of the catalog: one read before a change is read again here', () => {
	const file = path.join(tempDir('curate-batches-away-'), 'catalog.db');
	buildSyntheticCatalog(file, 300, {seed: 11});
	const catalog = Catalog.open(file);
	try {
		const data = new DupesData(catalog);
		const sql = connectionOf(catalog);
		const {id} = sql.prepare<[], {id: number}>("SELECT id FROM files WHERE status = 'present' AND kind = 'image' ORDER BY id LIMIT 1").get()!;
		const paths = (every: EveryPhoto) => every.files.map(photo => [photo.id, photo.path]);
		const lookupRows = (away?: EveryBatchesAway) => {
			const rows: Array<[number, string | null]> = [];
			data.eachLookupRow(signature => signature, (rowId, file) => rows.push([rowId, file.phash]), away);
			return rows;
		};

		/** A reader elsewhere that gives `batch(read, index, here)` for each batch, listing what it was asked. */
		const elsewhere = (batch: (read: EveryRead, index: number, here: (index: number) => EveryBatch) => EveryBatch): {away: EveryBatchesAway; given: string[]} => {
			const given: string[] = [];
			return {
				given,
				*away(read, count, here) {
					for (let index = 0; index < count; index++) {
						given.push(`${read} ${index}`);
						yield batch(read, index, here);
					}
				},
			};
		};

		// Read elsewhere before a change: another generation, so read again here, and the change is seen.
		const early = {records: data.batchAt('records', 0), lookups: data.batchAt('lookups', 0)};
		sql.prepare("UPDATE files SET path = ?, phash = 'ffffffffffffffff' WHERE id = ?").run('renamed/after the read.jpg', id);
		const stale = elsewhere(read => early[read]);
		const read = data.everyPhoto(undefined, stale.away);
		assert.deepEqual(paths(read), paths(data.everyPhoto()));
		assert.ok(read.files.some(photo => photo.id === id && photo.path === 'renamed/after the read.jpg'));
		const rows = lookupRows(stale.away);
		assert.deepEqual(rows, lookupRows());
		assert.ok(rows.some(([rowId, phash]) => rowId === id && phash === 'ffffffffffffffff'));
		assert.deepEqual(stale.given, ['records 0', 'lookups 0']);

		// Of this read's generation: taken as given, not read again (a value changed in the batch's JSON shows through).
		const doctored = elsewhere((which, index, here) => {
			const batch = here(index);
			return {...batch, rows: batch.rows.replace('"renamed/after the read.jpg"', '"given/elsewhere.jpg"').replace('"ffffffffffffffff"', '"eeeeeeeeeeeeeeee"')};
		});
		assert.ok(data.everyPhoto(undefined, doctored.away).files.some(photo => photo.id === id && photo.path === 'given/elsewhere.jpg'));
		assert.ok(lookupRows(doctored.away).some(([rowId, phash]) => rowId === id && phash === 'eeeeeeeeeeeeeeee'));

		// A reader that gives fewer batches than asked (or none): the rest are read here.
		const none: EveryBatchesAway = function* () {};
		assert.deepEqual(paths(data.everyPhoto(undefined, none)), paths(data.everyPhoto()));
		assert.deepEqual(lookupRows(none), lookupRows());
	} finally {
		catalog.close();
	}
});
