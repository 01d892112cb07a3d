import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {BackupProgress} from '../core/progress.js';
import {BackupStore} from '../db/backups.js';
import type {Catalog} from '../db/catalog.js';
import {HealthStore} from '../db/health.js';
import {diskFullError, ensureFreeSpace} from '../disk-space.js';
import {isDiskFull} from '../errors.js';
import {curateDirName, type Library, UserError} from '../library.js';
import {defaultIgnores, walkLibrary} from '../scan/walk.js';
import {backupDirName, type Manifest, manifestPath, readManifest, writeManifest} from './backup-manifest.js';
import {copyToTemporary, temporaryOwner} from './copy-verified.js';
import {hashFile} from './hash-file.js';

/** Options of one backup run. */
export type BackupOptions = {
	/** Move target files the library no longer has into `.curate-backup/pruned/<time>/` (never unlinked). */
	readonly prune?: boolean;
	/** Plan only: read and compare, write nothing. */
	readonly dryRun?: boolean;
	readonly signal?: AbortSignal;
};

export type {BackupProgress} from '../core/progress.js';

/** What a backup run did (or, with dryRun, would do). Paths are relative to the library root and the target. */
export type BackupReport = {
	target: string;
	library: string;
	/** Masters and sidecars considered. */
	files: number;
	sidecars: number;
	copied: number;
	/** Already in the target with the right hash. */
	unchanged: number;
	/** Older versions moved aside into `.curate-backup/replaced/<time>/` before their new version was renamed in. */
	replaced: number;
	copiedBytes: number;
	/** Target files the library does not have (kept unless --prune). */
	extra: string[];
	pruned: number;
	/** Where replaced and pruned files went this run, when any did. */
	movedAsideTo: string | null;
	catalogSnapshot: string | null;
	errors: Array<{path: string; error: string}>;
	/**
	 * Files the catalog records as damaged (bit rot found by verify): not read, not copied, so the backup keeps its good
	 * copy for `curate restore --damaged`.
	 */
	damaged: string[];
	/** Temporary files that earlier, interrupted runs left in the target and this run removed. */
	leftoversRemoved: string[];
	/** Temporary files of a backup still running in another process: left alone. */
	leftoversKept: string[];
	/** With dryRun: what would be copied. */
	toCopy?: string[];
	dryRun: boolean;
	interrupted: boolean;
	seconds: number;
};

type Item = {readonly path: string; readonly sha256: string | null; readonly sidecar: boolean; readonly size: number; readonly damaged?: boolean};

const isInside = (child: string, parent: string) => {
	const relative = path.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** A folder's real path through its nearest existing ancestor: a folder not made yet is judged by where it would be. */
export const realOrResolved = (dir: string) => {
	// The nearest existing ancestor, resolved: a target that does not exist yet is judged by where it would be made.
	let probe = path.resolve(dir);
	const rest: string[] = [];
	for (;;) {
		try {
			return path.join(fs.realpathSync(probe), ...rest);
		} catch {
			const parent = path.dirname(probe);
			if (parent === probe) {
				return path.resolve(dir);
			}

			rest.unshift(path.basename(probe));
			probe = parent;
		}
	}
};

/** The nearest folder at or above `dir` that holds a `.curate` folder (a Curate library root), if any. */
function enclosingLibrary(dir: string): string | undefined {
	let probe = dir;
	for (;;) {
		try {
			fs.lstatSync(path.join(probe, curateDirName));
			return probe;
		} catch {}

		const parent = path.dirname(probe);
		if (parent === probe) {
			return undefined;
		}

		probe = parent;
	}
}

/**
 * Refuses targets that would mirror a library into itself, write into another Curate library (issue 13: a backup into
 * another library's root replaced its intact photo), or mix two libraries into one target. Runs before anything is
 * written, dry run or not.
 */
export function checkTarget(library: Library, target: string, manifest: Manifest): void {
	const root = realOrResolved(library.root);
	const destination = realOrResolved(target);
	if (isInside(destination, root)) {
		throw new UserError(`the backup target ${target} is inside the library ${library.root}: choose a folder on another disk`);
	}

	if (isInside(root, destination)) {
		throw new UserError(`the library ${library.root} is inside the backup target ${target}: choose a separate folder`);
	}

	const other = enclosingLibrary(destination);
	if (other !== undefined) {
		throw new UserError(other === destination
			? `${target} is a Curate library (it holds ${curateDirName}): a backup would change it; choose a folder outside any library`
			: `${target} is inside the Curate library ${other}: a backup would change it; choose a folder outside any library`);
	}

	if (manifest.library && manifest.library !== library.root) {
		throw new UserError(`${target} holds a backup of another library (${manifest.library}); choose another folder`);
	}
}

const pidAlive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
};

