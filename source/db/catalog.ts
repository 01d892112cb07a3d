import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {FileRecord, Format, MediaKind, TakenAtSource} from '../core/types.js';
import {registerConnection} from './connection.js';
import {migrations} from './migrations.js';

/** What the scanner needs to know about a catalogued file to decide whether to read it again. */
export type IndexEntry = {
	readonly id: number;
	readonly size: number;
	readonly mtimeMs: number;
	readonly sha256: string | null;
	readonly status: 'present' | 'missing';
	readonly error: string | null;
	/** Catalogued by an older Curate that did not store every fingerprint: read again even if unchanged. */
	readonly stale: boolean;
	/** Outcome of the file's latest re-read by `curate verify` (or a scan that found it damaged), if any. */
	readonly checked: string | null;
};

/** A catalogued file as stored, with its row id and presence. */
export type StoredFile = FileRecord & {readonly id: number; readonly status: 'present' | 'missing'};

/** A `files` row as SQLite returns it. */
export type FileRow = {
	id: number;
	path: string;
	size: number;
	mtime_ms: number;
	sha256: string | null;
	content_hash: string | null;
	format: string;
	kind: string;
	width: number | null;
	height: number | null;
	orientation: number | null;
	taken_at: string | null;
	taken_at_source: string | null;
	make: string | null;
	model: string | null;
	lens: string | null;
	gps_lat: number | null;
	gps_lon: number | null;
	gps_alt: number | null;
	keywords: string;
	rating: number | null;
	title: string | null;
	description: string | null;
	software: string | null;
	live_photo_id: string | null;
	burst_id: string | null;
	phash: string | null;
	dhash: string | null;
	phash_rot: string | null;
	signature: Buffer | null;
	content_width: number | null;
	content_height: number | null;
	phash_crop: string | null;
	signature_crop: Buffer | null;
	thumb: string | null;
	error: string | null;
	frames: number | null;
	grey: number | null;
	/** Migration 17; absent from the rows that leave it out (source/db/dupes-data.ts). */
	detail?: Buffer | null;
	status: 'present' | 'missing';
};

/** A `files` row as the record the rest of Curate works with. */
export function rowToFile(row: FileRow): StoredFile {
	return {
		id: row.id,
		path: row.path,
		size: row.size,
		mtimeMs: row.mtime_ms,
		sha256: row.sha256,
		contentHash: row.content_hash,
		format: row.format as Format,
		kind: row.kind as MediaKind,
		width: row.width,
		height: row.height,
		orientation: row.orientation,
		takenAt: row.taken_at,
		takenAtSource: row.taken_at_source as TakenAtSource | null,
		make: row.make,
		model: row.model,
		lens: row.lens,
		gps:
			row.gps_lat === null || row.gps_lon === null
				? null
				: {lat: row.gps_lat, lon: row.gps_lon, ...(row.gps_alt === null ? {} : {alt: row.gps_alt})},
		keywords: JSON.parse(row.keywords) as string[],
		rating: row.rating,
		title: row.title,
		description: row.description,
		software: row.software,
		livePhotoId: row.live_photo_id,
		burstId: row.burst_id,
		phash: row.phash,
		dhash: row.dhash,
		phashRotations: row.phash_rot,
		phashCrops: row.phash_crop,
		signatureCrops: row.signature_crop ? new Uint8Array(row.signature_crop) : null,
		contentWidth: row.content_width,
		contentHeight: row.content_height,
		signature: row.signature ? new Uint8Array(row.signature) : null,
		detail: row.detail ? new Uint8Array(row.detail) : null,
		thumb: row.thumb,
		error: row.error,
		frames: row.frames,
		grey: row.grey === null ? null : row.grey === 1,
		status: row.status,
	};
}

