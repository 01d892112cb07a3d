import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {scannedSampleLibrary} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

const moduleLog = new URL('../helpers/module-log.mjs', import.meta.url).href;

/** The heavy packages a command may load only when it uses them (issue 14). */
const engines = ['ink', 'react', 'sharp', 'exiftool-vendored', 'better-sqlite3', '@huggingface/transformers', 'terminal-image'];

/** Runs `curate ARGS` and returns which of `engines` it loaded, besides its result. */
async function loadedEngines(args: readonly string[], cwd?: string) {
	const log = path.join(tempDir(), 'modules.log');
	fs.writeFileSync(log, '');
	const result = await runCli(args, {cwd, env: {NODE_OPTIONS: `--import ${moduleLog}`, CURATE_MODULE_LOG: log}});
	const lines = fs.readFileSync(log, 'utf8').split('\n');
	const loaded = engines.filter(name => lines.some(line => line === name || line.startsWith(`${name}/`) || line.includes(`/node_modules/${name}/`)));
	return {result, loaded};
}

test('the module log sees an engine when a command does load it (so the tests below can fail)', async () => {
	const {root} = await scannedSampleLibrary();
	const {result, loaded} = await loadedEngines(['show', '2019/2019-05-03 Paris/DSC_0412.jpg'], root);
	assert.equal(result.code, 0, result.stderr);
	assert.ok(loaded.includes('better-sqlite3'), `show reads the catalog; loaded: ${loaded.join(', ')}`);
});

test('curate --help, --version and the command list start without loading Ink, React, sharp, exiftool, SQLite or transformers.js (every command waited 1.2 s for them)', async () => {
	for (const args of [['--help'], ['--version'], [], ['tags'], ['dupes', '--help'], ['dupes', '--apply', 'keepers', '--help'], ['review', '--help'], ['tag', '--help'], ['scan', '--help']]) {
		// eslint-disable-next-line no-await-in-loop
		const {result, loaded} = await loadedEngines(args);
		assert.ok(result.stdout.length > 0 || result.stderr.length > 0, `curate ${args.join(' ')} printed nothing`);
		assert.deepEqual(loaded, [], `curate ${args.join(' ')} loaded ${loaded.join(', ')}`);
	}
});

test('curate dupes lists clusters without loading Ink, exiftool or sharp, and curate journal without exiftool', async () => {
	const {root} = await scannedSampleLibrary();
	const dupes = await loadedEngines(['dupes'], root);
	assert.equal(dupes.result.code, 0, dupes.result.stderr);
	assert.match(dupes.result.stdout, /cluster/);
	assert.deepEqual(dupes.loaded, ['better-sqlite3']);
	const journal = await loadedEngines(['journal'], root);
	assert.equal(journal.result.code, 0, journal.result.stderr);
	assert.deepEqual(journal.loaded, ['better-sqlite3']);
});
