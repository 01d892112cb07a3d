import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import {buildCard, uniqueJpeg} from '../helpers/card.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {tempDir} from '../helpers/temp.js';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every file under `dir` (outside .curate) → its SHA-256. */
function snapshot(dir: string): Map<string, string> {
	const map = new Map<string, string>();
	const visit = (current: string) => {
		for (const entry of fs.readdirSync(current, {withFileTypes: true})) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== '.curate') {
					visit(full);
				}
			} else {
				map.set(path.relative(dir, full).split(path.sep).join('/'), sha(full));
			}
		}
	};

	visit(dir);
	return map;
}

test('import a card: dated folders, known files skipped, companions together, collisions suffixed; again imports nothing; undo trashes exactly the copies', async () => {
	const {root, manifest} = await sampleLibrary();
	// A different photo already sits where one card photo would land: it must get a suffix, not be overwritten.
	fs.mkdirSync(path.join(root, '2023/2023-05-06'), {recursive: true});
	fs.writeFileSync(path.join(root, '2023/2023-05-06/IMG_0101.JPG'), await uniqueJpeg());
	const scan = await runJson(['scan', root, '--json']);
	assert.equal(scan.result.code, 0, scan.result.stderr);

	const card = path.join(tempDir(), 'card');
	const known = manifest.files.find(file => file.role === 'original')!;
	const written = await buildCard(card, [
		{path: 'DCIM/100CANON/IMG_0100.JPG', kind: 'jpeg', date: '2023:05:06 10:00:00', make: 'Canon', model: 'Canon EOS 7D'},
		{path: 'DCIM/100CANON/IMG_0101.JPG', kind: 'jpeg', date: '2023:05:06 11:00:00', make: 'Canon', model: 'Canon EOS 7D'},
		{path: 'DCIM/100CANON/IMG_0200.JPG', kind: 'jpeg', date: '2023:05:07 09:00:00', make: 'Canon', model: 'Canon EOS 7D'},
		{path: 'DCIM/100CANON/IMG_0200.DNG', kind: 'dng', date: '2023:05:07 09:00:00', make: 'Canon', model: 'Canon EOS 7D'},
		{path: 'DCIM/100CANON/IMG_0200.xmp', kind: 'xmp'},
		{path: 'DCIM/100APPLE/IMG_0300.JPG', kind: 'jpeg', date: '2023:05:08 12:00:00', make: 'Apple', model: 'iPhone 12', contentId: 'LIVE-0300'},
		// The movie's own date would put it in another folder: only the ContentIdentifier keeps it with its still.
		{path: 'DCIM/100APPLE/IMG_0301.MOV', kind: 'mov', date: '2023:05:09 02:00:00', contentId: 'LIVE-0300'},
		{path: 'DCIM/KNOWN.JPG', kind: 'bytes', bytes: fs.readFileSync(path.join(root, known.path))},
		{path: 'DCIM/empty.jpg', kind: 'bytes'},
		{path: 'DCIM/orphan.xmp', kind: 'xmp'},
	]);
	fs.copyFileSync(written.get('DCIM/100CANON/IMG_0100.JPG')!, path.join(card, 'DCIM/COPY_OF_0100.JPG'));
	const cardBefore = snapshot(card);
	const libraryBefore = snapshot(root);

	const dry = await runJson(['import', card, '--library', root, '--dry-run', '--json']);
	assert.equal(dry.result.code, 0, dry.result.stderr);
	assert.equal(dry.json.dryRun, true);
	assert.equal(dry.json.imported, 7);
	assert.deepEqual(snapshot(root), libraryBefore, 'a dry run changes nothing');

	const first = await runJson(['import', card, '--library', root, '--json']);
	assert.equal(first.result.code, 0, first.result.stderr);
	assert.equal(first.json.imported, 7);
	assert.equal(first.json.skipped, 3);
	assert.deepEqual(first.json.errors, [{path: path.join(card, 'DCIM/empty.jpg'), error: 'empty file (0 bytes)'}]);
	assert.equal(typeof first.json.batch, 'number');
	const target = new Map<string, string>(first.json.files.map((file: {source: string; path: string}) => [path.relative(card, file.source), file.path]));
	assert.deepEqual(Object.fromEntries(target), {
		'DCIM/100CANON/IMG_0100.JPG': '2023/2023-05-06/IMG_0100.JPG',
		'DCIM/100CANON/IMG_0101.JPG': '2023/2023-05-06/IMG_0101 (1).JPG',
		'DCIM/100CANON/IMG_0200.DNG': '2023/2023-05-07/IMG_0200.DNG',
		'DCIM/100CANON/IMG_0200.JPG': '2023/2023-05-07/IMG_0200.JPG',
		'DCIM/100CANON/IMG_0200.xmp': '2023/2023-05-07/IMG_0200.xmp',
		'DCIM/100APPLE/IMG_0300.JPG': '2023/2023-05-08/IMG_0300.JPG',
		'DCIM/100APPLE/IMG_0301.MOV': '2023/2023-05-08/IMG_0301.MOV',
	});
	assert.deepEqual(
		first.json.skippedFiles.map((skip: {path: string; reason: string}) => [path.relative(card, skip.path), skip.reason.split(' ').slice(0, 3).join(' ')]),
		[['DCIM/COPY_OF_0100.JPG', 'same content as'], ['DCIM/KNOWN.JPG', 'already in the'], ['DCIM/orphan.xmp', 'sidecar whose photo']],
	);
	for (const [source, relative] of target) {
		assert.equal(sha(path.join(root, relative)), cardBefore.get(source), `${relative} is a byte-exact copy`);
	}

	assert.equal(sha(path.join(root, '2023/2023-05-06/IMG_0101.JPG')), libraryBefore.get('2023/2023-05-06/IMG_0101.JPG'), 'the file already there is untouched');
	assert.deepEqual(snapshot(card), cardBefore, 'the card is never changed');
	const shown = await runJson(['show', path.join(root, '2023/2023-05-08/IMG_0300.JPG'), '--json']);
	assert.equal(shown.json.livePhotoId, 'LIVE-0300');
	assert.equal(shown.json.takenAt, '2023-05-08T12:00:00');
	// Catalogued as it landed: a scan now finds nothing new.
	const rescan = await runJson(['scan', root, '--json']);
	assert.equal(rescan.json.added + rescan.json.updated, 0, JSON.stringify(rescan.json));

	const second = await runJson(['import', card, '--library', root, '--json']);
	assert.equal(second.json.imported, 0);
	assert.equal(second.json.batch, null);
	assert.equal(second.json.skipped, 10);

	const undo = await runCli(['undo', String(first.json.batch), '--library', root]);
	assert.equal(undo.code, 0, undo.stderr);

	const after = snapshot(root);
	assert.deepEqual(new Map([...after].filter(([file]) => !file.startsWith('2023/2023-05-0') || file === '2023/2023-05-06/IMG_0101.JPG')), libraryBefore);
	for (const relative of target.values()) {
		assert.equal(fs.existsSync(path.join(root, relative)), false, `${relative} left the library`);
		assert.ok(fs.existsSync(path.join(root, '.curate/trash', String(first.json.batch), relative)), `${relative} is in the trash`);
	}

	assert.deepEqual(snapshot(card), cardBefore);
});

