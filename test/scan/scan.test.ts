import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import {Catalog} from '../../source/db/catalog.js';
import {libraryAt} from '../../source/library.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {needsTmux, tmuxSession} from '../helpers/tmux.js';

async function scan(root: string, options: Parameters<typeof scanLibrary>[2] = {}) {
	const library = libraryAt(root);
	const catalog = Catalog.open(library.catalogPath);
	try {
		return await scanLibrary(library, catalog, options);
	} finally {
		catalog.close();
	}
}

function catalogRows(root: string) {
	const catalog = Catalog.open(libraryAt(root).catalogPath);
	const rows = catalog.allPresent();
	catalog.close();
	return new Map(rows.map(row => [row.path, row]));
}

test('the sample library: metadata as written, broken files as errors, clutter skipped', async () => {
	const {root, manifest} = await sampleLibrary();
	const summary = await scan(root);
	const expected = manifest.files.filter(file => file.role !== 'clutter');
	assert.equal(summary.files, expected.length);
	assert.equal(summary.added, expected.length);
	const rows = catalogRows(root);
	for (const file of manifest.files.filter(file => file.role === 'clutter')) {
		assert.equal(rows.has(file.path), false, `${file.path} is clutter and must be skipped`);
	}

	const errors = new Map(summary.errors.map(error => [error.path, error.error]));
	for (const file of manifest.files.filter(file => file.role === 'broken')) {
		assert.equal(errors.has(file.path), Boolean(file.error), `${file.path}: ${errors.get(file.path)}`);
	}

	for (const file of manifest.files.filter(file => file.role === 'original')) {
		const row = rows.get(file.path)!;
		const expect = file.expect!;
		assert.equal(row.takenAt, expect.takenAt, file.path);
		assert.equal(row.takenAtSource, 'original');
		assert.equal(row.make, expect.make);
		assert.equal(row.model, expect.model);
		assert.deepEqual(row.keywords, expect.keywords, file.path);
		assert.equal(row.rating, expect.rating);
		if (expect.gps) {
			assert.ok(Math.abs(row.gps!.lat - expect.gps.lat) < 1e-5 && Math.abs(row.gps!.lon - expect.gps.lon) < 1e-5, file.path);
		} else {
			assert.equal(row.gps, null);
		}

		assert.match(row.sha256!, /^[\da-f]{64}$/);
		assert.equal(row.sha256, file.sha256);
	}

	// A PNG named .jpg is a PNG; the accented folder and name are catalogued under their own name.
	assert.equal(rows.get('broken/screenshot.jpg')!.format, 'png');
	assert.ok([...rows.keys()].some(key => key.includes('café')));
	// Exact copies share a hash; the metadata-stripped copy shares the pixel (content) hash with its original.
	const strip = manifest.files.find(file => file.transform === 'strip')!;
	assert.equal(rows.get(strip.path)!.contentHash, rows.get(strip.of!)!.contentHash);
	assert.notEqual(rows.get(strip.path)!.sha256, rows.get(strip.of!)!.sha256);
});

test('rescans: unchanged, changed, moved, missing and back again', async () => {
	const {root} = await sampleLibrary();
	const first = await scan(root);
	const second = await scan(root);
	assert.equal(second.unchanged, first.files);
	assert.equal(second.added + second.updated + second.moved + second.missing, 0);

	const rows = catalogRows(root);
	const target = [...rows.values()].find(row => row.path.startsWith('2019/'))!;
	fs.mkdirSync(path.join(root, 'sorted'));
	fs.renameSync(path.join(root, target.path), path.join(root, 'sorted', 'renamed.jpg'));
	const removed = [...rows.values()].find(row => row.path.startsWith('colors/'))!;
	fs.rmSync(path.join(root, removed.path));
	const touched = [...rows.values()].find(row => row.path.startsWith('burst/'))!;
	fs.appendFileSync(path.join(root, touched.path), Buffer.from([0]));

	const third = await scan(root);
	assert.equal(third.moved, 1);
	assert.equal(third.added, 0);
	assert.equal(third.missing, 1);
	assert.equal(third.updated, 1);
	const after = Catalog.open(libraryAt(root).catalogPath);
	const moved = after.fileByPath('sorted/renamed.jpg')!;
	assert.equal(moved.id, target.id, 'a move updates the row, it does not add one');
	assert.equal(moved.make, target.make);
	assert.equal(after.fileByPath(removed.path)!.status, 'missing');
	after.close();

	fs.writeFileSync(path.join(root, removed.path), fs.readFileSync(path.join(root, 'sorted', 'renamed.jpg')));
	const fourth = await scan(root);
	assert.equal(fourth.updated, 1, 'a file that comes back with other content is re-read');
	assert.equal(catalogRows(root).get(removed.path)!.status, 'present');
});

