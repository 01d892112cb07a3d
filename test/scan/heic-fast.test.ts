import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {Catalog} from '../../source/db/catalog.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {scanLibrary, type ScanSummary} from '../../source/scan/scan.js';
import {corpusHeicsByPath} from '../helpers/corpus-heic.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';
import {connectionOf} from '../../source/db/connection.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

async function scan(root: string): Promise<{summary: ScanSummary; rows: Map<string, {error: string | null; decoded_fully: number | null}>}> {
	const library = libraryAt(root);
	const catalog = Catalog.open(library.catalogPath);
	try {
		const summary = await scanLibrary(library, catalog);
		const rows = connectionOf(catalog).prepare('SELECT path, error, decoded_fully FROM files').all() as Array<{path: string; error: string | null; decoded_fully: number | null}>;
		return {summary, rows: new Map(rows.map(row => [row.path, row]))};
	} finally {
		catalog.close();
	}
}

describe('scanning the corpus HEICs the fast way', {skip: needsCorpus}, () => {
	let root: string;
	let first: Awaited<ReturnType<typeof scan>>;
	before(async () => {
		// Every corpus HEIC with a usable thumbnail, and the small ones without (the large ones cost a full decode each).
		const {fast, smallFull} = await corpusHeicsByPath();
		root = path.join(tempDir(), 'heic');
		fs.mkdirSync(root);
		for (const file of [...fast, ...smallFull]) {
			fs.copyFileSync(path.join(corpusDir, file), path.join(root, file.replaceAll('/', '-')));
		}

		first = await scan(root);
	});

	test('the catalog records which HEICs were decoded in full, and none is an error', () => {
		assert.deepEqual(first.summary.errors, []);
		const states = [...first.rows.values()].map(row => row.decoded_fully);
		assert.ok(states.includes(0), 'some were fingerprinted from their thumbnail');
		assert.ok(states.includes(1), 'those without a usable thumbnail were decoded in full');
		assert.ok(states.every(state => state === 0 || state === 1));
	});

	test('a HEIC cut one byte short is reported damaged on scan, though its thumbnail is whole', async () => {
		const fast = [...first.rows].filter(([, row]) => row.decoded_fully === 0).map(([file]) => file);
		const library = path.join(tempDir(), 'cut');
		fs.mkdirSync(library);
		for (const file of fast) {
			const bytes = fs.readFileSync(path.join(root, file));
			fs.writeFileSync(path.join(library, file), bytes.subarray(0, bytes.length - 1));
		}

		const {summary, rows} = await scan(library);
		assert.deepEqual(summary.errors.map(error => error.path).sort(), fast.sort());
		for (const file of fast) {
			assert.match(rows.get(file)!.error ?? '', /truncated file/, file);
		}
	});
});
