import Database from 'better-sqlite3';
import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';

/** A shareable copy written by `curate export`, as recorded in the catalog. */
export type Derivative = {
	readonly id: number;
	readonly masterSha256: string;
	readonly masterPath: string;
	readonly settings: string;
	readonly outputDir: string;
	readonly outputPath: string;
	readonly outputSha256: string;
	readonly outputSize: number;
	readonly createdAt: string;
};

/** A catalogued file as verify needs it: what its bytes and stat looked like when it was scanned. */
export type VerifyCandidate = {
	readonly id: number;
	readonly path: string;
	readonly size: number;
	readonly mtimeMs: number;
	readonly sha256: string;
	readonly verifiedAt: string | null;
};

/** A catalogued file as restore needs it: its path and the bytes the catalog recorded. */
export type CataloguedFile = {
	readonly id: number;
	readonly path: string;
	readonly size: number;
	readonly mtimeMs: number;
	readonly sha256: string;
	/** `present`, or `missing` (gone from disk; never a trashed file, whose row also reads `missing`). */
	readonly status: 'present' | 'missing';
};

/**
 * The outcome a file's latest check records when its bytes changed while its size and mtime did not (bit rot). The
 * one notion of "damaged" that verify records, backup refuses to copy and restore repairs (issue 13).
 */
export const damagedOutcome = 'damaged';

/** One recorded verify run. */
export type VerifyRun = {
	readonly id: number;
	readonly target: 'library' | 'backup';
	readonly targetPath: string;
	readonly startedAt: string;
	readonly finishedAt: string | null;
	readonly state: string;
	readonly stats: unknown;
};

/** Count and bytes of one group of files. */
export type Tally = {readonly key: string; readonly files: number; readonly bytes: number};

function toCatalogued(row: {id: number; path: string; size: number; mtime_ms: number; sha256: string; status: 'present' | 'missing'}): CataloguedFile {
	return {id: row.id, path: row.path, size: row.size, mtimeMs: row.mtime_ms, sha256: row.sha256, status: row.status};
}

/**
 * Statements of the library-health tables (migration 5): export derivatives, verify runs and per-file verification
 * times, plus the read-only aggregates `curate status` shows. Built on an open catalog's connection.
 */
