// Every command of `curate --help`, run while another curate command holds the library's lock, as a user starts one in
// a second SSH session. Readers and every --dry-run answer beside the writer; writers refuse in one line with exit 3,
// at once (not after seconds of loading a model), and change nothing. CI once saw `curate purge --dry-run` refused
// with "library is busy" because a second dry run beside it had taken the lock; `journal replay --dry-run` did the
// same, and `curate faces` loaded its model before it looked at the lock.
import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {endExiftool} from '../../source/adapters/exif.js';
import {closeDecoders} from '../../source/media/decode.js';
import {libraryAt, processStartTime} from '../../source/library.js';
import {cliEntry, runCli, tsxLoader} from '../helpers/cli.js';
import {scannedSampleLibrary} from '../helpers/scanned.js';
import {tempDir} from '../helpers/temp.js';
import {treeSnapshot} from '../helpers/tree-snapshot.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

const tinyModel = path.resolve(import.meta.dirname, '../../media-fixtures/models/tiny-clip');

/**
 * Every file and folder of the library, the trash included, except the lock and the catalog: a dupes search may keep
 * its clusters in the catalog (a cache it writes without the lock), so the catalog is compared by its journal.
 */
function library(root: string): ReturnType<typeof treeSnapshot> {
	const snapshot = treeSnapshot(root, relative => relative === '.curate/lock' || relative.startsWith('.curate/catalog.db'));
	// `tags import` prepares sidecars in the scratch folder, which may stay behind empty (files in it would show).
	return {files: snapshot.files, folders: snapshot.folders.filter(folder => folder !== '.curate/tmp')};
}

/** Every command of `curate --help`, with its flags (from its spec module, as `--help` prints them). */
async function commandFlags(): Promise<Array<{name: string; flags: Record<string, unknown>}>> {
	const {stdout} = await runCli(['--help']);
	const names = stdout.split('  Commands\n')[1]!.split('\n\n')[0]!.split('\n').map(line => line.trim().split(/\s{2,}/)[0]!);
	return Promise.all(names.map(async name => ({name, flags: ((await import(`../../commands/${name.replace(' ', '-')}.spec.js`)) as {flags: Record<string, unknown>}).flags})));
}

/** The command an argument list runs: the longest command name it starts with. */
function commandOf(args: readonly string[], names: readonly string[]): string | undefined {
	return names.filter(name => args.join(' ').startsWith(`${name} `) || args.join(' ') === name).sort((a, b) => b.length - a.length)[0];
}

