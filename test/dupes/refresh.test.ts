// A kept duplicate search brought up to date after "not duplicates" decisions, made or taken back, by searching only
// the photos they can move (source/dupes/refresh.ts). Whatever it does, it must find exactly what a whole search finds:
// every test holds it to the finder over every whole row of the catalog.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import type {DupeSearchProgress} from '../../source/core/progress.js';
import {connectionOf} from '../../source/db/connection.js';
import {DupeStore} from '../../source/db/dupe-store.js';
import {type Cluster, findDuplicates, type FindOptions} from '../../source/dupes/find.js';
import {findDuplicatesIn, refreshIfOutdated, searchAndKeep, searchKey} from '../../source/dupes/in-catalog.js';
import {loadConfig} from '../../source/config.js';
import {stemOf} from '../../source/dupes/units.js';
import {libraryAt} from '../../source/library.js';
import {runCli} from '../helpers/cli.js';
import {copyFileRow} from '../helpers/file-rows.js';
import {prngUnit} from '../helpers/prng.js';
import {scannedSampleLibrary, scanRoot} from '../helpers/scanned.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

function syntheticCatalog(size: number, seed: number): Catalog {
	const file = path.join(tempDir('curate-refresh-'), 'catalog.db');
	// Near copies, bursts, exact and same-pixel copies, RAW and Live Photo companions, missing files, decisions.
	buildSyntheticCatalog(file, size, {seed});
	return Catalog.open(file);
}

/** What a whole search over every whole row finds now: the reference. */
function whole(catalog: Catalog, options: FindOptions): Cluster[] {
	return findDuplicates(catalog.allPresent(), {...options, distinct: catalog.distinctPairs()});
}

/** The clusters the catalog gives for these options, and whether a whole search ran to give them. */
function found(catalog: Catalog, options: FindOptions): {clusters: Cluster[]; searched: boolean} {
	const phases: Array<DupeSearchProgress['phase']> = [];
	const clusters = findDuplicatesIn(catalog, options, {onProgress: event => phases.push(event.phase)});
	return {clusters, searched: phases.includes('lookup')};
}

/** The members' contents of a cluster, as `curate dupes --not-duplicates ID` marks them. */
const contents = (cluster: Cluster) => cluster.members.map(member => member.sha256);

