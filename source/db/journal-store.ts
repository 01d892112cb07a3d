import type Database from 'better-sqlite3';
import type {BatchState, FieldValues, Operation, OperationState} from '../core/journal.js';
import {fieldValuesProblem, formatProblem} from '../core/operation-schema.js';
import type {TakenAtSource} from '../core/types.js';
import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';

/** A stored batch. */
export type BatchRow = {
	readonly id: number;
	readonly uid: string;
	readonly createdAt: string;
	readonly updatedAt: string;
	readonly command: string;
	readonly label: string;
	readonly state: BatchState;
	readonly reason: string | null;
	readonly recovery: string | null;
	readonly replayedFrom: string | null;
};

/** A stored operation. */
export type OperationRow = {
	readonly id: number;
	readonly batchId: number;
	readonly seq: number;
	readonly op: Operation;
	readonly state: OperationState;
	readonly reason: string | null;
	readonly updatedAt: string;
};

type RawBatch = {id: number; uid: string; created_at: string; updated_at: string; command: string; label: string; state: BatchState; reason: string | null; recovery: string | null; replayed_from: string | null};
type RawOp = {id: number; batch_id: number; seq: number; payload: string; state: OperationState; reason: string | null; updated_at: string};

const toBatch = (row: RawBatch): BatchRow => ({
	id: row.id,
	uid: row.uid,
	createdAt: row.created_at,
	updatedAt: row.updated_at,
	command: row.command,
	label: row.label,
	state: row.state,
	reason: row.reason,
	recovery: row.recovery,
	replayedFrom: row.replayed_from,
});

const toOp = (row: RawOp): OperationRow => ({
	id: row.id,
	batchId: row.batch_id,
	seq: row.seq,
	op: JSON.parse(row.payload) as Operation,
	state: row.state,
	reason: row.reason,
	updatedAt: row.updated_at,
});

/** Columns of `files` that map to journal field changes. */
const fieldColumns = {keywords: 'keywords', rating: 'rating', title: 'title', description: 'description', takenAt: 'taken_at', takenAtSource: 'taken_at_source'} as const;

/**
 * SQL of the operation journal (issue 4): batches, operations, and the `files` row changes that operations make.
 * Built on an open catalog's connection, so a state change and its catalog change commit in one transaction.
 */
export class JournalStore {
	private readonly db: Database.Database;
	private readonly s;
	private readonly cloneColumns: string[];

	constructor(catalog: Catalog) {
		this.db = connectionOf(catalog);
		const db = this.db;
		// Every column except id and path, read from the schema so later migrations' columns are cloned too.
		this.cloneColumns = (db.pragma('table_info(files)') as Array<{name: string}>).map(column => column.name).filter(name => name !== 'id' && name !== 'path');
		this.s = {
			insertBatch: db.prepare<{uid: string; now: string; command: string; label: string; state: BatchState; replayed_from: string | null}>(
				`INSERT INTO journal_batches (uid, created_at, updated_at, command, label, state, replayed_from)
				VALUES (@uid, @now, @now, @command, @label, @state, @replayed_from)`,
			),
			setBatch: db.prepare<{id: number; state: BatchState; reason: string | null; now: string}>(
				'UPDATE journal_batches SET state = @state, reason = @reason, updated_at = @now WHERE id = @id',
			),
			setRecovery: db.prepare<[string, number]>('UPDATE journal_batches SET recovery = ? WHERE id = ?'),
			batch: db.prepare<[number], RawBatch>('SELECT * FROM journal_batches WHERE id = ?'),
			batchByUid: db.prepare<[string, string], RawBatch>('SELECT * FROM journal_batches WHERE uid = ? OR replayed_from = ? LIMIT 1'),
			batches: db.prepare<[number], RawBatch>('SELECT * FROM journal_batches ORDER BY id DESC LIMIT ?'),
			allBatches: db.prepare<[], RawBatch>('SELECT * FROM journal_batches ORDER BY id'),
			unfinished: db.prepare<[], RawBatch>("SELECT * FROM journal_batches WHERE state IN ('running', 'redoing', 'undoing') ORDER BY id"),
			lastInState: db.prepare<[string], RawBatch>('SELECT * FROM journal_batches WHERE state = ? ORDER BY updated_at DESC, id DESC LIMIT 1'),
			insertOp: db.prepare<{batch_id: number; seq: number; kind: string; payload: string; now: string}>(
				`INSERT INTO journal_ops (batch_id, seq, kind, payload, state, created_at, updated_at)
				VALUES (@batch_id, @seq, @kind, @payload, 'intent', @now, @now)`,
			),
			setOp: db.prepare<{id: number; state: OperationState; reason: string | null; now: string}>(
				'UPDATE journal_ops SET state = @state, reason = @reason, updated_at = @now WHERE id = @id',
			),
			setPayload: db.prepare<[string, number]>('UPDATE journal_ops SET payload = ? WHERE id = ?'),
			ops: db.prepare<[number], RawOp>('SELECT * FROM journal_ops WHERE batch_id = ? ORDER BY seq'),
			countsByKind: db.prepare<[number], {kind: string; state: OperationState; n: number}>(
				'SELECT kind, state, COUNT(*) AS n FROM journal_ops WHERE batch_id = ? GROUP BY kind, state ORDER BY kind',
			),
			rowByPath: db.prepare<[string], {id: number; sha256: string | null; status: string; trashed_batch: number | null}>(
				'SELECT id, sha256, status, trashed_batch FROM files WHERE path = ?',
			),
			presentBySha: db.prepare<[string], {id: number; path: string}>("SELECT id, path FROM files WHERE sha256 = ? AND status = 'present' ORDER BY path LIMIT 1"),
			relocate: db.prepare<{id: number; path: string; status: string; trashed_batch: number | null}>(
				'UPDATE files SET path = @path, status = @status, trashed_batch = @trashed_batch WHERE id = @id',
			),
			deleteRow: db.prepare<[number]>('DELETE FROM files WHERE id = ?'),
			clone: db.prepare<{id: number; path: string}>(
				`INSERT INTO files (path, ${this.cloneColumns.join(', ')}) SELECT @path, ${this.cloneColumns.join(', ')} FROM files WHERE id = @id`,
			),
			trashedOlderThan: db.prepare<[string], {id: number; path: string; sha256: string | null; size: number; trashed_batch: number; created_at: string}>(
				`SELECT f.id, f.path, f.sha256, f.size, f.trashed_batch, b.updated_at AS created_at FROM files f
				JOIN journal_batches b ON b.id = f.trashed_batch WHERE f.trashed_batch IS NOT NULL AND b.updated_at <= ? ORDER BY f.path`,
			),
			allTrashed: db.prepare<[], {id: number; path: string; sha256: string | null; size: number; trashed_batch: number; created_at: string}>(
				`SELECT f.id, f.path, f.sha256, f.size, f.trashed_batch, b.updated_at AS created_at FROM files f
				JOIN journal_batches b ON b.id = f.trashed_batch WHERE f.trashed_batch IS NOT NULL ORDER BY f.path`,
			),
		};
	}

