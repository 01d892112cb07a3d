import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {HealthStore} from '../../source/db/health.js';
import {backupLibrary} from '../../source/health/backup.js';
import {libraryAt} from '../../source/library.js';
import {closeDecoders} from '../../source/media/decode.js';
import {runCli, runJson} from '../helpers/cli.js';
import {sampleLibrary} from '../helpers/sample-library.js';
import {scannedSampleLibrary, scanRoot, withCatalog} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Flips one byte of a file and puts its mtime back, as a decaying sector would. */
function rot(file: string, at = 100): void {
	const stat = fs.statSync(file);
	const bytes = fs.readFileSync(file);
	bytes[Math.min(at, bytes.length - 1)] ^= 0x01;
	fs.writeFileSync(file, bytes);
	fs.utimesSync(file, stat.atimeMs / 1000, stat.mtimeMs / 1000);
}

/** A scanned sample library with a verified backup of it. */
async function libraryWithBackup(): Promise<{root: string; target: string}> {
	const {root} = await scannedSampleLibrary();
	const target = path.join(tempDir(), 'backup');
	await withCatalog(root, async catalog => backupLibrary(libraryAt(root), catalog, target));
	return {root, target};
}

const rotted = '2021/2021-07-14/IMG_0004.jpg';

test('restore --damaged brings back the catalogued bytes of a rotted photo, and undo takes the restore back', async () => {
	const {root, target} = await libraryWithBackup();
	const good = sha(path.join(root, rotted));
	rot(path.join(root, rotted));
	const damaged = sha(path.join(root, rotted));
	const found = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual(found.json.damaged.map((finding: any) => finding.path), [rotted]);

	const {result, json} = await runJson(['restore', '--damaged', '--from', target, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(json.restored.map((file: any) => [file.path, file.was]), [[rotted, 'damaged']]);
	assert.equal(sha(path.join(root, rotted)), good, 'the catalogued bytes are back');
	const trashed = path.join(root, '.curate/trash', String(json.batch), rotted);
	assert.equal(sha(trashed), damaged, 'the damaged copy went to the trash, not away');
	assert.equal(Math.trunc(fs.statSync(path.join(root, rotted)).mtimeMs), withCatalog(root, catalog => catalog.fileByPath(rotted)!.mtimeMs), 'the file time is the catalogued one');
	const again = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual([again.json.damaged, again.json.missing, again.json.modified], [[], [], []]);
	assert.equal(again.result.code, 0);
	assert.deepEqual(fs.readdirSync(path.join(root, path.dirname(rotted))).filter(name => name.startsWith('.curate-')), [], 'no temporary name left beside it');

	const undo = await runCli(['undo'], {cwd: root});
	assert.equal(undo.code, 0, undo.stderr);
	assert.equal(sha(path.join(root, rotted)), damaged, 'undo put the damaged file back');
	const restoredInTrash = fs.readdirSync(path.join(root, '.curate/trash', String(json.batch), path.dirname(rotted)));
	assert.ok(restoredInTrash.map(name => sha(path.join(root, '.curate/trash', String(json.batch), path.dirname(rotted), name))).includes(good), 'the restored copy is in the trash');
	const afterUndo = await runJson(['verify', '--json'], {cwd: root});
	assert.deepEqual(afterUndo.json.damaged.map((finding: any) => finding.path), [rotted], 'verify finds the damage again');
});

test('restore never overwrites an intact file: it says so and changes nothing', async () => {
	const {root, target} = await libraryWithBackup();
	const file = path.join(root, rotted);
	const before = fs.statSync(file);
	const {result, json} = await runJson(['restore', rotted, '--from', target, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(json.restored, []);
	assert.equal(json.batch, null);
	assert.match(json.skipped[0].reason, /intact/);
	assert.equal(fs.statSync(file).ino, before.ino, 'the very same file is still there');
	const journal = await runJson(['journal', '--json'], {cwd: root});
	assert.equal(JSON.stringify(journal.json).includes('restore'), false, 'no batch was recorded');
	const text = await runCli(['restore', rotted, '--from', target], {cwd: root});
	assert.match(text.stdout, /intact/);
});

test('restore --missing copies a missing photo back to its catalogued path and undo takes it back', async () => {
	const {root, target} = await libraryWithBackup();
	const gone = 'colors/red.jpg';
	const good = sha(path.join(root, gone));
	fs.rmSync(path.join(root, gone));
	const scan = await runCli(['scan'], {cwd: root});
	assert.equal(scan.code, 0, scan.stderr);

	const dry = await runJson(['restore', '--missing', '--from', target, '--dry-run', '--json'], {cwd: root});
	assert.deepEqual(dry.json.restored.map((file: any) => [file.path, file.was]), [[gone, 'missing']]);
	assert.equal(fs.existsSync(path.join(root, gone)), false, 'a dry run changes nothing');

	const {result, json} = await runJson(['restore', '--missing', '--from', target, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.equal(sha(path.join(root, gone)), good);
	const row = withCatalog(root, catalog => new HealthStore(catalog).cataloguedFile(gone));
	assert.equal(row?.status, 'present', 'the catalog has it present again');

	const undo = await runCli(['undo'], {cwd: root});
	assert.equal(undo.code, 0, undo.stderr);
	assert.equal(fs.existsSync(path.join(root, gone)), false);
	const trash = path.join(root, '.curate/trash', String(json.batch), path.dirname(gone));
	assert.ok(fs.readdirSync(trash).some(name => sha(path.join(trash, name)) === good), 'undo put the restored copy in the trash');
});

test('restore from a folder that is not a backup, or without saying what, is refused with one line', async () => {
	const {root} = await scannedSampleLibrary();
	const notBackup = await runCli(['restore', '--damaged', '--from', tempDir()], {cwd: root});
	assert.equal(notBackup.code, 2);
	assert.match(notBackup.stderr, /^curate: .* is not a backup made by curate backup/);
	assert.equal(notBackup.stderr.trim().split('\n').length, 1);
	const nothing = await runCli(['restore', '--from', tempDir()], {cwd: root});
	assert.equal(nothing.code, 2);
	assert.match(nothing.stderr, /PATH…, --damaged or --missing/);
	const unknown = await runCli(['restore', 'no/such.jpg', '--from', tempDir()], {cwd: root});
	assert.equal(unknown.code, 2);
});

test('a damaged photo whose backup copy is damaged too is reported as not in the backup, and nothing changes', async () => {
	const {root, target} = await libraryWithBackup();
	rot(path.join(root, rotted));
	rot(path.join(target, rotted), 300);
	const damaged = sha(path.join(root, rotted));
	const verified = await runCli(['verify'], {cwd: root});
	assert.equal(verified.code, 1, `verify finds the damage first: ${verified.stdout}${verified.stderr}`);
	const {result, json} = await runJson(['restore', '--damaged', '--from', target, '--json'], {cwd: root});
	assert.equal(result.code, 1);
	assert.deepEqual(json.notInBackup.map((file: any) => file.path), [rotted]);
	assert.equal(json.batch, null);
	assert.equal(sha(path.join(root, rotted)), damaged, 'left as it was');
});

test('restore --help prints help and restores nothing', async () => {
	const {root, target} = await libraryWithBackup();
	rot(path.join(root, rotted));
	const damaged = sha(path.join(root, rotted));
	await runCli(['verify'], {cwd: root});
	const help = await runCli(['restore', '--help'], {cwd: root});
	assert.equal(help.code, 0);
	assert.match(help.stdout, /curate restore PATH…\|--damaged\|--missing --from BACKUP_DIR/);
	assert.equal(sha(path.join(root, rotted)), damaged);
	assert.ok(fs.existsSync(target));
});

test('photos with 255-byte names are restored, damaged or missing, without ENAMETOOLONG', async () => {
	const sample = await sampleLibrary();
	const root = path.join(tempDir(), 'library');
	const long = (letter: string) => `${letter.repeat(251)}.jpg`;
	fs.mkdirSync(root);
	for (const letter of ['d', 'm']) {
		fs.copyFileSync(path.join(sample.root, rotted), path.join(root, long(letter)));
	}

	await scanRoot(root);
	const target = path.join(tempDir(), 'backup');
	await withCatalog(root, async catalog => backupLibrary(libraryAt(root), catalog, target));
	const good = sha(path.join(root, long('d')));
	rot(path.join(root, long('d')));
	fs.rmSync(path.join(root, long('m')));
	const {result, json} = await runJson(['restore', long('d'), long('m'), '--from', target, '--json'], {cwd: root});
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(json.restored.map((file: any) => file.was), ['damaged', 'missing']);
	assert.equal(sha(path.join(root, long('d'))), good);
	assert.equal(sha(path.join(root, long('m'))), good);
	const undo = await runCli(['undo'], {cwd: root});
	assert.equal(undo.code, 0, undo.stderr);
	assert.notEqual(sha(path.join(root, long('d'))), good, 'the damaged one is back');
	assert.equal(fs.existsSync(path.join(root, long('m'))), false);
});
