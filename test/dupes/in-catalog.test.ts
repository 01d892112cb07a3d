// Duplicate finding straight from the catalog (issue 15): light records, signatures fetched for candidate pairs only,
// whole records for cluster members only. It must find exactly what the finder finds over every whole row.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import Database from 'better-sqlite3';
import {Catalog, type StoredFile} from '../../source/db/catalog.js';
import type {DupeSearchProgress} from '../../source/core/progress.js';
import {connectionOf} from '../../source/db/connection.js';
import {DupeStore, sortKeysOf} from '../../source/db/dupe-store.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {type Cluster, findDuplicates, type KindFilter} from '../../source/dupes/find.js';
import {duplicateTotals, findDuplicatesIn, searchAndKeep, searchKey} from '../../source/dupes/in-catalog.js';
import {writeClustersJson, writeKeptClustersJson} from '../../source/dupes/kept-json.js';
import {keeperMember} from '../../source/dupes/rank.js';
import {encodeWindowHashes, windowHashes} from '../../source/dupes/window-hash.js';
import {libraryAt} from '../../source/library.js';
import {loadConfig} from '../../source/config.js';
import {formatBytes} from '../../source/core/format.js';
import {runCli} from '../helpers/cli.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

describe('duplicates found from the catalog, lazily', () => {
	let catalog: Catalog;
	before(() => {
		const file = path.join(tempDir('curate-in-catalog-'), 'catalog.db');
		// A few thousand photos with every planted relation: near copies (re-encoded, cropped, turned), bursts, exact and
		// same-pixel copies, RAW and Live Photo companions, missing files and "not duplicates" decisions.
		buildSyntheticCatalog(file, 2500, {seed: 7});
		catalog = Catalog.open(file, {readonly: true});
	});
	after(() => {
		catalog.close();
	});

	for (const kind of ['all', 'exact', 'pixels', 'near', 'similar'] as KindFilter[]) {
		test(`--kind ${kind}: the same clusters as from every whole row`, () => {
			const eager = findDuplicates(catalog.allPresent(), {kind, distinct: catalog.distinctPairs()});
			const lazy = findDuplicatesIn(catalog, {kind});
			assert.ok(eager.length > 5, `the generated catalog has ${kind} clusters to compare (${eager.length})`);
			assert.deepEqual(lazy, eager);
		});
	}

	test('loose sensitivity finds the same clusters either way', () => {
		assert.deepEqual(findDuplicatesIn(catalog, {sensitivity: 'loose'}), findDuplicates(catalog.allPresent(), {sensitivity: 'loose', distinct: catalog.distinctPairs()}));
	});

	test('"not duplicates" decisions hold: without them more clusters join', () => {
		const withDecisions = findDuplicatesIn(catalog);
		const without = findDuplicatesIn(catalog, {distinct: new Set()});
		assert.deepEqual(without, findDuplicates(catalog.allPresent(), {distinct: new Set()}));
		assert.notDeepEqual(without, withDecisions);
	});

	test('light records carry no signatures, and cluster members are read back with every field ranking reads', () => {
		const data = new DupesData(catalog);
		const light = data.lightFiles();
		assert.ok(light.every(file => file.signature === null && file.signatureCrops === null), 'light records carry no signatures');
		const paths = new Set(findDuplicatesIn(catalog).flatMap(cluster => cluster.members.map(member => member.path)));
		const whole = catalog.allPresent().filter(file => paths.has(file.path));
		const members = data.rankedFiles(whole.map(file => file.id));
		assert.equal(members.size, paths.size);
		for (const file of whole) {
			// What the keeper rules are told of a member is what they are told of its whole record.
			assert.deepEqual(keeperMember(members.get(file.id)!), keeperMember(file));
		}
	});
});

