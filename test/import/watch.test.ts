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
import {corpusDir, needsCorpus, tempDir} from '../helpers/temp.js';

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

/** Every file under `dir` (relative path → SHA-256), `.curate` left out unless asked for. */
function filesUnder(dir: string, withCurate = false): Map<string, string> {
	const found = new Map<string, string>();
	const visit = (current: string) => {
		for (const entry of fs.readdirSync(current, {withFileTypes: true})) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				if (withCurate || entry.name !== '.curate') {
					visit(full);
				}
			} else if (entry.isFile()) {
				found.set(path.relative(dir, full).split(path.sep).join('/'), sha(full));
			}
		}
	};

	visit(dir);
	return found;
}

const cameraJpeg = path.join(corpusDir, 'cameras/Apple_iPhone_5.jpg');

test('a photo uploaded slowly (six chunks 5 s apart) is imported once, complete, with no "(1)" copy and no damaged import', {skip: needsCorpus, timeout: 120_000}, async () => {
	const root = await emptyLibrary();
	const inbox = path.join(tempDir(), 'inbox');
	fs.mkdirSync(inbox);
	const bytes = fs.readFileSync(cameraJpeg);
	const full = createHash('sha256').update(bytes).digest('hex');
	// The settle time is far shorter than the pauses: every partial file settles, and only decoding tells it is not done.
	const watch = startWatch([inbox, '--library', root, '--settle', '1s']);
	await until(() => watch.output.log.includes('watching'), 'the watch to start');
	const target = path.join(inbox, 'upload2.jpg');
	const sixth = Math.ceil(bytes.length / 6);
	for (let i = 0; i < 6; i++) {
		fs.appendFileSync(target, bytes.subarray(i * sixth, (i + 1) * sixth));
		if (i < 5) {
			// eslint-disable-next-line no-await-in-loop
			await delay(5000);
			assert.doesNotMatch(watch.output.log, /imported upload2/, `imported after ${i + 1} of 6 chunks`);
		}
	}

	await until(() => watch.output.log.includes('imported upload2.jpg'), 'the import');
	watch.child.kill('SIGTERM');
	assert.equal(await watch.exited, 0, watch.output.stderr);
	assert.match(watch.output.log, /waiting for upload2\.jpg to be complete: .*premature end of JPEG/);
	assert.equal(watch.output.log.match(/imported upload2/g)!.length, 1);
	assert.doesNotMatch(watch.output.log, /Z (damaged:|failed|import failed)/);
	const library = filesUnder(root);
	assert.deepEqual([...library.values()], [full], 'one file, the whole upload');
	assert.ok(![...library.keys()].some(file => file.includes('(1)')), [...library.keys()].join(', '));
	// The partial versions were analysed (thumbnails) and not imported: none of their thumbnails stays behind.
	const thumbs = [...filesUnder(path.join(root, '.curate', 'thumbs'), true).keys()].map(file => path.basename(file, '.jpg'));
	assert.deepEqual(thumbs, [full]);
});

test('a file still incomplete at the settle limit is imported and logged as damaged; its complete version takes its place (not "upload2 (1).jpg") in one undoable batch, the damaged one to the trash', {skip: needsCorpus, timeout: 300_000}, async () => {
	const root = await emptyLibrary();
	const inbox = path.join(tempDir(), 'inbox');
	fs.mkdirSync(inbox);
	const bytes = fs.readFileSync(cameraJpeg);
	const half = bytes.subarray(0, Math.ceil(bytes.length / 2));
	const damagedSha = createHash('sha256').update(half).digest('hex');
	const fullSha = createHash('sha256').update(bytes).digest('hex');
	const upload = path.join(inbox, 'upload2.jpg');
	fs.writeFileSync(upload, half);
	const args = [inbox, '--library', root, '--settle', '300ms', '--settle-limit', '2s', '--once'];

	const early = await runCli(['watch', ...args]);
	assert.equal(early.code, 0, early.stderr);
	assert.match(early.stdout, /waiting for upload2\.jpg to be complete/);
	assert.match(early.stdout, /stopped: 0 imported/);
	assert.deepEqual([...filesUnder(root).values()], []);

	await delay(2200);
	const late = await runCli(['watch', ...args]);
	assert.equal(late.code, 0, late.stderr);
	assert.match(late.stdout, /imported upload2\.jpg -> .+ \(batch \d+\)/);
	assert.match(late.stdout, /damaged: upload2\.jpg still does not decode completely after the settle limit; imported as it is/);
	const damagedAt = [...filesUnder(root)].find(([, hash]) => hash === damagedSha)![0];

	// The rest of the upload arrives: the complete file replaces the damaged one; nothing is lost.
	fs.writeFileSync(upload, bytes);
	const complete = await runCli(['watch', ...args]);
	assert.equal(complete.code, 0, complete.stderr);
	const batch = /imported upload2\.jpg -> .+ \(batch (\d+), replacing the damaged (.+) \(now in the trash\)\)/.exec(complete.stdout);
	assert.ok(batch, complete.stdout);
	assert.equal(batch[2], damagedAt);
	assert.deepEqual([...filesUnder(root)], [[damagedAt, fullSha]], 'the complete file is at the damaged one\'s path, and nothing else is in the library');
	assert.ok([...filesUnder(path.join(root, '.curate', 'trash'), true).values()].includes(damagedSha), 'the damaged file is in the trash');
	const journal = await runJson(['journal', '--library', root, '--json']);
	assert.equal(journal.result.code, 0, journal.result.stderr);
	const shown = JSON.stringify(journal.json);
	assert.match(shown, /replacing 1 damaged/);

	const undo = await runCli(['undo', batch[1]!, '--library', root]);
	assert.equal(undo.code, 0, undo.stderr);
	assert.deepEqual([...filesUnder(root)], [[damagedAt, damagedSha]], 'undo puts the damaged file back and takes the complete one out');
});
