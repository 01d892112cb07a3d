import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {clusterOrders, type ClusterOrder, type ClusterSortKeys, DupeStore, sortedPositions, sortKeysOf} from '../../source/db/dupe-store.js';
import {findDuplicates} from '../../source/dupes/find.js';
import {searchKey} from '../../source/dupes/in-catalog.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {catalogBefore, preparedBy, queryPlan} from '../helpers/sql.js';
import {tempDir} from '../helpers/temp.js';

test('review reads a kept cluster by its id or its place through an index, never by reading every kept cluster of the search', () => {
	// Without statistics SQLite answered `search = ? AND id = ?` through the primary key (search, position): every kept
	// cluster of the search, 151 MB of JSON at a million photos, read again for each cluster review showed (issue 15).
	const catalog = Catalog.open(path.join(tempDir(), 'catalog.db'));
	try {
		const statements = preparedBy(() => new DupeStore(catalog));
		const plan = (sql: string) =>
			queryPlan(
				connectionOf(catalog),
				sql,
				Array.from({length: sql.split('?').length - 1}, () => 'x'),
			).join(' | ');
		const byId = statements.filter(sql => /\bid = \?/.test(sql));
		assert.ok(byId.length >= 4, `${byId.length} lookups by id: the cluster, and its place in each of three orders`);
		for (const sql of byId) {
			assert.match(plan(sql), /^SEARCH dupe_clusters USING INDEX dupe_clusters_id \(search=\? AND id=\?\)$/, sql);
		}

		const pages = statements.filter(sql => /BETWEEN/.test(sql));
		assert.equal(pages.length, 3, 'a page of each order');
		for (const sql of pages) {
			assert.match(plan(sql), /^SEARCH dupe_clusters USING COVERING INDEX dupe_clusters_by_\w+ \(search=\? AND by_\w+>\? AND by_\w+<\?\)$/, sql);
		}

		// A search's clusters in the order it found them, by its integer id (migration 22), through the primary key.
		const inOrder = statements.filter(sql => /ORDER BY position/.test(sql));
		assert.equal(inOrder.length, 4, 'the clusters parsed, as JSON text, as text with their sort keys (a refresh), and the first of them');
		for (const sql of inOrder) {
			assert.match(plan(sql), /^SEARCH dupe_clusters USING INDEX sqlite_autoindex_dupe_clusters_1 \(search=\?\)$/, sql);
		}

		// Status's totals from the reclaim-order index alone, which holds both columns it sums.
		const totals = statements.filter(sql => /sum\(members\)/.test(sql));
		assert.equal(totals.length, 1);
		assert.match(plan(totals[0]!), /^SEARCH dupe_clusters USING COVERING INDEX dupe_clusters_by_reclaim \(search=\?\)$/);
		// The decisions a refresh follows, by generation, through their index.
		const decisions = statements.filter(sql => /FROM dupe_decisions_changed/.test(sql));
		assert.equal(decisions.length, 1);
		assert.match(plan(decisions[0]!), /^SEARCH dupe_decisions_changed USING INDEX dupe_decisions_changed_generation \(generation>\? AND generation<\?\)$/);
		// The search itself by its key, through the key's unique index.
		const searches = statements.filter(sql => /FROM dupe_searches WHERE key = \?$/.test(sql));
		assert.equal(searches.length, 1);
		assert.match(plan(searches[0]!), /^SEARCH dupe_searches USING INDEX sqlite_autoindex_dupe_searches_1 \(key=\?\)$/);
	} finally {
		catalog.close();
	}
});

