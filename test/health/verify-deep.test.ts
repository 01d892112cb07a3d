import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli} from '../helpers/cli.js';
import {corpusHeicsByPath} from '../helpers/corpus-heic.js';
import {withCatalog} from '../helpers/scanned.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';
import {connectionOf} from '../../source/db/connection.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

/** Runs the CLI with room for a loaded machine (a full HEIC decode takes seconds there). */
async function runJson(args: string[], options: {cwd?: string} = {}) {
	const result = await runCli(args, {...options, timeoutMs: 600_000});
	return {result, json: JSON.parse(result.stdout || 'null')};
}

const fullyDecoded = (root: string) =>
	new Map(withCatalog(root, catalog => connectionOf(catalog).prepare('SELECT path, decoded_fully FROM files').all() as Array<{path: string; decoded_fully: number}>).map(row => [row.path, row.decoded_fully]));

test('verify --deep decodes in full the HEICs a scan took from their thumbnail, reports a corrupt picture, and does each once', {skip: needsCorpus}, async () => {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	// Every corpus HEIC with a usable thumbnail item (the others are decoded in full by the scan already).
	const {fast} = await corpusHeicsByPath();
	for (const file of fast) {
		fs.copyFileSync(path.join(corpusDir, file), path.join(root, file.replaceAll('/', '-')));
	}

	// A copy whose picture tiles are zeroed in the middle: its container and thumbnail are whole, so a scan finds nothing.
	const source = fs.readdirSync(root).find(name => /iphone/i.test(name))!;
	const corrupt = Buffer.from(fs.readFileSync(path.join(root, source)));
	corrupt.fill(0, corrupt.length >> 1, (corrupt.length >> 1) + 128 * 1024);
	fs.writeFileSync(path.join(root, 'corrupt.heic'), corrupt);

	const {result: scanned, json: scan} = await runJson(['scan', root, '--json']);
	assert.equal(scanned.code, 0, scanned.stderr);
	assert.deepEqual(scan.errors, []);
	const before = fullyDecoded(root);
	const pending = [...before].filter(([, state]) => state === 0).map(([file]) => file);
	assert.deepEqual(pending.sort(), [...before.keys()].sort(), 'every file was fingerprinted from its thumbnail');
	assert.ok(pending.includes('corrupt.heic') && pending.length >= 4, `left for verify --deep: ${pending.join(', ')}`);

	const {result, json} = await runJson(['verify', '--deep', '--json'], {cwd: root});
	assert.equal(result.code, 1, result.stderr);
	assert.deepEqual(json.undecodable.map((finding: any) => finding.path), ['corrupt.heic']);
	assert.match(json.undecodable[0].reason, /damaged image data/);
	assert.equal(json.decoded, pending.length - 1);
	assert.deepEqual([json.damaged, json.missing, json.unreadable], [[], [], []]);
	const after = fullyDecoded(root);
	for (const [file, state] of after) {
		assert.equal(state, file === 'corrupt.heic' ? 0 : 1, file);
	}

	// A plain verify decodes nothing; a second deep one only the file that still does not decode.
	const {json: plain} = await runJson(['verify', '--json'], {cwd: root});
	assert.equal(plain.decoded, 0);
	const {json: again} = await runJson(['verify', '--deep', '--json'], {cwd: root});
	assert.equal(again.decoded, 0);
	assert.deepEqual(again.undecodable.map((finding: any) => finding.path), ['corrupt.heic']);
});
