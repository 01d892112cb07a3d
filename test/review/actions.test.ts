import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {Catalog} from '../../source/db/catalog.js';
import {Journal} from '../../source/journal/journal.js';
import {type Library, libraryAt, openForWrite} from '../../source/library.js';
import {createReviewActions} from '../../source/review/actions.js';
import {loadReviewClusters} from '../../source/review/session.js';
import type {ReviewActions, ReviewCluster} from '../../source/review/types.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {sampleLibrary} from '../helpers/sample-library.js';

describe('review actions through the real journal', () => {
	let library: Library;
	let catalog: Catalog;
	let release: () => void;
	let actions: ReviewActions;
	let clusters: ReviewCluster[];
	const exists = (relativePath: string) => fs.existsSync(path.join(library.root, relativePath));
	before(async () => {
		const {root} = await sampleLibrary();
		library = libraryAt(root);
		const scanning = Catalog.open(library.catalogPath);
		await scanLibrary(library, scanning);
		scanning.close();
		({catalog, release} = openForWrite(library));
		actions = createReviewActions(await Journal.open(library, catalog));
		clusters = loadReviewClusters(catalog, library);
	});

	after(async () => {
		catalog.close();
		release();
		await endExiftool();
	});

	test('keep trashes every other member as one batch; undo brings them back', async () => {
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path.endsWith('IMG_0004.jpg')))!;
		const keeper = cluster.members.find(member => !member.keeper)!.path;
		const others = cluster.members.filter(member => member.path !== keeper).map(member => member.path);
		const result = await actions.keep(cluster, keeper);
		assert.equal(result.freedBytes, cluster.members.filter(member => member.path !== keeper).reduce((sum, member) => sum + member.bytes, 0));
		assert.ok(exists(keeper));
		for (const other of others) {
			assert.ok(!exists(other), `${other} left the library`);
			assert.ok(fs.existsSync(path.join(library.trashDir, result.batchId, other)), `${other} is in the batch's trash`);
			assert.equal(catalog.fileByPath(other), undefined);
		}

		assert.match((await actions.undo(result.batchId)).summary, new RegExp(`${others.length} files back from the trash`));
		for (const other of others) {
			assert.ok(exists(other));
			assert.equal(catalog.fileByPath(other)?.status, 'present');
		}
	});

	test('merge writes what the keeper lacks into its XMP sidecar, then trashes the others; undo takes all back', async () => {
		const cluster = clusters.find(candidate => candidate.members.some(member => member.path === '2019/2019-05-03 Paris/DSC_0412.jpg'))!;
		const bare = cluster.members.find(member => member.path === 'variants/DSC_0412_nometa.jpg')!;
		assert.deepEqual(catalog.fileByPath(bare.path)!.keywords, []);
		const result = await actions.merge(cluster, bare.path);
		assert.match(result.summary, /keywords, rating.* merged into/);
		const sidecar = `${bare.path}.xmp`;
		assert.ok(exists(sidecar), 'sidecar written');
		const xmp = fs.readFileSync(path.join(library.root, sidecar), 'utf8');
		assert.match(xmp, /Paris/);
		assert.match(xmp, /travel/);
		assert.deepEqual(new Set(catalog.fileByPath(bare.path)!.keywords), new Set(['Paris', 'travel']));
		assert.equal(catalog.fileByPath(bare.path)!.rating, 4);
		assert.ok(!exists('2019/2019-05-03 Paris/DSC_0412.jpg'));
		await actions.undo(result.batchId);
		assert.ok(!exists(sidecar), 'the sidecar that did not exist is gone again');
		assert.ok(exists('2019/2019-05-03 Paris/DSC_0412.jpg'));
		assert.deepEqual(catalog.fileByPath(bare.path)!.keywords, []);
	});

	test('not duplicates is journaled and undoable; a second time is refused', async () => {
		const cluster = clusters.find(candidate => candidate.kind === 'exact')!;
		const result = await actions.notDuplicates(cluster);
		assert.equal(result.freedBytes, 0);
		assert.equal(catalog.distinctPairs().size, 1);
		await assert.rejects(actions.notDuplicates(cluster), /already marked/);
		await actions.undo(result.batchId);
		assert.equal(catalog.distinctPairs().size, 0);
	});

	test('a keeper that is not a member, or a file the catalog no longer has, is refused before anything moves', async () => {
		const cluster = clusters[0]!;
		await assert.rejects(actions.keep(cluster, 'no/such.jpg'), /not a member/);
		const gone = {...cluster, members: [...cluster.members, {...cluster.members[1]!, path: 'vanished.jpg', keeper: false}]};
		await assert.rejects(actions.keep(gone, cluster.members[0]!.path), /no longer in the catalog/);
		assert.ok(cluster.members.every(member => exists(member.path)));
	});
});