export class HealthStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(catalog: Catalog) {
		this.db = connectionOf(catalog);
		const db = this.db;
		this.statements = {
			findDerivatives: db.prepare<[string, string, string], Record<string, any>>(
				'SELECT * FROM derivatives WHERE master_sha256 = ? AND settings = ? AND output_dir = ? ORDER BY id DESC',
			),
			addDerivative: db.prepare(`INSERT INTO derivatives (master_sha256, master_path, settings, output_dir, output_path, output_sha256, output_size, created_at)
				VALUES (@masterSha256, @masterPath, @settings, @outputDir, @outputPath, @outputSha256, @outputSize, @createdAt)`),
			countDerivatives: db.prepare<[], {n: number}>('SELECT count(*) AS n FROM derivatives'),
			candidates: db.prepare<[], {id: number; path: string; size: number; mtime_ms: number; sha256: string; verified_at: string | null}>(
				`SELECT f.id, f.path, f.size, f.mtime_ms, f.sha256, c.verified_at FROM files f LEFT JOIN file_checks c ON c.file_id = f.id
				WHERE f.status = 'present' AND f.sha256 IS NOT NULL
				ORDER BY c.verified_at IS NOT NULL, c.verified_at, f.path`,
			),
			markChecked: db.prepare<{id: number; at: string; outcome: string}>(
				`INSERT INTO file_checks (file_id, verified_at, outcome) VALUES (@id, @at, @outcome)
				ON CONFLICT(file_id) DO UPDATE SET verified_at = excluded.verified_at, outcome = excluded.outcome`,
			),
			beginRun: db.prepare<{target: string; path: string; at: string}>(
				"INSERT INTO verify_runs (target, target_path, started_at, state) VALUES (@target, @path, @at, 'running')",
			),
			finishRun: db.prepare<{id: number; at: string; state: string; stats: string}>(
				'UPDATE verify_runs SET finished_at = @at, state = @state, stats = @stats WHERE id = @id',
			),
			lastRun: db.prepare<[string], Record<string, any>>('SELECT * FROM verify_runs WHERE target = ? ORDER BY id DESC LIMIT 1'),
			neverVerified: db.prepare<[], {n: number}>(
				"SELECT count(*) AS n FROM files f LEFT JOIN file_checks c ON c.file_id = f.id WHERE f.status = 'present' AND f.sha256 IS NOT NULL AND c.file_id IS NULL",
			),
			// One pass over the present files (through files_summary, migration 23) gives the totals and both tallies.
			tallies: db.prepare<[], {format: string; year_key: string; files: number; bytes: number}>(
				`SELECT format, coalesce(substr(taken_at, 1, 4), 'unknown') AS year_key, count(*) AS files, coalesce(sum(size), 0) AS bytes
				FROM files WHERE status = 'present' GROUP BY format, year_key`,
			),
			errorCount: db.prepare<[], number>(
				"SELECT count(*) FROM files INDEXED BY files_read_errors WHERE status = 'present' AND error IS NOT NULL",
			).pluck(),
			// A trashed duplicate is in the trash, not missing (issue 13): scan says 0 missing, and so must status.
			missingCount: db.prepare<[], number>("SELECT count(*) FROM files WHERE status = 'missing' AND trashed_batch IS NULL").pluck(),
			// Named: without statistics the planner reads every present row through files_status instead (6 s at a million).
			errors: db.prepare<[number], {path: string; error: string}>(
				"SELECT path, error FROM files INDEXED BY files_read_errors WHERE status = 'present' AND error IS NOT NULL ORDER BY path LIMIT ?",
			),
			present: db.prepare<[], {path: string; size: number; mtime_ms: number; sha256: string | null}>(
				"SELECT path, size, mtime_ms, sha256 FROM files WHERE status = 'present' ORDER BY path",
			),
			damaged: db.prepare<[], {id: number; path: string; size: number; mtime_ms: number; sha256: string; status: 'present'}>(
				`SELECT f.id, f.path, f.size, f.mtime_ms, f.sha256, f.status FROM files f JOIN file_checks c ON c.file_id = f.id
				WHERE f.status = 'present' AND f.sha256 IS NOT NULL AND c.outcome = '${damagedOutcome}' ORDER BY f.path`,
			),
			missingFiles: db.prepare<[], {id: number; path: string; size: number; mtime_ms: number; sha256: string; status: 'missing'}>(
				`SELECT id, path, size, mtime_ms, sha256, status FROM files
				WHERE status = 'missing' AND trashed_batch IS NULL AND sha256 IS NOT NULL ORDER BY path`,
			),
			byPath: db.prepare<[string], {id: number; path: string; size: number; mtime_ms: number; sha256: string | null; status: 'present' | 'missing'; trashed_batch: number | null}>(
				'SELECT id, path, size, mtime_ms, sha256, status, trashed_batch FROM files WHERE path = ?',
			),
			markPresent: db.prepare<[string]>("UPDATE files SET status = 'present' WHERE path = ? AND status = 'missing' AND trashed_batch IS NULL"),
			outcomes: db.prepare<[], {outcome: string; n: number}>(
				"SELECT c.outcome, count(*) AS n FROM file_checks c JOIN files f ON f.id = c.file_id WHERE f.status = 'present' GROUP BY c.outcome",
			),
		};
	}

	/** Recorded exports of this master with these settings into this folder, newest first. */
	derivativesOf(masterSha256: string, settings: string, outputDir: string): Derivative[] {
		return this.statements.findDerivatives.all(masterSha256, settings, outputDir).map(row => ({
			id: row.id,
			masterSha256: row.master_sha256,
			masterPath: row.master_path,
			settings: row.settings,
			outputDir: row.output_dir,
			outputPath: row.output_path,
			outputSha256: row.output_sha256,
			outputSize: row.output_size,
			createdAt: row.created_at,
		}));
	}

	/** Records a written export. */
	addDerivative(derivative: Omit<Derivative, 'id'>): void {
		this.statements.addDerivative.run(derivative);
	}

	/** How many exports the catalog records. */
	derivativeCount(): number {
		return this.statements.countDerivatives.get()!.n;
	}

	/** Present, hashed files, never-verified first, then the longest ago: the order sampled verify runs take. */
	verifyCandidates(): VerifyCandidate[] {
		return this.statements.candidates.all().map(row => ({
			id: row.id,
			path: row.path,
			size: row.size,
			mtimeMs: row.mtime_ms,
			sha256: row.sha256,
			verifiedAt: row.verified_at,
		}));
	}

	/** Records that these files were re-read now, with what was found, in one transaction. */
	markChecked(results: ReadonlyArray<{readonly id: number; readonly outcome: string}>, at = new Date().toISOString()): void {
		this.db.transaction(() => {
			for (const {id, outcome} of results) {
				this.statements.markChecked.run({id, at, outcome});
			}
		})();
	}

	/** Starts a verify run row; returns its id. */
	beginVerifyRun(target: 'library' | 'backup', targetPath: string): number {
		return Number(this.statements.beginRun.run({target, path: targetPath, at: new Date().toISOString()}).lastInsertRowid);
	}

	/** Records how a verify run ended. */
	finishVerifyRun(id: number, state: 'done' | 'interrupted', stats: unknown): void {
		this.statements.finishRun.run({id, at: new Date().toISOString(), state, stats: JSON.stringify(stats)});
	}

	/** The latest verify run of the library or of a backup. */
	lastVerifyRun(target: 'library' | 'backup'): VerifyRun | undefined {
		const row = this.statements.lastRun.get(target);
		return row
			? {id: row.id, target: row.target, targetPath: row.target_path, startedAt: row.started_at, finishedAt: row.finished_at, state: row.state, stats: row.stats ? JSON.parse(row.stats) : null}
			: undefined;
	}

	/** Present, hashed files that no verify run has read yet. */
	neverVerifiedCount(): number {
		return this.statements.neverVerified.get()!.n;
	}

	/** Present files whose latest check found them damaged (see `damagedOutcome`), by path. */
	damagedFiles(): CataloguedFile[] {
		return this.statements.damaged.all().map(row => toCatalogued(row));
	}

	/** Catalogued files gone from disk (status missing, not moved to the trash by Curate), by path. */
	missingFiles(): CataloguedFile[] {
		return this.statements.missingFiles.all().map(row => toCatalogued(row));
	}

	/** The catalogued file at a library path (present or missing, never a trashed one), when it has a SHA-256. */
	cataloguedFile(relativePath: string): CataloguedFile | undefined {
		const row = this.statements.byPath.get(relativePath);
		return row?.sha256 && row.trashed_batch === null ? toCatalogued({...row, sha256: row.sha256}) : undefined;
	}

	/**
	 * Records that restore brought a file's catalogued bytes back (verified by SHA-256): a missing row is present again,
	 * and its latest check is `ok`, so status no longer counts it damaged or missing.
	 */
	markRestored(relativePath: string): void {
		this.db.transaction(() => {
			this.statements.markPresent.run(relativePath);
			const row = this.statements.byPath.get(relativePath);
			if (row?.status === 'present') {
				this.statements.markChecked.run({id: row.id, at: new Date().toISOString(), outcome: 'ok'});
			}
		})();
	}

	/** Present files by the outcome of their latest verification (ok, damaged, modified, missing, unreadable). */
	checkOutcomes(): Record<string, number> {
		return Object.fromEntries(this.statements.outcomes.all().map(row => [row.outcome, row.n]));
	}

	/**
	 * Present files and bytes in all, grouped by content format (largest first) and by capture year (`unknown` without a
	 * date), from one read of the present files; keys in SQLite's order (BINARY: by their UTF-8 bytes).
	 */
	tallies(): {files: number; bytes: number; byFormat: Tally[]; byYear: Tally[]} {
		const formats = new Map<string, {files: number; bytes: number}>();
		const years = new Map<string, {files: number; bytes: number}>();
		let files = 0;
		let bytes = 0;
		for (const row of this.statements.tallies.all()) {
			files += row.files;
			bytes += row.bytes;
			for (const [groups, key] of [[formats, row.format], [years, row.year_key]] as const) {
				const group = groups.get(key) ?? {files: 0, bytes: 0};
				groups.set(key, {files: group.files + row.files, bytes: group.bytes + row.bytes});
			}
		}

		const binary = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
		const tally = (groups: Map<string, {files: number; bytes: number}>) => [...groups].map(([key, group]) => ({key, ...group}));
		return {
			files,
			bytes,
			byFormat: tally(formats).sort((a, b) => b.bytes - a.bytes || binary(a.key, b.key)),
			byYear: tally(years).sort((a, b) => binary(a.key, b.key)),
		};
	}

	/** Present files with a read error, and rows of files that went missing (not moved to the trash by Curate). */
	problemCounts(): {errors: number; missing: number} {
		return {errors: this.statements.errorCount.get()!, missing: this.statements.missingCount.get()!};
	}

	/** Present files with a read or decode error, by path. */
	fileErrors(limit: number): Array<{path: string; error: string}> {
		return this.statements.errors.all(limit);
	}

	/** Every present file's path, size, mtime and SHA-256 (null when it could not be read), by path. */
	presentFiles(): Array<{path: string; size: number; mtimeMs: number; sha256: string | null}> {
		return this.statements.present.all().map(row => ({path: row.path, size: row.size, mtimeMs: row.mtime_ms, sha256: row.sha256}));
	}

	/**
	 * A consistent copy of the whole catalog, taken with SQLite's online backup while other connections keep
	 * working, then checked with `PRAGMA quick_check`.
	 */
	async snapshotTo(file: string): Promise<void> {
		await this.db.backup(file);
		// The copy inherits WAL mode from its header; a snapshot is one self-contained file, with no -wal or -shm beside it
		// for a backup to carry (or to lose).
		const copy = new Database(file, {fileMustExist: true});
		try {
			copy.pragma('journal_mode = DELETE');
			const result = copy.pragma('quick_check', {simple: true});
			if (result !== 'ok') {
				throw new Error(`catalog snapshot failed its check: ${String(result)}`);
			}
		} finally {
			copy.close();
		}
	}

	/**
	 * Present files with at least one tag that is not rejected, or null when nothing was ever tagged (so status can
	 * say "not tagged yet" rather than "0 of N").
	 */
	taggedFiles(): number | null {
		// Place tags from GPS (issue 17) are not tagging.
		const notPlace = "NOT (source = 'rule' AND tag LIKE 'places/%')";
		const any = this.db.prepare(`SELECT EXISTS (SELECT 1 FROM tags WHERE ${notPlace}) AS any`).get() as {any: number};
		if (!any.any) {
			return null;
		}

		const {n} = this.db
			.prepare(
				`SELECT count(*) AS n FROM files WHERE status = 'present' AND sha256 IN (SELECT sha256 FROM tags WHERE state != 'rejected' AND ${notPlace})`,
			)
			.get() as {n: number};
		return n;
	}

	/** How many batches the operation journal holds. */
	journalBatches(): number {
		return (this.db.prepare('SELECT count(*) AS n FROM journal_batches').get() as {n: number}).n;
	}
}
