/**
 * # The operation journal (issue 4): the one way Curate changes a library
 *
 * Every change (trash, move, copy, sidecar and embedded metadata writes, "not duplicates", catalog field changes,
 * purge) is an {@link Operation}: plain data in `source/core/journal.ts`. Operations are applied in **batches** (one
 * command or one keystroke = one batch); a batch has a short integer id (`curate undo 12`) and a uid that stays
 * unique across libraries (export/replay).
 *
 * ## Opening
 *
 * ```ts
 * const {journal, catalog, close} = await openJournal(library);   // takes the writer lock, runs crash recovery
 * try { … } finally { close(); }                                   // closes the catalog, releases the lock
 * ```
 * or, with a catalog you already opened through `openForWrite(library)`: `await Journal.open(library, catalog)`.
 * Opening reconciles any batch a crashed process left unfinished (see Recovery); `journal.recovered` says what it did.
 *
 * ## Applying a batch
 *
 * ```ts
 * const result = await journal.apply({command: 'dupes --apply keepers', label: 'trash 3 duplicates', operations: [
 *   {kind: 'trash', path: '2021/IMG_1 (1).jpg', sha256, size},
 * ]});
 * // result: {batch: 12, state: 'applied', operations: [...]}
 * ```
 * All paths are library-relative with `/` (as `StoredFile.path`). `sha256`/`size` are the file's as catalogued; the
 * file is hashed before and after every step, and a mismatch stops the batch. On any failure the batch's completed
 * operations are rolled back, the batch is marked `failed` with the reason, and a `JournalError` (a `UserError`) is
 * thrown. Everything is checked before the first file is touched (`preflight`), so most refusals change nothing.
 *
 * Operation kinds, their payloads, what each does to files and the catalog, and how it is undone: one module per
 * kind in `source/journal/kinds/`, listed in `kinds/index.ts`; the contract every kind fulfils is `kind.ts`. This
 * engine looks each kind's behaviour up in that registry and names no kind (issue 14).
 *
 * ## Undo, redo, listing
 *
 * `journal.undo(batch?)` takes back a batch (default: the most recently applied), in reverse order, verified by
 * hash. It refuses, changing nothing, when an original path is now occupied or a file has changed since.
 * `journal.redo(batch?)` re-applies the most recently undone batch. Neither deletes journal rows: a batch goes
 * `applied → undone → applied` and its operations with it. `journal.list(limit)` gives newest batches first with
 * counts per kind; `journal.operations(batch)` the operations.
 *
 * ## Write-ahead and recovery
 *
 * Operations run in chunks (up to 100 operations or 1 GB; a purge alone). A chunk's intents are committed in one
 * transaction (synchronous=FULL) before any of its files is touched; each effect is verified by hash; the folders the
 * chunk renamed into and out of are synced once; then the chunk's states and catalog changes commit in one
 * transaction. So "applied" is only recorded for changes on disk, and a crash leaves at most one chunk in `intent`,
 * each operation of which recovery settles on its own evidence. A copy's data is still synced before it lands, and a
 * moved-in source is only removed (a move-in's undo only trashes the library copy) once the chunk's folders are synced. A batch left `running`, `redoing` or
 * `undoing` by a crash is settled at open from evidence on disk (source or destination present with the expected
 * hash, or a `.curate-partial` copy removed once the intact source is verified) and then rolled back to where it was
 * before the interrupted command: a batch being applied ends `rolled-back` (redone: `undone` again), an undo being
 * run ends `applied`. When the evidence does not decide, nothing is touched and the batch is marked `failed` with the
 * reason. The batch's `recovery` field records what was done.
 */
import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {BatchProgress} from '../core/progress.js';
import type {Operation} from '../core/journal.js';
import type {Catalog} from '../db/catalog.js';
import {type BatchRow, JournalStore, type OperationRow} from '../db/journal-store.js';
import {type Library, openForWrite, UserError} from '../library.js';
import {diskFullError} from '../disk-space.js';
import {isDiskFull} from '../errors.js';
import {checkpoint, type DirSyncs, flushDirSyncs} from './disk.js';
import {type Direction, type EffectContext} from './kind.js';
import {invalidOperation, kindOf} from './kinds/index.js';
import {forEachConcurrent} from '../concurrency.js';

