import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {connectionOf} from '../../source/db/connection.js';
import {type ClusterOrder, clusterOrders, DupeStore, type KeptSearch, sortKeysOf} from '../../source/db/dupe-store.js';
import {searchAndKeep, searchKey} from '../../source/dupes/in-catalog.js';
import type {Cluster} from '../../source/dupes/types.js';
import {type Library, libraryAt} from '../../source/library.js';
import {KeptReviewList, reviewPlaces} from '../../source/review/kept-list.js';
import {isUnder, loadReviewList} from '../../source/review/session.js';
import type {ReviewCluster} from '../../source/review/types.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

// Review reads kept clusters a page at a time (issue 15): at a million photos reading all 154,131 clusters' places and
// sizes before the first screen took longer than the first screen may. Pages of 5 here, so a review crosses many.
describe('kept clusters read a page at a time', () => {
	let library: Library;
	let catalog: Catalog;
	let store: DupeStore;
	let search: KeptSearch;
	let kept: Cluster[];
	const key = searchKey({kind: 'all'})!;
	before(() => {
		library = libraryAt(tempDir('curate-review-pages-'));
		fs.mkdirSync(library.dir, {recursive: true});
		buildSyntheticCatalog(library.catalogPath, 1500, {seed: 5});
		catalog = Catalog.open(library.catalogPath);
		store = new DupeStore(catalog);
		searchAndKeep(catalog, {kind: 'all'});
		search = store.kept(key)!;
		kept = store.clusters<Cluster>(key)!;
	});
	after(() => {
		catalog.close();
	});

	/** The ids in `order` as sorting the kept clusters themselves gives them. */
	const sortedIds = (order: ClusterOrder, which: readonly Cluster[] = kept) => which.map(cluster => sortKeysOf(cluster)).sort(clusterOrders[order]).map(keys => keys.id);
	const list = (order: ClusterOrder, places: Int32Array) =>
		new KeptReviewList(store, search, order, places, entry => ({id: entry.id, kind: entry.kind as Cluster['kind'], reclaimableBytes: entry.reclaimableBytes, members: Array.from({length: entry.members}) as never}), 5);
	const ids = (clusters: {readonly length: number; at(index: number): ReviewCluster | undefined}) => Array.from({length: clusters.length}, (_, index) => clusters.at(index)!.id);

	test('every order gives every cluster once, in the order sorting them gives, with its size', () => {
		assert.ok(kept.length > 60, `${kept.length} clusters: many pages of 5`);
		assert.equal(search.clusters, kept.length);
		const sizes = new Map(kept.map(cluster => [cluster.id, cluster.members.length]));
		for (const order of ['reclaim', 'date', 'path'] as const) {
			const clusters = list(order, reviewPlaces(search.clusters, undefined, new Set()));
			assert.deepEqual(ids(clusters), sortedIds(order), order);
			for (let index = 0; index < clusters.length; index++) {
				assert.equal(clusters.at(index)!.members.length, sizes.get(clusters.at(index)!.id));
			}
		}
	});

	test('indexes work as Array.prototype.at does; a cluster is the same object while its page stays read', () => {
		const clusters = list('reclaim', reviewPlaces(search.clusters, undefined, new Set()));
		const order = sortedIds('reclaim');
		assert.equal(clusters.at(-1)!.id, order.at(-1));
		assert.equal(clusters.at(0)!.id, order[0]);
		assert.equal(clusters.at(clusters.length), undefined);
		assert.equal(clusters.at(-clusters.length - 1), undefined);
		assert.equal(clusters.at(7), clusters.at(7));
		assert.equal(clusters.indexOfId(order[42]!), 42);
		assert.equal(clusters.indexOfId('no-such-cluster'), -1);
		assert.deepEqual(clusters.indexesOfIds(new Set([order[9]!, order[3]!, 'no-such-cluster'])), [3, 9]);
	});

	test('skipped clusters come after the others, a folder keeps only clusters with a member in it', () => {
		const order = sortedIds('date');
		const skippedIds = [order[2]!, order[11]!, order.at(-1)!];
		const skipped = new Set(skippedIds.map(id => store.placeOf(search, 'date', id)!));
		const withSkipped = list('date', reviewPlaces(search.clusters, undefined, skipped));
		assert.deepEqual(ids(withSkipped), [...order.filter(id => !skippedIds.includes(id)), ...skippedIds]);
		assert.deepEqual(withSkipped.indexesOfIds(new Set(skippedIds)), [order.length - 3, order.length - 2, order.length - 1]);

		const folder = kept[4]!.members.at(-1)!.path.split('/').slice(0, 2).join('/');
		const inside = kept.filter(cluster => cluster.members.some(member => isUnder(member.path, folder)));
		assert.ok(inside.length > 0 && inside.length < kept.length);
		const insideOrder = sortedIds('path', inside);
		const outside = kept.find(cluster => !inside.includes(cluster))!.id;
		const skippedThere = new Set([store.placeOf(search, 'path', insideOrder[0]!)!, store.placeOf(search, 'path', outside)!]);
		const filtered = list('path', reviewPlaces(search.clusters, store.placesUnder(search, 'path', `${folder}/`), skippedThere));
		assert.deepEqual(ids(filtered), [...insideOrder.slice(1), insideOrder[0]!], 'a skipped cluster outside the folder stays out');
	});

	test('a page read after another search was kept in its place refuses, rather than showing other clusters', () => {
		const clusters = list('reclaim', reviewPlaces(search.clusters, undefined, new Set()));
		const first = clusters.at(0)!;
		// A change to any file makes the next search a new one, which is kept in place of this one.
		connectionOf(catalog).prepare('UPDATE files SET title = ? WHERE id = (SELECT min(id) FROM files)').run('changed');
		searchAndKeep(catalog, {kind: 'all'});
		assert.ok(store.kept(key), 'a new search is kept');
		assert.equal(clusters.at(0), first, 'a page already read still answers');
		assert.throws(() => clusters.at(clusters.length - 1), /changed while under review/);
		assert.throws(() => clusters.indexOfId(first.id), /changed while under review/);
		// Opened again, review reads the new search.
		assert.equal(loadReviewList(catalog, library).length, store.kept(key)!.clusters);
	});
});