describe('duplicate clusters kept in the catalog between searches', () => {
	let file: string;
	before(() => {
		file = path.join(tempDir('curate-kept-clusters-'), 'catalog.db');
		buildSyntheticCatalog(file, 2000, {seed: 11});
	});

	/** What a fresh search over every whole row finds now. */
	const searched = (catalog: Catalog, options: {kind?: KindFilter; sensitivity?: 'loose'} = {}) =>
		findDuplicates(catalog.allPresent(), {...options, distinct: catalog.distinctPairs()});

	test('dupes --json ranks a batch of groups at a time and keeps text: the clusters, order and text of a search that ranks them all at once', () => {
		// A copy: the searches it keeps are not the other tests' to find.
		const copy = path.join(tempDir('curate-ranked-batches-'), 'catalog.db');
		fs.copyFileSync(file, copy);
		const catalog = Catalog.open(copy, {readonly: true});
		try {
			for (const options of [{kind: 'all'}, {kind: 'near'}, {kind: 'similar'}, {sensitivity: 'loose'}] as const) {
				const whole = searched(catalog, options);
				assert.ok(whole.length > 30, `clusters to rank (${whole.length})`);
				// Batches of 7 groups: members' records read and ranked across many batch boundaries.
				const {clusters, kept} = searchAndKeep(catalog, options, {batch: 7});
				assert.ok(kept);
				assert.deepEqual(
					clusters.map(cluster => cluster.json),
					whole.map(cluster => JSON.stringify(cluster)),
				);
				assert.deepEqual(new DupeStore(catalog).clusters<Cluster>(searchKey(options)!), whole, 'kept as found');
				assert.deepEqual(
					clusters.map(({json, ...keys}) => keys),
					whole.map(cluster => ({...sortKeysOf(cluster), kind: cluster.kind, members: cluster.members.length})),
				);
			}
		} finally {
			catalog.close();
		}
	});

	test('curate status counts clusters, files and reclaimable bytes from the kept search without reading its clusters, and searches when none is kept', () => {
		const copy = path.join(tempDir('curate-totals-'), 'catalog.db');
		fs.copyFileSync(file, copy);
		const catalog = Catalog.open(copy, {readonly: true});
		try {
			for (const options of [{kind: 'all'}, {kind: 'near'}, {sensitivity: 'loose'}] as const) {
				const whole = searched(catalog, options);
				const expected = {
					clusters: whole.length,
					files: whole.reduce((sum, cluster) => sum + cluster.members.length, 0),
					reclaimableBytes: whole.reduce((sum, cluster) => sum + cluster.reclaimableBytes, 0),
				};
				assert.ok(expected.clusters > 30 && expected.reclaimableBytes > 0);
				const store = new DupeStore(catalog);
				assert.equal(store.has(searchKey(options)!), false);
				assert.deepEqual(duplicateTotals(catalog, options), expected, 'searched');
				assert.ok(store.has(searchKey(options)!), 'and kept');
				// The kept clusters' text made unreadable: counted from the index all the same, and not searched again.
				const writer = new Database(copy);
				writer.prepare("UPDATE dupe_clusters SET cluster = 'unread'").run();
				assert.deepEqual(duplicateTotals(catalog, options), expected, 'from the kept search');
				assert.deepEqual(writer.prepare("SELECT count(*) AS n FROM dupe_clusters WHERE cluster <> 'unread'").get(), {n: 0}, 'nothing kept again');
				writer.close();
			}
		} finally {
			catalog.close();
		}
	});

	test('every kind and sensitivity: a search is kept, and what is kept is what a search finds', () => {
		const catalog = Catalog.open(file, {readonly: true});
		try {
			const store = new DupeStore(catalog);
			for (const options of [{kind: 'all'}, {kind: 'exact'}, {kind: 'pixels'}, {kind: 'near'}, {kind: 'similar'}, {sensitivity: 'loose'}] as const) {
				const key = searchKey(options)!;
				assert.equal(store.has(key), false, `nothing kept yet for ${key}`);
				const first = findDuplicatesIn(catalog, options);
				assert.ok(store.has(key), `kept after the search (${key}), through a second connection beside the read-only one`);
				assert.deepEqual(store.clusters<Cluster>(key), first);
				assert.deepEqual(findDuplicatesIn(catalog, options), searched(catalog, options));
			}

			assert.equal(searchKey({distinct: new Set()}), undefined, 'a search given its own decisions is not kept');
		} finally {
			catalog.close();
		}
	});

	test('a file that changes, a file that goes missing and a rescan that changes nothing', () => {
		const catalog = Catalog.open(file);
		try {
			const store = new DupeStore(catalog);
			const key = searchKey({})!;
			const before = findDuplicatesIn(catalog);
			assert.ok(store.has(key));
			// A rescan that finds a file unchanged only records when it looked.
			connectionOf(catalog).prepare("UPDATE files SET scanned_at = '2030-01-01T00:00:00Z', scan_id = scan_id + 1").run();
			assert.ok(store.has(key), 'scan bookkeeping leaves the kept clusters valid');
			// A near copy edited in place: its fingerprints are another picture's now (its negative), as a rescan stores them.
			const near = before.find(cluster => cluster.kind === 'near')!;
			const edited = catalog.fileByPath(near.members.find(member => !member.keeper)!.path)!;
			const row = connectionOf(catalog).prepare<[number], {signature: Buffer; detail: Buffer}>('SELECT signature, detail FROM files WHERE id = ?').get(edited.id)!;
			const negative = (bytes: Buffer) => Buffer.from(bytes.map(value => 255 - value));
			connectionOf(catalog)
				.prepare("UPDATE files SET phash = 'ffffffffffffffff', phash_crop = NULL, phash_rot = NULL, signature = ?, detail = ?, window_hashes = ? WHERE id = ?")
				.run(negative(row.signature), negative(row.detail), Buffer.from(encodeWindowHashes(windowHashes(negative(row.signature)))), edited.id);
			assert.equal(store.has(key), false, 'a changed fingerprint invalidates them');
			const afterEdit = findDuplicatesIn(catalog);
			assert.deepEqual(afterEdit, searched(catalog));
			assert.ok(!afterEdit.some(cluster => cluster.members.some(member => member.path === edited.path) && cluster.kind === 'near'), 'the edited copy left its near cluster');
			// An exact copy goes missing.
			const exact = afterEdit.find(cluster => cluster.kind === 'exact' && cluster.members.length === 2)!;
			catalog.markMissing([catalog.fileByPath(exact.members[1]!.path)!.id]);
			assert.equal(store.has(key), false, 'a missing file invalidates them');
			const afterMissing = findDuplicatesIn(catalog);
			assert.deepEqual(afterMissing, searched(catalog));
			assert.ok(!afterMissing.some(cluster => cluster.id === exact.id));
		} finally {
			catalog.close();
		}
	});

	test('a "not duplicates" decision, and taking it back', () => {
		const catalog = Catalog.open(file);
		try {
			const store = new DupeStore(catalog);
			const key = searchKey({})!;
			const before = findDuplicatesIn(catalog);
			const cluster = before.find(candidate => candidate.kind === 'near' && candidate.members.length === 2)!;
			const pairs = catalog.markDistinct(cluster.members.map(member => member.sha256));
			assert.equal(store.has(key), false, 'the decision invalidates the kept clusters');
			const decided = findDuplicatesIn(catalog);
			assert.deepEqual(decided, searched(catalog));
			assert.ok(!decided.some(candidate => candidate.id === cluster.id), 'the cluster is gone');
			catalog.unmarkDistinct(pairs);
			assert.equal(store.has(key), false, 'undoing it invalidates them again');
			assert.deepEqual(findDuplicatesIn(catalog), before);
		} finally {
			catalog.close();
		}
	});

	test('a change made while a search runs leaves that search unkept', () => {
		const catalog = Catalog.open(file);
		try {
			const store = new DupeStore(catalog);
			const key = searchKey({kind: 'exact'})!;
			const generation = store.generation();
			const clusters = findDuplicates(catalog.allPresent(), {kind: 'exact', distinct: catalog.distinctPairs()});
			catalog.markMissing([catalog.fileByPath(clusters[0]!.members[0]!.path)!.id]);
			assert.equal(store.keep(key, generation, clusters), false);
			assert.equal(store.has(key), false);
		} finally {
			catalog.close();
		}
	});
});