test('import refuses a source inside the library and an unknown pattern token', async () => {
	const {root} = await sampleLibrary();
	await runJson(['scan', root, '--json']);
	const inside = await runCli(['import', path.join(root, 'burst'), '--library', root]);
	assert.equal(inside.code, 2);
	assert.match(inside.stderr, /inside the library; use `curate organize`/);
	const bad = await runCli(['import', root, '--library', root, '--pattern', '{yaer}']);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /unknown pattern token \{yaer\}/);
});

test('import --move: verified copies land, the imported sources leave the card (known files stay); undo puts them back byte-identical', async () => {
	const {root, manifest} = await sampleLibrary();
	await runJson(['scan', root, '--json']);
	const card = path.join(tempDir(), 'card');
	const known = manifest.files.find(file => file.role === 'original')!;
	await buildCard(card, [
		{path: 'DCIM/100CANON/IMG_0500.JPG', kind: 'jpeg', date: '2023:06:01 10:00:00', make: 'Canon', model: 'Canon EOS 7D'},
		{path: 'DCIM/100CANON/IMG_0501.JPG', kind: 'jpeg', date: '2023:06:02 10:00:00', make: 'Canon', model: 'Canon EOS 7D'},
		{path: 'DCIM/KNOWN.JPG', kind: 'bytes', bytes: fs.readFileSync(path.join(root, known.path))},
	]);
	fs.utimesSync(path.join(card, 'DCIM/100CANON/IMG_0500.JPG'), new Date('2023-06-01T10:00:00Z'), new Date('2023-06-01T10:00:00Z'));
	const cardBefore = snapshot(card);
	const moved = await runJson(['import', card, '--library', root, '--move', '--json']);
	assert.equal(moved.result.code, 0, moved.result.stderr);
	assert.equal(moved.json.imported, 2);
	assert.equal(moved.json.moved, true);
	assert.deepEqual(moved.json.files.map((file: {path: string}) => file.path).sort(), ['2023/2023-06-01/IMG_0500.JPG', '2023/2023-06-02/IMG_0501.JPG']);
	assert.equal(sha(path.join(root, '2023/2023-06-01/IMG_0500.JPG')), cardBefore.get('DCIM/100CANON/IMG_0500.JPG'));
	assert.deepEqual([...snapshot(card).keys()], ['DCIM/KNOWN.JPG'], 'only the imported sources left the card');
	const journal = await runJson(['journal', '--library', root, '--json']);
	assert.deepEqual(journal.json.batches[0].operations, {'move-in': 2});
	const rescan = await runJson(['scan', root, '--json']);
	assert.equal(rescan.json.added + rescan.json.updated, 0, 'catalogued as they landed');

	const undo = await runCli(['undo', '--library', root]);
	assert.equal(undo.code, 0, undo.stderr);
	assert.deepEqual(snapshot(card), cardBefore, 'every source is back on the card, byte-identical');
	assert.equal(fs.statSync(path.join(card, 'DCIM/100CANON/IMG_0500.JPG')).mtime.toISOString(), '2023-06-01T10:00:00.000Z', 'with its file time');
	assert.equal(fs.existsSync(path.join(root, '2023/2023-06-01/IMG_0500.JPG')), false);
	assert.ok(fs.existsSync(path.join(root, '.curate/trash', String(moved.json.batch), '2023/2023-06-01/IMG_0500.JPG')), 'the library copy went to the trash');

	const redo = await runCli(['redo', '--library', root]);
	assert.equal(redo.code, 0, redo.stderr);
	assert.deepEqual([...snapshot(card).keys()], ['DCIM/KNOWN.JPG'], 'redo moves them in again');
	const shown = await runJson(['show', path.join(root, '2023/2023-06-02/IMG_0501.JPG'), '--json']);
	assert.equal(shown.json.sha256, cardBefore.get('DCIM/100CANON/IMG_0501.JPG'));
});

