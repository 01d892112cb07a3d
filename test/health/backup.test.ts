import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import Database from 'better-sqlite3';
import {endExiftool} from '../../source/adapters/exif.js';
import {backupLibrary} from '../../source/health/backup.js';
import {verifyLibrary} from '../../source/health/verify.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {scannedSampleLibrary, scanRoot, withCatalog} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const backup = async (root: string, target: string, options = {}) => withCatalog(root, async catalog => backupLibrary(libraryAt(root), catalog, target, options));

test('a backup mirrors masters, sidecars and a catalog snapshot; a rerun copies nothing', async () => {
	const {root} = await scannedSampleLibrary();
	fs.writeFileSync(path.join(root, '2024/IMG_2041.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
	fs.mkdirSync(path.join(root, '.curate/trash/batch-1'), {recursive: true});
	fs.writeFileSync(path.join(root, '.curate/trash/batch-1/old.jpg'), 'trashed');
	const target = path.join(tempDir(), 'backup');
	const {result, json} = await runJson(['backup', '--to', target, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	const present = withCatalog(root, catalog => catalog.allPresent());
	assert.equal(json.copied, present.length + 1);
	assert.equal(json.sidecars, 1);
	for (const file of present) {
		assert.equal(sha(path.join(target, file.path)), file.sha256 ?? sha(path.join(root, file.path)), file.path);
		assert.equal(Math.trunc(fs.statSync(path.join(target, file.path)).mtimeMs), file.mtimeMs, 'mtime kept');
	}

	assert.equal(fs.readFileSync(path.join(target, '2024/IMG_2041.xmp'), 'utf8'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
	assert.equal(fs.existsSync(path.join(target, '.curate')), false, 'trash and thumbnails are not backed up');
	const snapshot = new Database(path.join(target, '.curate-backup/catalog.db'), {readonly: true});
	assert.equal((snapshot.prepare("SELECT count(*) AS n FROM files WHERE status = 'present'").get() as any).n, present.length);
	snapshot.close();

	const again = await backup(root, target);
	assert.deepEqual([again.copied, again.unchanged, again.errors], [0, present.length + 1, []]);
	const check = await withCatalog(root, async catalog => verifyLibrary(libraryAt(root), catalog, {backup: target}));
	assert.deepEqual([check.ok, check.damaged, check.missing], [check.checked, [], []]);
});

test('changed files replace their backup copy only after it is moved aside; damaged sources are refused; extras need --prune', async () => {
	const {root} = await scannedSampleLibrary();
	const target = path.join(tempDir(), 'backup');
	await backup(root, target);

	const edited = '2024/IMG_2041.jpg';
	const oldCopy = fs.readFileSync(path.join(target, edited));
	fs.appendFileSync(path.join(root, edited), 'edited');
	fs.utimesSync(path.join(root, edited), new Date(), new Date(Date.now() + 5000));
	const rotted = '2021/2021-07-14/IMG_0004.jpg';
	const goodCopy = fs.readFileSync(path.join(target, rotted));
	const stat = fs.statSync(path.join(root, rotted));
	const bytes = fs.readFileSync(path.join(root, rotted));
	bytes[100] ^= 0x01;
	fs.writeFileSync(path.join(root, rotted), bytes);
	fs.utimesSync(path.join(root, rotted), stat.atimeMs / 1000, stat.mtimeMs / 1000);
	fs.renameSync(path.join(root, 'colors/red.jpg'), path.join(tempDir(), 'red.jpg'));
	await scanRoot(root);

	const second = await backup(root, target);
	assert.equal(second.copied, 1);
	assert.equal(second.replaced, 1);
	// Unchanged in the catalog (same size and mtime), so the backup does not re-read it: finding rot is verify's job.
	assert.deepEqual(second.errors, []);
	assert.deepEqual(fs.readFileSync(path.join(target, rotted)), goodCopy, 'a rotted source never replaces a good copy');
	// Into a fresh target it must be copied, and the copy's hash gives the rot away: refused, nothing left behind.
	const fresh = path.join(tempDir(), 'fresh');
	const first = await backup(root, fresh);
	assert.deepEqual(first.errors.map(error => error.path), [rotted]);
	assert.match(first.errors[0]!.error, /changed since the last scan/);
	assert.deepEqual(fs.readdirSync(path.join(fresh, path.dirname(rotted))).filter(name => name.includes('IMG_0004')), []);
	assert.equal(sha(path.join(target, edited)), sha(path.join(root, edited)));
	assert.deepEqual(fs.readFileSync(path.join(second.movedAsideTo!, 'replaced', edited)), oldCopy, 'the older version is kept');
	assert.deepEqual(second.extra, ['colors/red.jpg']);
	assert.ok(fs.existsSync(path.join(target, 'colors/red.jpg')), 'not deleted without --prune');

	const dry = await backup(root, target, {prune: true, dryRun: true});
	assert.deepEqual([dry.pruned, dry.toCopy], [0, []]);
	assert.ok(fs.existsSync(path.join(target, 'colors/red.jpg')));

	const pruned = await backup(root, target, {prune: true});
	assert.equal(pruned.pruned, 1);
	assert.equal(fs.existsSync(path.join(target, 'colors/red.jpg')), false);
	assert.ok(fs.existsSync(path.join(pruned.movedAsideTo!, 'pruned/colors/red.jpg')), 'pruned files are moved aside, not unlinked');

	// A copy in the backup damaged later is found by verify --backup.
	const copy = path.join(target, '2022/20220319_142210.jpg');
	const copyStat = fs.statSync(copy);
	const copyBytes = fs.readFileSync(copy);
	copyBytes[200] ^= 0x01;
	fs.writeFileSync(copy, copyBytes);
	fs.utimesSync(copy, copyStat.atimeMs / 1000, copyStat.mtimeMs / 1000);
	const {result, json} = await runJson(['verify', '--backup', target, '--json'], {cwd: root});
	assert.equal(result.code, 1);
	assert.deepEqual(json.damaged.map((finding: any) => finding.path), ['2022/20220319_142210.jpg']);
	assert.equal(json.target, 'backup');
});

test('a target inside the library, or holding another library, is refused', async () => {
	const {root} = await scannedSampleLibrary();
	const inside = await runCli(['backup', '--to', path.join(root, 'backup-here')], {cwd: root});
	assert.equal(inside.code, 2);
	assert.match(inside.stderr, /inside the library/);
	assert.equal(fs.existsSync(path.join(root, 'backup-here')), false);
	const target = tempDir();
	fs.mkdirSync(path.join(target, '.curate-backup'));
	fs.writeFileSync(path.join(target, '.curate-backup/manifest.json'), JSON.stringify({version: 1, library: '/some/other/library', updatedAt: '', files: {}}));
	await assert.rejects(backup(root, target), /backup of another library/);
});
