// Candidate lookup's pHashes as 32-bit words (source/dupes/lookups.ts): a light record (source/db/dupes-data.ts) gives
// the words of its packed pHashes without making their hex strings. The lookups and the candidate pairs must be those
// of the same photos' whole records, whose strings are parsed, including hashes the light record keeps as given.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import Database from 'better-sqlite3';
import {Catalog} from '../../source/db/catalog.js';
import {DupesData} from '../../source/db/dupes-data.js';
import {type CandidatePair, findCandidates} from '../../source/dupes/candidates.js';
import {lookupOf} from '../../source/dupes/find.js';
import {turnedAndCropLookups} from '../../source/dupes/lookups.js';
import {groupUnits, usableFiles} from '../../source/dupes/units.js';
import {buildSyntheticCatalog} from '../helpers/synthetic-catalog.js';
import {tempDir} from '../helpers/temp.js';

const plain = (pairs: readonly CandidatePair[]) => pairs.map(pair => ({a: pair.a, b: pair.b, ways: pair.ways.map(way => ({...way}))}));

test('lookups and candidate pairs from light records, their pHashes read as packed words, are those of the whole records\' hex strings', () => {
	const file = path.join(tempDir('curate-lookups-'), 'catalog.db');
	buildSyntheticCatalog(file, 1500, {seed: 19});
	const sql = new Database(file);
	// Hashes a light record keeps as given, not packed: capitals, fewer digits, and missing ones.
	sql.prepare('UPDATE files SET phash = upper(phash), phash_rot = upper(phash_rot) WHERE id % 13 = 1').run();
	sql.prepare('UPDATE files SET phash = substr(phash, 3) WHERE id % 17 = 2').run();
	sql.prepare('UPDATE files SET phash_crop = NULL WHERE id % 11 = 3').run();
	sql.close();
	const catalog = Catalog.open(file, {readonly: true});
	try {
		const light = new DupesData(catalog).lightFiles();
		const whole = usableFiles(catalog.allPresent());
		assert.deepEqual(
			light.map(photo => photo.path),
			whole.map(photo => photo.path),
		);
		assert.ok(light.every(photo => typeof (photo as {hashWord?: unknown}).hashWord === 'function'), 'light records give words');
		assert.ok(whole.every(photo => (photo as {hashWord?: unknown}).hashWord === undefined), 'whole records give strings');
		assert.deepEqual(turnedAndCropLookups(light), turnedAndCropLookups(whole));
		const options = lookupOf({kind: 'all'})!;
		const fromLight = plain(findCandidates(groupUnits(light), options));
		assert.ok(fromLight.length > 100, `${fromLight.length} candidate pairs`);
		assert.ok(fromLight.some(pair => pair.ways.some(way => way.rotation !== 0)) && fromLight.some(pair => pair.ways.some(way => way.crop >= 0)), 'turned and cropped ways among them');
		assert.deepEqual(fromLight, plain(findCandidates(groupUnits(whole), options)));
	} finally {
		catalog.close();
	}
});