const stamp = () => new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');

/**
 * Mirrors a library's masters (every present catalogued file), its XMP sidecars (catalogued or not) and a consistent
 * snapshot of its catalog into `target`. Incremental by SHA-256: the target's manifest says what was written and
 * verified, so unchanged files are recognised by stat alone. Each copy is written under a temporary name, fsynced,
 * read back and hashed, then renamed into place; a file it replaces is moved aside, and nothing is ever unlinked.
 * `.curate/` (trash, thumbnails) is not backed up.
 */
export async function backupLibrary(
	library: Library,
	catalog: Catalog,
	targetDir: string,
	options: BackupOptions = {},
	onProgress: (progress: BackupProgress) => void = () => {},
): Promise<BackupReport> {
	const started = performance.now();
	const target = path.resolve(targetDir);
	const manifest = readManifest(target);
	checkTarget(library, target, manifest);
	const store = new HealthStore(catalog);
	const damaged = new Set(store.damagedFiles().map(file => file.path));
	const items: Item[] = store.presentFiles().map(file => ({path: file.path, sha256: file.sha256, sidecar: false, size: file.size, damaged: damaged.has(file.path)}));
	const known = new Set(items.map(item => item.path));
	const walk = await walkLibrary(library.root, {ignore: defaultIgnores, allFiles: true});
	for (const file of walk.files) {
		if (file.path.toLowerCase().endsWith('.xmp') && !known.has(file.path)) {
			items.push({path: file.path, sha256: null, sidecar: true, size: file.size});
			known.add(file.path);
		}
	}

	manifest.library = library.root;
	// What this run will write, as far as the manifest tells without reading: checked against the free space before
	// the first byte, so a too-small target is refused with one line instead of failing half way.
	const neededBytes = items.reduce((sum, item) => {
		const written = manifest.files[item.path];
		const current = written && (item.sidecar ? written.size === item.size : written.sha256 === item.sha256);
		return current || item.damaged ? sum : sum + item.size;
	}, 0);
	if (!options.dryRun) {
		fs.mkdirSync(target, {recursive: true});
	}

	const inTarget = fs.existsSync(target) ? await walkLibrary(target, {ignore: [backupDirName], allFiles: true}) : undefined;
	const leftovers = await cleanLeftovers(target, inTarget?.files.map(file => file.path) ?? [], Boolean(options.dryRun));
	if (!options.dryRun) {
		try {
			ensureFreeSpace(target, neededBytes);
			// A manifest exists from the start, so the target is recognised as a backup (verify --backup) whatever
			// happens to this run.
			if (!fs.existsSync(manifestPath(target))) {
				writeManifest(target, manifest);
			}
		} catch (error) {
			throw isDiskFull(error) ? diskFullError(target, neededBytes) : error;
		}
	}

	const report: BackupReport = {
		target,
		library: library.root,
		files: items.length,
		sidecars: items.filter(item => item.sidecar).length,
		copied: 0,
		unchanged: 0,
		replaced: 0,
		copiedBytes: 0,
		extra: [],
		pruned: 0,
		movedAsideTo: null,
		catalogSnapshot: null,
		errors: [],
		damaged: [],
		...leftovers,
		...(options.dryRun ? {toCopy: []} : {}),
		dryRun: Boolean(options.dryRun),
		interrupted: false,
		seconds: 0,
	};
	const asideRoot = path.join(target, backupDirName, stamp());
	const moveAside = (relative: string, kind: 'replaced' | 'pruned') => {
		const destination = path.join(asideRoot, kind, relative);
		fs.mkdirSync(path.dirname(destination), {recursive: true});
		fs.renameSync(path.join(target, relative), destination);
		report.movedAsideTo = asideRoot;
	};

	// Masters the target now holds with their catalogued bytes (copied and verified, or found there unchanged).
	const held = new Set<string>();
	let done = 0;
	let diskFull: unknown;
	try {
		for (const item of items) {
			if (options.signal?.aborted) {
				break;
			}

			onProgress({total: items.length, done, copiedBytes: report.copiedBytes, current: item.path});
			try {
				// eslint-disable-next-line no-await-in-loop
				await backupOne(item);
			} catch (error) {
				if (isDiskFull(error)) {
					// The copy's temporary file is gone (copyToTemporary removes it); every later copy would fail too.
					diskFull = error;
					break;
				}

				report.errors.push({path: item.path, error: error instanceof Error ? error.message : String(error)});
			}

			done++;
			onProgress({total: items.length, done, copiedBytes: report.copiedBytes});
		}

		report.interrupted = (options.signal?.aborted ?? false) || diskFull !== undefined;
		if (!report.interrupted) {
			findExtra();
			if (!options.dryRun) {
				report.catalogSnapshot = await snapshotCatalog();
			}
		}
	} catch (error) {
		if (!isDiskFull(error)) {
			throw error;
		}

		diskFull = error;
	} finally {
		if (!options.dryRun) {
			try {
				writeManifest(target, manifest);
			} catch (error) {
				// The manifest written before stays valid; a full disk is reported below as the reason.
				if (!isDiskFull(error)) {
					throw error;
				}

				diskFull ??= error;
			}
		}

		report.seconds = Math.round((performance.now() - started) / 10) / 100;
	}

	if (!options.dryRun) {
		recordHeld(!report.interrupted && diskFull === undefined);
	}

	if (diskFull !== undefined) {
		throw diskFullError(target, Math.max(0, neededBytes - report.copiedBytes));
	}

	return report;

	/** The catalog's backup records (issue 18): written after the copies are verified and renamed into place. */
	function recordHeld(complete: boolean): void {
		const records = new BackupStore(catalog);
		const targetRecord = records.target('mirror', target);
		const files = records.sources().filter(file => held.has(file.path)).map(file => ({fileId: file.id, sha256: file.sha256, size: file.size, mtimeMs: file.mtimeMs}));
		records.recordBackup(targetRecord.id, null, new Date().toISOString(), files, complete);
	}

	async function backupOne(item: Item): Promise<void> {
		const source = path.join(library.root, item.path);
		const destination = path.join(target, item.path);
		const sourceStat = await fs.promises.stat(source);
		const written = manifest.files[item.path];
		const targetStat = await fs.promises.stat(destination).catch(() => undefined);
		const sameAsWritten = written && targetStat && targetStat.size === written.size && Math.trunc(targetStat.mtimeMs) === written.mtimeMs;
		// A master is identified by its catalogued hash; a sidecar (not catalogued) by its size and mtime, which the
		// copy keeps.
		const unchanged = item.sidecar
			? // Compared with the source's own recorded mtime: the copy's mtime goes through a Date and a float of seconds
				// in utimes, which can land a millisecond lower.
				sameAsWritten && sourceStat.size === written.size && written.sourceMtimeMs === sourceStat.mtimeMs
			: sameAsWritten && written.sha256 === item.sha256;
		if (unchanged) {
			report.unchanged++;
			if (!item.sidecar) {
				held.add(item.path);
			}

			return;
		}

		if (item.damaged) {
			// Its bytes rotted (verify recorded it): never copied over the backup's good copy, nor read into a new one.
			report.damaged.push(item.path);
			return;
		}

		let expected = item.sha256 ?? undefined;
		if (targetStat && !sameAsWritten) {
			// Already in the target but not (or differently) in the manifest, e.g. after an interrupted run or a copy
			// made by hand: adopt it if its bytes are right rather than copying again.
			expected ??= (await hashFile(source)).sha256;
			const there = await hashFile(destination);
			if (there.sha256 === expected) {
				manifest.files[item.path] = {sha256: there.sha256, size: targetStat.size, mtimeMs: Math.trunc(targetStat.mtimeMs)};
				report.unchanged++;
				if (!item.sidecar && there.sha256 === item.sha256) {
					held.add(item.path);
				}

				return;
			}
		}

		if (options.dryRun) {
			report.toCopy!.push(item.path);
			report.copied++;
			report.copiedBytes += sourceStat.size;
			return;
		}

		const copy = await copyToTemporary(source, destination, item.sha256);
		if (targetStat) {
			moveAside(item.path, 'replaced');
			report.replaced++;
		}

		await fs.promises.utimes(copy.temporary, sourceStat.atime, sourceStat.mtime);
		await fs.promises.rename(copy.temporary, destination);
		const finalStat = await fs.promises.stat(destination);
		manifest.files[item.path] = {sha256: copy.sha256, size: finalStat.size, mtimeMs: Math.trunc(finalStat.mtimeMs), sourceMtimeMs: sourceStat.mtimeMs};
		report.copied++;
		report.copiedBytes += copy.bytes;
		if (!item.sidecar) {
			held.add(item.path);
		}
	}

	function findExtra(): void {
		if (!inTarget) {
			return;
		}

		report.extra = inTarget.files.map(file => file.path).filter(file => !known.has(file) && temporaryOwner(path.posix.basename(file)) === undefined);
		if (options.prune && !options.dryRun) {
			for (const relative of report.extra) {
				moveAside(relative, 'pruned');
				delete manifest.files[relative];
				report.pruned++;
			}
		}
	}

	async function snapshotCatalog(): Promise<string> {
		// Snapshot to local disk first, then copy sequentially: SQLite's page writes are random access, which mounts
		// such as rclone without a write cache do not support.
		const local = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-snapshot-'));
		try {
			const snapshot = path.join(local, 'catalog.db');
			await store.snapshotTo(snapshot);
			const destination = path.join(target, backupDirName, 'catalog.db');
			const copy = await copyToTemporary(snapshot, destination);
			if (fs.existsSync(destination)) {
				// The snapshot before this one stays as catalog.previous.db (older ones are superseded).
				fs.renameSync(destination, path.join(target, backupDirName, 'catalog.previous.db'));
			}

			fs.renameSync(copy.temporary, destination);
			return destination;
		} finally {
			fs.rmSync(local, {recursive: true, force: true});
		}
	}
}

