import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pMap from 'p-map';
import {
	backupPaths, checkPassword, forgetSnapshots, initRepository, removeStaleLocks, repositoryExists, type ResticRepository, resticVersion,
} from '../adapters/restic.js';
import {type BackupSource, BackupStore} from '../db/backups.js';
import type {Catalog} from '../db/catalog.js';
import {HealthStore} from '../db/health.js';
import {UserError} from '../errors.js';
import type {Library} from '../library.js';
import {checkInside, makeFoldersInside} from '../safe-path.js';
import {defaultIgnores, walkLibrary} from '../scan/walk.js';
import {loadTargetSettings, type TargetSettings} from './backup-settings.js';
import {hashFile} from './hash-file.js';

/** The folder in `.curate` that holds the catalog snapshot while restic reads it (the only part of `.curate` backed up). */
export const snapshotDirName = 'backup-snapshot';

/** Options of one restic backup. */
export type ResticBackupOptions = {
	readonly repository: ResticRepository;
	/** `restic:REPO`, the target's location in the catalog's records. */
	readonly location: string;
	/** Create the repository when there is none. */
	readonly init?: boolean;
	/** Work out what would be backed up, run nothing. */
	readonly dryRun?: boolean;
	/** The snapshot's time (restic's `--time`); now when absent. Tests use it to simulate a month of backups. */
	readonly time?: string;
	readonly signal?: AbortSignal;
};

/** Progress: first checking the files restic will read against the catalog, then restic's own progress. */
export type ResticBackupProgress = {readonly phase: 'checking' | 'backing up'; readonly total: number; readonly done: number; readonly current?: string};

/** What a restic backup did. */
export type ResticBackupReport = {
	target: string;
	library: string;
	libraryId: string;
	/** The snapshot saved (restic's short id), null in a dry run or when interrupted. */
	snapshot: string | null;
	initialised: boolean;
	files: number;
	sidecars: number;
	/** restic's counts: files new to the repository, changed since the parent snapshot, unmodified. */
	filesNew: number;
	filesChanged: number;
	filesUnmodified: number;
	/** Bytes restic added to the repository (after deduplication and compression). */
	dataAdded: number;
	bytesProcessed: number;
	/** Files left out because their bytes are not the catalog's (edited or rotted since the scan), with why. */
	excluded: Array<{path: string; reason: string}>;
	/** Files verify found damaged: left out, so the repository's earlier snapshots keep their good copies. */
	damaged: string[];
	/** Files restic could not read. */
	errors: Array<{path: string; error: string}>;
	retention: {
		keepWithin: string;
		keepLast: number;
		/** `shown`: first backup to this target, the policy is shown and applied from the next run on. */
		state: 'applied' | 'shown' | 'skipped';
		/** Snapshots removed (or, when shown, that the policy would remove). */
		removed: string[];
	};
	catalogSnapshot: boolean;
	dryRun: boolean;
	interrupted: boolean;
	seconds: number;
};