	/** Runs `fn` in one transaction (synchronous, as better-sqlite3 requires). */
	transaction<T>(fn: () => T): T {
		return this.db.transaction(fn)();
	}

	/** Starts a batch and returns its id. */
	createBatch(batch: {uid: string; command: string; label: string; replayedFrom?: string | undefined}): number {
		return Number(this.s.insertBatch.run({uid: batch.uid, now: new Date().toISOString(), command: batch.command, label: batch.label, state: 'running', replayed_from: batch.replayedFrom ?? null}).lastInsertRowid);
	}

	/** Sets a batch's state (and reason, cleared when not given). */
	setBatchState(id: number, state: BatchState, reason: string | null = null): void {
		this.s.setBatch.run({id, state, reason, now: new Date().toISOString()});
	}

	/** Records what crash recovery did to a batch. */
	setRecovery(id: number, text: string): void {
		this.s.setRecovery.run(text, id);
	}

	/** One batch. */
	batch(id: number): BatchRow | undefined {
		const row = this.s.batch.get(id);
		return row ? toBatch(row) : undefined;
	}

	/** The batch with this uid, or the one replayed from it. */
	batchByUid(uid: string): BatchRow | undefined {
		const row = this.s.batchByUid.get(uid, uid);
		return row ? toBatch(row) : undefined;
	}

	/** The newest batches first. */
	batches(limit: number): BatchRow[] {
		return this.s.batches.all(limit).map(row => toBatch(row));
	}

	/** Every batch, oldest first. */
	allBatches(): BatchRow[] {
		return this.s.allBatches.all().map(row => toBatch(row));
	}

	/** Batches a process was working on when it stopped. */
	unfinishedBatches(): BatchRow[] {
		return this.s.unfinished.all().map(row => toBatch(row));
	}

	/** The batch that most recently entered `state`. */
	lastBatchInState(state: BatchState): BatchRow | undefined {
		const row = this.s.lastInState.get(state);
		return row ? toBatch(row) : undefined;
	}

	/** Records an operation's intent and returns its id. */
	addOperation(batchId: number, seq: number, op: Operation): number {
		return Number(this.s.insertOp.run({batch_id: batchId, seq, kind: op.kind, payload: JSON.stringify(op), now: new Date().toISOString()}).lastInsertRowid);
	}

	/** Records the intents of several operations in one transaction (one synced commit) and returns their ids. */
	addOperations(batchId: number, firstSeq: number, ops: readonly Operation[]): number[] {
		return this.transaction(() => ops.map((op, index) => this.addOperation(batchId, firstSeq + index, op)));
	}

	/** Sets the state of several operations in one transaction. */
	setOperationStates(ids: readonly number[], state: OperationState, reason: string | null = null): void {
		this.transaction(() => {
			for (const id of ids) {
				this.setOperationState(id, state, reason);
			}
		});
	}

	/** Sets an operation's state. */
	setOperationState(id: number, state: OperationState, reason: string | null = null): void {
		this.s.setOp.run({id, state, reason, now: new Date().toISOString()});
	}

