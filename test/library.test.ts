import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool} from '../source/adapters/exif.js';
import {closeDecoders} from '../source/media/decode.js';

import {Catalog} from '../source/db/catalog.js';
import {breakLock, findLibrary, libraryAt, lockLibrary, processStartTime, UserError} from '../source/library.js';
import {runCli, tsxLoader} from './helpers/cli.js';
import {scannedSampleLibrary} from './helpers/scanned.js';
import {tempDir} from './helpers/temp.js';
import {connectionOf} from '../source/db/connection.js';

after(async () => {
	await endExiftool();
	await closeDecoders();
});

test('findLibrary walks up to the nearest .curate, like git', () => {
	const root = tempDir();
	const library = libraryAt(root);
	Catalog.open(library.catalogPath).close();
	const deep = path.join(root, '2021', 'summer');
	fs.mkdirSync(deep, {recursive: true});
	assert.equal(findLibrary({cwd: deep}).root, fs.realpathSync(root) === root ? root : library.root);
	assert.equal(findLibrary({library: root, cwd: '/'}).root, library.root);
});

test('findLibrary explains what to do outside a library', () => {
	const dir = tempDir();
	assert.throws(() => findLibrary({cwd: dir}), (error: unknown) => error instanceof UserError && /curate scan/.test(error.message));
	assert.throws(() => findLibrary({library: dir}), /No Curate library/);
});

/** A lock as a running curate command writes it, for process `pid`. */
function curateLock(pid: number, start = processStartTime(pid)): string {
	return `${pid}\nhost=${os.hostname()}\nstart=${start}\ncommand=curate dupes --apply keepers\n`;
}

async function spawned(args: string[]): Promise<ChildProcess> {
	const child = spawn(args[0]!, args.slice(1), {stdio: 'ignore'});
	await new Promise(resolve => child.once('spawn', resolve));
	return child;
}

test('a second writer is told the library is busy, with the holder pid, how to check it and how to clear it', async () => {
	const library = libraryAt(tempDir());
	fs.mkdirSync(library.dir, {recursive: true});
	const holder = await spawned([process.execPath, '-e', 'setTimeout(() => {}, 30000)']);
	try {
		fs.writeFileSync(library.lockPath, curateLock(holder.pid!));
		assert.throws(() => lockLibrary(library), (error: unknown) => {
			assert.ok(error instanceof UserError);
			assert.equal(error.exitCode, 3);
			assert.match(error.message, new RegExp(`library is busy \\(pid ${holder.pid}\\): curate dupes --apply keepers is writing`));
			assert.match(error.message, new RegExp(`ps -p ${holder.pid} -o comm=`));
			assert.match(error.message, /--break-lock/);
			return true;
		});
		assert.throws(() => breakLock(library), /not breaking the lock: pid \d+ .* is a running curate command/);
		assert.ok(fs.existsSync(library.lockPath), 'a live lock is never broken');
	} finally {
		holder.kill('SIGKILL');
	}
});

test('a stale lock whose pid now belongs to another program is taken over (it blocked every write with "library is busy")', async () => {
	const library = libraryAt(tempDir());
	fs.mkdirSync(library.dir, {recursive: true});
	const other = await spawned(['sleep', '30']);
	try {
		// The pid was curate's once: same pid, another start time.
		fs.writeFileSync(library.lockPath, curateLock(other.pid!, '1'));
		lockLibrary(library)();
		// A lock from an older Curate holds only the pid: the pid now runs `sleep`, which is not curate.
		fs.writeFileSync(library.lockPath, `${other.pid}\n`);
		const release = lockLibrary(library);
		assert.match(fs.readFileSync(library.lockPath, 'utf8'), new RegExp(`^${process.pid}\nhost=.*\nstart=\\d+\ncommand=curate`));
		release();
		assert.equal(fs.existsSync(library.lockPath), false);
	} finally {
		other.kill('SIGKILL');
	}
});

test('--break-lock removes a lock that no running curate command holds, such as one taken on another host', () => {
	const library = libraryAt(tempDir());
	fs.mkdirSync(library.dir, {recursive: true});
	fs.writeFileSync(library.lockPath, `${process.pid + 1}\nhost=nas-elsewhere\nstart=5\ncommand=curate scan\n`);
	assert.throws(() => lockLibrary(library), /library is busy .*taken on host nas-elsewhere.*--break-lock/);
	assert.match(breakLock(library), /removed the lock of pid \d+ on host nas-elsewhere/);
	assert.equal(fs.existsSync(library.lockPath), false);
	assert.match(breakLock(library), /no lock to break/);
});

test('a lock left by a dead process is taken over, and released again', async () => {
	const library = libraryAt(tempDir());
	fs.mkdirSync(library.dir, {recursive: true});
	const dead = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore'});
	await new Promise(resolve => dead.on('close', resolve));
	fs.writeFileSync(library.lockPath, `${dead.pid}\n`);
	const release = lockLibrary(library);
	assert.equal(fs.readFileSync(library.lockPath, 'utf8').split('\n')[0], String(process.pid));
	release();
	assert.equal(fs.existsSync(library.lockPath), false);
});

test('show, status and journal work while another process holds a write batch open; a second writer is refused', {timeout: 600_000}, async () => {
	const {root} = await scannedSampleLibrary();
	const photo = Catalog.open(libraryAt(root).catalogPath, {readonly: true});
	const file = connectionOf(photo).prepare<[], {path: string}>("SELECT path FROM files WHERE status = 'present' ORDER BY path LIMIT 1").get()!.path;
	photo.close();
	// A real writer: the library lock, and a write transaction left open as a batch being applied has.
	const holder = spawn(
		process.execPath,
		['--import', tsxLoader, '-e', `Promise.all([${JSON.stringify(path.resolve(import.meta.dirname, '../source/library.ts'))}, ${JSON.stringify(path.resolve(import.meta.dirname, '../source/db/connection.ts'))}].map(async file => import(file))).then(([m, c]) => {
			const {catalog} = m.openForWrite(m.libraryAt(${JSON.stringify(root)}));
			c.connectionOf(catalog).exec('BEGIN IMMEDIATE');
			catalog.setSetting('test.holding', 'yes');
			console.log('holding');
			setTimeout(() => {}, 600000);
		})`],
		{stdio: ['ignore', 'pipe', 'inherit']},
	);
	const closed = new Promise(resolve => holder.on('close', resolve));
	try {
		await new Promise(resolve => holder.stdout!.once('data', resolve));
		const [show, status, journal, writer] = await Promise.all([
			runCli(['show', '--library', root, path.join(root, file)], {timeoutMs: 500_000}),
			runCli(['status', '--library', root], {timeoutMs: 500_000}),
			runCli(['journal', '--library', root], {timeoutMs: 500_000}),
			runCli(['dupes', '--library', root, '--apply', 'keepers'], {timeoutMs: 500_000}),
		]);
		assert.equal(show.code, 0, show.stderr);
		assert.match(show.stdout, new RegExp(`path +${file.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		assert.equal(status.code, 0, status.stderr);
		assert.equal(journal.code, 0, journal.stderr);
		assert.equal(writer.code, 3, writer.stderr);
		assert.match(writer.stderr, new RegExp(`library is busy \\(pid ${holder.pid}`));
	} finally {
		holder.kill('SIGKILL');
		await closed;
	}
});