test('import of a folder that does not exist, or cannot be read, says so in one clear line (no raw ENOENT or EACCES)', async t => {
	const base = tempDir();
	const root = path.join(base, 'library');
	fs.mkdirSync(root);
	assert.equal((await runJson(['scan', root, '--json'])).result.code, 0);
	const missing = path.join(base, 'nonexistent');
	const result = await runCli(['import', missing, '--library', root]);
	assert.equal(result.code, 2);
	assert.equal(result.stderr, `curate: ${missing} does not exist (nothing imported)\n`);
	assert.equal(result.stdout, '');

	// A FIFO would block a read forever: refused before anything is read.
	const fifo = path.join(base, 'pipe.jpg');
	if (spawnSync('mkfifo', [fifo]).status === 0) {
		const piped = await runCli(['import', fifo, '--library', root], {timeoutMs: 60_000});
		assert.equal(piped.stderr, `curate: ${fifo} is not a folder or a regular file (nothing imported)\n`);
	}

	// An unreadable folder as a user meets it: root reads everything, so the CLI runs as nobody (when the tests are root).
	if (process.getuid?.() !== 0) {
		return;
	}

	const locked = path.join(base, 'card', 'locked');
	fs.mkdirSync(locked, {recursive: true});
	fs.chmodSync(locked, 0o000);
	for (const dir of [base, path.join(base, 'card')]) {
		fs.chmodSync(dir, 0o755);
	}

	spawnSync('chmod', ['-R', 'a+rwX', root]);
	// nobody must be able to read Curate itself: a checkout inside a private folder (`mktemp -d` makes one, mode 700)
	// is out of its reach, and the CLI would fail to load instead of meeting the locked folder.
	const reachable = spawnSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1], require("node:fs").constants.R_OK)', cliEntry], {uid: 65_534, gid: 65_534});
	if (reachable.status !== 0) {
		t.diagnostic(`not run as nobody: ${cliEntry} is not readable by uid 65534 (the checkout is in a private folder)`);
		return;
	}

	const child = spawnSync(process.execPath, ['--import', tsxLoader, cliEntry, 'import', locked, '--library', root], {uid: 65_534, gid: 65_534, env: {...process.env, HOME: base, NO_COLOR: '1'}, encoding: 'utf8'});
	assert.equal(child.stderr, `curate: cannot read ${locked}: permission denied (nothing imported)\n`);
	assert.equal(child.status, 2);
});