test('an interrupted scan keeps what it committed and the next scan carries on', async () => {
	const {root} = await sampleLibrary();
	// One full scan for the total, then a scan of a fresh copy that is interrupted after ten files.
	const partial = await scan(root);
	const controller = new AbortController();
	let seen = 0;
	const {root: other} = await sampleLibrary();
	const interrupted = await scanLibrary(libraryAt(other), Catalog.open(libraryAt(other).catalogPath), {batchSize: 5, concurrency: 2, signal: controller.signal}, progress => {
		if (progress.phase === 'scanning' && progress.read >= 10 && !controller.signal.aborted) {
			seen = progress.read;
			controller.abort();
		}
	});
	assert.equal(interrupted.interrupted, true);
	assert.ok(seen >= 10);
	const committed = catalogRows(other).size;
	assert.ok(committed >= 10 && committed < partial.files, `committed ${committed} of ${partial.files}`);
	const resumed = await scan(other);
	assert.equal(resumed.interrupted, false);
	assert.equal(resumed.unchanged, committed);
	assert.equal(resumed.added, partial.files - committed);
	assert.equal(catalogRows(other).size, partial.files);
});

test('a scan killed with SIGKILL leaves a sound catalog and the next scan finishes the job', async () => {
	const {root} = await sampleLibrary();
	const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'scan', root, '--json', '--concurrency', '1'], {stdio: 'ignore'});
	const database = path.join(root, '.curate', 'catalog.db');
	const deadline = Date.now() + 60_000;
	let committed = 0;
	while (Date.now() < deadline) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 100));
		try {
			const db = new Database(database, {readonly: true, fileMustExist: true});
			committed = (db.prepare('SELECT count(*) AS n FROM files').get() as {n: number}).n;
			db.close();
		} catch {}

		if (committed > 0) {
			break;
		}
	}

	child.kill('SIGKILL');
	await new Promise(resolve => child.on('close', resolve));
	assert.ok(committed > 0, 'the scan committed a first batch before it was killed');
	const {json} = await runJson(['scan', root, '--json']);
	assert.ok(json.unchanged >= committed, `${json.unchanged} unchanged of ${committed} committed`);
	assert.equal(json.added + json.unchanged, json.files);
	const db = new Database(database, {readonly: true});
	assert.equal((db.pragma('integrity_check', {simple: true}) as string), 'ok');
	assert.equal((db.prepare('SELECT count(*) AS n FROM files').get() as {n: number}).n, json.files);
	db.close();
});

