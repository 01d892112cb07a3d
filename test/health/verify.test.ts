import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {HealthStore} from '../../source/db/health.js';
import {Throttle} from '../../source/health/hash-file.js';
import {verifyLibrary} from '../../source/health/verify.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, withCatalog} from '../helpers/scanned.js';
import {connectionOf} from '../../source/db/connection.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

/** Changes one byte in the middle of a file and puts its mtime (and atime) back, as decaying storage would. */
function flipByte(file: string): void {
	const stat = fs.statSync(file);
	const bytes = fs.readFileSync(file);
	bytes[bytes.length >> 1] ^= 0x01;
	fs.writeFileSync(file, bytes);
	fs.utimesSync(file, stat.atimeMs / 1000, stat.mtimeMs / 1000);
}

const photo = '2021/2021-07-14/IMG_0004.jpg';

test('acceptance: a flipped byte with its mtime restored is reported as damaged, exactly that file, exit 1', async () => {
	const {root} = await scannedSampleLibrary();
	flipByte(path.join(root, photo));
	const {result, json} = await runJson(['verify', '--json'], {cwd: root});
	assert.equal(result.code, 1, result.stderr);
	assert.deepEqual(json.damaged.map((finding: any) => finding.path), [photo]);
	assert.deepEqual([json.modified, json.missing, json.unreadable], [[], [], []]);
	assert.equal(json.checked, json.catalogued);
	assert.equal(json.ok, json.checked - 1);
	assert.notEqual(json.damaged[0].actual, json.damaged[0].expected);
});

test('edited files are modified (exit 0, suggests a rescan), vanished ones missing (exit 1); every run is recorded', async () => {
	const {root} = await scannedSampleLibrary();
	const library = libraryAt(root);
	const edited = path.join(root, '2024/IMG_2041.jpg');
	fs.appendFileSync(edited, 'an edit');
	fs.utimesSync(edited, new Date(), new Date(Date.now() + 5000));
	const clean = await withCatalog(root, async catalog => verifyLibrary(library, catalog));
	assert.deepEqual(clean.modified.map(finding => finding.path), ['2024/IMG_2041.jpg']);
	assert.match(clean.modified[0]!.reason, /curate scan/);
	assert.deepEqual([clean.damaged, clean.missing], [[], []]);

	fs.renameSync(path.join(root, photo), path.join(root, 'elsewhere.bin'));
	const {result, json} = await runJson(['verify', '--json'], {cwd: root});
	assert.equal(result.code, 1);
	assert.deepEqual(json.missing.map((finding: any) => finding.path), [photo]);

	const runs = withCatalog(root, catalog => connectionOf(catalog).prepare('SELECT target, state, stats FROM verify_runs ORDER BY id').all()) as any[];
	assert.deepEqual(runs.map(run => [run.target, run.state, JSON.parse(run.stats).missing]), [['library', 'done', 0], ['library', 'done', 1]]);
});

test('--sample rotates: never-verified files first, so ten 10% runs cover the whole library once', async () => {
	const {root} = await scannedSampleLibrary();
	const library = libraryAt(root);
	const total = withCatalog(root, catalog => new HealthStore(catalog).verifyCandidates().length);
	const seen = new Map<string, number>();
	for (let run = 0; run < 10; run++) {
		// eslint-disable-next-line no-await-in-loop
		const report = await withCatalog(root, async catalog => verifyLibrary(library, catalog, {sample: 0.1}));
		assert.equal(report.checked, Math.ceil(total * 0.1));
		const checked = withCatalog(root, catalog => connectionOf(catalog).prepare('SELECT f.path, c.verified_at FROM file_checks c JOIN files f ON f.id = c.file_id').all()) as any[];
		for (const row of checked) {
			seen.set(row.path, (seen.get(row.path) ?? 0) + (seen.has(row.path) ? 0 : 1));
		}

		// Distinct timestamps per run keep "longest ago" well defined.
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 5));
	}

	assert.equal(seen.size, total, 'every file was verified by some run');
	assert.equal(withCatalog(root, catalog => new HealthStore(catalog).neverVerifiedCount()), 0);
});

test('--rate holds reads to the budget', async () => {
	const throttle = new Throttle(10_000_000);
	const started = performance.now();
	for (let i = 0; i < 4; i++) {
		// eslint-disable-next-line no-await-in-loop
		await throttle.take(1_000_000);
	}

	// 4 MB at 10 MB/s cannot take less than 0.4 s.
	assert.ok(performance.now() - started >= 380, `${performance.now() - started} ms`);
});
