import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Catalog} from './db/catalog.js';

/** The folder name that marks a library root, as `.git` marks a repository. */
export const curateDirName = '.curate';

// UserError lives in errors.ts so that layers without SQLite can throw it; re-exported for existing imports.
import {diskFullError, ensureFreeSpace, freeBytes} from './disk-space.js';
import {isDiskFull, UserError} from './errors.js';

export {UserError};

/** Paths of one library. */
export type Library = {
	readonly root: string;
	readonly dir: string;
	readonly catalogPath: string;
	readonly thumbsDir: string;
	readonly trashDir: string;
	readonly lockPath: string;
};

/** The library rooted at `root` (which need not exist yet). */
export function libraryAt(root: string): Library {
	const absolute = path.resolve(root);
	const dir = path.join(absolute, curateDirName);
	return {
		root: absolute,
		dir,
		catalogPath: path.join(dir, 'catalog.db'),
		thumbsDir: path.join(dir, 'thumbs'),
		trashDir: path.join(dir, 'trash'),
		lockPath: path.join(dir, 'lock'),
	};
}

/**
 * Finds the library for a command: `--library DIR` when given, else the nearest folder at or above `cwd`
 * that holds a `.curate` folder with a catalog.
 */
export function findLibrary(options: {readonly library?: string | undefined; readonly cwd?: string}): Library {
	if (options.library) {
		const library = libraryAt(options.library);
		if (!fs.existsSync(library.catalogPath)) {
			throw new UserError(`No Curate library at ${library.root} (no ${curateDirName}/catalog.db). Run \`curate scan ${options.library}\` first.`);
		}

		return library;
	}

	let dir = path.resolve(options.cwd ?? process.cwd());
	for (;;) {
		if (fs.existsSync(path.join(dir, curateDirName, 'catalog.db'))) {
			return libraryAt(dir);
		}

		const parent = path.dirname(dir);
		if (parent === dir) {
			throw new UserError('Not inside a Curate library (no .curate folder here or above). Run `curate scan DIR` first, or pass --library DIR.');
		}

		dir = parent;
	}
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/PID/stat), or undefined where there is no
 * /proc. With the pid it names one process for good: a pid reused by another program has another start time.
 */
export function processStartTime(pid: number): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may hold spaces or parentheses: count fields after the last ")".
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** The command line of process `pid` (arguments joined by spaces), or undefined where it cannot be read. */
function processCommandLine(pid: number): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
	} catch {
		return undefined;
	}
}

/** What a lock file records about its holder. Older Curate wrote only the pid. */
export type LockHolder = {readonly pid: number; readonly start?: string; readonly host?: string; readonly command?: string};

function lockText(command: string): string {
	const start = processStartTime(process.pid);
	return `${process.pid}\nhost=${os.hostname()}\n${start ? `start=${start}\n` : ''}command=${command.replaceAll('\n', ' ')}\n`;
}

function readLock(lockPath: string): LockHolder | undefined {
	let text: string;
	try {
		text = fs.readFileSync(lockPath, 'utf8');
	} catch {
		return undefined;
	}

	const [first = '', ...rest] = text.split('\n');
	const pid = Number.parseInt(first, 10);
	if (!Number.isInteger(pid) || pid <= 0) {
		return undefined;
	}

	const fields = Object.fromEntries(rest.filter(line => line.includes('=')).map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
	return {pid, ...(fields.start ? {start: fields.start} : {}), ...(fields.host ? {host: fields.host} : {}), ...(fields.command ? {command: fields.command} : {})};
}

/**
 * Whether the lock's holder may still be a curate command writing to the library: `alive` (it is), `stale` (its
 * process is gone, or its pid now runs another program), or `unknown` (another host's lock, which cannot be checked).
 */
export function lockState(holder: LockHolder): 'alive' | 'stale' | 'unknown' {
	if (holder.host && holder.host !== os.hostname()) {
		return 'unknown';
	}

	if (holder.pid === process.pid || !pidAlive(holder.pid)) {
		return 'stale';
	}

	const start = processStartTime(holder.pid);
	if (holder.start && start) {
		return holder.start === start ? 'alive' : 'stale';
	}

	// A lock from an older Curate (pid only): a pid that now runs a program that is not curate is a reused pid.
	const commandLine = processCommandLine(holder.pid);
	if (commandLine !== undefined && !/curate|cli\.tsx?\b|cli\.js\b/i.test(commandLine)) {
		return 'stale';
	}

	return 'alive';
}

function busyMessage(library: Library, holder: LockHolder, state: 'alive' | 'unknown'): string {
	const what = holder.command ?? 'another curate command';
	const check = state === 'unknown'
		? `it was taken on host ${holder.host}: check there with \`ps -p ${holder.pid} -o comm=\``
		: `if no curate command is running, check what it is with \`ps -p ${holder.pid} -o comm=\``;
	return `library is busy (pid ${holder.pid}): ${what} is writing to ${library.root}; ${check}, and clear a lock left behind with --break-lock`;
}

/**
 * Takes the library's writer lock, so a second writer gets "library is busy (pid N)" instead of racing the first.
 * The lock records the pid, the host, the process start time and the command, so a lock left by a dead process, or
 * whose pid now runs another program, is taken over. Returns a function that releases it (also released on exit).
 */
export function lockLibrary(library: Library, command = process.argv.slice(2).join(' ')): () => void {
	fs.mkdirSync(library.dir, {recursive: true});
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = fs.openSync(library.lockPath, 'wx');
			try {
				fs.writeSync(fd, lockText(`curate ${command}`.trim()));
			} finally {
				fs.closeSync(fd);
			}

			let released = false;
			const release = () => {
				if (released) {
					return;
				}

				released = true;
				process.off('exit', release);
				try {
					if (readLock(library.lockPath)?.pid === process.pid) {
						fs.unlinkSync(library.lockPath);
					}
				} catch {}
			};

			process.on('exit', release);
			return release;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'EEXIST') {
				// A lock file that cannot be created (or written) on a full disk: the one disk-full sentence.
				fs.rmSync(library.lockPath, {force: true});
				if (isDiskFull(error)) {
					throw diskFullError(library.root);
				}

				throw error;
			}

			const holder = readLock(library.lockPath);
			if (holder) {
				const state = lockState(holder);
				if (state !== 'stale') {
					throw new UserError(busyMessage(library, holder, state), 3);
				}
			}

			// Stale lock (its process died, e.g. SIGKILL, or its pid is now another program's) or unreadable: take it over.
			try {
				fs.unlinkSync(library.lockPath);
			} catch {}
		}
	}

	throw new UserError(`could not take the library lock at ${library.lockPath}`);
}