/** A path as a restic exclude pattern: absolute, glob characters escaped; `$` (which restic expands) and newlines match as `?`. */
export function excludePattern(absolute: string): string {
	return absolute.replaceAll(/[\\*?[]/g, character => `\\${character}`).replaceAll(/[$\n\r]/g, '?');
}

/**
 * Backs up a library into a restic repository as one snapshot tagged `curate` and `library:ID`: every present
 * catalogued file whose bytes are the catalog's, every `*.xmp` sidecar, and a consistent snapshot of the catalog
 * (`.curate/backup-snapshot/catalog.db`); nothing else of `.curate`. The snapshot's root is the library folder, so
 * restic finds its parent snapshot and reads only what changed.
 *
 * Files restic will read (new, or changed since this target's last backup) are first hashed and compared with the
 * catalog: bytes that differ (edited or rotted since the scan) are left out and listed, as are files verify found
 * damaged, so no snapshot carries bytes the catalog does not vouch for. The catalog records what the target holds only
 * after restic has saved the snapshot, and only for files whose size and mtime did not change while it ran.
 */
export async function backupToRestic(library: Library, catalog: Catalog, options: ResticBackupOptions, onProgress: (progress: ResticBackupProgress) => void = () => {}): Promise<ResticBackupReport> {
	const started = performance.now();
	const {repository} = options;
	resticVersion(repository.binary);
	checkPassword(repository);
	const store = new BackupStore(catalog);
	const libraryId = store.libraryId();
	const settings = loadTargetSettings(library, options.location);
	let initialised = false;
	if (!(await repositoryExists(repository))) {
		if (!options.init) {
			throw new UserError(`no restic repository at ${repository.repo}: create one with --init (restic will encrypt it with the password given)`);
		}

		if (!options.dryRun) {
			await initRepository(repository);
			initialised = true;
		}
	}

	const target = options.dryRun ? store.findTarget(options.location) : store.target('restic', options.location);
	const previous = target ? store.copies(target.id) : new Map();
	const report: ResticBackupReport = {
		target: options.location,
		library: library.root,
		libraryId,
		snapshot: null,
		initialised,
		files: 0,
		sidecars: 0,
		filesNew: 0,
		filesChanged: 0,
		filesUnmodified: 0,
		dataAdded: 0,
		bytesProcessed: 0,
		excluded: [],
		damaged: [],
		errors: [],
		retention: {keepWithin: settings.keepWithin, keepLast: settings.keepLast, state: 'skipped', removed: []},
		catalogSnapshot: false,
		dryRun: Boolean(options.dryRun),
		interrupted: false,
		seconds: 0,
	};

	// Which catalogued files go in: their bytes must be the catalog's.
	const sources = store.sources();
	const included = new Map<string, BackupSource & {readonly statSize: number; readonly statMtimeMs: number}>();
	let checked = 0;
	await pMap(sources, async source => {
		options.signal?.throwIfAborted();
		onProgress({phase: 'checking', total: sources.length, done: checked, current: source.path});
		try {
			if (source.damaged) {
				report.damaged.push(source.path);
				return;
			}

			const absolute = path.join(library.root, ...source.path.split('/'));
			let stat;
			try {
				stat = await fs.promises.lstat(absolute);
			} catch (error) {
				report.excluded.push({path: source.path, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing from disk (run curate scan)' : `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
				return;
			}

			if (!stat.isFile()) {
				report.excluded.push({path: source.path, reason: 'not a regular file'});
				return;
			}

			const mtimeMs = Math.trunc(stat.mtimeMs);
			if (stat.size !== source.size || mtimeMs !== source.mtimeMs) {
				report.excluded.push({path: source.path, reason: 'changed since the last scan (run curate scan, then back up)'});
				return;
			}

			const copy = previous.get(source.id);
			const alreadyThere = copy && copy.sha256 === source.sha256 && copy.size === stat.size && copy.mtimeMs === mtimeMs;
			if (!alreadyThere) {
				// restic will read these bytes: make sure they are the ones the catalog vouches for.
				const {sha256} = await hashFile(absolute, {signal: options.signal});
				if (sha256 !== source.sha256) {
					report.excluded.push({path: source.path, reason: 'its bytes differ from the catalog\'s while size and mtime did not (bit rot? run curate verify)'});
					return;
				}
			}

			included.set(source.path, {...source, statSize: stat.size, statMtimeMs: mtimeMs});
		} finally {
			checked++;
		}
	}, {concurrency: 2, signal: options.signal}).catch(error => {
		if ((error as Error).name !== 'AbortError') {
			throw error;
		}
	});
	if (options.signal?.aborted) {
		report.interrupted = true;
		report.seconds = elapsed(started);
		return report;
	}

	const walk = await walkLibrary(library.root, {ignore: defaultIgnores, allFiles: true});
	const sidecars = walk.files.filter(file => file.path.toLowerCase().endsWith('.xmp') && !included.has(file.path)).map(file => file.path);
	const selected = new Set([...included.keys(), ...sidecars]);
	report.files = included.size + sidecars.length;
	report.sidecars = sidecars.length;
	for (const list of [report.excluded, report.errors]) {
		list.sort((a, b) => (a.path < b.path ? -1 : 1));
	}

	report.damaged.sort();
	if (options.dryRun) {
		report.seconds = elapsed(started);
		return report;
	}

	// Everything in the library folder that is not selected is excluded by its exact path; Curate's own folder except
	// the catalog snapshot; NAS clutter by name, as scan ignores it.
	const excludes = [
		...defaultIgnores.filter(name => name !== '.curate'),
		...walk.files.filter(file => !selected.has(file.path)).map(file => excludePattern(path.join(library.root, ...file.path.split('/')))),
		...fs.readdirSync(library.dir).filter(name => name !== snapshotDirName).map(name => excludePattern(path.join(library.dir, name))),
	];
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-restic-'));
	const snapshotDir = path.join(library.dir, snapshotDirName);
	try {
		const excludeFile = path.join(scratch, 'exclude');
		fs.writeFileSync(excludeFile, excludes.join('\n') + '\n');
		makeFoldersInside(library.root, snapshotDir);
		const snapshotFile = checkInside(library.root, path.join(snapshotDir, 'catalog.db'));
		fs.rmSync(snapshotFile, {force: true});
		await new HealthStore(catalog).snapshotTo(snapshotFile);
		report.catalogSnapshot = true;
		await removeStaleLocks(repository);
		const {summary, errors} = await backupPaths(repository, [library.root], {
			excludeFile,
			tags: ['curate', `library:${libraryId}`],
			cwd: library.root,
			time: options.time,
			signal: options.signal,
			onStatus(status) {
				onProgress({phase: 'backing up', total: status.totalFiles, done: status.filesDone, current: status.current});
			},
		});
		report.snapshot = summary.snapshotId;
		report.filesNew = summary.filesNew;
		report.filesChanged = summary.filesChanged;
		report.filesUnmodified = summary.filesUnmodified;
		report.dataAdded = summary.dataAdded;
		report.bytesProcessed = summary.totalBytesProcessed;
		report.errors = errors.map(error => ({path: path.relative(library.root, error.path).split(path.sep).join('/') || error.path, error: error.error}));
	} catch (error) {
		if ((error as Error).name === 'AbortError') {
			report.interrupted = true;
			report.seconds = elapsed(started);
			return report;
		}

		throw error;
	} finally {
		fs.rmSync(scratch, {recursive: true, force: true});
		fs.rmSync(snapshotDir, {recursive: true, force: true});
	}

	// The snapshot is saved: record what it holds, leaving out files restic could not read and files that changed
	// while it ran (their snapshot bytes are not known to be the catalog's).
	const failed = new Set(report.errors.map(error => error.path));
	const recorded: Array<{fileId: number; sha256: string; size: number; mtimeMs: number}> = [];
	for (const file of included.values()) {
		if (failed.has(file.path)) {
			continue;
		}

		let stat;
		try {
			// eslint-disable-next-line no-await-in-loop
			stat = await fs.promises.lstat(path.join(library.root, ...file.path.split('/')));
		} catch {
			continue;
		}

		if (stat.size === file.statSize && Math.trunc(stat.mtimeMs) === file.statMtimeMs) {
			recorded.push({fileId: file.id, sha256: file.sha256, size: file.statSize, mtimeMs: file.statMtimeMs});
		} else {
			report.excluded.push({path: file.path, reason: 'changed while restic read it: back up again'});
		}
	}

	const at = new Date().toISOString();
	store.recordBackup(target!.id, report.snapshot, at, recorded, true);
	report.retention = await applyRetention(store, target!.id, target!.retentionShownAt === null, repository, settings, libraryId, at);
	report.seconds = elapsed(started);
	return report;
}

/**
 * Applies the target's retention (`forget --keep-within … --keep-last … --prune` over this library's snapshots). The
 * first backup to a target only shows the policy and what it would remove; later runs apply it. Records of files whose
 * last snapshot was forgotten are dropped, so the catalog never counts a backup that is gone.
 */
async function applyRetention(store: BackupStore, targetId: number, firstTime: boolean, repository: ResticRepository, settings: TargetSettings, libraryId: string, at: string): Promise<ResticBackupReport['retention']> {
	const policy = {keepWithin: settings.keepWithin, keepLast: settings.keepLast};
	const tags = ['curate', `library:${libraryId}`];
	if (firstTime) {
		const {removed} = await forgetSnapshots(repository, policy, tags, {dryRun: true});
		store.markRetentionShown(targetId, at);
		return {...policy, state: 'shown', removed};
	}

	const {removed} = await forgetSnapshots(repository, policy, tags, {prune: true});
	store.forgetSnapshots(targetId, removed);
	return {...policy, state: 'applied', removed};
}

const elapsed = (started: number) => Math.round((performance.now() - started) / 10) / 100;