test('odd inputs: escape codes in names, symlink loops, a decompression bomb, an unreadable file', async () => {
	const {root} = await sampleLibrary();
	const original = fs.readdirSync(path.join(root, 'colors'))[0]!;
	const evil = `evil\u001B[31mred\u0007\nname.jpg`;
	fs.copyFileSync(path.join(root, 'colors', original), path.join(root, evil));
	fs.symlinkSync('..', path.join(root, 'colors', 'loop'));
	fs.writeFileSync(path.join(root, 'bomb.png'), pngHeaderOnly(100_000, 100_000));
	fs.writeFileSync(path.join(root, 'locked.jpg'), fs.readFileSync(path.join(root, 'colors', original)));
	fs.chmodSync(path.join(root, 'locked.jpg'), 0o000);

	const result = await runCli(['scan', root, '--follow-symlinks']);
	assert.equal(result.code, 0, result.stderr);
	assert.doesNotMatch(result.stdout + result.stderr, /\u001B\[31m|\u0007/, 'raw escape codes never reach the terminal');
	const {json} = await runJson(['scan', root, '--json', '--force']);
	const errors = new Map<string, string>(json.errors.map((error: {path: string; error: string}) => [error.path, error.error]));
	assert.match(errors.get('bomb.png') ?? '', /limit|bomb/i);
	if (process.getuid?.() === 0) {
		// Root reads any file; the permission case can only be checked as an ordinary user.
		assert.equal(errors.has('locked.jpg'), false);
	} else {
		assert.match(errors.get('locked.jpg') ?? '', /permission denied/);
	}

	const rows = catalogRows(root);
	assert.ok(rows.has(evil), 'the odd name is catalogued as it is');
	assert.ok(![...rows.keys()].some(key => key.includes('loop/')), 'the symlink loop is visited once');
});

test('a second writer is refused with the pid of the first', async () => {
	const {root} = await sampleLibrary();
	await scan(root);
	// A real writer holding the lock for as long as the test needs (a scan of the sample library is too quick to race).
	const holder = spawn(
		process.execPath,
		['--import', 'tsx', '-e', `import('${path.resolve(import.meta.dirname, '../../source/library.ts')}').then(m => { m.lockLibrary(m.libraryAt(${JSON.stringify(root)})); console.log('locked'); setTimeout(() => {}, 60000); })`],
		{stdio: ['ignore', 'pipe', 'inherit']},
	);
	const closed = new Promise(resolve => holder.on('close', resolve));
	await new Promise(resolve => holder.stdout.once('data', resolve));
	const second = await runCli(['scan', root, '--json']);
	holder.kill('SIGKILL');
	await closed;
	assert.equal(second.code, 3);
	assert.match(second.stderr, new RegExp(`library is busy \\(pid ${holder.pid}\\)`));
	assert.equal(second.stdout, '');
});

/** A PNG whose header claims huge dimensions over a tiny body: what a decompression bomb looks like to a decoder. */
function pngHeaderOnly(width: number, height: number): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(zlib.crc32(body) >>> 0);
		return Buffer.concat([length, body, crc]);
	};

	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 1; // Bit depth
	ihdr[9] = 0; // Greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

test('videos are catalogued as media: hash and metadata, no pixels, no error', async () => {
	const {root} = await sampleLibrary();
	const box = (type: string, body: Buffer) => {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(8 + body.length);
		header.write(type, 4, 'ascii');
		return Buffer.concat([header, body]);
	};

	// A minimal ISO BMFF file: ftyp (isom) and an empty mdat, as a camera's MP4 starts.
	const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41')]));
	fs.writeFileSync(path.join(root, 'clip.mp4'), Buffer.concat([ftyp, box('free', Buffer.alloc(0)), box('mdat', Buffer.alloc(64))]));
	const summary = await scan(root);
	assert.equal(summary.errors.some(error => error.path === 'clip.mp4'), false);
	const row = catalogRows(root).get('clip.mp4')!;
	assert.equal(row.kind, 'video');
	assert.equal(row.format, 'mp4');
	assert.match(row.sha256!, /^[\da-f]{64}$/);
	assert.equal(row.phash, null);
	assert.equal(row.takenAtSource, 'mtime');
});

test('XMP sidecars win over the file on a rescan: what review or curate edit wrote is kept, Lightroom names too', async () => {
	const {root} = await sampleLibrary();
	const first = await runCli(['scan', root, '--json'], {cwd: root});
	assert.equal(first.code, 0, first.stderr);
	const photo = '2021/2021-07-14/IMG_0003.jpg';
	const {json: before} = await runJson(['show', photo, '--json'], {cwd: root});
	const edit = await runCli(['edit', photo, '--add-keyword', 'sidecar-word', '--rating', '2', '--json'], {cwd: root});
	assert.equal(edit.code, 0, edit.stderr);
	assert.ok(fs.existsSync(path.join(root, `${photo}.xmp`)));

	const rescan = await runCli(['scan', root, '--force', '--json'], {cwd: root});
	assert.equal(rescan.code, 0, rescan.stderr);
	const {json: after} = await runJson(['show', photo, '--json'], {cwd: root});
	assert.deepEqual(after.keywords, [...before.keywords, 'sidecar-word']);
	assert.equal(after.rating, 2);
	assert.equal(after.takenAt, before.takenAt, 'fields the sidecar does not hold stay the file\'s own');

	// Lightroom's IMG_1.xmp beside IMG_1.jpg is read the same way.
	const other = '2019/2019-05-03 Paris/DSC_0412.jpg';
	fs.writeFileSync(
		path.join(root, '2019/2019-05-03 Paris/DSC_0412.xmp'),
		'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"/></rdf:RDF></x:xmpmeta>',
	);
	const third = await runCli(['scan', root, '--force', '--json'], {cwd: root});
	assert.equal(third.code, 0, third.stderr);
	const {json: lightroom} = await runJson(['show', other, '--json'], {cwd: root});
	assert.equal(lightroom.rating, 5);
});