/**
 * `--break-lock`: removes the library's lock unless it belongs to a running curate command on this host. Returns
 * one line saying what it did.
 */
export function breakLock(library: Library): string {
	const holder = readLock(library.lockPath);
	if (!fs.existsSync(library.lockPath)) {
		return `no lock to break in ${library.root}`;
	}

	if (holder && lockState(holder) === 'alive') {
		throw new UserError(`not breaking the lock: pid ${holder.pid}${holder.command ? ` (${holder.command})` : ''} is a running curate command; wait for it to finish`, 3);
	}

	fs.rmSync(library.lockPath, {force: true});
	return `removed the lock${holder ? ` of pid ${holder.pid}${holder.host && holder.host !== os.hostname() ? ` on host ${holder.host}` : ''}` : ''}, which no running curate command holds`;
}

/**
 * Space a catalog open needs beyond what is on disk: SQLite's WAL index (`-shm`, memory-mapped, 32 KB and growing) and
 * the WAL itself. Below this a writer is refused before it starts, and a reader keeps the index in heap memory.
 */
export const catalogHeadroomBytes = 1024 * 1024;

/** Opens the catalog of a library for writing, under its lock; refused in one line when its disk is (nearly) full. */
export function openForWrite(library: Library): {catalog: Catalog; release: () => void} {
	// Before the lock and the open: SQLite extending its memory-mapped -shm on a full disk dies with SIGBUS (issue 13).
	ensureFreeSpace(library.root, 0, catalogHeadroomBytes);
	const release = lockLibrary(library);
	try {
		return {catalog: openForRecords(library), release};
	} catch (error) {
		release();
		throw error;
	}
}

/**
 * Opens the catalog for commands that read the library and only add records of their own to the catalog (verify's
 * checks, backup runs, export's derivatives), without the writer's lock: they may run for hours beside other commands,
 * and SQLite's own locking keeps each of their short transactions whole. Refused in one line on a (nearly) full disk,
 * like a writer, since they write.
 */
export function openForRecords(library: Library): Catalog {
	// Before the open: SQLite extending its memory-mapped -shm on a full disk dies with SIGBUS (issue 13).
	ensureFreeSpace(library.root, 0, catalogHeadroomBytes);
	try {
		return Catalog.open(library.catalogPath);
	} catch (error) {
		if (isDiskFull(error)) {
			throw diskFullError(library.root, catalogHeadroomBytes);
		}

		throw error;
	}
}

/**
 * Opens the catalog for reading only; WAL lets this run beside a writer. On a nearly full disk the WAL index stays in
 * heap memory (no `-shm` to create or grow), which needs the catalog to itself: if another process has it open, the
 * reader says the disk is full rather than risk SIGBUS.
 */
export function openForRead(library: Library): Catalog {
	let nearlyFull = false;
	try {
		nearlyFull = freeBytes(library.dir) < catalogHeadroomBytes;
	} catch {}

	if (!nearlyFull) {
		return Catalog.open(library.catalogPath, {readonly: true});
	}

	try {
		return Catalog.open(library.catalogPath, {readonly: true, heapIndex: true});
	} catch (error) {
		if (isDiskFull(error) || /database is locked|SQLITE_BUSY/i.test(String((error as Error).message)) || (error as {code?: string}).code === 'SQLITE_BUSY') {
			throw diskFullError(library.root, catalogHeadroomBytes);
		}

		throw error;
	}
}