test('more links than a call takes arguments: dupes at a million photos stopped with "Maximum call stack size exceeded"', () => {
	// 130,000 same-pixel pairs: one link each, more than spreading them into push() survives.
	const base = {
		size: 1000, mtimeMs: 0, format: 'jpeg', kind: 'image', width: 10, height: 10, orientation: 1, takenAt: null, takenAtSource: null, make: null, model: null, lens: null, gps: null,
		keywords: [] as string[], rating: null, title: null, description: null, software: null, livePhotoId: null, burstId: null, phash: null, dhash: null, phashRotations: null,
		phashCrops: null, signatureCrops: null, contentWidth: null, contentHeight: null, signature: null, thumb: null, error: null, frames: 1, grey: false, status: 'present',
	} as const;
	const files: StoredFile[] = Array.from({length: 260_000}, (_, i) => ({...base, keywords: [], id: i + 1, path: `p/${String(i).padStart(6, '0')}.jpg`, sha256: `s${i}`, contentHash: `c${i >> 1}`}));
	const clusters = findDuplicates(files, {kind: 'pixels'});
	assert.equal(clusters.length, 130_000);
});

test('dupes --json with clusters kept prints the very document the search printed, without parsing 151 MB of JSON at a million photos', async () => {
	const library = libraryAt(tempDir('curate-kept-json-'));
	fs.mkdirSync(library.dir, {recursive: true});
	buildSyntheticCatalog(library.catalogPath, 1500, {seed: 5});
	const catalog = Catalog.open(library.catalogPath);
	try {
		// A member whose path holds what JSON.stringify leaves raw (a bidi override, a C1 control): escaped alike.
		const member = findDuplicatesIn(catalog).find(cluster => cluster.kind === 'near')!.members[0]!;
		connectionOf(catalog).prepare('UPDATE files SET path = ? WHERE path = ?').run(member.path.replace(/\//, '/\u202E\u0085'), member.path);
		// What the command searches with: the library's keeper rules are part of the search.
		const options = {kind: 'all', sensitivity: 'normal', keeper: loadConfig(library).keeper} as const;
		const key = searchKey(options)!;
		assert.equal(new DupeStore(catalog).has(key), false);
		const searched = await runCli(['dupes', '--json', '--library', library.root]);
		assert.equal(searched.code, 0, searched.stderr);
		assert.ok(new DupeStore(catalog).has(key), 'the search was kept');
		let written = 0;
		assert.ok(writeKeptClustersJson(catalog, options, text => (written += text.length)), 'the kept search is what prints next');
		const kept = await runCli(['dupes', '--json', '--library', library.root]);
		assert.equal(kept.code, 0, kept.stderr);
		assert.equal(written, kept.stdout.length);
		assert.equal(kept.stdout, searched.stdout);
		assert.match(kept.stdout, /\\u202e\\u0085/);
		assert.ok((JSON.parse(kept.stdout) as {clusters: unknown[]}).clusters.length > 50);
		// Nothing kept under other options: those search.
		assert.equal(writeKeptClustersJson(catalog, {...options, kind: 'exact'}, () => assert.fail('nothing to write')), false);
	} finally {
		catalog.close();
	}
});

test('curate dupes lists the first --limit clusters with the whole search\'s totals, the same searched or kept, and reads only those clusters when kept', async () => {
	const library = libraryAt(tempDir('curate-listing-'));
	fs.mkdirSync(library.dir, {recursive: true});
	buildSyntheticCatalog(library.catalogPath, 1500, {seed: 5});
	const listed = async (...flags: string[]) => {
		const result = await runCli(['dupes', '--library', library.root, ...flags]);
		assert.equal(result.code, 0, result.stderr);
		return result.stdout;
	};

	const searched = await listed('--limit', '5');
	const {clusters, reclaimableBytes} = JSON.parse(await listed('--json')) as {clusters: Cluster[]; reclaimableBytes: number};
	assert.ok(clusters.length > 50);
	const lines = searched.split('\n');
	assert.equal(lines[0], `${clusters.length} duplicate clusters; resolving them frees ${formatBytes(reclaimableBytes)}.`);
	assert.deepEqual(
		lines.filter(line => line.startsWith('[')).map(line => line.split(' ')[1]),
		clusters.slice(0, 5).map(cluster => cluster.id),
		'the first five, in the order found',
	);
	assert.match(searched, new RegExp(`… and ${clusters.length - 5} more clusters`));
	// Kept now: the same listing. Every kept cluster after the fifth made unreadable: still the same, so only five were read.
	assert.equal(await listed('--limit', '5'), searched);
	const writer = new Database(library.catalogPath);
	writer.prepare("UPDATE dupe_clusters SET cluster = 'unread' WHERE position >= 5").run();
	writer.close();
	assert.equal(await listed('--limit', '5'), searched);
	assert.match(await listed('--limit', '0'), new RegExp(`^${clusters.length} duplicate clusters;[^]*… and ${clusters.length} more clusters`));
	const negative = await runCli(['dupes', '--library', library.root, '--limit', '-1']);
	assert.equal(negative.code, 2, 'a usage error');
	assert.equal(negative.stderr, 'curate: --limit must be a whole number, 0 or more\n');
});

test('a search says how far it is: reading, lookup, every verified batch up to all candidate pairs, ranking each batch, keeping', () => {
	const file = path.join(tempDir('curate-search-progress-'), 'catalog.db');
	buildSyntheticCatalog(file, 1500, {seed: 17});
	const catalog = Catalog.open(file, {readonly: true});
	try {
		const events: DupeSearchProgress[] = [];
		const {clusters} = searchAndKeep(catalog, {}, {batch: 16, onProgress: event => events.push(event)});
		const phases = [...new Set(events.map(event => event.phase))];
		assert.deepEqual(phases, ['reading', 'lookup', 'verifying', 'ranking', 'keeping']);
		// Units: present photos with their companions folded in.
		const lookup = events.find(event => event.phase === 'lookup')!;
		assert.ok(lookup.total > 1000 && lookup.total < new DupesData(catalog).lightFiles().length, `${lookup.total} units`);
		const verified = events.filter(event => event.phase === 'verifying');
		assert.ok(verified.every((event, k) => event.done <= event.total && (k === 0 || event.done > verified[k - 1]!.done)), 'verification counts up');
		assert.equal(verified.at(-1)!.done, verified.at(-1)!.total, 'to every candidate pair');
		const ranked = events.filter(event => event.phase === 'ranking');
		assert.ok(ranked.length > 1, 'a line per batch of groups');
		assert.deepEqual(events.at(-1), {phase: 'keeping', done: 0, total: clusters.length});
		// A kept search is given back without a search: nothing to say.
		const again: DupeSearchProgress[] = [];
		assert.ok(findDuplicatesIn(catalog, {}, {onProgress: event => again.push(event)}).length > 0);
		assert.deepEqual(again, []);
	} finally {
		catalog.close();
	}
});

test('dupes --not-duplicates ID reads that one cluster from a kept search, and searches similar shots only for an id that is not among all clusters', async () => {
	// At a million photos it parsed every kept cluster of two searches, and ran the similar search (minutes) even
	// when the id was in the first one.
	const library = libraryAt(tempDir('curate-not-duplicates-id-'));
	fs.mkdirSync(library.dir, {recursive: true});
	buildSyntheticCatalog(library.catalogPath, 1500, {seed: 9});
	const json = async (...flags: string[]) => {
		const result = await runCli(['dupes', '--library', library.root, '--json', ...flags]);
		assert.equal(result.code, 0, result.stderr);
		return JSON.parse(result.stdout) as {clusters: Cluster[]; cluster?: string; pairs?: number};
	};

	const sql = (text: string, ...values: unknown[]) => {
		const db = new Database(library.catalogPath);
		try {
			const statement = db.prepare(text);
			return statement.reader ? (statement.all(...values) as Array<Record<string, unknown>>) : (statement.run(...values), []);
		} finally {
			db.close();
		}
	};

	const {clusters} = await json();
	const chosen = clusters[2]!;
	// Every other kept cluster made unreadable: marking still works, so only the chosen one was read.
	sql("UPDATE dupe_clusters SET cluster = 'unread' WHERE id <> ?", chosen.id);
	const marked = await json('--not-duplicates', chosen.id);
	assert.equal(marked.cluster, chosen.id);
	assert.ok(marked.pairs! > 0);
	assert.deepEqual(sql(`SELECT key FROM dupe_searches WHERE key LIKE '%"kind":"similar"%'`), [], 'no similar search ran');
	// The unreadable rows go with their search: a refresh after the decision would keep the clusters it did not touch
	// as they are (source/dupes/refresh.ts).
	sql('DELETE FROM dupe_clusters');
	sql('DELETE FROM dupe_searches');

	// A similar-shots cluster: not among all clusters, so both searches are looked in (all searched again and kept).
	const allIds = new Set((await json()).clusters.map(cluster => cluster.id));
	const similar = (await json('--kind', 'similar')).clusters.find(cluster => !allIds.has(cluster.id));
	assert.ok(similar, 'a similar-shots cluster that is not a cluster of all');
	sql('DELETE FROM dupe_searches WHERE key NOT LIKE \'%"kind":"similar"%\'');
	const markedSimilar = await json('--not-duplicates', similar.id);
	assert.equal(markedSimilar.cluster, similar.id);
	assert.equal(sql(`SELECT count(*) AS n FROM dupe_searches WHERE key LIKE '%"kind":"all"%'`)[0]!.n, 1, 'all searched first, and kept');

	const unknown = await runCli(['dupes', '--library', library.root, '--not-duplicates', 'no-such-cluster']);
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /no current cluster has id no-such-cluster/);
});

test('dupes --json prints the same document whether the new search could be kept or not (another process writing), and as a kept one', () => {
	const file = path.join(tempDir('curate-json-unkept-'), 'catalog.db');
	buildSyntheticCatalog(file, 1200, {seed: 13});
	const catalog = Catalog.open(file, {readonly: true});
	try {
		const options = {kind: 'all', sensitivity: 'normal'} as const;
		const key = searchKey(options)!;
		const store = new DupeStore(catalog);
		const printed = () => {
			let text = '';
			writeClustersJson(catalog, options, chunk => (text += chunk));
			return text;
		};

		// Another process holds the write lock: the search is not kept, and its clusters print from their text.
		const writer = new Database(file);
		writer.prepare('BEGIN IMMEDIATE').run();
		const unkept = printed();
		writer.prepare('ROLLBACK').run();
		writer.close();
		assert.equal(store.has(key), false, 'nothing kept while another process writes');
		// Kept and printed; then printed back from the catalog as a kept search.
		const kept = printed();
		assert.ok(store.has(key));
		assert.equal(kept, unkept);
		assert.equal(printed(), unkept);
		const document = JSON.parse(unkept) as {clusters: Cluster[]; reclaimableBytes: number};
		assert.deepEqual(document.clusters, findDuplicates(catalog.allPresent(), {...options, distinct: catalog.distinctPairs()}));
		assert.equal(document.reclaimableBytes, document.clusters.reduce((sum, cluster) => sum + cluster.reclaimableBytes, 0));
	} finally {
		catalog.close();
	}
});