for (const kind of ['all', 'similar'] as const) {
	test(`--kind ${kind}: "not duplicates" decisions, made and taken back, bring the kept search up to date without a whole search, and it finds what a whole search finds`, () => {
		const catalog = syntheticCatalog(2500, 21);
		try {
			const options = {kind};
			const key = searchKey(options)!;
			searchAndKeep(catalog, options);
			const before = whole(catalog, options);
			const random = prngUnit(4);
			const pick = (clusters: Cluster[], where: (cluster: Cluster) => boolean) => {
				const some = clusters.filter(where);
				return some[Math.floor(random() * some.length)];
			};

			// Clusters of every shape: near copies, exact copies, one whose members travel with companions (a RAW, a Live
			// Photo movie), and a large one; some decided whole, some only between two of their members.
			const chosen = [
				pick(before, cluster => cluster.kind === 'near' && cluster.members.length >= 3),
				pick(before, cluster => cluster.kind === 'exact'),
				pick(before, cluster => cluster.members.some(member => member.companions.length > 0)),
				pick(before, cluster => cluster.members.length >= 4),
				...(kind === 'similar' ? [pick(before, cluster => cluster.kind === 'similar')] : []),
			].filter((cluster): cluster is Cluster => cluster !== undefined);
			if (kind === 'all') {
				assert.ok(chosen.length >= 4, `the catalog has clusters of every shape (${chosen.length})`);
				assert.ok(chosen.some(cluster => cluster.members.some(member => member.companions.length > 0)), 'a cluster with companions');
			} else {
				// The similar tier's clusters here are the bursts: shots of one moment, four or more of them in most.
				assert.ok(chosen.length >= 2 && chosen.some(cluster => cluster.kind === 'similar'), `the catalog has bursts (${chosen.length})`);
			}
			const decided = chosen.flatMap((cluster, index) => catalog.markDistinct(index % 2 === 0 ? contents(cluster) : contents(cluster).slice(0, 2)));
			assert.equal(new DupeStore(catalog).has(key), false, 'the decisions put the kept search out of date');

			const afterDecisions = whole(catalog, options);
			assert.notDeepEqual(afterDecisions, before, 'the decisions split clusters');
			const refreshed = found(catalog, options);
			assert.equal(refreshed.searched, false, 'no whole search ran');
			assert.ok(new DupeStore(catalog).has(key), 'the refreshed search is kept');
			assert.deepEqual(refreshed.clusters, afterDecisions);
			assert.equal(connectionOf(catalog).prepare<[], {n: number}>('SELECT count(*) AS n FROM dupe_decisions_changed').get()!.n, 0, 'the decisions it followed are no longer listed');

			// Taken back one at a time, as `curate undo` takes back one batch: photos kept apart join their clusters again.
			for (const pair of [decided[0]!, ...decided.slice(1)].slice(0, 3)) {
				catalog.unmarkDistinct([pair]);
				const again = found(catalog, options);
				assert.equal(again.searched, false, 'no whole search ran after a decision was taken back');
				assert.deepEqual(again.clusters, whole(catalog, options));
			}

			catalog.unmarkDistinct(decided);
			const undone = found(catalog, options);
			assert.equal(undone.searched, false);
			assert.deepEqual(undone.clusters, before, 'every decision taken back: the clusters before them');
		} finally {
			catalog.close();
		}
	});
}

test('photos named like a decided cluster\'s are searched with it (they may be its companions), and the clusters they belong to stay as they were', () => {
	const catalog = syntheticCatalog(1500, 25);
	try {
		const options = {kind: 'all'} as const;
		const pairs = whole(catalog, options).filter(cluster => cluster.members.length === 2 && cluster.members.every(member => member.companions.length === 0));
		const [decided, beside] = [pairs[0]!, pairs[1]!];
		// The two photos of another cluster take the names of the decided cluster's two, as PNGs beside their JPEGs:
		// neither is a RAW, so each stays a photo of its own, in its own cluster.
		const rename = connectionOf(catalog).prepare('UPDATE files SET path = ? WHERE path = ?');
		for (const [index, member] of beside.members.entries()) {
			const name = decided.members[index]!.path;
			rename.run(`${name.slice(0, name.length - path.extname(name).length)}.png`, member.path);
		}

		const before = whole(catalog, options);
		assert.ok(before.some(cluster => cluster.members.every(member => member.path.endsWith('.png'))), 'the renamed cluster is still one');
		searchAndKeep(catalog, options);
		catalog.markDistinct(contents(decided));
		assert.equal(refreshIfOutdated(catalog, options), true);
		assert.deepEqual(found(catalog, options).clusters, whole(catalog, options));
		assert.equal(whole(catalog, options).length, before.length - 1);
	} finally {
		catalog.close();
	}
});

/** Trashes a photo as the journal does (source/db/journal-store.ts): its row moves to the trash path and leaves the present set. */
function trash(catalog: Catalog, file: string): void {
	connectionOf(catalog).prepare("UPDATE files SET path = '.curate/trash/1/' || path, status = 'missing', trashed_batch = 1 WHERE path = ?").run(file);
}

