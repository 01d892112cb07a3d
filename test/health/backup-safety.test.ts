import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import sharp from 'sharp';
import {endExiftool} from '../../source/adapters/exif.js';
import {backupLibrary} from '../../source/health/backup.js';
import {readManifest} from '../../source/health/backup-manifest.js';
import {verifyLibrary} from '../../source/health/verify.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {cliEntry, runCli, runJson, tsxLoader} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {scanRoot, withCatalog} from '../helpers/scanned.js';
import {fillUntil, needsSmallFs, smallFs} from '../helpers/small-fs.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every file under `dir` (dotfiles and `.curate` included) with its SHA-256. */
function hashTree(dir: string): Record<string, string> {
	const result: Record<string, string> = {};
	const visit = (folder: string) => {
		for (const entry of fs.readdirSync(folder, {withFileTypes: true})) {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) {
				visit(full);
			} else {
				result[path.relative(dir, full)] = sha(full);
			}
		}
	};

	visit(dir);
	return result;
}

/** Every name under `dir` that is one of Curate's temporary files. */
function temporaries(dir: string): string[] {
	return fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter(name => /curate-tmp|\.tmp-\d+$/.test(path.basename(name)));
}

/** Flips one byte of a file and puts its mtime back, as a decaying sector would. */
function rot(file: string): void {
	const stat = fs.statSync(file);
	const bytes = fs.readFileSync(file);
	bytes[100] ^= 0x01;
	fs.writeFileSync(file, bytes);
	fs.utimesSync(file, stat.atimeMs / 1000, stat.mtimeMs / 1000);
}

/** A real JPEG of noise (noise does not compress well), `side` pixels square at quality 100. */
async function noiseJpeg(file: string, side: number): Promise<void> {
	fs.mkdirSync(path.dirname(file), {recursive: true});
	await sharp({create: {width: side, height: side, channels: 3, background: '#808080', noise: {type: 'gaussian', mean: 128, sigma: 60}}})
		.jpeg({quality: 100})
		.toFile(file);
}

/** A small scanned library: a few real photos of the sample library, plus `extra` files written by the caller. */
async function smallLibrary(extra: (root: string) => Promise<void> | void = () => {}): Promise<string> {
	const sample = await sampleLibrary();
	const root = path.join(tempDir(), 'library');
	for (const name of ['2021/2021-07-14/IMG_0004.jpg', '2024/IMG_2041.jpg', 'colors/red.jpg']) {
		fs.mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
		fs.copyFileSync(path.join(sample.root, name), path.join(root, name));
	}

	await extra(root);
	await scanRoot(root);
	return root;
}

const photo = '2021/2021-07-14/IMG_0004.jpg';

test('backup --to another library, a folder inside one, or a folder holding this library is refused, and that library stays byte-identical', async () => {
	const root = await smallLibrary();
	const other = await smallLibrary();
	// This library's copy rotted; the other library's copy is intact (the case that once replaced the good one).
	rot(path.join(root, photo));
	await runCli(['verify'], {cwd: root});
	const before = hashTree(other);
	const parent = path.dirname(root);
	for (const [target, message] of [
		[other, /is a Curate library \(it holds \.curate\)/],
		[path.join(other, 'backups/today'), /is inside the Curate library/],
		[path.join(other, '2021'), /is inside the Curate library/],
		[parent, /the library .* is inside the backup target/],
	] as const) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(['backup', '--to', target], {cwd: root});
		assert.equal(result.code, 2, `${target}: ${result.stdout}${result.stderr}`);
		assert.match(result.stderr, message);
		assert.equal(result.stderr.trim().split('\n').length, 1, 'one clear line');
		// eslint-disable-next-line no-await-in-loop
		const dry = await runCli(['backup', '--to', target, '--dry-run'], {cwd: root});
		assert.equal(dry.code, 2, 'a dry run is refused too');
	}

	assert.deepEqual(hashTree(other), before, 'not one byte of the other library changed');
	assert.equal(fs.existsSync(path.join(other, 'backups')), false, 'no folder made in it');
});

