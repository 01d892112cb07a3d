// A dry run changes nothing, so it must answer while another curate command holds the library's lock. CI once saw
// `curate purge --dry-run` refused with "library is busy" because a second dry run beside it had taken the lock; the
// same was true of `journal replay --dry-run`. Every command whose help offers --dry-run is run here under a live lock.
import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {closeDecoders} from '../../source/media/decode.js';
import {libraryAt, processStartTime} from '../../source/library.js';
import {runCli} from '../helpers/cli.js';
import {scannedSampleLibrary} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';
import {treeSnapshot} from '../helpers/tree-snapshot.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

/**
 * Every file and folder of the library, the trash included, except the lock and the catalog: a dupes search may keep
 * its clusters in the catalog (a cache it writes without the lock), so the catalog is compared by its journal.
 */
function library(root: string): ReturnType<typeof treeSnapshot> {
	const snapshot = treeSnapshot(root, relative => relative === '.curate/lock' || relative.startsWith('.curate/catalog.db'));
	// `tags import` prepares sidecars in the scratch folder, which may stay behind empty (files in it would show).
	return {files: snapshot.files, folders: snapshot.folders.filter(folder => folder !== '.curate/tmp')};
}

/** Every command in `curate --help` whose own help offers --dry-run. */
async function commandsWithDryRun(): Promise<string[]> {
	const {stdout} = await runCli(['--help']);
	const names = stdout.split('  Commands\n')[1]!.split('\n\n')[0]!.split('\n').map(line => line.trim().split(/\s{2,}/)[0]!);
	const helps = await Promise.all(names.map(async name => ({name, help: (await runCli([...name.split(' '), '--help'])).stdout})));
	return helps.filter(({help}) => help.includes('--dry-run')).map(({name}) => name).sort();
}

test('every dry run answers while another curate command holds the library lock, and changes nothing', async () => {
	const {root} = await scannedSampleLibrary();
	const work = tempDir();
	const backupDir = path.join(work, 'backup');
	const backup = await runCli(['backup', '--to', backupDir], {cwd: root});
	assert.equal(backup.code, 0, backup.stderr);
	const journalFile = path.join(work, 'journal.json');
	const exported = await runCli(['journal', 'export', journalFile], {cwd: root});
	assert.equal(exported.code, 0, exported.stderr);
	const photo = fs.readdirSync(root, {recursive: true, encoding: 'utf8'}).find(relative => /\.jpe?g$/i.test(relative) && !relative.startsWith('.curate'))!;
	const csv = path.join(work, 'tags.csv');
	fs.writeFileSync(csv, `path,tag,confidence,state\n${photo},beach,1,confirmed\n`);
	const inbox = path.join(work, 'inbox');
	fs.mkdirSync(inbox);
	fs.copyFileSync(path.join(root, photo), path.join(inbox, 'new.jpg'));

	const runs: Record<string, string[]> = {
		backup: ['backup', '--to', backupDir, '--dry-run', '--json'],
		dupes: ['dupes', '--apply', 'keepers', '--dry-run', '--json'],
		export: ['export', photo, '--to', path.join(work, 'out'), '--dry-run', '--json'],
		import: ['import', inbox, '--dry-run', '--json'],
		journal: ['journal', 'replay', journalFile, '--dry-run', '--json'],
		purge: ['purge', '--older-than', '0', '--force', '--dry-run', '--json'],
		restore: ['restore', '--missing', '--from', backupDir, '--dry-run', '--json'],
		'tags import': ['tags', 'import', csv, '--dry-run', '--json'],
	};
	assert.deepEqual(await commandsWithDryRun(), Object.keys(runs).sort(), 'a command that offers --dry-run is run here too');

	const before = library(root);
	const journalBefore = (await runCli(['journal', '--json'], {cwd: root})).stdout;
	const holder: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], {stdio: 'ignore'});
	await new Promise(resolve => holder.once('spawn', resolve));
	try {
		const lock = `${holder.pid}\nhost=${os.hostname()}\nstart=${processStartTime(holder.pid!)}\ncommand=curate scan\n`;
		fs.writeFileSync(libraryAt(root).lockPath, lock);
		for (const [name, args] of Object.entries(runs)) {
			// eslint-disable-next-line no-await-in-loop
			const result = await runCli(args, {cwd: root});
			assert.doesNotMatch(result.stderr, /library is busy/, `curate ${name} --dry-run waited for the lock`);
			assert.equal(result.code, 0, `curate ${args.join(' ')}: ${result.stderr}`);
			assert.ok(result.stdout.trim().startsWith('{'), `curate ${name} --dry-run --json printed JSON: ${result.stdout}`);
		}

		assert.equal(fs.readFileSync(libraryAt(root).lockPath, 'utf8'), lock, 'the holder\'s lock is untouched');
	} finally {
		holder.kill('SIGKILL');
	}

	assert.deepEqual(library(root), before, 'no dry run changed a photo, a sidecar or the trash');
	assert.equal((await runCli(['journal', '--json'], {cwd: root})).stdout, journalBefore, 'no dry run added a batch');
	assert.equal(fs.existsSync(path.join(work, 'out')), false, 'export --dry-run wrote nothing');
});