function recordParams(record: FileRecord, scanId: number, now: string) {
	return {
		path: record.path,
		size: record.size,
		mtime_ms: record.mtimeMs,
		sha256: record.sha256,
		content_hash: record.contentHash,
		format: record.format,
		kind: record.kind,
		width: record.width,
		height: record.height,
		orientation: record.orientation,
		taken_at: record.takenAt,
		taken_at_source: record.takenAtSource,
		make: record.make,
		model: record.model,
		lens: record.lens,
		gps_lat: record.gps?.lat ?? null,
		gps_lon: record.gps?.lon ?? null,
		gps_alt: record.gps?.alt ?? null,
		keywords: JSON.stringify(record.keywords),
		rating: record.rating,
		title: record.title,
		description: record.description,
		software: record.software,
		live_photo_id: record.livePhotoId,
		burst_id: record.burstId,
		phash: record.phash,
		dhash: record.dhash,
		phash_rot: record.phashRotations ?? null,
		phash_crop: record.phashCrops ?? null,
		signature_crop: record.signatureCrops ? Buffer.from(record.signatureCrops) : null,
		content_width: record.contentWidth ?? null,
		content_height: record.contentHeight ?? null,
		signature: record.signature ? Buffer.from(record.signature) : null,
		detail: record.detail ? Buffer.from(record.detail) : null,
		window_hashes: record.windowHashes ? Buffer.from(record.windowHashes) : null,
		thumb: record.thumb,
		error: record.error,
		frames: record.frames ?? null,
		grey: record.grey === undefined || record.grey === null ? null : Number(record.grey),
		decoded_fully: record.decodedFully === undefined || record.decodedFully === null ? null : Number(record.decodedFully),
		scan_id: scanId,
		now,
	};
}

const fileColumns = `path, size, mtime_ms, sha256, content_hash, format, kind, width, height, orientation, taken_at,
	taken_at_source, make, model, lens, gps_lat, gps_lon, gps_alt, keywords, rating, title, description, software,
	live_photo_id, burst_id, phash, dhash, phash_rot, signature, content_width, content_height, phash_crop, signature_crop, thumb, error, frames, grey, decoded_fully, detail, window_hashes`;
const fileValues = `@path, @size, @mtime_ms, @sha256, @content_hash, @format, @kind, @width, @height, @orientation,
	@taken_at, @taken_at_source, @make, @model, @lens, @gps_lat, @gps_lon, @gps_alt, @keywords, @rating, @title,
	@description, @software, @live_photo_id, @burst_id, @phash, @dhash, @phash_rot, @signature, @content_width, @content_height, @phash_crop, @signature_crop, @thumb, @error, @frames, @grey, @decoded_fully, @detail, @window_hashes`;

/**
 * The library's SQLite catalog. All SQL lives here (and in migrations). Statements are prepared once; writes that
 * come in batches run in one transaction each so a killed scan keeps every batch it committed.
 */
export class Catalog {
	/**
	 * Opens (creating if needed) the catalog file and brings its schema up to date. `readonly` opens an existing
	 * catalog for reading only: it never migrates, changes the journal mode or writes, so a reader runs beside a writer
	 * that holds a write transaction open (WAL). `heapIndex` (readers on a nearly full disk) keeps SQLite's WAL index in
	 * heap memory instead of the memory-mapped `-shm` file, whose growth on a full disk kills the process with SIGBUS;
	 * it needs the database to itself, so it fails busy while another process has the catalog open.
	 */
	static open(file: string, options: {readonly readonly?: boolean; readonly heapIndex?: boolean} = {}): Catalog {
		if (!options.readonly) {
			fs.mkdirSync(path.dirname(file), {recursive: true});
		}

		// A heap-index reader opens read-write all the same: a read-only connection cannot create the (empty) -wal file
		// SQLite's exclusive mode opens, and fails with "disk I/O error". It still never writes: no pragma, no migration.
		const db = new Database(file, {readonly: (options.readonly ?? false) && !options.heapIndex, fileMustExist: options.readonly ?? false});
		try {
			db.pragma('busy_timeout = 5000');
			if (options.heapIndex) {
				// Must come before the first read of a WAL database: exclusive locking is what keeps the index off -shm.
				db.pragma('locking_mode = EXCLUSIVE');
			}

			if (options.readonly) {
				if ((db.pragma('user_version', {simple: true}) as number) < latestVersion()) {
					// A catalog from an older Curate: only a writable open can bring it up to date.
					db.close();
					return Catalog.open(file, {heapIndex: options.heapIndex ?? false});
				}
			} else {
				db.pragma('journal_mode = WAL');
				// The journal of file operations must survive power loss, so commits are fully synced.
				db.pragma('synchronous = FULL');
				db.pragma('foreign_keys = ON');
				migrate(db);
			}
		} catch (error) {
			if (db.open) {
				db.close();
			}

			throw error;
		}

		return new Catalog(db);
	}

