// The window lookup in a helper thread (source/dupes/window-helpers.ts), beside the plain, turned and cropped lookups:
// candidate lookup must find the same pairs, with the same ways, in the same order as when it looks the windows up
// itself, and a helper that cannot work must cost nothing but time.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {type CandidatePair, findCandidates, type WindowLookupAway} from '../../source/dupes/candidates.js';
import {lookupOf, windowHashesOf} from '../../source/dupes/find.js';
import {groupUnits, usableFiles} from '../../source/dupes/units.js';
import {windowLookupAway} from '../../source/dupes/window-helpers.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

/** Every pair with its ways, as plain data. */
const plain = (pairs: readonly CandidatePair[]) => pairs.map(pair => ({a: pair.a, b: pair.b, ways: pair.ways.map(way => ({...way}))}));

function lookups(size: number, seed: number) {
	const file = path.join(tempDir('curate-window-helpers-'), 'catalog.db');
	buildSyntheticCatalog(file, size, {seed});
	const catalog = Catalog.open(file);
	const units = groupUnits(usableFiles(catalog.allPresent()));
	catalog.close();
	/** The candidates, with the window lookup done by `away` (counting what it answered) or here. */
	const candidates = (kind: 'all' | 'similar', away?: WindowLookupAway, answered?: {count: number; hits: number}) =>
		plain(
			findCandidates(units, {
				...lookupOf({kind})!,
				windowHashes: () => windowHashesOf(units, undefined, {shared: away !== undefined}),
				windowLookupAway:
					away &&
					((table, radius) => {
						const started = away(table, radius);
						return (
							started && {
								wait() {
									const hits = started.wait();
									if (hits && answered) {
										answered.count++;
										answered.hits += hits.count;
									}

									return hits;
								},
								cancel: () => started.cancel(),
							}
						);
					}),
			}),
		);
	return {file, candidates};
}

for (const kind of ['all', 'similar'] as const) {
	test(`--kind ${kind}: windows looked up in a helper thread give the pairs and ways, in order, of looking them up here`, () => {
		const {file, candidates} = lookups(2500, 17);
		const here = candidates(kind);
		const windowWays = here.flatMap(pair => pair.ways).filter(way => way.window).length;
		assert.ok(windowWays > 20, `window ways to compare (${windowWays})`);
		const answered = {count: 0, hits: 0};
		const away = candidates(kind, windowLookupAway(file, {count: 1, fewest: 0}), answered);
		assert.deepEqual(away, here);
		assert.equal(answered.count, 1, 'the helper answered');
		assert.ok(answered.hits >= windowWays, `its hits are the window ways (${answered.hits} hits, ${windowWays} ways)`);
	});
}

test('a helper that cannot open the catalog leaves the window lookup to this thread, with the same pairs', () => {
	const {candidates} = lookups(1200, 5);
	const here = candidates('all');
	const answered = {count: 0, hits: 0};
	const started = performance.now();
	const missing = path.join(tempDir('curate-window-helpers-'), 'no-such-catalog.db');
	assert.deepEqual(candidates('all', windowLookupAway(missing, {count: 1, fewest: 0}), answered), here);
	assert.equal(answered.count, 0, 'no hits came back from it');
	assert.ok(performance.now() - started < 20_000, `took ${Math.round(performance.now() - started)} ms`);
});

test('when the lookups here fail (a malformed turned pHash), the helper looking up the windows is ended and the error comes through', () => {
	const file = path.join(tempDir('curate-window-helpers-'), 'catalog.db');
	buildSyntheticCatalog(file, 300, {seed: 9});
	const catalog = Catalog.open(file);
	const units = groupUnits(usableFiles(catalog.allPresent()));
	catalog.close();
	// Its own pHash reads well (parsed before the helper starts); its turned ones are parsed by the lookups it runs beside.
	(units[7]!.file as {phashRotations: string | null}).phashRotations = 'z'.repeat(48);
	const away = windowLookupAway(file, {count: 1, fewest: 0});
	const calls = {cancelled: 0, waited: 0};
	assert.throws(
		() =>
			findCandidates(units, {
				...lookupOf({kind: 'all'})!,
				windowHashes: () => windowHashesOf(units, undefined, {shared: true}),
				windowLookupAway(table, radius) {
					const started = away(table, radius)!;
					return {
						wait() {
							calls.waited++;
							return started.wait();
						},
						cancel() {
							calls.cancelled++;
							started.cancel();
						},
					};
				},
			}),
		/not a 64-bit hex hash/,
	);
	assert.deepEqual(calls, {cancelled: 1, waited: 0});
});