test('cd LIB/folder && curate scan scans that folder of LIB: no nested library, nothing elsewhere marked missing', async () => {
	const {root} = await sampleLibrary();
	const first = await runJson(['scan', root, '--json']);
	assert.equal(first.result.code, 0, first.result.stderr);
	const rows = catalogRows(root);
	const inside = [...rows.keys()].find(key => key.startsWith('2019/'))!;
	const folder = path.posix.dirname(inside);
	const outside = [...rows.keys()].find(key => key.startsWith('colors/'))!;
	// A file outside the folder vanishes: only a scan of the whole library may call it missing.
	fs.rmSync(path.join(root, outside));
	// A file moves from outside into the folder: still the same row, found by its content.
	const traveller = [...rows.keys()].find(key => key.startsWith('burst/'))!;
	fs.renameSync(path.join(root, traveller), path.join(root, folder, 'moved-in.jpg'));

	const {result, json} = await runJson(['scan', '--json'], {cwd: path.join(root, folder)});
	assert.equal(result.code, 0, result.stderr);
	assert.equal(fs.existsSync(path.join(root, folder, '.curate')), false, 'no library is created inside the library');
	assert.equal(json.root, root);
	assert.equal(json.folder, folder);
	assert.equal(json.files, [...rows.keys()].filter(key => key.startsWith(`${folder}/`)).length + 1);
	assert.equal(json.missing, 0);
	assert.equal(json.moved, 1);
	assert.equal(json.added, 0);
	const after = catalogRows(root);
	assert.equal(after.get(outside)?.status, 'present', 'a folder scan leaves the rest of the library alone');
	assert.equal(after.get(`${folder}/moved-in.jpg`)?.id, rows.get(traveller)!.id);

	// A DIR argument inside the library is the same folder scan; the text names the folder.
	const text = await runCli(['scan', folder], {cwd: root});
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, new RegExp(`under ${folder}`));
	assert.equal(fs.existsSync(path.join(root, folder, '.curate')), false);

	// The whole library, scanned from its root, does see the vanished file.
	const {json: whole} = await runJson(['scan', '--json'], {cwd: root});
	assert.equal(whole.missing, 1);

	// A library inside another only when asked for by name.
	const nested = await runJson(['scan', folder, '--new-library', '--json'], {cwd: root});
	assert.equal(nested.result.code, 0, nested.result.stderr);
	assert.equal(nested.json.root, path.join(root, folder));
	assert.ok(fs.existsSync(path.join(root, folder, '.curate', 'catalog.db')));

	// The catalog's own folder is not a folder of photos.
	const inCurate = await runCli(['scan'], {cwd: path.join(root, '.curate')});
	assert.equal(inCurate.code, 2);
	assert.match(inCurate.stderr, /^curate: .*\.curate, which scan skips/m);
});

test('a no-change rescan says how many files are still unreadable instead of "0 errors"', async () => {
	const {root} = await sampleLibrary();
	const first = await runJson(['scan', root, '--json']);
	const unreadable = first.json.errors.length;
	assert.ok(unreadable > 0, 'the sample library has broken files');
	const {json} = await runJson(['scan', root, '--json']);
	assert.equal(json.errors.length, 0);
	assert.equal(json.stillUnreadable, unreadable);
	const text = await runCli(['scan', root]);
	assert.match(text.stdout, new RegExp(`0 new errors, ${unreadable} files still unreadable \\(curate status lists them\\)`));
});