	readonly #db: Database.Database;
	private readonly statements;

	private constructor(db: Database.Database) {
		this.#db = db;
		registerConnection(this, db);
		this.statements = {
			index: db.prepare<
				[],
				{id: number; path: string; size: number; mtime_ms: number; sha256: string | null; status: 'present' | 'missing'; error: string | null; stale: number; checked: string | null}
			>(
				`SELECT f.id, f.path, f.size, f.mtime_ms, f.sha256, f.status, f.error,
					(f.phash IS NOT NULL AND (f.signature IS NULL OR f.phash_crop IS NULL OR f.phash_rot IS NULL
						-- Catalogued before frames were counted: an animated file must not stay a duplicate of a still.
						OR (f.frames IS NULL AND f.format IN ('gif', 'webp', 'png', 'tiff')))) AS stale,
					-- A file found damaged keeps its catalogued SHA-256: the next scan must know not to adopt the new bytes.
					c.outcome AS checked
					FROM files f LEFT JOIN file_checks c ON c.file_id = f.id
					-- Trashed rows belong to the journal: a rescan must not claim them as moved files (issue 4).
					WHERE f.trashed_batch IS NULL`,
			),
			upsert: db.prepare(`INSERT INTO files (${fileColumns}, status, first_seen_at, scanned_at, scan_id)
				VALUES (${fileValues}, 'present', @now, @now, @scan_id)
				ON CONFLICT(path) DO UPDATE SET
					size = excluded.size, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256,
					content_hash = excluded.content_hash, format = excluded.format, kind = excluded.kind,
					width = excluded.width, height = excluded.height, orientation = excluded.orientation,
					taken_at = excluded.taken_at, taken_at_source = excluded.taken_at_source, make = excluded.make,
					model = excluded.model, lens = excluded.lens, gps_lat = excluded.gps_lat, gps_lon = excluded.gps_lon,
					gps_alt = excluded.gps_alt, keywords = excluded.keywords, rating = excluded.rating,
					title = excluded.title, description = excluded.description, software = excluded.software,
					live_photo_id = excluded.live_photo_id, burst_id = excluded.burst_id, phash = excluded.phash,
					dhash = excluded.dhash, phash_rot = excluded.phash_rot, signature = excluded.signature, content_width = excluded.content_width, content_height = excluded.content_height, phash_crop = excluded.phash_crop, signature_crop = excluded.signature_crop, thumb = excluded.thumb, error = excluded.error, frames = excluded.frames, grey = excluded.grey, decoded_fully = excluded.decoded_fully, detail = excluded.detail, window_hashes = excluded.window_hashes, status = 'present',
					scanned_at = excluded.scanned_at, scan_id = excluded.scan_id`),
			move: db.prepare<{id: number; path: string; size: number; mtime_ms: number; scan_id: number; now: string}>(
				`UPDATE files SET path = @path, size = @size, mtime_ms = @mtime_ms, status = 'present',
					scanned_at = @now, scan_id = @scan_id WHERE id = @id`,
			),
			markMissing: db.prepare<[number]>("UPDATE files SET status = 'missing' WHERE id = ? AND status = 'present'"),
			markPresent: db.prepare<[number]>("UPDATE files SET status = 'present' WHERE id = ?"),
			deleteById: db.prepare<[number]>('DELETE FROM files WHERE id = ?'),
			byPath: db.prepare<[string], FileRow>('SELECT * FROM files WHERE path = ?'),
			// `+status`: without ANALYZE statistics SQLite otherwise walks the status index (every present file) instead of
			// the sha256 index, which made each lookup a full scan at a million files (30 s for one search's results).
			bySha: db.prepare<[string], FileRow>("SELECT * FROM files WHERE sha256 = ? AND +status = 'present' ORDER BY path"),
			allPresent: db.prepare<[], FileRow>("SELECT * FROM files WHERE status = 'present' ORDER BY path"),
			beginScan: db.prepare<[string]>("INSERT INTO scans (started_at, state) VALUES (?, 'running')"),
			finishScan: db.prepare<{id: number; now: string; state: string; stats: string}>(
				'UPDATE scans SET finished_at = @now, state = @state, stats = @stats WHERE id = @id',
			),
			lastScan: db.prepare<[], {id: number; started_at: string; finished_at: string | null; state: string; stats: string | null}>(
				'SELECT * FROM scans ORDER BY id DESC LIMIT 1',
			),
			interruptRunning: db.prepare("UPDATE scans SET state = 'interrupted' WHERE state = 'running'"),
			addDistinct: db.prepare<{a: string; b: string; now: string}>(
				'INSERT OR IGNORE INTO distinct_pairs (sha_a, sha_b, decided_at) VALUES (@a, @b, @now)',
			),
			removeDistinct: db.prepare<[string, string]>('DELETE FROM distinct_pairs WHERE sha_a = ? AND sha_b = ?'),
			allDistinct: db.prepare<[], {sha_a: string; sha_b: string}>('SELECT sha_a, sha_b FROM distinct_pairs'),
			getSetting: db.prepare<[string], {value: string}>('SELECT value FROM settings WHERE key = ?'),
			setSetting: db.prepare<[string, string]>(
				'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
			),
		};
	}