test('a backup never replaces the good backed-up copy of a photo verify found damaged, and says so', async () => {
	const root = await smallLibrary();
	const target = path.join(tempDir(), 'backup');
	await withCatalog(root, async catalog => backupLibrary(libraryAt(root), catalog, target));
	const good = sha(path.join(target, photo));
	rot(path.join(root, photo));
	const verified = await runCli(['verify'], {cwd: root});
	assert.equal(verified.code, 1, `verify finds the damage first: ${verified.stdout}${verified.stderr}`);
	// The backup's copy no longer looks as the manifest recorded it (touched by a sync tool), so it is not skipped by stat.
	fs.utimesSync(path.join(target, photo), new Date(), new Date(Date.now() - 86_400_000));
	const {result, json} = await runJson(['backup', '--to', target, '--json'], {cwd: root});
	assert.equal(result.code, 1);
	assert.deepEqual(json.damaged, [photo]);
	assert.equal(sha(path.join(target, photo)), good, 'the good copy stays');
	assert.equal(json.movedAsideTo, null, 'nothing replaced');
	const text = await runCli(['backup', '--to', target], {cwd: root});
	assert.match(text.stdout, /1 damaged files .* not backed up.*curate restore --damaged --from/s);

	const fresh = path.join(tempDir(), 'fresh');
	const first = await runJson(['backup', '--to', fresh, '--json'], {cwd: root});
	assert.deepEqual(first.json.damaged, [photo]);
	assert.equal(fs.existsSync(path.join(fresh, photo)), false, 'the damaged bytes are not copied into a new backup either');
});

