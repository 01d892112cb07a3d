import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fsyncDir} from '../atomic-file.js';
import {checkInside} from '../safe-path.js';

export {fsyncDir} from '../atomic-file.js';

/**
 * The journal's file primitives: every change lands atomically (rename, or copy to a temporary name + fsync +
 * verify + rename) and is verified by SHA-256, so a crash leaves either the old state or the new one, plus at most
 * a `.curate-partial` file that recovery recognises.
 */

let checkpoints = 0;

/** Flags of a file the journal creates: only if nothing (not even a link) is at that name, and never through a link. */
const newFileFlags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);

/**
 * Test-only crash hook: with `CURATE_TEST_KILL_AT=k`, the process SIGKILLs itself at the k-th checkpoint, so the
 * kill-and-recover test can stop a batch between any two steps (intent committed, renamed, verified, marked).
 */
export function checkpoint(): void {
	checkpoints++;
	const killAt = Number(process.env.CURATE_TEST_KILL_AT);
	if (killAt > 0 && checkpoints === killAt) {
		process.kill(process.pid, 'SIGKILL');
	}
}

/** How many checkpoints this process has passed (the kill test uses it to know how many steps a batch has). */
export function checkpointCount(): number {
	return checkpoints;
}

/**
 * What is at a path, as the journal compares it: the SHA-256 (hex) of a regular file, undefined when nothing is
 * there, or a `not-a-file:…` marker for a symlink or folder (never followed). Not `hashFile` (health/hash-file.ts),
 * which follows links and throws when the file is missing (issue 14: one name per meaning).
 */
