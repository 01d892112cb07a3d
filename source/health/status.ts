import fs from 'node:fs';
import path from 'node:path';
import {loadConfig} from '../config.js';
import {BackupStore} from '../db/backups.js';
import type {Catalog} from '../db/catalog.js';
import {HealthStore, type Tally} from '../db/health.js';
import {duplicateTotals, type SearchHooks} from '../dupes/in-catalog.js';
import type {Library} from '../library.js';
import {loadTargetSettings} from './backup-settings.js';

/** What is in the trash, read from `.curate/trash/<batch>/<relative path>` on disk. */
export type TrashSummary = {
	batches: number;
	files: number;
	bytes: number;
	/** The batch trashed longest ago (by its folder's time), or null when the trash is empty. */
	oldest: {batch: string; trashedAt: string} | null;
};

/** Everything `curate status` shows, as plain data. */
export type LibraryStatus = {
	root: string;
	files: number;
	bytes: number;
	/** Catalogued files that were not found by the last scan. */
	missing: number;
	byFormat: Tally[];
	byYear: Tally[];
	duplicates: {clusters: number; files: number; reclaimableBytes: number};
	/** Present files with AI tags (rejected ones aside); null until `curate tag` has tagged anything. */
	tagged: number | null;
	trash: TrashSummary;
	journalBatches: number;
	exports: number;
	lastScan: {startedAt: string; finishedAt: string | null; state: string; errors: number | null} | null;
	lastVerify: {finishedAt: string | null; state: string; checked: number; damaged: number; modified: number; missing: number; unreadable: number} | null;
	lastBackupVerify: {target: string; finishedAt: string | null; state: string; checked: number; damaged: number; missing: number} | null;
	/** Present files no verify run has read yet. */
	neverVerified: number;
	/** Files whose latest verification found them damaged (bit rot) or unreadable, across all runs. */
	knownDamaged: number;
	/** Files whose last read failed (unreadable, corrupt, not a photo), first 20 by path. */
	errors: Array<{path: string; error: string}>;
	errorCount: number;
	backups: BackupStatus;
};

/** The 3-2-1 view: each target's last successful backup, and how many files are in none, one, or two or more. */
export type BackupStatus = {
	targets: Array<{location: string; kind: 'mirror' | 'restic'; lastSuccessAt: string | null; snapshot: string | null; ageDays: number | null; maxAgeDays: number; overdue: boolean}>;
	/** Present files whose current content no target holds. */
	inNoBackup: number;
	/** … exactly one target holds. */
	inOneBackup: number;
	/** … two or more targets hold. */
	inTwoOrMore: number;
};

/** Each backup target's last success against its maximum age, and how many copies each file's content has. */
export function backupStatus(library: Library, catalog: Catalog, now = Date.now()): BackupStatus {
	const store = new BackupStore(catalog);
	const coverage = store.coverage();
	let inTwoOrMore = 0;
	for (const [copies, files] of coverage) {
		if (copies >= 2) {
			inTwoOrMore += files;
		}
	}

	return {
		targets: store.targets().map(target => {
			const {maxAgeDays} = loadTargetSettings(library, target.location);
			const ageDays = target.lastSuccessAt ? (now - Date.parse(target.lastSuccessAt)) / 86_400_000 : null;
			return {location: target.location, kind: target.kind, lastSuccessAt: target.lastSuccessAt, snapshot: target.lastSnapshot, ageDays, maxAgeDays, overdue: ageDays === null || ageDays > maxAgeDays};
		}),
		inNoBackup: coverage.get(0) ?? 0,
		inOneBackup: coverage.get(1) ?? 0,
		inTwoOrMore,
	};
}

/** Reads the trash folder from disk; an absent folder is an empty trash. Unreadable entries are skipped, not fatal. */
export function readTrash(trashDir: string): TrashSummary {
	const summary: TrashSummary = {batches: 0, files: 0, bytes: 0, oldest: null};
	let batches: fs.Dirent[];
	try {
		batches = fs.readdirSync(trashDir, {withFileTypes: true});
	} catch {
		return summary;
	}

	let oldestMs = Number.POSITIVE_INFINITY;
	const count = (dir: string) => {
		let entries: fs.Dirent[] = [];
		try {
			entries = fs.readdirSync(dir, {withFileTypes: true});
		} catch {}

		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				count(full);
			} else if (entry.isFile()) {
				summary.files++;
				try {
					summary.bytes += fs.statSync(full).size;
				} catch {}
			}
		}
	};

	for (const batch of batches.filter(entry => entry.isDirectory())) {
		summary.batches++;
		const full = path.join(trashDir, batch.name);
		count(full);
		try {
			// A file keeps its own mtime when moved, so the batch folder's time is when things were trashed.
			const {mtimeMs} = fs.statSync(full);
			if (mtimeMs < oldestMs) {
				oldestMs = mtimeMs;
				summary.oldest = {batch: batch.name, trashedAt: new Date(mtimeMs).toISOString()};
			}
		} catch {}
	}

	return summary;
}

const count = (stats: unknown, key: string): number => {
	const value = (stats as Record<string, unknown> | null)?.[key];
	return typeof value === 'number' ? value : 0;
};

/** Gathers the library's status from the catalog, the duplicate finder and the trash folder. */
export function libraryStatus(library: Library, catalog: Catalog, hooks: SearchHooks = {}): LibraryStatus {
	const store = new HealthStore(catalog);
	const tallies = store.tallies();
	const problems = store.problemCounts();
	// From the kept search's index when valid, without reading its clusters, else a search over light records (issue 15).
	const duplicates = duplicateTotals(catalog, {kind: 'all', keeper: loadConfig(library).keeper}, hooks);
	const scan = catalog.lastScan();
	const verify = store.lastVerifyRun('library');
	const backup = store.lastVerifyRun('backup');
	const outcomes = store.checkOutcomes();
	return {
		root: library.root,
		files: tallies.files,
		bytes: tallies.bytes,
		missing: problems.missing,
		byFormat: tallies.byFormat,
		byYear: tallies.byYear,
		duplicates,
		tagged: store.taggedFiles(),
		trash: readTrash(library.trashDir),
		journalBatches: store.journalBatches(),
		exports: store.derivativeCount(),
		lastScan: scan
			? {startedAt: scan.startedAt, finishedAt: scan.finishedAt, state: scan.state, errors: typeof (scan.stats as any)?.errors === 'number' ? (scan.stats as any).errors : null}
			: null,
		lastVerify: verify
			? {
					finishedAt: verify.finishedAt,
					state: verify.state,
					checked: count(verify.stats, 'checked'),
					damaged: count(verify.stats, 'damaged'),
					modified: count(verify.stats, 'modified'),
					missing: count(verify.stats, 'missing'),
					unreadable: count(verify.stats, 'unreadable'),
				}
			: null,
		lastBackupVerify: backup
			? {target: backup.targetPath, finishedAt: backup.finishedAt, state: backup.state, checked: count(backup.stats, 'checked'), damaged: count(backup.stats, 'damaged'), missing: count(backup.stats, 'missing')}
			: null,
		neverVerified: store.neverVerifiedCount(),
		knownDamaged: (outcomes.damaged ?? 0) + (outcomes.unreadable ?? 0),
		errors: store.fileErrors(20),
		errorCount: problems.errors,
		backups: backupStatus(library, catalog),
	};
}
