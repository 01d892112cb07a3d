import {connectionOf} from './connection.js';
import {randomUUID} from 'node:crypto';
import type Database from 'better-sqlite3';
import type {Catalog} from './catalog.js';
import {damagedOutcome} from './health.js';

/** The kinds of backup target Curate knows: a mirrored folder (`curate backup --to DIR`) or a restic repository. */
export type BackupKind = 'mirror' | 'restic';

/** A backup target as the catalog records it. */
export type BackupTarget = {
	readonly id: number;
	readonly kind: BackupKind;
	/** An absolute folder, or `restic:REPO`. */
	readonly location: string;
	readonly lastSuccessAt: string | null;
	readonly lastSnapshot: string | null;
	readonly lastFiles: number | null;
	readonly retentionShownAt: string | null;
	/** The next `n` of restic's `--read-data-subset n/t`, so each check reads a different part. */
	readonly checkNext: number;
};

/** What a target holds of one file: the content it backed up, and when. */
export type BackupCopy = {
	readonly fileId: number;
	readonly sha256: string;
	readonly size: number;
	readonly mtimeMs: number;
	readonly snapshot: string | null;
	readonly backedUpAt: string;
};

/** A present, catalogued file as a backup needs it. */
export type BackupSource = {
	readonly id: number;
	readonly path: string;
	readonly size: number;
	readonly mtimeMs: number;
	readonly sha256: string;
	/** verify found its bytes rotted: never backed up over a good copy. */
	readonly damaged: boolean;
};

/** One of a file's backups, for `curate show`. */
export type FileBackup = {
	readonly location: string;
	readonly kind: BackupKind;
	readonly backedUpAt: string;
	readonly snapshot: string | null;
	/** The backed-up content is the file's current catalogued content. */
	readonly current: boolean;
};

const toTarget = (row: Record<string, any>): BackupTarget => ({
	id: row.id,
	kind: row.kind,
	location: row.location,
	lastSuccessAt: row.last_success_at,
	lastSnapshot: row.last_snapshot,
	lastFiles: row.last_files,
	retentionShownAt: row.retention_shown_at,
	checkNext: row.check_next,
});

/**
 * Backup records (migration 12, issue 18): every target, and per file the content each target last backed up. A
 * record is written only after the backup it describes is complete (a restic snapshot saved, a mirror copy verified
 * and renamed into place), so the records never claim more than the targets hold.
 */
