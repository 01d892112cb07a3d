import assert from 'node:assert/strict';
import fs from 'node:fs';
import {before, describe, test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {type Library, libraryAt} from '../../source/library.js';
import {cellModeFor, PictureCache, renderPicture} from '../../source/media/terminal-picture.js';
import {foundReviewList, isUnder, loadProgress, loadReviewClusters, saveProgress} from '../../source/review/session.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';
import {clusterOrders, DupeStore, sortKeysOf} from '../../source/db/dupe-store.js';
import {findDuplicates} from '../../source/dupes/find.js';
import {connectionOf} from '../../source/db/connection.js';
import {searchAndKeep, searchKey} from '../../source/dupes/in-catalog.js';

describe('review session on the scanned sample library', () => {
	let library: Library;
	let catalog: Catalog;
	before(async () => {
		const {root} = await sampleLibrary();
		library = libraryAt(root);
		catalog = Catalog.open(library.catalogPath);
		await scanLibrary(library, catalog);
	});

	test('clusters carry each member\'s catalogued facts and thumbnail', () => {
		const clusters = loadReviewClusters(catalog, library);
		assert.ok(clusters.length >= 3);
		const withCamera = clusters.flatMap(cluster => cluster.members).find(member => member.camera && member.gps);
		assert.ok(withCamera, 'some member has a camera and GPS');
		for (const cluster of clusters) {
			assert.equal(cluster.members.filter(member => member.keeper).length, 1);
			for (const member of cluster.members) {
				assert.ok(member.thumb === null || fs.existsSync(member.thumb), `thumbnail of ${member.path} exists`);
			}
		}
	});

	test('--sort orders clusters; --kind and --path filter them', () => {
		const byReclaim = loadReviewClusters(catalog, library, {sort: 'reclaim'});
		for (let i = 1; i < byReclaim.length; i++) {
			assert.ok(byReclaim[i - 1]!.reclaimableBytes >= byReclaim[i]!.reclaimableBytes);
		}

		const byPath = loadReviewClusters(catalog, library, {sort: 'path'}).map(cluster => cluster.members[0]!.path);
		assert.deepEqual(byPath, [...byPath].sort((a, b) => a.localeCompare(b)));
		const exact = loadReviewClusters(catalog, library, {kind: 'exact'});
		assert.ok(exact.length > 0 && exact.every(cluster => cluster.kind === 'exact'));
		const folder = byReclaim[0]!.members[1]!.path.split('/')[0]!;
		const under = loadReviewClusters(catalog, library, {under: folder});
		assert.ok(under.length > 0 && under.length <= byReclaim.length);
		assert.ok(under.every(cluster => cluster.members.some(member => isUnder(member.path, folder))));
		assert.equal(loadReviewClusters(catalog, library, {under: 'no/such/folder'}).length, 0);
	});

	test('skipped clusters come last; progress round-trips through the catalog', () => {
		const clusters = loadReviewClusters(catalog, library);
		const first = clusters[0]!.id;
		const reordered = loadReviewClusters(catalog, library, {}, new Set([first]));
		assert.equal(reordered.at(-1)!.id, first);
		assert.deepEqual(loadProgress(catalog), {current: null, skipped: [], freed: 0});
		saveProgress(catalog, {current: clusters[1]!.id, skipped: [first], freed: 1234});
		assert.deepEqual(loadProgress(catalog), {current: clusters[1]!.id, skipped: [first], freed: 1234});
		catalog.setSetting('review.progress', '{broken');
		assert.deepEqual(loadProgress(catalog), {current: null, skipped: [], freed: 0});
	});

	test('a real thumbnail renders to exactly the box, in colour or as grey shades; the cache serves it again', async () => {
		const thumb = loadReviewClusters(catalog, library).flatMap(cluster => cluster.members).find(member => member.thumb)!;
		const colour = (await renderPicture(thumb.thumb!, 25, 13, 'truecolor')).split('\n');
		assert.equal(colour.length, 13);
		const visible = (line: string) => [...line.replaceAll(/\u001B\[[\d;]*m/g, '')].length;
		assert.ok(colour.every(line => visible(line) === 25));
		assert.ok(colour.some(line => line.includes('▀')));
		const grey = (await renderPicture(thumb.thumb!, 25, 13, 'grey')).split('\n');
		assert.ok(grey.every(line => line.length === 25 && !line.includes('\u001B')));
		assert.ok(new Set(grey.join('')).size > 3, 'the shades show a picture, not a flat box');

		const cache = new PictureCache('grey');
		const request = {sha256: thumb.sha256, thumb: thumb.thumb, columns: 20, rows: 8};
		assert.equal(cache.peek(request), undefined);
		cache.preload([request]);
		for (let i = 0; i < 100 && cache.peek(request) === undefined; i++) {
			await new Promise(resolve => setTimeout(resolve, 10));
		}

		assert.equal(cache.peek(request), await cache.load(request));
		await assert.rejects(cache.load({...request, sha256: 'f'.repeat(64), thumb: null}), /no preview/);
	});

	test('NO_COLOR selects grey shades; COLORTERM selects 24-bit', () => {
		assert.equal(cellModeFor({NO_COLOR: '1', COLORTERM: 'truecolor'}, true), 'grey');
		assert.equal(cellModeFor({COLORTERM: 'truecolor'}, true), 'truecolor');
		assert.equal(cellModeFor({}, true), 'ansi256');
		assert.equal(cellModeFor({}, false), 'grey');
	});
});

test('review opens on kept clusters at once, and on a new search as it will open on it kept: the same clusters, order and members', () => {
	// At a million photos the first screen waited a minute for the whole search (issue 15); kept clusters are read
	// without their members, which load when the screen looks at a cluster.
	const library = libraryAt(tempDir('curate-review-kept-'));
	fs.mkdirSync(library.dir, {recursive: true});
	buildSyntheticCatalog(library.catalogPath, 1500, {seed: 3});
	const catalog = Catalog.open(library.catalogPath);
	try {
		const plain = (clusters: ReturnType<typeof loadReviewClusters>) => clusters.map(cluster => ({...cluster, members: [...cluster.members]}));
		const key = searchKey({kind: 'all'})!;
		const store = new DupeStore(catalog);
		const searches: string[] = [];
		const searched = loadReviewClusters(catalog, library, {sort: 'reclaim', onSearch: () => searches.push('searched')});
		assert.ok(store.has(key), 'the search review ran is kept');
		const kept = loadReviewClusters(catalog, library, {sort: 'reclaim', onSearch: () => searches.push('kept')});
		assert.deepEqual(searches, ['searched'], 'told before a search, and only then');
		assert.ok(kept.length > 50);
		assert.equal(kept[0]!.members.length, searched[0]!.members.length, 'sizes are known before members are read');
		assert.deepEqual(plain(kept), plain(searched));
		// A search that could not be kept (something changed while it ran) is reviewed from the text it found: the same.
		const found = searchAndKeep(catalog, {kind: 'all'}).clusters;
		assert.deepEqual(plain(foundReviewList(catalog, library, found, {sort: 'reclaim'})), plain(searched));
		// And the order is the one sorting the finder's own clusters gives.
		const eager = findDuplicates(catalog.allPresent(), {kind: 'all', distinct: catalog.distinctPairs()});
		assert.deepEqual(
			searched.map(cluster => cluster.id),
			eager.sort((a, b) => clusterOrders.reclaim(sortKeysOf(a), sortKeysOf(b))).map(cluster => cluster.id),
		);
		const inClusters = searched.flatMap(cluster => cluster.members.flatMap(member => [member.path, ...member.companions]));
		const folder = searched[3]!.members.at(-1)!.path.split('/').slice(0, 2).join('/');
		for (const options of [{sort: 'date'}, {sort: 'path'}, {under: folder}, {sort: 'path', under: `${folder}/`}] as const) {
			const fromKept = plain(loadReviewClusters(catalog, library, options, new Set([searched[1]!.id])));
			// The same review from a search: a change to a file outside every cluster invalidates what is kept.
			connectionOf(catalog).prepare("UPDATE files SET title = ? WHERE id = (SELECT min(id) FROM files WHERE path NOT IN (SELECT value FROM json_each(?)))").run(JSON.stringify(options), JSON.stringify(inClusters));
			assert.equal(store.has(key), false);
			assert.deepEqual(plain(loadReviewClusters(catalog, library, options, new Set([searched[1]!.id]))), fromKept, JSON.stringify(options));
			assert.deepEqual(plain(foundReviewList(catalog, library, searchAndKeep(catalog, {kind: 'all'}).clusters, options, new Set([searched[1]!.id]))), fromKept, JSON.stringify(options));
		}
	} finally {
		catalog.close();
	}
});
