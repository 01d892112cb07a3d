import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';

/**
 * Where a file seen in the inbox stands. `incomplete`: it settled but does not decode completely (an upload still
 * arriving, or a damaged file); it waits for a new version, or for the settle limit (then it is imported as damaged).
 */
export type QueueState = 'waiting' | 'incomplete' | 'importing' | 'imported' | 'skipped' | 'failed';

/** One queued file, with its path relative to the inbox. */
export type QueueEntry = {
	readonly path: string;
	readonly size: number;
	readonly mtimeMs: number;
	/** When (ms since epoch) its size or mtime last changed: it is settled once this is old enough. */
	readonly changedAt: number;
	readonly state: QueueState;
	readonly sha256: string | null;
	readonly target: string | null;
	readonly batch: number | null;
	readonly error: string | null;
};

type Row = {path: string; size: number; mtime_ms: number; changed_at: number; state: QueueState; sha256: string | null; target: string | null; batch: number | null; error: string | null};

const toEntry = (row: Row): QueueEntry => ({
	path: row.path,
	size: row.size,
	mtimeMs: row.mtime_ms,
	changedAt: row.changed_at,
	state: row.state,
	sha256: row.sha256,
	target: row.target,
	batch: row.batch,
	error: row.error,
});

/**
 * The persistent queue of one watched inbox (issue 8), in the catalog so it survives restarts and shares its
 * durability (WAL, synchronous FULL). Statements are prepared once per queue.
 */
export class WatchQueue {
	private readonly statements;

	constructor(
		catalog: Catalog,
		/** The inbox's absolute path: one library may watch several. */
		readonly inbox: string,
	) {
		const db = connectionOf(catalog);
		this.statements = {
			all: db.prepare<[string], Row>('SELECT * FROM watch_queue WHERE inbox = ? ORDER BY path'),
			insert: db.prepare<{inbox: string; path: string; size: number; mtime_ms: number; now: number; at: string}>(
				`INSERT INTO watch_queue (inbox, path, size, mtime_ms, changed_at, state, first_seen_at, updated_at)
					VALUES (@inbox, @path, @size, @mtime_ms, @now, 'waiting', @at, @at)`,
			),
			changed: db.prepare<{inbox: string; path: string; size: number; mtime_ms: number; now: number; at: string}>(
				`UPDATE watch_queue SET size = @size, mtime_ms = @mtime_ms, changed_at = @now, state = 'waiting', error = NULL,
					updated_at = @at WHERE inbox = @inbox AND path = @path`,
			),
			drop: db.prepare<[string, string]>("DELETE FROM watch_queue WHERE inbox = ? AND path = ? AND state IN ('waiting', 'incomplete', 'failed')"),
			setState: db.prepare<{inbox: string; path: string; state: QueueState; sha256: string | null; target: string | null; batch: number | null; error: string | null; at: string}>(
				`UPDATE watch_queue SET state = @state, sha256 = COALESCE(@sha256, sha256), target = COALESCE(@target, target),
					batch = COALESCE(@batch, batch), error = @error, updated_at = @at
					WHERE inbox = @inbox AND path = @path`,
			),
			recover: db.prepare<[string]>("UPDATE watch_queue SET state = 'waiting' WHERE inbox = ? AND state = 'importing'"),
		};
		this.transaction = db.transaction((work: () => void) => {
			work();
		});
	}

	private readonly transaction: (work: () => void) => void;

	/** Every entry of this inbox. */
	entries(): QueueEntry[] {
		return this.statements.all.all(this.inbox).map(row => toEntry(row));
	}

	/**
	 * Records one look at the inbox. A new file, or one whose size or mtime changed, (re)starts its settle clock; a
	 * changed file that was imported before is queued again (its new content may be new), keeping its target and
	 * SHA-256 so a complete version can replace a damaged import. Waiting, incomplete or failed files that are gone are
	 * dropped (nothing of theirs was imported); imported ones are remembered.
	 */
	observe(seen: ReadonlyArray<{readonly path: string; readonly size: number; readonly mtimeMs: number}>, now: number): {added: number; changed: number; dropped: number} {
		const known = new Map(this.entries().map(entry => [entry.path, entry]));
		const at = new Date(now).toISOString();
		let added = 0;
		let changed = 0;
		let dropped = 0;
		this.transaction(() => {
			const present = new Set<string>();
			for (const file of seen) {
				present.add(file.path);
				const entry = known.get(file.path);
				const params = {inbox: this.inbox, path: file.path, size: file.size, mtime_ms: file.mtimeMs, now, at};
				if (!entry) {
					this.statements.insert.run(params);
					added++;
				} else if (entry.size !== file.size || entry.mtimeMs !== file.mtimeMs) {
					this.statements.changed.run(params);
					changed++;
				}
			}

			for (const entry of known.values()) {
				if (!present.has(entry.path) && (entry.state === 'waiting' || entry.state === 'incomplete' || entry.state === 'failed')) {
					dropped += this.statements.drop.run(this.inbox, entry.path).changes;
				}
			}
		});
		return {added, changed, dropped};
	}

	/**
	 * Files to import now: waiting ones whose size and mtime have not changed for `settleMs`, and incomplete ones that
	 * have not changed for `limitMs` (the settle limit: an upload that long silent is not coming; the file is imported
	 * as it is, damaged).
	 */
	ready(settleMs: number, now: number, limitMs = Number.POSITIVE_INFINITY): QueueEntry[] {
		return this.entries().filter(entry => (entry.state === 'waiting' && now - entry.changedAt >= settleMs) || (entry.state === 'incomplete' && now - entry.changedAt >= limitMs));
	}

	/**
	 * Sets one file's state and what became of it. What is not given of the SHA-256, target and batch of its last
	 * import is kept (a new version of a file imported damaged must still know what it replaces); the error is set.
	 */
	mark(path: string, state: QueueState, outcome: {sha256?: string | null; target?: string | null; batch?: number | null; error?: string | null} = {}): void {
		this.statements.setState.run({
			inbox: this.inbox,
			path,
			state,
			sha256: outcome.sha256 ?? null,
			target: outcome.target ?? null,
			batch: outcome.batch ?? null,
			error: outcome.error ?? null,
			at: new Date().toISOString(),
		});
	}

	/**
	 * After a crash, files left `importing` are waiting again. Importing them again is safe: a copy that landed is
	 * catalogued by SHA-256 and skipped, one that did not is copied now.
	 */
	recover(): number {
		return this.statements.recover.run(this.inbox).changes;
	}
}
