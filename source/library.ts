import fs from 'node:fs';
import path from 'node:path';
import {Catalog} from './db/catalog.js';

/** The folder name that marks a library root, as `.git` marks a repository. */
export const curateDirName = '.curate';

// UserError lives in errors.ts so that layers without SQLite can throw it; re-exported for existing imports.
import {UserError} from './errors.js';

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
 * Takes the library's writer lock, so a second writer gets "library is busy (pid N)" instead of racing the first.
 * A lock left by a dead process is taken over. Returns a function that releases it (also released on exit).
 */
export function lockLibrary(library: Library): () => void {
	fs.mkdirSync(library.dir, {recursive: true});
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = fs.openSync(library.lockPath, 'wx');
			fs.writeSync(fd, `${process.pid}\n`);
			fs.closeSync(fd);
			let released = false;
			const release = () => {
				if (released) {
					return;
				}

				released = true;
				process.off('exit', release);
				try {
					if (fs.readFileSync(library.lockPath, 'utf8').trim() === String(process.pid)) {
						fs.unlinkSync(library.lockPath);
					}
				} catch {}
			};

			process.on('exit', release);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}

			let pid = Number.NaN;
			try {
				pid = Number.parseInt(fs.readFileSync(library.lockPath, 'utf8'), 10);
			} catch {}

			if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
				throw new UserError(`library is busy (pid ${pid}): another curate command is writing to ${library.root}`, 3);
			}

			// Stale lock from a process that died (e.g. SIGKILL): remove it and try again.
			try {
				fs.unlinkSync(library.lockPath);
			} catch {}
		}
	}

	throw new UserError(`could not take the library lock at ${library.lockPath}`);
}

/** Opens the catalog of a library for writing, under its lock. */
export function openForWrite(library: Library): {catalog: Catalog; release: () => void} {
	const release = lockLibrary(library);
	try {
		return {
			catalog: Catalog.open(library.catalogPath),
			release,
		};
	} catch (error) {
		release();
		throw error;
	}
}

/** Opens the catalog for reading; WAL lets this run beside a writer. */
export function openForRead(library: Library): Catalog {
	return Catalog.open(library.catalogPath);
}