test('photos that leave the library, trashed or gone from the disk, bring the kept search up to date without a whole search', () => {
	const catalog = syntheticCatalog(2500, 26);
	try {
		const options = {kind: 'all'} as const;
		searchAndKeep(catalog, options);
		const before = whole(catalog, options);
		// As `curate dupes --apply keepers` and review do: every member but the keeper goes, with its companions.
		const applied = before.filter(cluster => cluster.members.length >= 2).filter((_, index) => index % 5 === 0).slice(0, 6);
		assert.ok(applied.some(cluster => cluster.members.some(member => !member.keeper && member.companions.length > 0)), 'a member with companions goes');
		for (const member of applied.flatMap(cluster => cluster.members.filter(member => !member.keeper))) {
			for (const file of [member.path, ...member.companions]) {
				trash(catalog, file);
			}
		}

		// One photo of a large cluster is gone from the disk (a scan found it missing): it may have held the cluster together.
		const large = before.find(cluster => !applied.includes(cluster) && cluster.members.length >= 4 && cluster.members.every(member => member.companions.length === 0))!;
		assert.ok(large, 'a large cluster');
		connectionOf(catalog).prepare("UPDATE files SET status = 'missing' WHERE path = ?").run(large.members[1]!.path);
		// And a photo in no cluster, alone under its name.
		const clustered = new Set(before.flatMap(cluster => cluster.members.flatMap(member => [member.path, ...member.companions])));
		const present = catalog.allPresent();
		const lone = present.find(file => !clustered.has(file.path) && !file.livePhotoId && present.filter(other => stemOf(other.path) === stemOf(file.path)).length === 1)!;
		connectionOf(catalog).prepare("UPDATE files SET status = 'missing' WHERE path = ?").run(lone.path);

		const after = found(catalog, options);
		assert.equal(after.searched, false, 'no whole search ran');
		assert.deepEqual(after.clusters, whole(catalog, options));
		assert.ok(after.clusters.length < before.length, 'clusters went with their copies');
		assert.equal(connectionOf(catalog).prepare<[], {n: number}>('SELECT count(*) AS n FROM dupe_files_left').get()!.n, 0, 'the photos it followed are no longer listed');
	} finally {
		catalog.close();
	}
});

test('a photo that leaves a companion behind (a JPEG trashed, its RAW kept) is followed: the RAW is a photo of its own now, looked up as a new one', () => {
	const catalog = syntheticCatalog(1500, 27);
	try {
		const options = {kind: 'all'} as const;
		searchAndKeep(catalog, options);
		const members = whole(catalog, options).flatMap(cluster => cluster.members).filter(each => each.companions.length > 0);
		assert.ok(members.length >= 2, 'photos with companions');
		for (const member of members.slice(0, 3)) {
			trash(catalog, member.path);
		}

		const after = found(catalog, options);
		assert.equal(after.searched, false);
		assert.deepEqual(after.clusters, whole(catalog, options));
	} finally {
		catalog.close();
	}
});

