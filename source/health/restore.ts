import fs from 'node:fs';
import path from 'node:path';
import type {RestorePlanProgress} from '../core/progress.js';
import type {Operation} from '../core/journal.js';
import type {Catalog} from '../db/catalog.js';
import {type CataloguedFile, HealthStore} from '../db/health.js';
import type {Journal, RunOptions} from '../journal/journal.js';
import {replacementOperations} from '../journal/replacement.js';
import {type Library, UserError} from '../library.js';
import {realOrResolved} from './backup.js';
import {rethrowDiskFull} from '../disk-space.js';
import {copyToTemporary} from './copy-verified.js';
import {hashFile} from './hash-file.js';
import type {RestoreSource} from './restore-sources.js';

/** What to restore: named paths (library-relative), every file verify found damaged, every missing file. */
export type RestoreOptions = {
	/** Where the catalogued bytes come from: a mirrored folder or a restic repository. */
	readonly source: RestoreSource;
	readonly paths?: readonly string[];
	readonly damaged?: boolean;
	readonly missing?: boolean;
	/** Plan only: read and compare, change nothing. */
	readonly dryRun?: boolean;
	/** Progress of the planning reads (hashing the library's and the backup's copies). */
	readonly onPlanProgress?: (progress: RestorePlanProgress) => void;
};

/** One file restore brought back (or, in a dry run, would). */
export type Restored = {
	readonly path: string;
	/** `damaged`: the library's copy differs from the catalog (it goes to the trash); `missing`: no file at the path. */
	readonly was: 'damaged' | 'missing';
	/** The backup file its bytes come from. */
	readonly source: string;
	readonly size: number;
};

/** What a restore run did. Paths are library-relative. */
export type RestoreReport = {
	from: string;
	restored: Restored[];
	/** Files left alone, with why (intact, unreadable, not a regular file). */
	skipped: Array<{path: string; reason: string}>;
	/** Files the backup does not hold with their catalogued SHA-256. */
	notInBackup: Array<{path: string; reason: string}>;
	/** The journal batch (undo it with `curate undo`); null in a dry run or when nothing was restored. */
	batch: number | null;
	bytes: number;
	dryRun: boolean;
	seconds: number;
};

/** A restore worked out against the disk and the backup: the report it will give, and the journal operations. */
export type RestorePlan = {readonly report: RestoreReport; readonly operations: readonly Operation[]};

/** The library-relative path of a command-line PATH (relative to `cwd`), refused when it is outside the library. */
export function libraryPath(library: Library, cwd: string, input: string): string {
	const relative = path.relative(library.root, path.resolve(cwd, input));
	if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
		throw new UserError(`${input} is not inside the library ${library.root}`);
	}

	return relative.split(path.sep).join('/');
}

/** The files to consider, each once: named ones first, then damaged, then missing. */
function candidates(store: HealthStore, options: RestoreOptions): CataloguedFile[] {
	const chosen = new Map<string, CataloguedFile>();
	for (const relative of options.paths ?? []) {
		const file = store.cataloguedFile(relative);
		if (!file) {
			throw new UserError(`${relative} is not in the catalog (only catalogued files can be restored: their SHA-256 says which bytes are right)`);
		}

		chosen.set(file.path, file);
	}

	for (const file of [...(options.damaged ? store.damagedFiles() : []), ...(options.missing ? store.missingFiles() : [])]) {
		if (!chosen.has(file.path)) {
			chosen.set(file.path, file);
		}
	}

	return [...chosen.values()];
}

/**
 * Works out a restore (issue 13), changing nothing: which damaged or missing files get their catalogued bytes back
 * from a backup made by `curate backup`, found there by SHA-256 and verified. `applyRestore` then runs it as one
 * journaled batch that `curate undo` takes back. A damaged file (its bytes differ from the catalog's) goes to the
 * trash, never away; a missing one is copied back to its catalogued path; an intact one (its SHA-256 equals the
 * catalog's) is never touched.
 *
 * A damaged file's restore is three operations: the good copy comes in under a short temporary name beside it, the
 * damaged file goes to the trash, and the copy is moved into its place (a missing file's, the first and the last).
 * Each has its own trash slot, so undo puts the damaged file back and the restored copy in the trash.
 */
