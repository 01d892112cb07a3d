import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import sharp from 'sharp';
import {cliEntry, runCli, tsxLoader} from '../helpers/cli.js';
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

const tiny = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');
const offline = {CURATE_OFFLINE: '1'};
const delay = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

test('a broken photo that cannot be tagged is logged "not tagged" once, not again every round', {skip: needsCorpus, timeout: 300_000}, async () => {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	const model = path.join(tempDir(), 'tiny-clip');
	fs.cpSync(tiny, model, {recursive: true});
	assert.equal((await runCli(['scan', root, '--json'])).code, 0);
	assert.equal((await runCli(['tag', '--model', model, '--json'], {cwd: root, env: offline})).code, 0);

	const inbox = path.join(tempDir(), 'inbox');
	fs.mkdirSync(inbox);
	// Half a camera JPEG that does not decode at all: imported once the (short) settle limit passes, never taggable.
	const camera = fs.readFileSync(path.join(corpusDir, 'cameras/Nokia_Lumia_800.jpg'));
	fs.writeFileSync(path.join(inbox, 'broken.jpg'), camera.subarray(0, camera.length / 2));
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'watch', inbox, '--library', root, '--settle', '300ms', '--settle-limit', '1s'], {
		env: {...process.env, ...offline, NO_COLOR: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	child.stdout.setEncoding('utf8').on('data', chunk => {
		log += chunk;
	});
	const exited = new Promise(resolve => {
		child.on('close', resolve);
	});
	const until = async (what: RegExp) => {
		const started = Date.now();
		while (!what.test(log)) {
			assert.ok(Date.now() - started < 120_000, `timed out waiting for ${what.source}:\n${log}`);
			// eslint-disable-next-line no-await-in-loop
			await delay(100);
		}
	};

	await until(/not tagged .*broken\.jpg/);
	// Two more rounds that import (and so tag) something: the broken file fails again each time, silently.
	for (const [name, background] of [['red', {r: 250, g: 0, b: 0}], ['blue', {r: 0, g: 0, b: 250}]] as const) {
		// eslint-disable-next-line no-await-in-loop
		await sharp({create: {width: 64, height: 48, channels: 3, background}}).jpeg().toFile(path.join(inbox, `${name}.jpg`));
		// eslint-disable-next-line no-await-in-loop
		await until(new RegExp(`tagged 1 photo .*\\n(?:.*\\n)*?|imported ${name}\\.jpg`));
		// eslint-disable-next-line no-await-in-loop
		await until(new RegExp(`imported ${name}\\.jpg[^\\n]*\\n(?:.*\\n)*.*tagged 1 photo`));
	}

	child.kill('SIGTERM');
	await exited;
	assert.equal(log.match(/not tagged .*broken\.jpg/g)?.length, 1, log);
	assert.match(log, /damaged: broken\.jpg/);
});