test('after verify finds a flipped byte, scan --force reports it damaged and keeps its SHA-256 until --accept', async () => {
	const {root} = await sampleLibrary();
	await runJson(['scan', root, '--json']);
	const target = [...catalogRows(root).values()].find(row => row.path.startsWith('2019/') && !row.error)!;
	const absolute = path.join(root, target.path);
	const {mtime, atime} = fs.statSync(absolute);
	const bytes = fs.readFileSync(absolute);
	bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
	fs.writeFileSync(absolute, bytes);
	fs.utimesSync(absolute, atime, mtime);

	const verify = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual(verify.json.damaged.map((finding: {path: string}) => finding.path), [target.path]);

	const {result, json} = await runJson(['scan', root, '--force', '--json']);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(json.damaged.map((file: {path: string}) => file.path), [target.path]);
	assert.match(json.damaged[0].error, /bit rot/);
	assert.equal(json.updated, json.files - 1, 'every other file is read again as usual');
	assert.equal(catalogRows(root).get(target.path)!.sha256, target.sha256, 'the damaged bytes are not adopted');
	const status = await runJson(['status', '--json'], {cwd: root});
	assert.equal(status.json.knownDamaged, 1, 'status still knows the damage');
	const again = await runJson(['verify', '--json'], {cwd: root});
	assert.equal(again.json.damaged.length, 1, 'verify after the scan still finds the damage');
	const text = await runCli(['scan', root]);
	assert.match(text.stdout, /1 still damaged/);

	// The user says the new bytes are right.
	const accepted = await runJson(['scan', '--accept', target.path, '--json'], {cwd: root});
	assert.equal(accepted.result.code, 0, accepted.result.stderr);
	assert.equal(accepted.json.damaged.length, 0);
	assert.equal(accepted.json.updated, 1);
	assert.equal(catalogRows(root).get(target.path)!.sha256, createHash('sha256').update(bytes).digest('hex'));
	const cleared = await runJson(['status', '--json'], {cwd: root});
	assert.equal(cleared.json.knownDamaged, 0);
	const bad = await runCli(['scan', '--accept', 'no/such.jpg'], {cwd: root});
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /^curate: cannot accept no\/such\.jpg: no such photo/m);
});

test('a file whose size or mtime changed too is an ordinary update, not damage', async () => {
	const {root} = await sampleLibrary();
	await scan(root);
	const target = [...catalogRows(root).values()].find(row => row.path.startsWith('2019/') && !row.error)!;
	const absolute = path.join(root, target.path);
	const bytes = fs.readFileSync(absolute);
	bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
	fs.writeFileSync(absolute, bytes);
	const later = new Date(fs.statSync(absolute).mtimeMs + 5000);
	fs.utimesSync(absolute, later, later);
	const summary = await scan(root);
	assert.equal(summary.damaged.length, 0);
	assert.equal(summary.updated, 1);
	assert.notEqual(catalogRows(root).get(target.path)!.sha256, target.sha256);
});

test('Ctrl-C during a scan prints that it was interrupted, what was kept, and that the next scan carries on', {skip: needsTmux}, async () => {
	const {root} = await sampleLibrary();
	const session = tmuxSession('scan-ctrl-c', 120, 30);
	try {
		session.run(`cd ${JSON.stringify(root)} && node --import ${tsxLoader} ${cliEntry} scan --concurrency 1; echo "exit=$?"`);
		const running = await session.waitFor(/\d+\/\d+ files/, 60_000);
		assert.match(running, /\d+\/\d+ files/, running);
		session.keys('C-c');
		const screen = await session.waitFor(/exit=\d+/, 30_000);
		assert.match(screen, /exit=130/, screen);
		assert.match(screen.replaceAll('\n', ''), /Interrupted: \d+ of \d+ files to read were read and kept in the catalog; run the same scan again and it carries on from there\./, screen);
	} finally {
		session.kill();
	}

	const {json} = await runJson(['scan', root, '--json']);
	assert.ok(json.unchanged > 0, 'what the interrupted scan read is kept');
});
