import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import {runCli, runJson} from '../helpers/cli.js';
import {tempDir} from '../helpers/temp.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');
const offline = {CURATE_OFFLINE: '1'};

/** An empty scanned library tagged once with a copy of the tiny model (so the test can take the model away). */
async function taggedLibrary() {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	const model = path.join(tempDir(), 'tiny-clip');
	fs.cpSync(tiny, model, {recursive: true});
	assert.equal((await runCli(['scan', root, '--json'])).code, 0);
	const tagged = await runCli(['tag', '--model', model, '--json'], {cwd: root, env: offline});
	assert.equal(tagged.code, 0, tagged.stderr);
	return {root, model};
}

async function inboxWith(colours: Record<string, {r: number; g: number; b: number}>) {
	const inbox = path.join(tempDir(), 'inbox');
	fs.mkdirSync(inbox);
	for (const [name, background] of Object.entries(colours)) {
		// eslint-disable-next-line no-await-in-loop
		await sharp({create: {width: 64, height: 48, channels: 3, background}}).jpeg().toFile(path.join(inbox, `${name}.jpg`));
	}

	return inbox;
}

test('curate watch tags what it imports with the library model, offline', async () => {
	const {root} = await taggedLibrary();
	const inbox = await inboxWith({red: {r: 250, g: 0, b: 0}, blue: {r: 0, g: 0, b: 250}});
	const watch = await runCli(['watch', inbox, '--library', root, '--settle', '300ms', '--once'], {env: offline});
	assert.equal(watch.code, 0, watch.stderr);
	assert.match(watch.stdout, /stopped: 2 imported/);
	assert.match(watch.stdout, /tagged 2 photos with tiny-clip@[\da-f]{12}:q8/);
	// The tagging also wrote the search cache file, stamped as the catalog (so the next search reads it as is).
	const cacheFile = fs.readdirSync(path.join(root, '.curate')).find(name => name.startsWith('vectors-'))!;
	const head = fs.readFileSync(path.join(root, '.curate', cacheFile));
	const header = JSON.parse(head.toString('utf8', 12, 12 + head.readUInt32LE(8)));
	const db = new Database(path.join(root, '.curate', 'catalog.db'), {readonly: true});
	const stamp = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(`ai.vectors:${header.model}`);
	db.close();
	assert.equal(header.stamp, stamp);
	assert.equal(header.rows, 2);
	for (const colour of ['red', 'blue']) {
		// eslint-disable-next-line no-await-in-loop
		const found = await runJson(['search', colour, '--json', '--limit', '1'], {cwd: root, env: offline});
		assert.match(found.json.results[0].path, new RegExp(`/${colour}\\.jpg$`));
	}
});

test('curate watch imports without tagging when the library has no model, or when its model cannot load', async () => {
	const plain = path.join(tempDir(), 'library');
	fs.mkdirSync(plain);
	assert.equal((await runCli(['scan', plain, '--json'])).code, 0);
	const untagged = await runCli(['watch', await inboxWith({red: {r: 250, g: 0, b: 0}}), '--library', plain, '--settle', '300ms', '--once'], {env: offline});
	assert.equal(untagged.code, 0, untagged.stderr);
	assert.match(untagged.stdout, /stopped: 1 imported/);
	assert.match(untagged.stdout, /no AI model recorded for this library/);
	assert.doesNotMatch(untagged.stdout, /tagged \d/);

	const {root, model} = await taggedLibrary();
	fs.rmSync(path.join(model, 'onnx'), {recursive: true});
	const watch = await runCli(['watch', await inboxWith({green: {r: 0, g: 250, b: 0}}), '--library', root, '--settle', '300ms', '--once'], {env: offline});
	assert.equal(watch.code, 0, watch.stderr);
	assert.match(watch.stdout, /stopped: 1 imported, 0 skipped, 0 failed/);
	assert.match(watch.stdout, /tagging skipped, the import stands: model folder .* is incomplete/);
	const catalog = await runJson(['search', 'path:green', '--json'], {cwd: root});
	assert.equal(catalog.json.results.length, 1, 'the import is catalogued');
});