	/** Path → what a rescan needs, for every catalogued file (present or missing). */
	fileIndex(): Map<string, IndexEntry> {
		const map = new Map<string, IndexEntry>();
		for (const row of this.statements.index.iterate()) {
			map.set(row.path, {
				id: row.id,
				size: row.size,
				mtimeMs: row.mtime_ms,
				sha256: row.sha256,
				status: row.status,
				error: row.error,
				stale: row.stale === 1,
				checked: row.checked,
			});
		}

		return map;
	}

	/** Starts a scan row; a scan that never finishes stays 'running' until the next one marks it interrupted. */
	beginScan(): number {
		this.statements.interruptRunning.run();
		return Number(this.statements.beginScan.run(new Date().toISOString()).lastInsertRowid);
	}

	/** Records how a scan ended. */
	finishScan(id: number, state: 'done' | 'interrupted', stats: unknown): void {
		this.statements.finishScan.run({id, now: new Date().toISOString(), state, stats: JSON.stringify(stats)});
	}

	/** The most recent scan, if any. */
	lastScan(): {id: number; startedAt: string; finishedAt: string | null; state: string; stats: unknown} | undefined {
		const row = this.statements.lastScan.get();
		return row
			? {id: row.id, startedAt: row.started_at, finishedAt: row.finished_at, state: row.state, stats: row.stats ? JSON.parse(row.stats) : null}
			: undefined;
	}