export type {Operation, OperationKind, OperationState, BatchState, FieldValues, MetadataWrite} from '../core/journal.js';
export type {BatchRow, OperationRow} from '../db/journal-store.js';

/** A failure of a journal command, printed as one line; the library is as it was before the command. */
export class JournalError extends UserError {}

/** A batch as listed: its row plus counts of its operations by kind. */
export type BatchSummary = BatchRow & {readonly counts: Readonly<Record<string, number>>; readonly bytes: number};

/** What `apply`, `undo` and `redo` return. */
export type BatchResult = {readonly batch: number; readonly uid: string; readonly state: BatchRow['state']; readonly operations: readonly Operation[]};

/** A batch to apply. */
export type BatchSpec = {
	/** The command line or UI action that made it (`dupes --apply keepers`, `review: trash`). */
	readonly command: string;
	/** A short human description. */
	readonly label: string;
	readonly operations: readonly Operation[];
	/** For replay: the uid of the batch this one copies. */
	readonly replayedFrom?: string;
};

export type {BatchProgress} from '../core/progress.js';

/** Options of `apply`, `undo` and `redo`. */
export type RunOptions = {
	/** Called once per operation checked and done (callers throttle what they draw). */
	readonly onProgress?: (progress: BatchProgress) => void;
};

// Stored rows are read defensively: a payload written by hand or by an older version must not crash a listing.
const sizeOf = (op: Operation) => (typeof op === 'object' && op !== null && 'size' in op && typeof op.size === 'number' ? op.size : 0);

/**
 * How many operations share one commit of intents, one round of folder syncs and one commit of results. Synced
 * commits dominate a batch of small files; a crash leaves at most one chunk for recovery to settle from evidence.
 * `CURATE_TEST_CHUNK` (tests only) makes chunks small so the kill test crosses their borders.
 */
const chunkLimits = {operations: Number(process.env.CURATE_TEST_CHUNK) || 100, bytes: 1024 ** 3};

/**
 * Splits operations into chunks. One that cannot be undone (a purge) goes alone: an interrupted one is completed, so
 * only a started one may be.
 */
function chunksOf<T extends {readonly op: Operation}>(items: readonly T[]): T[][] {
	const chunks: T[][] = [];
	let current: T[] = [];
	let bytes = 0;
	for (const item of items) {
		const size = sizeOf(item.op);
		if (current.length > 0 && (current.length >= chunkLimits.operations || bytes + size > chunkLimits.bytes || !kindOf(item.op).undoable)) {
			chunks.push(current);
			current = [];
			bytes = 0;
		}

		current.push(item);
		bytes += size;
	}

	if (current.length > 0) {
		chunks.push(current);
	}

	return chunks;
}

/** Counts operations and bytes as they are done and reports them. */
function tracker(phase: BatchProgress['phase'], ops: readonly Operation[], options: RunOptions) {
	const total = ops.length;
	const totalBytes = ops.reduce((sum, op) => sum + sizeOf(op), 0);
	let done = 0;
	let bytes = 0;
	options.onProgress?.({phase, done, total, bytes, totalBytes});
	return {
		advance(op: Operation) {
			done++;
			bytes += sizeOf(op);
			options.onProgress?.({phase, done, total, bytes, totalBytes});
		},
	};
}

type Row = {readonly id: number; readonly op: Operation};

/** The journal of one library, over a catalog opened for writing. */
export class Journal {
	/** Opens the journal and settles anything a crashed process left unfinished. */
	static async open(library: Library, catalog: Catalog): Promise<Journal> {
		const journal = new Journal(library, catalog);
		await journal.recover();
		return journal;
	}

	/** The journal for listing and export only: no lock needed, and nothing is recovered or changed. */
	static read(library: Library, catalog: Catalog): Journal {
		return new Journal(library, catalog);
	}

	readonly store: JournalStore;
	/** One line per batch that recovery settled at open. */
	readonly recovered: string[] = [];

