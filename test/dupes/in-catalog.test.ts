// Duplicate finding straight from the catalog (issue 15): light records, signatures fetched for candidate pairs only,
// whole records for cluster members only. It must find exactly what the finder finds over every whole row.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {Catalog, type StoredFile} from '../../source/db/catalog.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {findDuplicates, type KindFilter} from '../../source/dupes/find.js';
import {findDuplicatesIn, findWithMembers} from '../../source/dupes/in-catalog.js';
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

	test('signatures are fetched only for the photos of candidate pairs, and members come back whole', () => {
		const data = new DupesData(catalog);
		const light = data.lightFiles();
		assert.ok(light.every(file => file.signature === null && file.signatureCrops === null), 'light records carry no signatures');
		const {clusters, members} = findWithMembers(catalog);
		const paths = clusters.flatMap(cluster => cluster.members.map(member => member.path));
		assert.deepEqual(new Set(members.keys()), new Set(paths));
		const whole = catalog.allPresent();
		const byPath = new Map(whole.map(file => [file.path, file]));
		for (const file of members.values()) {
			const {signature, signatureCrops, ...rest} = byPath.get(file.path)!;
			assert.deepEqual({...file, signature, signatureCrops}, {...rest, signature, signatureCrops});
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
