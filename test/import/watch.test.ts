import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import {Catalog} from '../../source/db/catalog.js';
import {WatchQueue} from '../../source/db/watch-queue.js';
import {libraryAt} from '../../source/library.js';
import {buildCard} from '../helpers/card.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {tempDir} from '../helpers/temp.js';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const delay = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A `curate watch` running in the background, with its log so far. */
function startWatch(args: string[]) {
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'watch', ...args], {env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
	const output = {log: '', stderr: ''};
	child.stdout.setEncoding('utf8').on('data', chunk => {
		output.log += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', chunk => {
		output.stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', code => {
			resolve(code);
		});
	});
	return {child, output, exited};
}

async function until(condition: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) {
			throw new Error(`timed out waiting for ${what}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(100);
	}
}

async function emptyLibrary(): Promise<string> {
	const root = path.join(tempDir(), 'library');
	fs.mkdirSync(root);
	assert.equal((await runJson(['scan', root, '--json'])).result.code, 0);
	return root;
}

test('watch imports a file written slowly only once it is complete, and stops cleanly on SIGTERM', async () => {
	const root = await emptyLibrary();
	const inbox = path.join(tempDir(), 'inbox');
	fs.mkdirSync(inbox);
	const staging = path.join(tempDir(), 'staging');
	const written = await buildCard(staging, [{path: 'IMG_5000.JPG', kind: 'jpeg', date: '2023:06:01 08:00:00'}]);
	const bytes = fs.readFileSync(written.get('IMG_5000.JPG')!);
	const watch = startWatch([inbox, '--library', root, '--settle', '1500ms']);
	await until(() => watch.output.log.includes('watching'), 'the watch to start');

	// Written in four pieces, 500 ms apart: each pause is shorter than the settle time, so no half file is imported.
	const target = path.join(inbox, 'IMG_5000.JPG');
	const quarter = Math.ceil(bytes.length / 4);
	for (let i = 0; i < 4; i++) {
		fs.appendFileSync(target, bytes.subarray(i * quarter, (i + 1) * quarter));
		// eslint-disable-next-line no-await-in-loop
		await delay(500);
	}

	await until(() => watch.output.log.includes('imported IMG_5000.JPG'), 'the import');
	watch.child.kill('SIGTERM');
	assert.equal(await watch.exited, 0, watch.output.stderr);
	assert.match(watch.output.log, /imported IMG_5000\.JPG -> 2023\/2023-06-01\/IMG_5000\.JPG \(batch \d+\)/);
	assert.equal(watch.output.log.match(/imported IMG_5000/g)!.length, 1);
	assert.doesNotMatch(watch.output.log, /Z (failed|import failed|skipped)/);
	assert.match(watch.output.log, /stopped: 1 imported/);
	assert.equal(sha(path.join(root, '2023/2023-06-01/IMG_5000.JPG')), createHash('sha256').update(bytes).digest('hex'));
});

test('watch: the queue survives a restart mid-queue and an unmounted inbox; nothing is lost or imported twice', async () => {
	const root = await emptyLibrary();
	const inbox = path.join(tempDir(), 'inbox');
	await buildCard(inbox, [
		{path: 'A.JPG', kind: 'jpeg', date: '2023:06:02 08:00:00'},
		{path: 'B.JPG', kind: 'jpeg', date: '2023:06:02 09:00:00'},
		{path: 'sub/C.JPG', kind: 'jpeg', date: '2023:06:03 09:00:00'},
	]);
	const library = libraryAt(root);
	const queued = () => {
		const catalog = Catalog.open(library.catalogPath);
		try {
			return new WatchQueue(catalog, inbox).entries();
		} finally {
			catalog.close();
		}
	};

	// A long settle: the files are queued, then the watch is stopped before any of them is imported.
	const first = startWatch([inbox, '--library', root, '--settle', '60s']);
	await until(() => queued().length === 3, 'three queued files');
	first.child.kill('SIGTERM');
	assert.equal(await first.exited, 0, first.output.stderr);
	assert.deepEqual(queued().map(entry => entry.state), ['waiting', 'waiting', 'waiting']);

	const second = await runCli(['watch', inbox, '--library', root, '--settle', '500ms', '--once']);
	assert.equal(second.code, 0, second.stderr);
	assert.match(second.stdout, /stopped: 3 imported, 0 skipped, 0 failed/);
	assert.deepEqual(queued().map(entry => [entry.path, entry.state, entry.target]), [
		['A.JPG', 'imported', '2023/2023-06-02/A.JPG'],
		['B.JPG', 'imported', '2023/2023-06-02/B.JPG'],
		['sub/C.JPG', 'imported', '2023/2023-06-03/C.JPG'],
	]);

	// A crash after the copy landed but before the queue heard of it: the file is checked again, found, not copied twice.
	const catalog = Catalog.open(library.catalogPath);
	new WatchQueue(catalog, inbox).mark('B.JPG', 'importing');
	catalog.close();
	const third = await runCli(['watch', inbox, '--library', root, '--settle', '500ms', '--once']);
	assert.match(third.stdout, /resuming: 1 file was being imported/);
	assert.match(third.stdout, /skipped B\.JPG: already in the library/);
	assert.match(third.stdout, /stopped: 0 imported, 1 skipped/);
	assert.deepEqual(fs.readdirSync(path.join(root, '2023/2023-06-02')).sort(), ['A.JPG', 'B.JPG']);

	// The share goes away: the watch waits and keeps the queue; nothing is marked lost.
	fs.renameSync(inbox, `${inbox}.away`);
	const away = await runCli(['watch', inbox, '--library', root, '--settle', '500ms', '--once']);
	assert.equal(away.code, 0, away.stderr);
	assert.match(away.stdout, /is not available \(unmounted\?\); waiting for it, the queue is kept/);
	assert.equal(queued().length, 3);
	fs.renameSync(`${inbox}.away`, inbox);
	const back = await runCli(['watch', inbox, '--library', root, '--settle', '500ms', '--once']);
	assert.match(back.stdout, /stopped: 0 imported, 0 skipped, 0 failed/);
});