test('a kept search stores each cluster as review and dupes --json read it: position, id, kind, bytes, members, earliest date, first path, its place in each order, its JSON', () => {
	const file = path.join(tempDir('curate-dupe-rows-'), 'catalog.db');
	buildSyntheticCatalog(file, 800, {seed: 9});
	const catalog = Catalog.open(file);
	try {
		const sql = connectionOf(catalog);
		const store = new DupeStore(catalog);
		const clusters = findDuplicates(catalog.allPresent(), {distinct: catalog.distinctPairs()});
		assert.ok(clusters.length > 20, `clusters to keep (${clusters.length})`);
		// What each order sorts by, worked out here from the clusters themselves.
		const earliest = clusters.map(cluster => cluster.members.map(member => member.takenAt).filter(taken => taken !== null).sort()[0] ?? null);
		const placesBy = (compare: (a: number, b: number) => number) => {
			const places = new Array<number>(clusters.length);
			for (const [place, position] of clusters.map((_, position) => position).sort(compare).entries()) {
				places[position] = place;
			}

			return places;
		};

		const byId = (a: number, b: number) => clusters[a]!.id.localeCompare(clusters[b]!.id);
		const expected = {
			reclaim: placesBy((a, b) => clusters[b]!.reclaimableBytes - clusters[a]!.reclaimableBytes || byId(a, b)),
			date: placesBy((a, b) => (earliest[a] ?? '\uffff').localeCompare(earliest[b] ?? '\uffff') || byId(a, b)),
			path: placesBy((a, b) => clusters[a]!.members[0]!.path.localeCompare(clusters[b]!.members[0]!.path) || byId(a, b)),
		};
		const cacheSize = sql.pragma('cache_size', {simple: true});
		// Kept as clusters (made text as each row is written), and as text made beforehand (what dupes --json keeps).
		const texts = clusters.map(cluster => ({...sortKeysOf(cluster), kind: cluster.kind, members: cluster.members.length, json: JSON.stringify(cluster)}));
		for (const keep of [(key: string) => store.keep(key, store.generation(), clusters), (key: string) => store.keepTexts(key, store.generation(), texts)]) {
			const key = searchKey({})!;
			assert.ok(keep(key));
			const {id} = sql.prepare<[string], {id: number}>('SELECT id FROM dupe_searches WHERE key = ?').get(key)!;
			const rows = sql.prepare('SELECT * FROM dupe_clusters WHERE search = ? ORDER BY position').all(id);
			assert.deepEqual(
				rows,
				clusters.map((cluster, position) => ({
					search: id,
					position,
					id: cluster.id,
					kind: cluster.kind,
					reclaimable: cluster.reclaimableBytes,
					members: cluster.members.length,
					earliest: earliest[position],
					first_path: cluster.members[0]!.path,
					cluster: JSON.stringify(cluster),
					by_reclaim: expected.reclaim[position],
					by_date: expected.date[position],
					by_path: expected.path[position],
				})),
			);
		}

		assert.equal(sql.pragma('cache_size', {simple: true}), cacheSize, 'the catalog\'s own connection gets its cache size back');
		// Rows whose JSON is longer than an index b-tree keeps on a page stay on the table's pages (migration 22).
		assert.equal(sql.prepare<[], {pages: number}>("SELECT count(*) AS pages FROM dbstat WHERE name = 'dupe_clusters' AND pagetype = 'overflow'").get()!.pages, 0);
	} finally {
		catalog.close();
	}
});

test('migration 22 drops searches kept WITHOUT ROWID, and the next search is kept in the rowid table', () => {
	const file = path.join(tempDir('curate-dupe-migrate-'), 'catalog.db');
	const old = catalogBefore(file, 22);
	assert.match(old.prepare<[], {sql: string}>("SELECT sql FROM sqlite_schema WHERE name = 'dupe_clusters'").get()!.sql, /WITHOUT ROWID/);
	const key = '{"finder":4}';
	old.prepare("INSERT INTO dupe_searches (key, generation, clusters, found_at) VALUES (?, 0, 1, '2026-01-01T00:00:00.000Z')").run(key);
	old.prepare("INSERT INTO dupe_clusters (search, position, id, kind, reclaimable, members, earliest, first_path, cluster) VALUES (?, 0, 'c1', 'near', 1, 1, NULL, 'p/1.jpg', '{}')").run(key);
	old.close();
	const catalog = Catalog.open(file);
	try {
		const sql = connectionOf(catalog);
		assert.doesNotMatch(sql.prepare<[], {sql: string}>("SELECT sql FROM sqlite_schema WHERE name = 'dupe_clusters'").get()!.sql, /WITHOUT ROWID/);
		assert.deepEqual(
			sql.prepare<[], {name: string}>("SELECT name FROM pragma_table_info('dupe_searches') ORDER BY cid").all().map(column => column.name),
			['id', 'key', 'generation', 'clusters', 'found_at'],
			'searches are known by an integer id',
		);
		assert.deepEqual(sql.prepare('SELECT count(*) AS n FROM dupe_searches').get(), {n: 0});
		assert.equal(new DupeStore(catalog).has(key), false);
		assert.deepEqual(sql.prepare('SELECT count(*) AS n FROM dupe_clusters').get(), {n: 0});
		const cluster = {id: 'c2', kind: 'near', reclaimableBytes: 5, members: [{path: 'p/2.jpg', takenAt: null}]};
		assert.ok(new DupeStore(catalog).keep(key, new DupeStore(catalog).generation(), [cluster]));
		const printed: string[] = [];
		assert.deepEqual(new DupeStore(catalog).eachClusterJson(key, json => printed.push(json)), {clusters: 1, reclaimableBytes: 5});
		assert.deepEqual(printed, [JSON.stringify(cluster)]);
		const search = new DupeStore(catalog).kept(key)!;
		assert.deepEqual(new DupeStore(catalog).entriesAt(search, 'reclaim', 0, 0), [{place: 0, id: 'c2', kind: 'near', reclaimableBytes: 5, members: 1}]);
	} finally {
		catalog.close();
	}
});