	/** Replaces an operation's payload (a write learns its resulting hash only once done). */
	setOperationPayload(id: number, op: Operation): void {
		this.s.setPayload.run(JSON.stringify(op), id);
	}

	/** A batch's operations in order. */
	operations(batchId: number): OperationRow[] {
		return this.s.ops.all(batchId).map(row => toOp(row));
	}

	/** Operation counts of a batch by kind and state. */
	operationCounts(batchId: number): Array<{kind: string; state: OperationState; count: number}> {
		return this.s.countsByKind.all(batchId).map(row => ({kind: row.kind, state: row.state, count: row.n}));
	}

	/** The catalog row at a library path. */
	fileRow(relativePath: string): {id: number; sha256: string | null; status: string; trashedBatch: number | null} | undefined {
		const row = this.s.rowByPath.get(relativePath);
		return row ? {id: row.id, sha256: row.sha256, status: row.status, trashedBatch: row.trashed_batch} : undefined;
	}

	/** A present catalogued file with this content. */
	presentBySha(sha256: string): {id: number; path: string} | undefined {
		return this.s.presentBySha.get(sha256);
	}

	/**
	 * Moves a file's row to a new path: present in the library, or (with `trashedBatch`) out of the present set into
	 * the trash. A stale row already at the destination (a file that vanished) gives way, as in a rescan.
	 */
	relocateRow(id: number, to: string, trashedBatch: number | null): void {
		const occupant = this.s.rowByPath.get(to);
		if (occupant && occupant.id !== id) {
			this.s.deleteRow.run(occupant.id);
		}

		this.s.relocate.run({id, path: to, status: trashedBatch === null ? 'present' : 'missing', trashed_batch: trashedBatch});
	}

	/** Adds a row at `to` that copies everything the catalog knows about row `id` (a copy has the same content). */
	cloneRow(id: number, to: string): void {
		const occupant = this.s.rowByPath.get(to);
		if (occupant) {
			this.s.deleteRow.run(occupant.id);
		}

		this.s.clone.run({id, path: to});
	}

	/** Sets catalog fields of the row at a path (GPS spans three columns; null clears them all). */
	setFields(relativePath: string, fields: FieldValues): void {
		// The last gate before the catalog (issue 13, A7): a keyword list that is a string, or a rating of "DROP", would
		// make every later `show` and `undo` crash on this row.
		const problem = fieldValuesProblem(fields);
		if (problem) {
			throw new Error(`refused to set fields of ${relativePath}: ${formatProblem(problem)}`);
		}

		for (const [key, value] of Object.entries(fields)) {
			if (key === 'gps') {
				if (value !== undefined) {
					const gps = value as FieldValues['gps'];
					this.db.prepare('UPDATE files SET gps_lat = ?, gps_lon = ?, gps_alt = ? WHERE path = ?').run(gps?.lat ?? null, gps?.lon ?? null, gps?.alt ?? null, relativePath);
				}

				continue;
			}

			const column = fieldColumns[key as keyof typeof fieldColumns];
			if (!column || value === undefined) {
				continue;
			}

			this.db.prepare(`UPDATE files SET ${column} = ? WHERE path = ?`).run(key === 'keywords' ? JSON.stringify(value) : value, relativePath);
		}
	}

	/** Reads catalog fields of the row at a path. */
	fields(relativePath: string): FieldValues | undefined {
		type Row = {
			keywords: string;
			rating: number | null;
			title: string | null;
			description: string | null;
			gps_lat: number | null;
			gps_lon: number | null;
			gps_alt: number | null;
			taken_at: string | null;
			taken_at_source: TakenAtSource | null;
		};
		const row = this.db.prepare<[string], Row>(
			'SELECT keywords, rating, title, description, gps_lat, gps_lon, gps_alt, taken_at, taken_at_source FROM files WHERE path = ?',
		).get(relativePath);
		if (!row) {
			return undefined;
		}

		const gps = row.gps_lat === null || row.gps_lon === null ? null : {lat: row.gps_lat, lon: row.gps_lon, ...(row.gps_alt === null ? {} : {alt: row.gps_alt})};
		return {keywords: JSON.parse(row.keywords) as string[], rating: row.rating, title: row.title, description: row.description, gps, takenAt: row.taken_at, takenAtSource: row.taken_at_source};
	}

	/** Files in the trash whose trashing batch last changed at or before `isoTime` (all when omitted). */
	trashed(isoTime?: string): Array<{id: number; path: string; sha256: string | null; size: number; batch: number; trashedAt: string}> {
		const rows = isoTime === undefined ? this.s.allTrashed.all() : this.s.trashedOlderThan.all(isoTime);
		return rows.map(row => ({id: row.id, path: row.path, sha256: row.sha256, size: row.size, batch: row.trashed_batch, trashedAt: row.created_at}));
	}

	/** Forgets the row of a purged file: its bytes are gone, and the journal keeps the record of what it was. */
	deleteRow(id: number): void {
		this.s.deleteRow.run(id);
	}
}