/**
 * Removes the temporary files that earlier runs killed mid-copy left in the target (`.curate-tmp-PID-…`, the older
 * `.NAME.curate-tmp-PID`, and a manifest's `manifest.json.tmp-PID`): they are Curate's own partial copies, never a
 * photo. Those of a process still alive (another backup running) are left alone. A dry run only lists them.
 */
async function cleanLeftovers(target: string, files: readonly string[], dryRun: boolean): Promise<{leftoversRemoved: string[]; leftoversKept: string[]}> {
	const own = backupDirName;
	let inBackupDir: string[] = [];
	try {
		inBackupDir = fs.readdirSync(path.join(target, own)).map(name => `${own}/${name}`);
	} catch {}

	const removed: string[] = [];
	const kept: string[] = [];
	for (const relative of [...files, ...inBackupDir]) {
		const pid = temporaryOwner(path.posix.basename(relative));
		if (pid === undefined) {
			continue;
		}

		if (pid !== process.pid && pidAlive(pid)) {
			kept.push(relative);
			continue;
		}

		if (!dryRun) {
			// eslint-disable-next-line no-await-in-loop
			await fs.promises.rm(path.join(target, relative), {force: true});
		}

		removed.push(relative);
	}

	return {leftoversRemoved: removed, leftoversKept: kept};
}