test('kept clusters and their index entries carry their search\'s integer id, not its 180-byte key, and keeping a search again replaces only its own clusters', () => {
	// At a million photos the key, repeated in every cluster row and in all five of its b-trees, was 190 MB of copies
	// written at random places: 13.6 s of CPU of keeping a search (issue 15).
	const file = path.join(tempDir('curate-dupe-ids-'), 'catalog.db');
	buildSyntheticCatalog(file, 600, {seed: 4});
	const catalog = Catalog.open(file);
	try {
		const sql = connectionOf(catalog);
		const store = new DupeStore(catalog);
		const clusters = findDuplicates(catalog.allPresent(), {distinct: catalog.distinctPairs()});
		assert.ok(clusters.length > 10, `clusters to keep (${clusters.length})`);
		const first = searchKey({})!;
		const second = searchKey({sensitivity: 'strict'})!;
		assert.notEqual(first, second);
		const some = clusters.slice(0, 5);
		assert.ok(store.keep(first, store.generation(), clusters));
		assert.ok(store.keep(second, store.generation(), some));
		const keptFirst = store.kept(first)!;
		assert.ok(store.keep(first, store.generation(), clusters.slice(1)), 'the first search kept again');

		// Both searches are kept, apart; the first's earlier clusters are gone, not kept beside its new ones.
		const counts = sql.prepare<[], {key: string; clusters: number; rows: number}>(
			'SELECT s.key, s.clusters, (SELECT count(*) FROM dupe_clusters c WHERE c.search = s.id) AS rows FROM dupe_searches s ORDER BY s.key',
		).all();
		assert.deepEqual(
			counts,
			[
				{key: first, clusters: clusters.length - 1, rows: clusters.length - 1},
				{key: second, clusters: some.length, rows: some.length},
			].sort((a, b) => (a.key < b.key ? -1 : 1)),
		);
		assert.deepEqual(sql.prepare('SELECT count(*) AS n FROM dupe_clusters').get(), {n: clusters.length - 1 + some.length}, 'no cluster without its search');
		assert.deepEqual(store.clusters(first), JSON.parse(JSON.stringify(clusters.slice(1))));
		assert.deepEqual(store.clusters(second), JSON.parse(JSON.stringify(some)));
		assert.deepEqual(store.cluster(second, some[0]!.id), JSON.parse(JSON.stringify(some[0])));
		assert.equal(store.cluster(first, clusters[0]!.id), undefined, 'a cluster only the replaced copy had');
		assert.throws(() => store.entriesAt(keptFirst, 'reclaim', 0, 0), /changed while under review/, 'a review of the replaced copy');
		const kept = store.kept(first)!;
		assert.equal(kept.key, first);
		assert.equal(store.entriesAt(kept, 'path', 0, clusters.length).length, clusters.length - 1);

		// The row and every one of its indexes hold the search as an integer.
		const indexes = sql.prepare<[], {name: string}>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'dupe_clusters' ORDER BY name").all().map(index => index.name);
		assert.deepEqual(indexes, ['dupe_clusters_by_date', 'dupe_clusters_by_path', 'dupe_clusters_by_reclaim', 'dupe_clusters_id', 'sqlite_autoindex_dupe_clusters_1']);
		for (const index of ['', ...indexes.map(name => `INDEXED BY ${name}`)]) {
			assert.deepEqual(
				sql.prepare(`SELECT DISTINCT typeof(search) AS type FROM dupe_clusters ${index} WHERE search > 0`).all(),
				[{type: 'integer'}],
				index || 'the row',
			);
		}
	} finally {
		catalog.close();
	}
});

test('review\'s orders kept for a search are the locale\'s, though they are sorted by code units first: case, punctuation, accents and ties', () => {
	// Names where code-unit order and the locale's disagree: upper and lower case, "_" against "." and digits, accents,
	// an emoji, no capture date; equal dates and sizes, and two clusters with every key the same (a tie).
	const names = ['IMG_0001.jpg', 'img_0001_copy.jpg', 'IMG_0001.JPG', 'Ärger.jpg', 'arger.jpg', 'a-b.jpg', 'a_b.jpg', 'a.b.jpg', 'Zebra.jpg', 'zebra 2.jpg', '\u{1F600}.jpg', 'éclair.jpg', 'eclair.jpg', '10.jpg', '9.jpg'];
	const dates = [null, '2021-03-04T10:00:00', '2021-03-04T10:00:00.5', '2021-03-04T10:00:00+01:00', '2021-03-04T09:59:59Z', '2019-12-31T23:59:59'];
	let seed = 7;
	const next = (below: number) => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed % below;
	};

	const clusters: ClusterSortKeys[] = [];
	for (let index = 0; index < 2000; index++) {
		clusters.push({
			id: next(5000).toString(16).padStart(4, '0'),
			reclaimableBytes: next(4) * 1000,
			earliest: dates[next(dates.length)]!,
			firstPath: `${['Photos', 'photos', 'Shared_2', 'Shared-1', 'shared'][next(5)]}/${names[next(names.length)]}`,
		});
	}

	clusters.push({...clusters[10]!}, {...clusters[10]!});
	for (const order of Object.keys(clusterOrders) as ClusterOrder[]) {
		const plain = clusters.map((_, position) => position).sort((a, b) => clusterOrders[order](clusters[a]!, clusters[b]!));
		assert.deepEqual(sortedPositions(clusters, order), plain, order);
	}
});