/** Starts `curate serve` on a free port and resolves with its first line once it listens, then stops it. */
async function serveOnce(root: string): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child: ChildProcess = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'serve', '--port', '0'], {cwd: root, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', chunk => {
		stdout += chunk;
		if (/http:\/\//.test(stdout)) {
			child.kill('SIGTERM');
		}
	});
	child.stderr!.setEncoding('utf8').on('data', chunk => {
		stderr += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
	const code = await new Promise<number | null>(resolve => child.once('close', resolve));
	clearTimeout(timer);
	return {code, stdout, stderr};
}

describe('beside another command that holds the lock', () => {
	let root: string;
	let work: string;
	let photo: string;
	let backupDir: string;
	let journalFile: string;
	let csv: string;
	let inbox: string;
	let commands: Array<{name: string; flags: Record<string, unknown>}>;
	let holder: ChildProcess;
	let lock: string;

	before(async () => {
		({root} = await scannedSampleLibrary());
		work = tempDir();
		backupDir = path.join(work, 'backup');
		const backup = await runCli(['backup', '--to', backupDir], {cwd: root});
		assert.equal(backup.code, 0, backup.stderr);
		journalFile = path.join(work, 'journal.json');
		const exported = await runCli(['journal', 'export', journalFile], {cwd: root});
		assert.equal(exported.code, 0, exported.stderr);
		const tagged = await runCli(['tag', '--model', tinyModel], {cwd: root, env: {CURATE_OFFLINE: '1'}});
		assert.equal(tagged.code, 0, tagged.stderr);
		const shared = await runCli(['share', '2019', '--json'], {cwd: root});
		assert.equal(shared.code, 0, shared.stderr);
		photo = fs.readdirSync(root, {recursive: true, encoding: 'utf8'}).find(relative => /\.jpe?g$/i.test(relative) && !relative.startsWith('.curate'))!;
		csv = path.join(work, 'tags.csv');
		fs.writeFileSync(csv, `path,tag,confidence,state\n${photo},beach,1,confirmed\n`);
		inbox = path.join(work, 'inbox');
		fs.mkdirSync(inbox);
		fs.copyFileSync(path.join(root, photo), path.join(inbox, 'new.jpg'));
		commands = await commandFlags();

		holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], {stdio: 'ignore'});
		await new Promise(resolve => holder.once('spawn', resolve));
		lock = `${holder.pid}\nhost=${os.hostname()}\nstart=${processStartTime(holder.pid!)}\ncommand=curate scan\n`;
		fs.writeFileSync(libraryAt(root).lockPath, lock);
	});

	after(() => {
		holder?.kill('SIGKILL');
	});

	test('every dry run answers, prints its plan and changes nothing', async () => {
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
		const offered = commands.filter(({flags}) => 'dryRun' in flags).map(({name}) => name).sort();
		assert.deepEqual(offered, Object.keys(runs).sort(), 'a command that offers --dry-run is run here too');

		const before = library(root);
		const journalBefore = (await runCli(['journal', '--json'], {cwd: root})).stdout;
		for (const [name, args] of Object.entries(runs)) {
			// eslint-disable-next-line no-await-in-loop
			const result = await runCli(args, {cwd: root});
			assert.doesNotMatch(result.stderr, /library is busy/, `curate ${name} --dry-run waited for the lock`);
			assert.equal(result.code, 0, `curate ${args.join(' ')}: ${result.stderr}`);
			assert.ok(result.stdout.trim().startsWith('{'), `curate ${name} --dry-run --json printed JSON: ${result.stdout}`);
		}

		assert.equal(fs.readFileSync(libraryAt(root).lockPath, 'utf8'), lock, 'the holder\'s lock is untouched');
		assert.deepEqual(library(root), before, 'no dry run changed a photo, a sidecar or the trash');
		assert.equal((await runCli(['journal', '--json'], {cwd: root})).stdout, journalBefore, 'no dry run added a batch');
		assert.equal(fs.existsSync(path.join(work, 'out')), false, 'export --dry-run wrote nothing');
	});

	test('every command: readers answer, writers refuse at once in one line with exit 3, and nothing changes', async () => {
		// reads: answers beside the writer. writes: exit 3, "library is busy (pid N)". terminal: needs a TTY (exit 2
		// before it opens anything; test/review and test/ui drive those screens). Shares live in .curate/shares, apart
		// from the journaled photos, so share commands do not wait for a photo writer.
		// waits: a long-running writer (watch) says the library is busy and tries again at its next round.
		const runs: Array<{args: string[]; role: 'reads' | 'writes' | 'terminal' | 'waits'}> = [
			{args: ['scan', '.'], role: 'writes'},
			{args: ['show', photo, '--json'], role: 'reads'},
			{args: ['dupes', '--json'], role: 'reads'},
			{args: ['dupes', '--apply', 'keepers'], role: 'writes'},
			{args: ['review'], role: 'terminal'},
			{args: ['undo'], role: 'writes'},
			{args: ['redo'], role: 'writes'},
			{args: ['journal', '--json'], role: 'reads'},
			{args: ['journal', 'replay', journalFile], role: 'writes'},
			{args: ['purge', '--older-than', '0', '--force'], role: 'writes'},
			{args: ['edit', photo, '--add-keyword', 'lock-test'], role: 'writes'},
			{args: ['import', inbox], role: 'writes'},
			{args: ['organize', '--json'], role: 'reads'},
			{args: ['organize', '--apply'], role: 'writes'},
			{args: ['places', '--write'], role: 'writes'},
			{args: ['watch', inbox, '--once', '--settle', '0s'], role: 'waits'},
			{args: ['tag', '--model', tinyModel], role: 'writes'},
			{args: ['search', 'red', '--model', tinyModel, '--json'], role: 'reads'},
			{args: ['models', '--json'], role: 'reads'},
			{args: ['faces'], role: 'writes'},
			{args: ['people', '--json'], role: 'reads'},
			{args: ['people', 'name', 'c1', 'Anna'], role: 'writes'},
			{args: ['people', 'review'], role: 'terminal'},
			{args: ['tags', 'review'], role: 'terminal'},
			{args: ['tags', 'list', '--json'], role: 'reads'},
			{args: ['tags', 'stats', '--json'], role: 'reads'},
			{args: ['tags', 'export', '--csv'], role: 'reads'},
			{args: ['tags', 'import', csv], role: 'writes'},
			{args: ['export', photo, '--to', path.join(work, 'exported')], role: 'reads'},
			{args: ['verify', '--json'], role: 'reads'},
			{args: ['status', '--json'], role: 'reads'},
			{args: ['backup', '--to', path.join(work, 'second-backup'), '--json'], role: 'reads'},
			{args: ['restore', '--missing', '--from', backupDir], role: 'writes'},
			{args: ['share', 'list', '--json'], role: 'reads'},
			{args: ['share', 'log', '--json'], role: 'reads'},
		];
		const names = commands.map(({name}) => name);
		// Share management (share, revoke, extend, add-recipient, purge) is run by test/share; serve is started below.
		const covered = new Set([...runs.map(({args}) => commandOf(args, names)), 'share', 'share revoke', 'share extend', 'share add-recipient', 'share purge', 'serve']);
		assert.deepEqual(names.filter(name => !covered.has(name)), [], 'every command of curate --help is run under the lock');

		const before = library(root);
		const journalBefore = (await runCli(['journal', '--json'], {cwd: root})).stdout;
		for (const {args, role} of runs) {
			const started = performance.now();
			// eslint-disable-next-line no-await-in-loop
			const result = await runCli(args, {cwd: root, env: {CURATE_OFFLINE: '1'}});
			const what = `curate ${args.join(' ')} (${role}): exit ${result.code}, ${result.stderr}`;
			if (role === 'writes') {
				assert.equal(result.code, 3, what);
				assert.match(result.stderr, new RegExp(`^curate: library is busy \\(pid ${holder.pid}\\): curate scan is writing to `), what);
				assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${what}`);
				// Refused before any slow work (a model, a walk): a generous bound for a loaded CI machine, far below
				// the face model's load, which `faces` used to wait for.
				assert.ok(performance.now() - started < 30_000, `refused at once: ${what}`);
			} else if (role === 'reads') {
				assert.doesNotMatch(result.stderr, /library is busy/, what);
				assert.equal(result.code, 0, what);
			} else if (role === 'waits') {
				assert.equal(result.code, 0, what);
				assert.match(result.stdout + result.stderr, /library is busy .*trying again shortly/, what);
				assert.ok(fs.existsSync(path.join(inbox, 'new.jpg')), `the upload stays in the inbox: ${what}`);
			} else {
				assert.equal(result.code, 2, what);
				assert.match(result.stderr, /needs an interactive terminal/, what);
			}
		}

		const served = await serveOnce(root);
		assert.doesNotMatch(served.stderr, /library is busy/, 'curate serve serves beside a writer');
		assert.match(served.stdout, /http:\/\//, `curate serve listened: ${served.stderr}`);

		assert.equal(fs.readFileSync(libraryAt(root).lockPath, 'utf8'), lock, 'the holder\'s lock is untouched');
		const after = library(root);
		// Readers may write what they were asked for outside the library; inside it, nothing changed.
		assert.deepEqual(after, before, 'no command changed a photo, a sidecar or the trash under another\'s lock');
		assert.equal((await runCli(['journal', '--json'], {cwd: root})).stdout, journalBefore, 'no batch was added');
	});
});