test('files with 255-byte names, newlines and non-UTF-8 names back up without ENAMETOOLONG', async () => {
	const long = `${'l'.repeat(251)}.jpg`;
	const newline = 'new\nline.jpg';
	const latin1 = Buffer.from('caf\u00E9-latin1.jpg', 'latin1');
	const root = await smallLibrary(root => {
		const source = path.join(root, 'colors/red.jpg');
		fs.copyFileSync(source, path.join(root, long));
		fs.copyFileSync(source, path.join(root, newline));
		fs.copyFileSync(source, Buffer.concat([Buffer.from(root + '/'), latin1]));
		fs.writeFileSync(path.join(root, `${'s'.repeat(251)}.xmp`), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
	});
	assert.equal(Buffer.byteLength(long), 255);
	const present = withCatalog(root, catalog => catalog.allPresent());
	assert.ok(present.some(file => file.path === long), 'the scan catalogues the 255-byte name');
	assert.ok(present.some(file => file.path === newline), 'and the name with a newline');
	const target = path.join(tempDir(), 'backup');
	const report = await withCatalog(root, async catalog => backupLibrary(libraryAt(root), catalog, target));
	assert.deepEqual(report.errors, []);
	for (const file of present) {
		assert.equal(sha(path.join(target, file.path)), file.sha256, file.path);
	}

	assert.equal(fs.readFileSync(path.join(target, `${'s'.repeat(251)}.xmp`), 'utf8'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
	assert.deepEqual(temporaries(target), []);
	const check = await withCatalog(root, async catalog => verifyLibrary(libraryAt(root), catalog, {backup: target}));
	assert.deepEqual([check.damaged, check.missing, check.modified, check.unreadable], [[], [], [], []]);
});

test('a backup into a disk too small for it says the disk is full in one line, before writing, and leaves the earlier backup valid', {skip: needsSmallFs}, async () => {
	const root = await smallLibrary();
	const disk = smallFs(4 * 1024 * 1024);
	try {
		const target = path.join(disk.dir, 'backup');
		const first = await runCli(['backup', '--to', target], {cwd: root});
		assert.equal(first.code, 0, first.stderr);
		const manifest = fs.readFileSync(path.join(target, '.curate-backup/manifest.json'), 'utf8');

		await noiseJpeg(path.join(root, 'big/noise.jpg'), 2500);
		await scanRoot(root);
		const full = await runCli(['backup', '--to', target], {cwd: root});
		assert.equal(full.code, 1, full.stdout + full.stderr);
		assert.match(full.stderr, /^curate: the disk holding .* is full \([\d.]+ MB free, about [\d.]+ MB needed\)\n$/);
		assert.equal(fs.existsSync(path.join(target, 'big')), false, 'nothing started');
		assert.deepEqual(temporaries(target), []);
		assert.equal(fs.readFileSync(path.join(target, '.curate-backup/manifest.json'), 'utf8'), manifest, 'the manifest is as it was');
		const verify = await runJson(['verify', '--backup', target, '--json'], {cwd: root});
		assert.deepEqual(verify.json.missing.map((finding: any) => finding.path), ['big/noise.jpg'], 'verify --backup still reads the target as a backup');
		assert.deepEqual(verify.json.damaged, []);
	} finally {
		disk.release();
	}
});

test('a disk that fills up during a backup: the disk-full line, no temporary files, and a manifest verify --backup accepts', {skip: needsSmallFs}, async () => {
	const root = await smallLibrary();
	const disk = smallFs(8 * 1024 * 1024);
	try {
		const target = path.join(disk.dir, 'backup');
		let filled = false;
		await assert.rejects(
			withCatalog(root, async catalog =>
				backupLibrary(libraryAt(root), catalog, target, {}, progress => {
					// Something else fills the disk once the run has checked the free space and started copying.
					if (!filled && progress.done === 1) {
						filled = true;
						fillUntil(disk.dir, 0);
					}
				})),
			/the disk holding .* is full \([\d.]+ MB free, about [\d.]+ MB needed\)/,
		);
		assert.ok(filled);
		assert.deepEqual(temporaries(target), [], 'no temporary copy or manifest left');
		const manifest = readManifest(target);
		assert.equal(manifest.library, root, 'a complete manifest under its final name');
		fs.rmSync(path.join(disk.dir, '.filler'));
		const verify = await runJson(['verify', '--backup', target, '--json'], {cwd: root});
		assert.deepEqual([verify.json.damaged, verify.json.unreadable], [[], []], 'what was copied is intact');
		assert.equal(verify.json.target, 'backup');
	} finally {
		disk.release();
	}
});

test('a backup killed mid-copy leaves temporary files that the next run removes and reports', async () => {
	const root = await smallLibrary(async root => {
		for (let index = 0; index < 4; index++) {
			// eslint-disable-next-line no-await-in-loop
			await noiseJpeg(path.join(root, `big/noise-${index}.jpg`), 3000);
		}
	});
	const target = path.join(tempDir(), 'backup');
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'backup', '--to', target], {cwd: root, stdio: 'ignore'});
	let caught: string[] = [];
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline && child.exitCode === null) {
		caught = fs.existsSync(path.join(target, 'big')) ? fs.readdirSync(path.join(target, 'big')).filter(name => name.startsWith('.curate-tmp-')) : [];
		if (caught.length > 0) {
			child.kill('SIGKILL');
			break;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => setTimeout(resolve, 2));
	}

	await new Promise(resolve => {
		if (child.exitCode === null && child.signalCode === null) {
			child.once('exit', resolve);
		} else {
			resolve(undefined);
		}
	});
	assert.equal(child.signalCode, 'SIGKILL', 'killed while a copy was under way');
	assert.ok(temporaries(target).length > 0, 'the kill left its temporary copy');
	// And a leftover of the older naming, from a process long gone.
	fs.mkdirSync(path.join(target, '2024'), {recursive: true});
	fs.writeFileSync(path.join(target, '2024/.IMG_2041.jpg.curate-tmp-99999999'), 'partial');

	const {result, json} = await runJson(['backup', '--to', target, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.ok(json.leftoversRemoved.includes('2024/.IMG_2041.jpg.curate-tmp-99999999'));
	assert.ok(json.leftoversRemoved.some((file: string) => file.startsWith('big/.curate-tmp-')), JSON.stringify(json.leftoversRemoved));
	assert.deepEqual(temporaries(target), []);
	assert.deepEqual(json.extra, [], 'leftovers are not counted as extra files');
	const check = await withCatalog(root, async catalog => verifyLibrary(libraryAt(root), catalog, {backup: target}));
	assert.deepEqual([check.ok, check.damaged, check.missing], [check.checked, [], []]);
});
