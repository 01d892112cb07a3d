import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {tempDir} from '../helpers/temp.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');

/** A scanned copy of the sample library, plus a dark and a white photo for the tiny model's night/snow words. */
async function scannedLibrary() {
	const {root} = await sampleLibrary();
	await sharp({create: {width: 64, height: 48, channels: 3, background: {r: 8, g: 8, b: 12}}}).jpeg().toFile(path.join(root, 'colors', 'dark.jpg'));
	await sharp({create: {width: 64, height: 48, channels: 3, background: {r: 250, g: 250, b: 250}}}).jpeg().toFile(path.join(root, 'colors', 'white.jpg'));
	const scan = await runCli(['scan', root, '--json']);
	assert.equal(scan.code, 0, scan.stderr);
	return root;
}

function tableCounts(root: string) {
	const db = new Database(path.join(root, '.curate', 'catalog.db'), {readonly: true});
	try {
		const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{name: string}>;
		return Object.fromEntries(tables.map(({name}) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as {n: number}).n]));
	} finally {
		db.close();
	}
}

test('offline with no model: curate tag names what to provide and changes nothing', async () => {
	const root = await scannedLibrary();
	const cache = tempDir();
	const before = tableCounts(root);
	const catalogBytes = fs.readFileSync(path.join(root, '.curate', 'catalog.db'));
	const result = await runCli(['tag'], {cwd: root, env: {CURATE_OFFLINE: '1', XDG_CACHE_HOME: cache}});
	assert.equal(result.code, 2, result.stderr);
	assert.match(result.stderr, /^curate: model Xenova\/clip-vit-base-patch32 is not on this machine and downloads are off \(CURATE_OFFLINE=1\): copy the model into /);
	assert.ok(result.stderr.includes(path.join(cache, 'curate', 'models', 'Xenova', 'clip-vit-base-patch32')));
	assert.match(result.stderr, /onnx\/vision_model_quantized\.onnx/);
	assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
	assert.deepEqual(tableCounts(root), before);
	assert.deepEqual(fs.readFileSync(path.join(root, '.curate', 'catalog.db')), catalogBytes);
	assert.equal(fs.existsSync(path.join(root, '.curate', 'tags.txt')), false);
	assert.deepEqual(fs.readdirSync(cache), []);
});

test('acceptance: tag with the tiny model, then search red, green and blue; filters; resumable; taxonomy edits re-score', async () => {
	const root = await scannedLibrary();
	const tagged = await runJson(['tag', '--model', tiny, '--json', '--batch', '4'], {cwd: root, env: {CURATE_OFFLINE: '1'}});
	assert.equal(tagged.result.code, 0, tagged.result.stderr);
	assert.match(tagged.json.model, /^tiny-clip@[\da-f]{12}:q8$/);
	assert.ok(tagged.json.embedded >= 30, `embedded ${tagged.json.embedded}`);
	assert.equal(tagged.json.alreadyEmbedded, 0);
	assert.ok(fs.existsSync(path.join(root, '.curate', 'tags.txt')), 'the default taxonomy is written on first use');
	// Broken files are per-file errors, not a failed run.
	for (const error of tagged.json.errors) {
		assert.match(error.path, /^broken\//);
	}

	for (const colour of ['red', 'green', 'blue']) {
		// With --model given explicitly, relative to the working folder…
		const explicit = await runJson(['search', colour, '--json', '--model', path.relative(root, tiny)], {cwd: root});
		assert.equal(explicit.result.code, 0, explicit.result.stderr);
		assert.equal(explicit.json.results[0].path, `colors/${colour}.jpg`, JSON.stringify(explicit.json.results.slice(0, 3)));
		// …and with the model the catalog recorded.
		const recorded = await runJson(['search', colour, '--json', '--limit', '3'], {cwd: root});
		assert.equal(recorded.json.results[0].path, `colors/${colour}.jpg`);
		assert.equal(recorded.json.results.length, 3);
		assert.ok(recorded.json.results[0].score > recorded.json.results[1].score + 0.2);
	}

	// Zero-shot tags: the dark photo is night, the white one is not; screenshots come from the rules.
	const dark = await runJson(['search', 'tag:night', '--json', '--limit', '100'], {cwd: root});
	const nightPaths = dark.json.results.map((result: {path: string}) => result.path);
	assert.ok(nightPaths.includes('colors/dark.jpg'), nightPaths.join(', '));
	assert.ok(!nightPaths.includes('colors/white.jpg'));
	assert.ok(dark.json.results.every((result: {score: unknown; tags: string[]}) => result.score === null && result.tags.includes('scenes/night')));
	// Text and filters combine: the best "night" match under colors/ is the dark photo; the path filter keeps to colors/.
	const combined = await runJson(['search', 'night', 'path:colors/', '--json'], {cwd: root});
	assert.equal(combined.json.results[0].path, 'colors/dark.jpg');
	assert.ok(combined.json.results.every((result: {path: string}) => result.path.startsWith('colors/')));
	const none = await runJson(['search', 'red', 'year:1850', '--json'], {cwd: root});
	assert.deepEqual(none.json.results, []);
	const bad = await runCli(['search', 'year:soon'], {cwd: root});
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /year:soon is not a year/);

	// A second run embeds nothing new (resumable by design: only contents without an embedding are read).
	const again = await runJson(['tag', '--json'], {cwd: root});
	assert.equal(again.json.embedded, 0);
	assert.equal(again.json.alreadyEmbedded, tagged.json.embedded);
	assert.equal(again.json.rescored, 0);

	// Editing the taxonomy re-scores stored embeddings without reading photos.
	fs.writeFileSync(path.join(root, '.curate', 'tags.txt'), 'colour/red | scarlet | a photo of red\ncolour/blue | | a photo of blue\ncolour/green\n');
	const rescored = await runJson(['tag', '--json'], {cwd: root});
	assert.equal(rescored.json.rescored, tagged.json.embedded);
	const red = await runJson(['search', 'tag:scarlet', '--json'], {cwd: root});
	assert.ok(red.json.results.some((result: {path: string}) => result.path === 'colors/red.jpg'));
	assert.ok(!red.json.results.some((result: {path: string}) => result.path === 'colors/blue.jpg'));

	const models = await runJson(['models', '--json'], {cwd: root, env: {XDG_CACHE_HOME: tempDir()}});
	const libraryModel = models.json.models.find((model: {library: boolean}) => model.library);
	assert.equal(libraryModel.id, tiny);
	assert.equal(libraryModel.available, true);
	assert.equal(libraryModel.embeddings, tagged.json.embedded);
	const fallback = models.json.models.find((model: {default: boolean}) => model.default);
	assert.equal(fallback.available, false);

	// A photo that is gone from disk (missing after a rescan) is never a result, though its embedding is kept.
	fs.renameSync(path.join(root, 'colors', 'red.jpg'), path.join(tempDir(), 'red.jpg'));
	assert.equal((await runCli(['scan', root, '--json'])).code, 0);
	const gone = await runJson(['search', 'red', '--json', '--limit', '5'], {cwd: root});
	assert.equal(gone.json.results.length, 5);
	assert.ok(!gone.json.results.some((result: {path: string}) => result.path === 'colors/red.jpg'));
});

test('help of the new commands', async () => {
	for (const command of ['tag', 'search', 'models']) {
		const help = await runCli([command, '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /Usage\n\s+\$ curate /);
		assert.match(help.stdout, /--json/);
	}
});