export class BackupStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(private readonly catalog: Catalog) {
		this.db = connectionOf(catalog);
		const db = this.db;
		this.statements = {
			targetByLocation: db.prepare<[string], Record<string, any>>('SELECT * FROM backup_targets WHERE location = ?'),
			addTarget: db.prepare<[string, string]>('INSERT INTO backup_targets (kind, location) VALUES (?, ?) ON CONFLICT(location) DO NOTHING'),
			targets: db.prepare<[], Record<string, any>>('SELECT * FROM backup_targets ORDER BY location'),
			finish: db.prepare<{id: number; at: string; snapshot: string | null; files: number}>(
				'UPDATE backup_targets SET last_success_at = @at, last_snapshot = @snapshot, last_files = @files WHERE id = @id',
			),
			retentionShown: db.prepare<[string, number]>('UPDATE backup_targets SET retention_shown_at = ? WHERE id = ?'),
			checkNext: db.prepare<[number, number]>('UPDATE backup_targets SET check_next = ? WHERE id = ?'),
			record: db.prepare<{fileId: number; targetId: number; sha256: string; size: number; mtimeMs: number; snapshot: string | null; at: string}>(
				`INSERT INTO backup_copies (file_id, target_id, sha256, size, mtime_ms, snapshot, backed_up_at)
				VALUES (@fileId, @targetId, @sha256, @size, @mtimeMs, @snapshot, @at)
				ON CONFLICT(file_id, target_id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, mtime_ms = excluded.mtime_ms,
					snapshot = excluded.snapshot, backed_up_at = excluded.backed_up_at`,
			),
			copies: db.prepare<[number], {file_id: number; sha256: string; size: number; mtime_ms: number; snapshot: string | null; backed_up_at: string}>(
				'SELECT file_id, sha256, size, mtime_ms, snapshot, backed_up_at FROM backup_copies WHERE target_id = ?',
			),
			sources: db.prepare<[], {id: number; path: string; size: number; mtime_ms: number; sha256: string; damaged: number}>(
				`SELECT f.id, f.path, f.size, f.mtime_ms, f.sha256, coalesce(c.outcome = '${damagedOutcome}', 0) AS damaged
				FROM files f LEFT JOIN file_checks c ON c.file_id = f.id
				WHERE f.status = 'present' AND f.sha256 IS NOT NULL ORDER BY f.path`,
			),
			forgetSnapshot: db.prepare<[number, string]>('DELETE FROM backup_copies WHERE target_id = ? AND snapshot = ?'),
			coverage: db.prepare<[], {copies: number; files: number}>(
				`SELECT copies, count(*) AS files FROM (
					SELECT f.id, (SELECT count(*) FROM backup_copies b WHERE b.file_id = f.id AND b.sha256 = f.sha256) AS copies
					FROM files f WHERE f.status = 'present' AND f.sha256 IS NOT NULL
				) GROUP BY copies`,
			),
			fileBackups: db.prepare<[string], {location: string; kind: BackupKind; backed_up_at: string; snapshot: string | null; current: number}>(
				`SELECT t.location, t.kind, b.backed_up_at, b.snapshot, b.sha256 = f.sha256 AS current
				FROM files f JOIN backup_copies b ON b.file_id = f.id JOIN backup_targets t ON t.id = b.target_id
				WHERE f.path = ? ORDER BY b.backed_up_at DESC`,
			),
		};
	}

	/** The library's id: random, made once, kept in the catalog (restic snapshots are tagged with it). */
	libraryId(): string {
		let id = this.catalog.setting('library_id');
		if (!id) {
			id = randomUUID();
			this.catalog.setSetting('library_id', id);
		}

		return id;
	}

	/** The library's id if it was ever made (a read-only catalog cannot make one). */
	knownLibraryId(): string | undefined {
		return this.catalog.setting('library_id');
	}

	/** The target at `location`, recorded on first use. */
	target(kind: BackupKind, location: string): BackupTarget {
		this.statements.addTarget.run(kind, location);
		return toTarget(this.statements.targetByLocation.get(location)!);
	}

	/** The target at `location` if one was ever recorded. */
	findTarget(location: string): BackupTarget | undefined {
		const row = this.statements.targetByLocation.get(location);
		return row ? toTarget(row) : undefined;
	}

	/** Every recorded target. */
	targets(): BackupTarget[] {
		return this.statements.targets.all().map(row => toTarget(row));
	}

	/** Present catalogued files with a hash: what a backup copies. */
	sources(): BackupSource[] {
		return this.statements.sources.all().map(row => ({id: row.id, path: row.path, size: row.size, mtimeMs: row.mtime_ms, sha256: row.sha256, damaged: row.damaged === 1}));
	}

	/** What `targetId` holds of each file, by file id. */
	copies(targetId: number): Map<number, BackupCopy> {
		return new Map(this.statements.copies.all(targetId).map(row => [row.file_id, {
			fileId: row.file_id, sha256: row.sha256, size: row.size, mtimeMs: row.mtime_ms, snapshot: row.snapshot, backedUpAt: row.backed_up_at,
		}]));
	}

	/**
	 * Records a completed backup: each file's backed-up content in one transaction, then the target's last success.
	 * Called only once the target holds all of it.
	 */
	recordBackup(targetId: number, snapshot: string | null, at: string, files: ReadonlyArray<{readonly fileId: number; readonly sha256: string; readonly size: number; readonly mtimeMs: number}>, complete: boolean): void {
		this.db.transaction(() => {
			for (const file of files) {
				this.statements.record.run({fileId: file.fileId, targetId, sha256: file.sha256, size: file.size, mtimeMs: file.mtimeMs, snapshot, at});
			}

			if (complete) {
				this.statements.finish.run({id: targetId, at, snapshot, files: files.length});
			}
		})();
	}

	/** Notes that the retention policy was shown to the user, so later runs apply it. */
	markRetentionShown(targetId: number, at: string): void {
		this.statements.retentionShown.run(at, targetId);
	}

	/** Stores the next read-data subset of a target's checks. */
	setCheckNext(targetId: number, next: number): void {
		this.statements.checkNext.run(next, targetId);
	}

	/**
	 * Drops the records of snapshots retention removed (restic's full ids; the records keep the short id restic's
	 * backup printed), so a file whose only copy was in a forgotten snapshot counts as in no backup.
	 */
	forgetSnapshots(targetId: number, removedIds: readonly string[]): void {
		this.db.transaction(() => {
			for (const id of removedIds) {
				for (const length of [8, id.length]) {
					this.statements.forgetSnapshot.run(targetId, id.slice(0, length));
				}
			}
		})();
	}

	/** How many present files have their current content in 0, 1, 2… targets. */
	coverage(): Map<number, number> {
		return new Map(this.statements.coverage.all().map(row => [row.copies, row.files]));
	}

	/** The backups holding the file at `path`, newest first. */
	backupsOf(path: string): FileBackup[] {
		return this.statements.fileBackups.all(path).map(row => ({location: row.location, kind: row.kind, backedUpAt: row.backed_up_at, snapshot: row.snapshot, current: row.current === 1}));
	}
}