	private constructor(
		readonly library: Library,
		readonly catalog: Catalog,
	) {
		this.store = new JournalStore(catalog);
	}

	/** Applies a batch of operations: all of them, or none (rolled back) with a `JournalError`. */
	async apply(spec: BatchSpec, options: RunOptions = {}): Promise<BatchResult> {
		if (spec.operations.length === 0) {
			throw new JournalError('nothing to do: the batch has no operations');
		}

		for (const [index, op] of spec.operations.entries()) {
			const problem = invalidOperation(op);
			if (problem) {
				throw new JournalError(`refused, nothing changed: operation ${index + 1} (${describeKind(op)}): ${problem}`);
			}
		}

		const final = spec.operations.filter(op => !kindOf(op).undoable);
		if (final.length > 0 && final.length !== spec.operations.length) {
			throw new JournalError(`a ${final[0]!.kind} must be a batch of its own: it cannot be rolled back with other operations`);
		}

		// Which folders an operation made is learnt when it runs, never taken from the caller (or an export).
		const operations = spec.operations.map(op => withoutRecordedFolders(op));
		spec = {...spec, operations};
		const uid = randomUUID();
		const batch = this.store.createBatch({uid, command: spec.command, label: spec.label, replayedFrom: spec.replayedFrom});
		const context = this.context(batch);
		const problems = await this.preflightAll(spec.operations, context, 'forward', options);
		if (problems.length > 0) {
			this.store.setBatchState(batch, 'failed', problems[0]!);
			throw new JournalError(`refused, nothing changed: ${problems[0]!}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
		}

		const done: Operation[] = [];
		const progress = tracker('applying', spec.operations, options);
		for (const chunk of chunksOf(spec.operations.map((op, seq) => ({op, seq})))) {
			// Write-ahead: the chunk's intents are committed before any of its files is touched.
			const ids = this.store.addOperations(batch, chunk[0]!.seq, chunk.map(item => item.op));
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.runChunk(chunk.map((item, index) => ({id: ids[index]!, op: item.op})), context, 'forward', {untried: 'rolled-back', progress, done});
			if (failure) {
				await this.rollback(batch, context, 'rolled-back');
				this.store.setBatchState(batch, 'failed', failure);
				// A full disk reads as it does everywhere else (the batch is rolled back all the same).
				if (isDiskFull(new Error(failure))) {
					throw diskFullError(this.library.root);
				}

				throw new JournalError(`batch ${batch} failed and was rolled back: ${failure}`);
			}
		}

		this.store.setBatchState(batch, 'applied');
		checkpoint();
		return {batch, uid, state: 'applied', operations: done};
	}

	/** Takes back a batch (default: the most recently applied one). */
	async undo(batchId?: number, options: RunOptions = {}): Promise<BatchResult> {
		const batch = batchId === undefined ? this.store.lastBatchInState('applied') : this.store.batch(batchId);
		if (!batch) {
			throw new JournalError(batchId === undefined ? 'nothing to undo' : `no batch ${batchId} in the journal`);
		}

		if (batch.state !== 'applied') {
			throw new JournalError(`batch ${batch.id} is ${batch.state}; only an applied batch can be undone`);
		}

		const ops = this.store.operations(batch.id).filter(row => row.state === 'applied').reverse();
		const context = this.context(batch.id);
		const invalid = storedProblem(ops);
		const problems = invalid ? [invalid] : await this.preflightAll(ops.map(row => row.op), context, 'reverse', options);
		if (problems.length > 0) {
			throw new JournalError(`cannot undo batch ${batch.id}, nothing changed: ${problems[0]!}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
		}

		this.store.setBatchState(batch.id, 'undoing');
		const progress = tracker('undoing', ops.map(row => row.op), options);
		for (const chunk of chunksOf(ops)) {
			this.store.setOperationStates(chunk.map(row => row.id), 'undoing');
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.runChunk(chunk, context, 'reverse', {untried: 'applied', progress});
			if (failure) {
				await this.reapply(batch.id, context);
				this.store.setBatchState(batch.id, 'applied');
				throw new JournalError(`undo of batch ${batch.id} failed and was taken back: ${failure}`);
			}
		}

		this.store.setBatchState(batch.id, 'undone');
		checkpoint();
		removeEmptyFolders(path.join(this.library.trashDir, String(batch.id)));
		return {batch: batch.id, uid: batch.uid, state: 'undone', operations: ops.map(row => row.op)};
	}

	/** Re-applies an undone batch (default: the most recently undone one). */
	async redo(batchId?: number, options: RunOptions = {}): Promise<BatchResult> {
		const batch = batchId === undefined ? this.store.lastBatchInState('undone') : this.store.batch(batchId);
		if (!batch) {
			throw new JournalError(batchId === undefined ? 'nothing to redo' : `no batch ${batchId} in the journal`);
		}

		if (batch.state !== 'undone') {
			throw new JournalError(`batch ${batch.id} is ${batch.state}; only an undone batch can be redone`);
		}

		const ops = this.store.operations(batch.id).filter(row => row.state === 'undone');
		const context = this.context(batch.id);
		const invalid = storedProblem(ops);
		const problems = invalid ? [invalid] : await this.preflightAll(ops.map(row => row.op), context, 'forward', options);
		if (problems.length > 0) {
			throw new JournalError(`cannot redo batch ${batch.id}, nothing changed: ${problems[0]!}`);
		}

		this.store.setBatchState(batch.id, 'redoing');
		const progress = tracker('redoing', ops.map(row => row.op), options);
		for (const chunk of chunksOf(ops)) {
			this.store.setOperationStates(chunk.map(row => row.id), 'intent');
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.runChunk(chunk, context, 'forward', {untried: 'undone', progress});
			if (failure) {
				await this.rollback(batch.id, context, 'undone');
				this.store.setBatchState(batch.id, 'undone');
				throw new JournalError(`redo of batch ${batch.id} failed and was taken back: ${failure}`);
			}
		}

		this.store.setBatchState(batch.id, 'applied');
		checkpoint();
		return {batch: batch.id, uid: batch.uid, state: 'applied', operations: ops.map(row => row.op)};
	}

	/** The newest batches first, with counts of their operations by kind and the bytes they moved. */
	list(limit = 50): BatchSummary[] {
		return this.store.batches(limit).map(batch => this.summary(batch));
	}

	/** One batch with its counts. */
	batch(id: number): BatchSummary | undefined {
		const batch = this.store.batch(id);
		return batch ? this.summary(batch) : undefined;
	}

	/** A batch's operations in order, with their states. */
	operations(batchId: number): OperationRow[] {
		return this.store.operations(batchId);
	}

	private summary(batch: BatchRow): BatchSummary {
		const counts: Record<string, number> = {};
		let bytes = 0;
		for (const row of this.store.operations(batch.id)) {
			const kind = describeKind(row.op);
			counts[kind] = (counts[kind] ?? 0) + 1;
			bytes += sizeOf(row.op);
		}

		return {...batch, counts, bytes};
	}

	private context(batch: number): EffectContext {
		return {root: this.library.root, batch, store: this.store, catalog: this.catalog};
	}

	private async preflightAll(ops: readonly Operation[], context: EffectContext, direction: 'forward' | 'reverse', options: RunOptions): Promise<string[]> {
		// Checks only read (hash) files, so a few run at once: on a NAS, reads wait on the disk or the network.
		const found: Array<string | undefined> = Array.from({length: ops.length});
		const progress = tracker('checking', ops, options);
		const later = checkedWhenRun(ops);
		await forEachConcurrent(ops, 4, async (op, index) => {
			found[index] = later[index] ? undefined : await preflight(op, context, direction);
			progress.advance(op);
		});
		const problems = found.filter((problem): problem is string => problem !== undefined);
		const targets = new Set<string>();
		for (const op of ops) {
			const target = kindOf(op).fills(op, direction);
			if (target !== undefined) {
				if (targets.has(target)) {
					problems.push(`two operations write ${target}`);
				}

				targets.add(target);
			}
		}

		return problems;
	}

	/**
	 * Runs one operation in one direction (its intent is already committed) and marks it done with its catalog change
	 * in one transaction. On failure it settles the step by evidence, records the outcome and returns the reason.
	 */
	private async step(row: Row, context: EffectContext, direction: 'forward' | 'reverse'): Promise<string | undefined> {
		try {
			const op = await perform(row.op, context, direction);
			checkpoint();
			this.markDone([{id: row.id, op}], context, direction);
			checkpoint();
			return undefined;
		} catch (error) {
			const reason = (error as Error).message;
			await this.settleFailed(row, context, direction, reason);
			return reason;
		}
	}

	/**
	 * Runs a chunk of operations whose intents (or `undoing` states) are committed. Rename-only folder syncs wait
	 * until the chunk's effects are done; they are made before the chunk's results commit, in one transaction, so
	 * "applied" is only ever recorded for changes that are on disk. On a failure, the operations done before it are
	 * recorded, the failed one is settled by evidence, the untried ones go back to `untried`, and the reason is returned.
	 */
	private async runChunk(
		rows: readonly Row[],
		context: EffectContext,
		direction: 'forward' | 'reverse',
		run: {readonly untried: 'rolled-back' | 'applied' | 'undone'; readonly progress: ReturnType<typeof tracker>; readonly done?: Operation[]},
	): Promise<string | undefined> {
		const later: DirSyncs = new Set();
		const finished: Array<Row & {readonly tasks: Array<() => Promise<void>>}> = [];
		// Syncs the chunk's folders, runs the work that had to wait for that (e.g. removing moved-in sources), syncs
		// again, and records what is done; an operation whose waiting work fails is settled by evidence instead.
		const record = async (): Promise<string | undefined> => {
			flushDirSyncs(later);
			const failed = new Map<Row, string>();
			for (const row of finished) {
				for (const task of row.tasks) {
					try {
						// eslint-disable-next-line no-await-in-loop
						await task();
					} catch (error) {
						failed.set(row, (error as Error).message);
						break;
					}
				}
			}

			flushDirSyncs(later);
			const succeeded = finished.filter(row => !failed.has(row));
			this.markDone(succeeded, context, direction);
			run.done?.push(...succeeded.map(row => row.op));
			for (const [row, reason] of failed) {
				// eslint-disable-next-line no-await-in-loop
				await this.settleFailed(row, context, direction, reason);
			}

			return failed.values().next().value;
		};

		for (const [index, row] of rows.entries()) {
			const tasks: Array<() => Promise<void>> = [];
			const effects: EffectContext = {...context, later, defer: task => tasks.push(task)};
			try {
				// eslint-disable-next-line no-await-in-loop
				const op = await perform(row.op, effects, direction);
				checkpoint();
				finished.push({id: row.id, op, tasks});
				run.progress.advance(op);
			} catch (error) {
				const reason = (error as Error).message;
				// eslint-disable-next-line no-await-in-loop
				await record();
				// eslint-disable-next-line no-await-in-loop
				await this.settleFailed(row, context, direction, reason);
				this.store.setOperationStates(rows.slice(index + 1).map(untried => untried.id), run.untried, run.untried === 'rolled-back' ? 'not attempted: an earlier operation failed' : null);
				return reason;
			}
		}

		const failure = await record();
		checkpoint();
		return failure;
	}

	/** Records a failed step by the evidence on disk: done after all, or not done (or undecided, then failed). */
	private async settleFailed(row: Row, context: EffectContext, direction: 'forward' | 'reverse', reason: string): Promise<void> {
		try {
			const settled = await kindOf(row.op).settle(row.op, context, direction);
			if (settled.done) {
				this.markDone([{id: row.id, op: settled.op}], context, direction);
			} else {
				this.store.setOperationState(row.id, direction === 'forward' ? 'failed' : 'applied', reason);
			}
		} catch (settleError) {
			this.store.setOperationState(row.id, 'failed', `${reason}; ${(settleError as Error).message}`);
		}
	}

	/** Records operations as done, with their catalog changes, in one transaction. */
	private markDone(rows: readonly Row[], context: EffectContext, direction: 'forward' | 'reverse'): void {
		if (rows.length === 0) {
			return;
		}

		this.store.transaction(() => {
			for (const {id, op} of rows) {
				if (direction === 'forward') {
					kindOf(op).forwardCatalog(op, context);
					this.store.setOperationPayload(id, op);
					this.store.setOperationState(id, 'applied');
				} else {
					kindOf(op).reverseCatalog(op, context);
					this.store.setOperationState(id, 'undone');
				}
			}
		});
	}

	/** Takes back every applied operation of a batch, newest first; they end in `endState`. */
	private async rollback(batch: number, context: EffectContext, endState: 'rolled-back' | 'undone'): Promise<void> {
		const applied = this.store.operations(batch).filter(row => row.state === 'applied' && kindOf(row.op).undoable).reverse();
		for (const row of applied) {
			this.store.setOperationState(row.id, 'undoing');
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.step(row, context, 'reverse');
			if (failure) {
				throw new JournalError(`rolling back batch ${batch} failed at "${row.op.kind}": ${failure}; the journal keeps the state of every operation (curate journal)`);
			}

			if (endState === 'rolled-back') {
				this.store.setOperationState(row.id, 'rolled-back');
			}
		}
	}

	/** Re-applies the operations of a batch that an interrupted undo already took back. */
	private async reapply(batch: number, context: EffectContext): Promise<void> {
		for (const row of this.store.operations(batch).filter(candidate => candidate.state === 'undone')) {
			this.store.setOperationState(row.id, 'intent');
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.step(row, context, 'forward');
			if (failure) {
				throw new JournalError(`re-applying batch ${batch} failed at "${row.op.kind}": ${failure}`);
			}
		}
	}

	/** Settles every batch a crashed process left unfinished, by evidence on disk (see the module doc). */
	private async recover(): Promise<void> {
		for (const batch of this.store.unfinishedBatches()) {
			const context = this.context(batch.id);
			const notes: string[] = [];
			try {
				const invalid = storedProblem(this.store.operations(batch.id));
				if (invalid) {
					// Settling would run it: leave the disk alone, and stop it being "recovered" again at every open.
					throw new Error(invalid);
				}

				const direction = batch.state === 'undoing' ? 'reverse' : 'forward';
				const pending = batch.state === 'undoing' ? 'undoing' : 'intent';
				for (const row of this.store.operations(batch.id).filter(candidate => candidate.state === pending)) {
					// eslint-disable-next-line no-await-in-loop
					const settled = await kindOf(row.op).settle(row.op, context, direction);
					if (!settled.done && !kindOf(row.op).undoable) {
						// A purge cannot be taken back, so an interrupted one is finished instead.
						// eslint-disable-next-line no-await-in-loop
						const failure = await this.step(row, context, 'forward');
						if (failure) {
							throw new Error(failure);
						}

						notes.push(`operation ${row.seq} (${row.op.kind}) was completed`);
						continue;
					}

					if (settled.done) {
						this.markDone([{id: row.id, op: settled.op}], context, direction);
					} else {
						this.store.setOperationState(row.id, direction === 'reverse' ? 'applied' : batch.state === 'redoing' ? 'undone' : 'rolled-back', 'interrupted before it took effect');
					}

					notes.push(`operation ${row.seq} (${row.op.kind}) ${settled.done ? 'had taken effect' : 'had not taken effect'}`);
				}

				if (batch.state === 'undoing') {
					await this.reapply(batch.id, context);
					this.store.setBatchState(batch.id, 'applied', 'an interrupted undo was taken back');
				} else if (batch.state === 'redoing') {
					await this.rollback(batch.id, context, 'undone');
					this.store.setBatchState(batch.id, 'undone', 'an interrupted redo was taken back');
				} else if (isFinalBatch(this.store.operations(batch.id))) {
					this.store.setBatchState(batch.id, 'applied', 'interrupted; the purges it had started were completed, the rest left in the trash');
				} else {
					await this.rollback(batch.id, context, 'rolled-back');
					this.store.setBatchState(batch.id, 'rolled-back', 'interrupted; rolled back when the library was next opened');
				}

				notes.push(`batch ended ${this.store.batch(batch.id)!.state}`);
			} catch (error) {
				notes.push(`could not settle: ${(error as Error).message}`);
				this.store.setBatchState(batch.id, 'failed', `interrupted, and recovery could not decide: ${(error as Error).message}`);
			}

			const text = `${new Date().toISOString()} ${notes.join('; ')}`;
			this.store.setRecovery(batch.id, text);
			this.recovered.push(`batch ${batch.id} (${batch.label}): ${notes.join('; ')}`);
		}
	}
}

/**
 * Which operations are checked when they run rather than before the batch: one whose kind allows it (trash, move,
 * copy) on a path that an earlier operation of the same batch empties or fills (restore: the damaged file goes to the
 * trash, then the good copy is moved into its place). The disk before the batch cannot judge them; their effects
 * verify the source by SHA-256 and refuse a taken destination, and a refusal rolls the batch back.
 */
function checkedWhenRun(ops: readonly Operation[]): boolean[] {
	const touched = new Set<string>();
	return ops.map(op => {
		const kind = kindOf(op);
		const paths = kind.touches(op);
		const dependent = kind.checkedWhenRun && paths.some(file => touched.has(file));
		for (const file of paths) {
			touched.add(file);
		}

		return dependent;
	});
}

/**
 * Whether an interrupted batch was one of operations that cannot be undone (a purge, whose started purges are
 * completed, not rolled back). A batch with no operation recorded is not one: "every operation is a purge" is true of
 * an empty list, and such a batch changed nothing, so it ends `rolled-back` (issue 13, A8).
 */
function isFinalBatch(rows: readonly OperationRow[]): boolean {
	return rows.length > 0 && rows.every(row => !kindOf(row.op).undoable);
}

/** Why an operation cannot run in `direction` now, or undefined when it can (checked before a batch starts). */
async function preflight(op: Operation, context: EffectContext, direction: Direction): Promise<string | undefined> {
	try {
		return await kindOf(op).preflight(op, context, direction);
	} catch (error) {
		return (error as Error).message;
	}
}

/** Runs an operation's effect on disk in `direction`; forwards, returns it completed where it learnt more. */
async function perform(op: Operation, context: EffectContext, direction: Direction): Promise<Operation> {
	if (direction === 'forward') {
		return kindOf(op).forward(op, context);
	}

	await kindOf(op).reverse(op, context);
	return op;
}

function withoutRecordedFolders(op: Operation): Operation {
	if ('madeFolders' in op) {
		const {madeFolders: _, ...rest} = op;
		return rest as Operation;
	}

	return op;
}

/** The kind of something that should be an operation, for messages (it may be null or junk). */
function describeKind(op: unknown): string {
	const kind = (op as {kind?: unknown} | null)?.kind;
	return typeof kind === 'string' ? kind.slice(0, 40) : 'no kind';
}

/** The first stored operation that is not valid (written before validation existed, or edited by hand). */
function storedProblem(rows: readonly OperationRow[]): string | undefined {
	for (const row of rows) {
		const problem = invalidOperation(row.op);
		if (problem) {
			return `operation ${row.seq + 1} (${describeKind(row.op)}) of the journal is not valid: ${problem}`;
		}
	}

	return undefined;
}

/** Opens a library for writing under its lock, with its journal recovered. `close()` releases both. */
export async function openJournal(library: Library): Promise<{journal: Journal; catalog: Catalog; close: () => void}> {
	const {catalog, release} = openForWrite(library);
	try {
		const journal = await Journal.open(library, catalog);
		return {
			journal,
			catalog,
			close() {
				catalog.close();
				release();
			},
		};
	} catch (error) {
		catalog.close();
		release();
		throw error;
	}
}

/**
 * Removes the folders an undone batch left empty in the trash, so the trash (and `curate status`) shows only what it
 * holds. rmdir refuses a folder that is not empty, so nothing a folder still holds can go.
 */
function removeEmptyFolders(dir: string): void {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(dir, {withFileTypes: true});
	} catch {
		return;
	}

	for (const entry of entries) {
		if (entry.isDirectory()) {
			removeEmptyFolders(path.join(dir, entry.name));
		}
	}

	try {
		fs.rmdirSync(dir);
	} catch {}
}