export async function hashAt(file: string): Promise<string | undefined> {
	let stat;
	try {
		stat = await fs.promises.lstat(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}

	if (!stat.isFile()) {
		return `not-a-file:${stat.isSymbolicLink() ? 'symlink' : 'other'}`;
	}

	// Photos are small enough to read in one call, which costs far less than a stream's 64 KB chunks.
	if (stat.size <= 32 * 1024 * 1024) {
		return createHash('sha256').update(await fs.promises.readFile(file)).digest('hex');
	}

	const hash = createHash('sha256');
	for await (const chunk of fs.createReadStream(file)) {
		hash.update(chunk as Buffer);
	}

	return hash.digest('hex');
}

/** SHA-256 of bytes. */
export function hashBytes(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Whether anything (even a dangling symlink) is at a path. */
export function exists(file: string): boolean {
	try {
		fs.lstatSync(file);
		return true;
	} catch {
		return false;
	}
}

const partialSuffix = '.curate-partial';

/**
 * The temporary name a file is copied to before it is renamed into place: `NAME.curate-partial`, or, where that would
 * pass the 255-byte limit of a file name (a 255-byte NAME fits, NAME plus the suffix does not: ENAMETOOLONG), a short
 * name derived from NAME's hash. Derived, never random, so recovery finds it again from the operation alone.
 */
export function partialPath(file: string): string {
	const name = path.basename(file);
	if (Buffer.byteLength(name) + partialSuffix.length <= 255) {
		return `${file}${partialSuffix}`;
	}

	return path.join(path.dirname(file), `.${createHash('sha256').update(name).digest('hex').slice(0, 32)}${partialSuffix}`);
}

/**
 * Folders whose fsync may wait until the end of a chunk of operations. Only for changes a crash may lose without
 * losing bytes (a rename is atomic: until the folder is synced, either name survives, and recovery settles which);
 * the journal syncs them all before it marks the chunk applied.
 */
export type DirSyncs = Set<string>;

/** Options of the primitives: `later` collects folder syncs instead of doing them now. */
export type SyncOptions = {readonly later?: DirSyncs | undefined};

/** Syncs the folders collected in `dirs`, once each. */
export function flushDirSyncs(dirs: DirSyncs): void {
	for (const dir of dirs) {
		fsyncDir(dir);
	}

	dirs.clear();
}

function syncDir(dir: string, options: SyncOptions): void {
	if (options.later) {
		options.later.add(dir);
	} else {
		fsyncDir(dir);
	}
}

async function copyDurably(from: string, to: string): Promise<void> {
	await fs.promises.copyFile(from, to, fs.constants.COPYFILE_EXCL);
	// A copy keeps the file time: a camera's file time is its best date when EXIF has none, and a scan then sees
	// the file as unchanged.
	const {atime, mtime} = await fs.promises.stat(from);
	await fs.promises.utimes(to, atime, mtime);
	checkpoint();
	const handle = await fs.promises.open(to, 'r+');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

/**
 * Copies `from` to `to` (which must not exist), with its file times: to `to.curate-partial`, fsync, verify the copy's
 * SHA-256, then rename into place. A wrong hash leaves nothing behind at `to` and throws.
 */
export async function copyVerified(from: string, to: string, sha256: string, options: SyncOptions = {}): Promise<void> {
	fs.mkdirSync(path.dirname(to), {recursive: true});
	const partial = partialPath(to);
	fs.rmSync(partial, {force: true});
	await copyDurably(from, partial);
	const copied = await hashAt(partial);
	if (copied !== sha256) {
		fs.rmSync(partial, {force: true});
		throw new Error(`copy of ${from} does not match its SHA-256 (got ${copied?.slice(0, 12)}, expected ${sha256.slice(0, 12)})`);
	}

	checkpoint();
	if (exists(to)) {
		fs.rmSync(partial, {force: true});
		throw new Error(`${to} appeared while copying`);
	}

	fs.renameSync(partial, to);
	syncDir(path.dirname(to), options);
	checkpoint();
}

/**
 * Moves a verified file to a new path that must be free: a rename on the same filesystem, else (EXDEV, or the
 * test-only `CURATE_TEST_FORCE_COPY=1`) copy + fsync + verify + unlink. The destination is verified by hash.
 */
export async function relocate(from: string, to: string, sha256: string, options: SyncOptions = {}): Promise<void> {
	const before = await hashAt(from);
	if (before !== sha256) {
		throw new Error(before === undefined ? `${from} is not there` : `${from} has changed since it was catalogued (SHA-256 differs)`);
	}

	if (exists(to)) {
		throw new Error(`${to} is already taken`);
	}

	fs.mkdirSync(path.dirname(to), {recursive: true});
	let renamed = false;
	if (process.env.CURATE_TEST_FORCE_COPY !== '1') {
		try {
			fs.renameSync(from, to);
			renamed = true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
				throw error;
			}
		}
	}

	if (renamed) {
		syncDir(path.dirname(to), options);
		syncDir(path.dirname(from), options);
		checkpoint();
		const after = await hashAt(to);
		if (after !== sha256) {
			throw new Error(`${to} does not match the SHA-256 of ${from} after the move`);
		}

		return;
	}

	// The copy must be durable before its original goes, so its folder is synced now, not later.
	await copyVerified(from, to, sha256);
	fs.unlinkSync(from);
	syncDir(path.dirname(from), options);
	checkpoint();
}

/** Writes bytes to a file atomically: temporary name, fsync, rename over, fsync the folder. */
export async function writeAtomic(file: string, bytes: Uint8Array, options: SyncOptions = {}): Promise<void> {
	fs.mkdirSync(path.dirname(file), {recursive: true});
	const partial = partialPath(file);
	// A scratch name someone replaced by a link (to a file outside the library) is removed, not written through: the
	// new file is created exclusively and never through a link (issue 13, A2).
	fs.rmSync(partial, {force: true});
	const handle = await fs.promises.open(partial, newFileFlags, 0o644);
	try {
		await handle.writeFile(bytes);
		await handle.sync();
	} finally {
		await handle.close();
	}

	checkpoint();
	fs.renameSync(partial, file);
	syncDir(path.dirname(file), options);
	checkpoint();
}

/**
 * The absolute path of a library-relative path, refusing one that goes through a symbolic link or a non-folder
 * anywhere below the root (issue 13, A2: `checkInside` in `source/safe-path.ts`). Missing components are fine.
 */
export function insideRoot(root: string, relativePath: string): string {
	return checkInside(root, path.join(root, ...relativePath.split('/')));
}