for (const kind of ['all', 'similar'] as const) {
	test(`--kind ${kind}: photos added, changed, moved or back from the trash bring the kept search up to date without a whole search`, () => {
		const catalog = syntheticCatalog(2500, 28);
		try {
			const options = {kind};
			searchAndKeep(catalog, options);
			const before = whole(catalog, {kind: 'all'});
			const db = connectionOf(catalog);
			const clustered = new Set(before.flatMap(cluster => cluster.members.flatMap(member => [member.path, ...member.companions])));
			const present = catalog.allPresent();
			const lone = present.filter(file => file.kind === 'image' && !clustered.has(file.path) && !file.livePhotoId && present.filter(other => stemOf(other.path) === stemOf(file.path)).length === 1);
			const plain = before.filter(cluster => cluster.members.every(member => member.companions.length === 0));
			// An exact copy of a clustered photo, a copy with its own bytes of another (a near copy), and copies of two photos
			// that were in no cluster (each makes a new one).
			copyFileRow(db, plain[0]!.members[0]!.path, 'Incoming/exact-copy.jpg');
			copyFileRow(db, plain[3]!.members[1]!.path, 'Incoming/near-copy.jpg', {sha256: 'f'.repeat(64), content_hash: 'e'.repeat(64)});
			copyFileRow(db, lone[0]!.path, 'Incoming/lone-copy.jpg');
			copyFileRow(db, lone[1]!.path, 'Incoming/lone-copy-2.jpg', {sha256: 'd'.repeat(64), content_hash: 'c'.repeat(64)});
			// A RAW beside a clustered JPEG: the JPEG's companion from now on.
			const raw = present.find(file => file.kind === 'raw')!;
			const jpeg = plain[5]!.members[0]!.path;
			copyFileRow(db, raw.path, `${jpeg.slice(0, jpeg.length - path.extname(jpeg).length)}.dng`);
			// A photo changed into a copy of another (its fingerprints are the other's now), one moved, one back from the trash.
			const changed = plain[7]!.members[0]!.path;
			const into = lone[2]!.path;
			db.prepare(`UPDATE files SET (sha256, content_hash, phash, phash_rot, phash_crop, signature, signature_crop, detail, window_hashes, width, height, taken_at, taken_at_source)
				= (SELECT sha256, content_hash, phash, phash_rot, phash_crop, signature, signature_crop, detail, window_hashes, width, height, taken_at, taken_at_source FROM files WHERE path = ?) WHERE path = ?`).run(into, changed);
			db.prepare('UPDATE files SET path = ? WHERE path = ?').run('Moved/elsewhere.jpg', plain[9]!.members[1]!.path);
			trash(catalog, plain[11]!.members[1]!.path);
			db.prepare("UPDATE files SET path = substr(path, length('.curate/trash/1/') + 1), status = 'present', trashed_batch = NULL WHERE path LIKE '.curate/trash/1/%'").run();

			const after = found(catalog, options);
			assert.equal(after.searched, false, 'no whole search ran');
			assert.deepEqual(after.clusters, whole(catalog, options));
			if (kind === 'similar') {
				return;
			}

			const {clusters} = after;
			const holding = (file: string) => clusters.find(cluster => cluster.members.some(member => member.path === file || member.companions.includes(file)));
			assert.ok(holding('Incoming/exact-copy.jpg') && holding('Incoming/near-copy.jpg') && holding('Incoming/lone-copy.jpg') && holding('Incoming/lone-copy-2.jpg'), 'every copy joined a cluster');
			assert.equal(holding(changed)?.id, holding(into)?.id, 'the changed photo is in its new twin\'s cluster');
			assert.ok(holding(`${jpeg.slice(0, jpeg.length - path.extname(jpeg).length)}.dng`), 'the RAW travels with its JPEG');
		} finally {
			catalog.close();
		}
	});
}

test('a change to a row that is not present, or a kept search from before the catalog listed changes, needs a whole search', () => {
	const catalog = syntheticCatalog(1200, 22);
	try {
		const options = {kind: 'all'} as const;
		const clusters = searchAndKeep(catalog, options).clusters.map(text => JSON.parse(text.json) as Cluster);
		catalog.markDistinct(contents(clusters[0]!));
		// A trashed photo's row changes in the trash: not listed, so not followed.
		const gone = clusters[1]!.members[0]!.path;
		trash(catalog, gone);
		connectionOf(catalog).prepare('UPDATE files SET size = size + 1 WHERE path = ?').run(`.curate/trash/1/${gone}`);
		assert.equal(refreshIfOutdated(catalog, options), false);
		const after = found(catalog, options);
		assert.equal(after.searched, true);
		assert.deepEqual(after.clusters, whole(catalog, options));
		// And a decision after that search is followed again.
		catalog.markDistinct(contents(after.clusters[2]!));
		assert.equal(refreshIfOutdated(catalog, options), true);
		assert.deepEqual(found(catalog, options).clusters, whole(catalog, options));
	} finally {
		catalog.close();
	}
});