	/** One scan batch in one transaction: new or changed records, moves, and files seen again after being missing. */
	readonly commitBatch = (
		batch: {
			readonly records: readonly FileRecord[];
			readonly moves: ReadonlyArray<{readonly id: number; readonly path: string; readonly size: number; readonly mtimeMs: number}>;
			readonly present: readonly number[];
		},
		scanId: number,
	): void => {
		const now = new Date().toISOString();
		this.#db.transaction(() => {
			for (const move of batch.moves) {
				// A stale row may already hold the destination path (e.g. a file that was deleted, then another moved there).
				const occupant = this.statements.byPath.get(move.path);
				if (occupant && occupant.id !== move.id) {
					this.statements.deleteById.run(occupant.id);
				}

				this.statements.move.run({id: move.id, path: move.path, size: move.size, mtime_ms: move.mtimeMs, scan_id: scanId, now});
			}

			for (const record of batch.records) {
				this.statements.upsert.run(recordParams(record, scanId, now));
			}

			for (const id of batch.present) {
				this.statements.markPresent.run(id);
			}
		})();
	};

	/** Marks files that were not found on disk as missing (rows are kept: their decisions and history still matter). */
	markMissing(ids: readonly number[]): void {
		this.#db.transaction(() => {
			for (const id of ids) {
				this.statements.markMissing.run(id);
			}
		})();
	}

	/** The stored record of one file by library-relative path. */
	fileByPath(relativePath: string): StoredFile | undefined {
		const row = this.statements.byPath.get(relativePath);
		return row ? rowToFile(row) : undefined;
	}

	/** Present files with the given SHA-256. */
	filesBySha(sha256: string): StoredFile[] {
		return this.statements.bySha.all(sha256).map(row => rowToFile(row));
	}

	/** Every present file, ordered by path. */
	allPresent(): StoredFile[] {
		return this.statements.allPresent.all().map(row => rowToFile(row));
	}

	/**
	 * Records that photos with these contents are not duplicates of each other (every pair among them). Returns the
	 * pairs that were new, so the journal can undo exactly those.
	 */
	markDistinct(sha256s: readonly string[]): Array<[string, string]> {
		const unique = [...new Set(sha256s)].sort();
		const added: Array<[string, string]> = [];
		const now = new Date().toISOString();
		this.#db.transaction(() => {
			// One content alone (exact copies kept on purpose) is recorded as a pair with itself.
			const pairs: Array<[string, string]> = unique.length === 1 ? [[unique[0]!, unique[0]!]] : [];
			for (let i = 0; i < unique.length; i++) {
				for (let j = i + 1; j < unique.length; j++) {
					pairs.push([unique[i]!, unique[j]!]);
				}
			}

			for (const [a, b] of pairs) {
				if (this.statements.addDistinct.run({a, b, now}).changes > 0) {
					added.push([a, b]);
				}
			}
		})();
		return added;
	}

	/** Takes "not duplicates" decisions back. */
	unmarkDistinct(pairs: ReadonlyArray<readonly [string, string]>): void {
		this.#db.transaction(() => {
			for (const [a, b] of pairs) {
				this.statements.removeDistinct.run(a < b ? a : b, a < b ? b : a);
			}
		})();
	}

	/** Every "not duplicates" pair, as `sha_a + ' ' + sha_b` keys (smaller hash first). */
	distinctPairs(): Set<string> {
		return new Set(this.statements.allDistinct.all().map(row => `${row.sha_a} ${row.sha_b}`));
	}

	/** A library setting stored in the catalog. */
	setting(key: string): string | undefined {
		return this.statements.getSetting.get(key)?.value;
	}

	/** Stores a library setting. */
	setSetting(key: string, value: string): void {
		this.statements.setSetting.run(key, value);
	}

	/** Closes the database; WAL content is checkpointed by SQLite on the last close. */
	close(): void {
		this.#db.close();
	}
}

function latestVersion(): number {
	return Math.max(0, ...migrations.map(migration => migration.version));
}

function migrate(db: Database.Database): void {
	const current = db.pragma('user_version', {simple: true}) as number;
	// In version order whatever the array's order: a migration listed after a higher one would otherwise be skipped.
	for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
		if (migration.version <= current) {
			continue;
		}

		db.transaction(() => {
			db.exec(migration.sql);
			db.pragma(`user_version = ${migration.version}`);
		})();
	}
}