export async function planRestore(library: Library, catalog: Catalog, options: RestoreOptions): Promise<RestorePlan> {
	const started = performance.now();
	const from = options.source.description;
	const store = new HealthStore(catalog);
	const files = candidates(store, options);
	const report: RestoreReport = {from, restored: [], skipped: [], notInBackup: [], batch: null, bytes: 0, dryRun: Boolean(options.dryRun), seconds: 0};
	const operations: Operation[] = [];
	for (const [index, file] of files.entries()) {
		options.onPlanProgress?.({done: index, total: files.length, current: file.path});
		const absolute = path.join(library.root, ...file.path.split('/'));
		let stat: fs.Stats | undefined;
		try {
			stat = fs.lstatSync(absolute);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				report.skipped.push({path: file.path, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
				continue;
			}
		}

		let current: {sha256: string; bytes: number} | undefined;
		if (stat) {
			if (!stat.isFile()) {
				report.skipped.push({path: file.path, reason: 'not a regular file (a folder or a symbolic link is in its place)'});
				continue;
			}

			try {
				// eslint-disable-next-line no-await-in-loop
				current = await hashFile(absolute);
			} catch (error) {
				report.skipped.push({path: file.path, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`});
				continue;
			}

			if (current.sha256 === file.sha256) {
				report.skipped.push({path: file.path, reason: 'intact (its SHA-256 equals the catalog\'s): left alone'});
				continue;
			}
		}

		// eslint-disable-next-line no-await-in-loop
		const source = await options.source.find(file);
		if (!source) {
			report.notInBackup.push({path: file.path, reason: `the backup holds no file with its catalogued SHA-256 (${file.sha256.slice(0, 12)}…)`});
			continue;
		}

		// The good copy lands under a short temporary name and is renamed into place (a copy straight to the file's own
		// path would go through `NAME.curate-partial`, too long beside a 255-byte name).
		operations.push(...replacementOperations({kind: 'copy', source, sha256: file.sha256, size: file.size}, file.path, current && {sha256: current.sha256, size: current.bytes}));

		report.restored.push({path: file.path, was: current ? 'damaged' : 'missing', source, size: file.size});
		report.bytes += file.size;
	}

	options.onPlanProgress?.({done: files.length, total: files.length});
	report.seconds = Math.round((performance.now() - started) / 10) / 100;
	return {report, operations};
}

/**
 * Applies a plan as one journal batch (every copy verified by SHA-256; any failure rolls the whole batch back) and
 * records the restored files as present and intact.
 */
export async function applyRestore(journal: Journal, catalog: Catalog, plan: RestorePlan, options: RunOptions & {readonly command?: string} = {}): Promise<RestoreReport> {
	const started = performance.now();
	const {report, operations} = plan;
	if (operations.length === 0) {
		return report;
	}

	const count = report.restored.length;
	const result = await journal.apply(
		{command: options.command ?? 'restore', label: `restore ${count} file${count === 1 ? '' : 's'} from ${report.from}`, operations},
		{onProgress: options.onProgress},
	);
	report.batch = result.batch;
	const store = new HealthStore(catalog);
	// The restored bytes are the catalogued ones, verified by SHA-256 on the way in: the file is present and intact.
	for (const restored of report.restored) {
		store.markRestored(restored.path);
	}

	report.seconds += Math.round((performance.now() - started) / 10) / 100;
	return report;
}

/** What `curate restore --to DIR` wrote. */
export type RestoreElsewhereReport = {
	from: string;
	to: string;
	restored: Array<{path: string; size: number}>;
	skipped: Array<{path: string; reason: string}>;
	notInBackup: Array<{path: string; reason: string}>;
	bytes: number;
	dryRun: boolean;
	seconds: number;
};

/**
 * Restores the catalogued bytes of the chosen files into `dir` (at their library-relative paths) without touching the
 * library: nothing is journaled, because nothing in the library changes. Each copy is verified by SHA-256 before it is
 * renamed into place; a file already in `dir` is never overwritten. `dir` must lie outside the library.
 */
export async function restoreElsewhere(library: Library, catalog: Catalog, options: RestoreOptions & {readonly to: string}): Promise<RestoreElsewhereReport> {
	const started = performance.now();
	const to = path.resolve(options.to);
	const relative = path.relative(fs.realpathSync(library.root), realOrResolved(to));
	if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
		throw new UserError(`--to ${to} is inside the library: restore into the library without --to (journaled), or choose a folder outside it`);
	}

	const store = new HealthStore(catalog);
	const files = candidates(store, options);
	const report: RestoreElsewhereReport = {from: options.source.description, to, restored: [], skipped: [], notInBackup: [], bytes: 0, dryRun: Boolean(options.dryRun), seconds: 0};
	for (const [index, file] of files.entries()) {
		options.onPlanProgress?.({done: index, total: files.length, current: file.path});
		const destination = path.join(to, ...file.path.split('/'));
		if (fs.existsSync(destination)) {
			report.skipped.push({path: file.path, reason: `${destination} already exists: left alone`});
			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		const source = await options.source.find(file);
		if (!source) {
			report.notInBackup.push({path: file.path, reason: `the backup holds no file with its catalogued SHA-256 (${file.sha256.slice(0, 12)}…)`});
			continue;
		}

		if (!options.dryRun) {
			fs.mkdirSync(path.dirname(destination), {recursive: true});
			let copy: Awaited<ReturnType<typeof copyToTemporary>>;
			try {
				// eslint-disable-next-line no-await-in-loop
				copy = await copyToTemporary(source, destination, file.sha256);
			} catch (error) {
				// The temporary copy is gone (copyToTemporary removes it); every later file would fail the same way.
				rethrowDiskFull(error, to, files.slice(index).reduce((sum, left) => sum + left.size, 0));
			}

			fs.renameSync(copy.temporary, destination);
			fs.utimesSync(destination, file.mtimeMs / 1000, file.mtimeMs / 1000);
		}

		report.restored.push({path: file.path, size: file.size});
		report.bytes += file.size;
	}

	options.onPlanProgress?.({done: files.length, total: files.length});
	report.seconds = Math.round((performance.now() - started) / 10) / 100;
	return report;
}
