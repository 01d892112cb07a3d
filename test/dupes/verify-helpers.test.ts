// Verification's helper threads (source/dupes/verify-helpers.ts, over source/dupes/helper-pool.ts): batches judged in a worker thread must give exactly
// the links judging every batch here gives, in the same order, and a helper that cannot work must cost nothing but
// time.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {type CandidatePair, findCandidates} from '../../source/dupes/candidates.js';
import {lookupOf, windowHashesOf} from '../../source/dupes/find.js';
import {sensitivities} from '../../source/dupes/types.js';
import {allowedBy, groupUnits, usableFiles} from '../../source/dupes/units.js';
import {packBatch, unpackBatch, verifyHelpers} from '../../source/dupes/verify-helpers.js';
import {verifyCandidates, type VerifyOptions} from '../../source/dupes/verify.js';
import {counted} from '../helpers/counted-pool.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

/** A synthetic catalog on disk (a helper opens it itself) with its units, candidate pairs and verification loader. */
function searchOf(size: number, seed: number) {
	const file = path.join(tempDir('curate-verify-helpers-'), 'catalog.db');
	buildSyntheticCatalog(file, size, {seed});
	const catalog = Catalog.open(file);
	const units = groupUnits(usableFiles(catalog.allPresent()));
	const candidates = findCandidates(units, {...lookupOf({kind: 'similar'})!, windowHashes: () => windowHashesOf(units, undefined)});
	const data = new DupesData(catalog);
	return {file, catalog, units, candidates, load: (ids: readonly number[]) => data.verification(ids), allowed: allowedBy(units, catalog.distinctPairs())};
}

for (const filter of ['all', 'similar'] as const) {
	test(`--kind ${filter}: batches judged in a helper thread give the links judging them all here gives, in the same order`, () => {
		const {file, catalog, units, candidates, load, allowed} = searchOf(2500, 8);
		try {
			const tuning = sensitivities.normal;
			const judging = {tuning, radius: tuning.distance, filter, similarWindowMs: 120_000};
			const options: VerifyOptions = {...judging, allowed, batch: 40};
			const alone = verifyCandidates(units, candidates, load, options);
			const batches = Math.ceil(candidates.length / 40);
			assert.ok(batches >= 10, `enough batches to share (${batches})`);
			assert.ok(alone.filter(link => link.kind === 'near').length > 20, 'near links to compare');
			if (filter === 'similar') assert.ok(alone.some(link => link.kind === 'similar'), 'similar links to compare');

			const helped = {taken: 0, answered: 0};
			const progress: number[] = [];
			const shared = verifyCandidates(units, candidates, load, {
				...options,
				helpers: counted(verifyHelpers(file, {count: 1, fewest: 0}), helped),
				onVerified: done => progress.push(done),
			});
			assert.deepEqual(shared, alone);
			assert.ok(helped.taken > 0 && helped.taken < batches, `the helper took some of the ${batches} batches and left others (${helped.taken})`);
			assert.equal(helped.answered, helped.taken, 'the helper judged every batch it took');
			assert.deepEqual(
				progress,
				[...progress].sort((x, y) => x - y),
				'progress never goes back',
			);
			assert.equal(progress.at(-1), candidates.length);
		} finally {
			catalog.close();
		}
	});
}

test('a helper that cannot open the catalog leaves its batches to be judged here, with the same links', () => {
	const {catalog, units, candidates, load, allowed} = searchOf(1200, 3);
	try {
		const tuning = sensitivities.normal;
		const judging = {tuning, radius: tuning.distance, filter: 'all' as const, similarWindowMs: 120_000};
		const options: VerifyOptions = {...judging, allowed, batch: 25};
		const alone = verifyCandidates(units, candidates, load, options);
		const helped = {taken: 0, answered: 0};
		const started = performance.now();
		const missing = path.join(tempDir('curate-verify-helpers-'), 'no-such-catalog.db');
		const shared = verifyCandidates(units, candidates, load, {...options, helpers: counted(verifyHelpers(missing, {count: 2, fewest: 0}), helped)});
		assert.deepEqual(shared, alone);
		assert.ok(helped.taken > 0, 'the helpers were offered batches before they failed');
		assert.equal(helped.answered, 0, 'no batch came back from them');
		// It says so at once: no wait for a timeout.
		assert.ok(performance.now() - started < 20_000, `took ${Math.round(performance.now() - started)} ms`);
	} finally {
		catalog.close();
	}
});

test('a batch packed for a helper reads back as the same pairs and ways, in the helper’s own numbering of its photos', () => {
	const file = (id: number) => ({id, width: 4000 + id, height: 3000, takenAt: id % 2 ? '2024-05-01T10:00:00' : null, takenAtSource: id % 2 ? ('original' as const) : null, frames: 1, burstId: id === 7 ? 'b1' : null, contentWidth: id === 9 ? 2000 : null, contentHeight: null});
	const units = Array.from({length: 12}, (_, id) => ({file: file(id)}));
	const slice: CandidatePair[] = [
		{a: 3, b: 9, ways: [{i: 9, j: 3, rotation: 0, crop: -1, distance: 0, damaged: true}]},
		{a: 1, b: 7, ways: [{i: 1, j: 7, rotation: 90, crop: 1, distance: 4}, {i: 7, j: 1, rotation: 0, crop: -1, distance: 5, window: true}]},
		{a: 7, b: 11, ways: [{i: 11, j: 7, rotation: 270, crop: 0, distance: 6}]},
	];
	const {message, locals} = packBatch(5, {tuning: sensitivities.normal, radius: 8, filter: 'all', similarWindowMs: 1000}, units, slice);
	assert.equal(message.index, 5);
	assert.equal(message.files.length, 5, 'each photo is sent once');
	const back = unpackBatch(structuredClone(message));
	const global = (local: number) => locals[local]!;
	assert.deepEqual(
		back.slice.map(pair => ({a: global(pair.a), b: global(pair.b), ways: pair.ways.map(way => ({...way, i: global(way.i), j: global(way.j)}))})),
		slice,
	);
	for (const [local, unit] of back.units.entries()) assert.deepEqual(unit.file, units[global(local)]!.file);
});

test('helpers read the catalog file itself: none for an in-memory catalog or a reader that holds the catalog alone (nearly full disk)', () => {
	const file = path.join(tempDir('curate-verify-helpers-'), 'catalog.db');
	buildSyntheticCatalog(file, 20, {seed: 1});
	const catalog = Catalog.open(file);
	assert.equal(new DupesData(catalog).sharedFile(), file);
	catalog.close();
	const alone = Catalog.open(file, {readonly: true, heapIndex: true});
	try {
		assert.equal(new DupesData(alone).sharedFile(), undefined);
	} finally {
		alone.close();
	}

	const memory = Catalog.open(':memory:');
	try {
		assert.equal(new DupesData(memory).sharedFile(), undefined);
	} finally {
		memory.close();
	}
});
