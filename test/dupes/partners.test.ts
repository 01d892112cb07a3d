// The photos a few new ones may be duplicates of (source/dupes/partners.ts), found without making every other pair:
// they must be exactly the other sides of the pairs that candidate lookup and grouping make with the new ones.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {findCandidates} from '../../source/dupes/candidates.js';
import {lookupOf, windowHashesOf} from '../../source/dupes/find.js';
import {partnersOf} from '../../source/dupes/partners.js';
import {groupUnits, usableFiles} from '../../source/dupes/units.js';
import {encodeWindowHashes, windowHashes} from '../../source/dupes/window-hash.js';
import {prngUnit} from '../helpers/prng.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

for (const [kind, distance] of [['all', undefined], ['all', 3], ['similar', undefined], ['exact', undefined]] as const) {
	test(`--kind ${kind}${distance ? ` --distance ${distance}` : ''}: the partners of new photos are the other side of every pair candidate lookup and grouping make with them`, () => {
		const file = path.join(tempDir('curate-partners-'), 'catalog.db');
		buildSyntheticCatalog(file, 1500, {seed: 31});
		const catalog = Catalog.open(file, {readonly: true});
		try {
			const every = new DupesData(catalog).everyPhoto(signature => encodeWindowHashes(windowHashes(signature)));
			const units = groupUnits(usableFiles(every.files));
			// A small radius leaves more pairs to the turned, cropped and window lookups alone.
			const lookup = lookupOf({kind, distance});
			const table = lookup ? windowHashesOf(units, every.windowHashes) : undefined;
			const random = prngUnit(kind.length + (distance ?? 0));
			const newcomers = new Set<number>();
			while (newcomers.size < 300) {
				newcomers.add(Math.floor(random() * units.length));
			}

			const expected = new Set<number>();
			const other = (a: number, b: number) => {
				if (newcomers.has(a) && !newcomers.has(b)) expected.add(b);
				if (newcomers.has(b) && !newcomers.has(a)) expected.add(a);
			};

			for (const pair of lookup ? findCandidates(units, {...lookup, windowHashes: table}) : []) {
				other(pair.a, pair.b);
			}

			// Exact copies and the same pixels are grouped before any lookup.
			for (const [a, unit] of units.entries()) {
				for (const b of newcomers) {
					const them = units[b]!.file;
					if ((unit.file.sha256 && unit.file.sha256 === them.sha256) || (unit.file.contentHash && unit.file.contentHash === them.contentHash)) {
						other(a, b);
					}
				}
			}

			const found = partnersOf(units, newcomers, lookup, table);
			assert.ok(expected.size >= (kind === 'exact' ? 5 : 20), `the new photos have partners to find (${expected.size})`);
			assert.deepEqual([...found].sort((a, b) => a - b), [...expected].sort((a, b) => a - b));
		} finally {
			catalog.close();
		}
	});
}