test('a decision about a damaged copy is left to a whole search: damaged copies are compared across the library', () => {
	const catalog = syntheticCatalog(1200, 23);
	try {
		const options = {kind: 'all'} as const;
		const first = whole(catalog, options).find(cluster => cluster.kind === 'near')!;
		const damaged = first.members[1]!;
		connectionOf(catalog).prepare("UPDATE files SET error = 'damaged image data: premature end of JPEG file' WHERE path = ?").run(damaged.path);
		searchAndKeep(catalog, options);
		catalog.markDistinct([first.members[0]!.sha256, damaged.sha256]);
		assert.equal(refreshIfOutdated(catalog, options), false);
		const after = found(catalog, options);
		assert.equal(after.searched, true);
		assert.deepEqual(after.clusters, whole(catalog, options));

		// A photo of the damaged one's size leaving may change which photos it is compared with: a whole search. One of
		// another size does not.
		const present = catalog.allPresent();
		const bare = present.filter(file => !file.livePhotoId && present.filter(other => stemOf(other.path) === stemOf(file.path)).length === 1 && file.path !== damaged.path);
		const [sameSize, otherSize] = [bare.find(file => file.width === damaged.width && file.height === damaged.height)!, bare.find(file => file.width !== damaged.width)!];
		assert.ok(sameSize && otherSize);
		trash(catalog, otherSize.path);
		assert.equal(refreshIfOutdated(catalog, options), true);
		trash(catalog, sameSize.path);
		assert.equal(refreshIfOutdated(catalog, options), false);
		assert.deepEqual(found(catalog, options).clusters, whole(catalog, options));
	} finally {
		catalog.close();
	}
});

/**
 * What `curate dupes --json` prints for a whole search of this catalog: run on a copy of it with no kept search (the
 * reference a refresh is held to).
 */
async function wholeSearchJson(catalogPath: string): Promise<string> {
	const copy = libraryAt(tempDir('curate-refresh-whole-'));
	fs.mkdirSync(copy.dir, {recursive: true});
	const catalog = Catalog.open(catalogPath);
	try {
		connectionOf(catalog).prepare('VACUUM INTO ?').run(copy.catalogPath);
	} finally {
		catalog.close();
	}

	const reference = Catalog.open(copy.catalogPath);
	connectionOf(reference).exec('DELETE FROM dupe_clusters; DELETE FROM dupe_searches;');
	reference.close();
	const whole = await runCli(['dupes', '--json', '--library', copy.root]);
	assert.equal(whole.code, 0, whole.stderr);
	return whole.stdout;
}

test('curate dupes --json after curate dupes --not-duplicates prints what a whole search prints, without searching again', async () => {
	const library = libraryAt(tempDir('curate-refresh-cli-'));
	fs.mkdirSync(library.dir, {recursive: true});
	buildSyntheticCatalog(library.catalogPath, 1500, {seed: 24});
	const searched = await runCli(['dupes', '--json', '--library', library.root]);
	assert.equal(searched.code, 0, searched.stderr);
	const {clusters} = JSON.parse(searched.stdout) as {clusters: Cluster[]};
	const chosen = clusters.find(cluster => cluster.kind === 'near' && cluster.members.length >= 3)!;
	const decided = await runCli(['dupes', '--not-duplicates', chosen.id, '--library', library.root]);
	assert.equal(decided.code, 0, decided.stderr);

	const refreshed = await runCli(['dupes', '--json', '--library', library.root]);
	assert.equal(refreshed.code, 0, refreshed.stderr);
	const catalog = Catalog.open(library.catalogPath);
	try {
		const options = {kind: 'all', sensitivity: 'normal', keeper: loadConfig(library).keeper} as const;
		assert.ok(new DupeStore(catalog).has(searchKey(options)!), 'the refreshed search is kept');
		assert.equal(refreshed.stdout, await wholeSearchJson(library.catalogPath));
		assert.ok(!(JSON.parse(refreshed.stdout) as {clusters: Cluster[]}).clusters.some(cluster => cluster.id === chosen.id), 'the decided cluster is gone');
	} finally {
		catalog.close();
	}
});

test('real photos: after a scan that finds new copies, keepers applied and their undo, the next curate dupes prints what a whole search prints; the scan and the keepers are followed without one', async () => {
	const {root} = await scannedSampleLibrary();
	const library = libraryAt(root);
	const options = {kind: 'all', sensitivity: 'normal', keeper: loadConfig(library).keeper} as const;
	const key = searchKey(options)!;
	/** `curate dupes --json` on the library, and on a copy of its catalog with no kept search (a whole search). */
	const both = async () => {
		const kept = await runCli(['dupes', '--json', '--library', root]);
		assert.equal(kept.code, 0, kept.stderr);
		return {kept: kept.stdout, whole: await wholeSearchJson(library.catalogPath)};
	};

	/** Brings the kept search up to date in-process, as the next command would, and says whether a refresh did. */
	const refreshed = () => {
		const catalog = Catalog.open(library.catalogPath);
		try {
			return refreshIfOutdated(catalog, options) && new DupeStore(catalog).has(key);
		} finally {
			catalog.close();
		}
	};

	const first = await runCli(['dupes', '--json', '--library', root]);
	assert.equal(first.code, 0, first.stderr);
	const {clusters} = JSON.parse(first.stdout) as {clusters: Cluster[]};
	assert.ok(clusters.length > 0, 'the sample library has duplicates');
	// New files a scan finds: an exact copy of a clustered photo and a copy of one in no cluster, in a new folder.
	const clustered = new Set(clusters.flatMap(cluster => cluster.members.flatMap(member => [member.path, ...member.companions])));
	const photos = fs.readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(file => /\.jpe?g$/i.test(file) && !file.startsWith('.curate'));
	// A camera photo (the sample library also holds broken and empty files, AppleDouble files and a NAS's thumbnails,
	// which are in no cluster, copied or not).
	const lone = photos.find(file => !clustered.has(file.split(path.sep).join('/')) && /^20\d\d\/(?:[^/.@][^/@]*\/)*[^/.@][^/@]*$/.test(file.split(path.sep).join('/')))!;
	assert.ok(lone, 'a photo in no cluster');
	fs.mkdirSync(path.join(root, 'Incoming'));
	fs.copyFileSync(path.join(root, clusters[0]!.members[0]!.path), path.join(root, 'Incoming', 'copy-of-clustered.jpg'));
	fs.copyFileSync(path.join(root, lone), path.join(root, 'Incoming', 'copy-of-lone.jpg'));
	await scanRoot(root);
	assert.equal(refreshed(), true, 'the scan is followed without a whole search');
	const afterScan = await both();
	assert.equal(afterScan.kept, afterScan.whole);
	assert.match(afterScan.kept, /copy-of-clustered\.jpg/);
	assert.match(afterScan.kept, /copy-of-lone\.jpg/);

	const applied = await runCli(['dupes', '--apply', 'keepers', '--library', root]);
	assert.equal(applied.code, 0, applied.stderr);
	assert.equal(refreshed(), true, 'keepers applied are followed without a whole search');
	const afterApply = await both();
	assert.equal(afterApply.kept, afterApply.whole);
	assert.equal((JSON.parse(afterApply.kept) as {clusters: Cluster[]}).clusters.filter(cluster => cluster.kind !== 'similar').length, 0, 'every cluster resolved');

	const undone = await runCli(['undo', '--library', root]);
	assert.equal(undone.code, 0, undone.stderr);
	// The keepers applied had trashed a damaged copy (broken/truncated.jpg); the undo brings it back, and a damaged copy
	// is compared across the library: a whole search, which gives the same.
	assert.ok(clusters.some(cluster => cluster.members.some(member => member.reasons.some(reason => reason.startsWith('damaged copy')))));
	assert.equal(refreshed(), false, 'a damaged copy came back: left to a whole search');
	const afterUndo = await both();
	assert.equal(afterUndo.kept, afterUndo.whole);
	assert.equal(afterUndo.kept, afterScan.kept, 'the undo brings back the clusters before the keepers were applied');
});
