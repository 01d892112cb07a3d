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
 * Operation kinds, their payloads, and what the catalog looks like afterwards:
 *
 * - `trash {path, sha256, size}`: the file moves to `.curate/trash/<batch>/<path>`. Its `files` row stays (same id)
 *   but its path becomes the trash path and it leaves the present set: it is no longer in `catalog.allPresent()`
 *   nor `fileByPath(path)`. Undo moves the bytes back and the same row (same id) is present at `path` again.
 * - `move {from, to, sha256, size}`: the row's path becomes `to` (same id). `to` must be free.
 * - `copy {source, to, sha256, size}`: `source` is an absolute path (e.g. import) or a library path. If the catalog
 *   knows a present file with that sha256, a row for `to` is cloned from it; otherwise `to` has no row until the next
 *   scan. Undo moves the copy to the trash (its row, if any, goes with it); redo brings that same file back.
 * - `write-sidecar {path, before, beforeSha256, after, afterSha256, photo?, fieldsBefore?, fieldsAfter?}`: writes the
 *   bytes `after` (base64) atomically. `before` is the previous content (base64) or null. Undo restores `before`
 *   byte for byte, or trashes a sidecar that did not exist. `photo`'s catalog fields change to `fieldsAfter`.
 *   Build these with `planMetadataWrite` in `source/journal/metadata.ts` rather than by hand.
 * - `write-embedded {path, sha256, write, fieldsBefore?, fieldsAfter?}`: a byte-exact backup goes to the batch's
 *   trash folder first, then exiftool writes `write` (keywords/rating/title/description) into the file. Undo puts
 *   the backup's bytes back.
 * - `mark-not-duplicate {cluster?, pairs}`: adds these SHA-256 pairs to the "not duplicates" decisions; undo removes
 *   exactly them. Use `notDuplicatesOperation(catalog, sha256s)` to get only the pairs that are new.
 * - `set-fields {path, sha256, before, after}`: a catalog-only change of keywords/rating/title/description.
 * - `purge {trashPath, sha256, size}`: deletes a file from the trash for good, and its row. Cannot be undone.
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
 * Each operation's intent is committed (synchronous=FULL) before the disk is touched; the effect is verified by
 * hash; then its state and its catalog change commit in one transaction. A batch left `running`, `redoing` or
 * `undoing` by a crash is settled at open from evidence on disk (source or destination present with the expected
 * hash, or a `.curate-partial` copy removed once the intact source is verified) and then rolled back to where it was
 * before the interrupted command: a batch being applied ends `rolled-back` (redone: `undone` again), an undo being
 * run ends `applied`. When the evidence does not decide, nothing is touched and the batch is marked `failed` with the
 * reason. The batch's `recovery` field records what was done.
 */
import {randomUUID} from 'node:crypto';
import type {Operation} from '../core/journal.js';
import type {Catalog} from '../db/catalog.js';
import {type BatchRow, JournalStore, type OperationRow} from '../db/journal-store.js';
import {type Library, openForWrite, UserError} from '../library.js';
import {checkpoint} from './disk.js';
import {type EffectContext, forward, forwardCatalog, operationPathProblem, preflight, reverse, reverseCatalog, settle} from './effects.js';

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

const sizeOf = (op: Operation) => ('size' in op ? op.size : 0);

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
	async apply(spec: BatchSpec): Promise<BatchResult> {
		if (spec.operations.length === 0) {
			throw new JournalError('nothing to do: the batch has no operations');
		}

		for (const op of spec.operations) {
			const problem = operationPathProblem(op);
			if (problem) {
				throw new JournalError(`refused: ${problem}`);
			}
		}

		const purges = spec.operations.filter(op => op.kind === 'purge').length;
		if (purges > 0 && purges !== spec.operations.length) {
			throw new JournalError('a purge must be a batch of its own: it cannot be rolled back with other operations');
		}

		const uid = randomUUID();
		const batch = this.store.createBatch({uid, command: spec.command, label: spec.label, replayedFrom: spec.replayedFrom});
		const context = this.context(batch);
		const problems = await this.preflightAll(spec.operations, context, 'forward');
		if (problems.length > 0) {
			this.store.setBatchState(batch, 'failed', problems[0]!);
			throw new JournalError(`refused, nothing changed: ${problems[0]!}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
		}

		const done: Operation[] = [];
		for (const [seq, op] of spec.operations.entries()) {
			const id = this.store.addOperation(batch, seq, op);
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.step({id, op}, context, 'forward', done);
			if (failure) {
				await this.rollback(batch, context, 'rolled-back');
				this.store.setBatchState(batch, 'failed', failure);
				throw new JournalError(`batch ${batch} failed and was rolled back: ${failure}`);
			}
		}

		this.store.setBatchState(batch, 'applied');
		checkpoint();
		return {batch, uid, state: 'applied', operations: done};
	}

	/** Takes back a batch (default: the most recently applied one). */
	async undo(batchId?: number): Promise<BatchResult> {
		const batch = batchId === undefined ? this.store.lastBatchInState('applied') : this.store.batch(batchId);
		if (!batch) {
			throw new JournalError(batchId === undefined ? 'nothing to undo' : `no batch ${batchId} in the journal`);
		}

		if (batch.state !== 'applied') {
			throw new JournalError(`batch ${batch.id} is ${batch.state}; only an applied batch can be undone`);
		}

		const ops = this.store.operations(batch.id).filter(row => row.state === 'applied').reverse();
		const context = this.context(batch.id);
		const problems = await this.preflightAll(ops.map(row => row.op), context, 'reverse');
		if (problems.length > 0) {
			throw new JournalError(`cannot undo batch ${batch.id}, nothing changed: ${problems[0]!}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
		}

		this.store.setBatchState(batch.id, 'undoing');
		for (const row of ops) {
			this.store.setOperationState(row.id, 'undoing');
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.step(row, context, 'reverse');
			if (failure) {
				await this.reapply(batch.id, context);
				this.store.setBatchState(batch.id, 'applied');
				throw new JournalError(`undo of batch ${batch.id} failed and was taken back: ${failure}`);
			}
		}

		this.store.setBatchState(batch.id, 'undone');
		checkpoint();
		return {batch: batch.id, uid: batch.uid, state: 'undone', operations: ops.map(row => row.op)};
	}

	/** Re-applies an undone batch (default: the most recently undone one). */
	async redo(batchId?: number): Promise<BatchResult> {
		const batch = batchId === undefined ? this.store.lastBatchInState('undone') : this.store.batch(batchId);
		if (!batch) {
			throw new JournalError(batchId === undefined ? 'nothing to redo' : `no batch ${batchId} in the journal`);
		}

		if (batch.state !== 'undone') {
			throw new JournalError(`batch ${batch.id} is ${batch.state}; only an undone batch can be redone`);
		}

		const ops = this.store.operations(batch.id).filter(row => row.state === 'undone');
		const context = this.context(batch.id);
		const problems = await this.preflightAll(ops.map(row => row.op), context, 'forward');
		if (problems.length > 0) {
			throw new JournalError(`cannot redo batch ${batch.id}, nothing changed: ${problems[0]!}`);
		}

		this.store.setBatchState(batch.id, 'redoing');
		for (const row of ops) {
			this.store.setOperationState(row.id, 'intent');
			checkpoint();
			// eslint-disable-next-line no-await-in-loop
			const failure = await this.step(row, context, 'forward');
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
			counts[row.op.kind] = (counts[row.op.kind] ?? 0) + 1;
			bytes += sizeOf(row.op);
		}

		return {...batch, counts, bytes};
	}

	private context(batch: number): EffectContext {
		return {root: this.library.root, batch, store: this.store, catalog: this.catalog};
	}

	private async preflightAll(ops: readonly Operation[], context: EffectContext, direction: 'forward' | 'reverse'): Promise<string[]> {
		const problems: string[] = [];
		const targets = new Set<string>();
		for (const op of ops) {
			// eslint-disable-next-line no-await-in-loop
			const problem = await preflight(op, context, direction);
			if (problem) {
				problems.push(problem);
			}

			const target = op.kind === 'move' ? (direction === 'forward' ? op.to : op.from) : op.kind === 'copy' && direction === 'forward' ? op.to : undefined;
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
	private async step(row: {id: number; op: Operation}, context: EffectContext, direction: 'forward' | 'reverse', result?: Operation[]): Promise<string | undefined> {
		try {
			const op = direction === 'forward' ? await forward(row.op, context) : (await reverse(row.op, context), row.op);
			checkpoint();
			this.markDone(row.id, op, context, direction);
			result?.push(op);
			checkpoint();
			return undefined;
		} catch (error) {
			const reason = (error as Error).message;
			try {
				const settled = await settle(row.op, context, direction);
				if (settled.done) {
					this.markDone(row.id, settled.op, context, direction);
				} else {
					this.store.setOperationState(row.id, direction === 'forward' ? 'failed' : 'applied', reason);
				}
			} catch (settleError) {
				this.store.setOperationState(row.id, 'failed', `${reason}; ${(settleError as Error).message}`);
			}

			return reason;
		}
	}

	private markDone(id: number, op: Operation, context: EffectContext, direction: 'forward' | 'reverse'): void {
		this.store.transaction(() => {
			if (direction === 'forward') {
				forwardCatalog(op, context);
				this.store.setOperationPayload(id, op);
				this.store.setOperationState(id, 'applied');
			} else {
				reverseCatalog(op, context);
				this.store.setOperationState(id, 'undone');
			}
		});
	}

	/** Takes back every applied operation of a batch, newest first; they end in `endState`. */
	private async rollback(batch: number, context: EffectContext, endState: 'rolled-back' | 'undone'): Promise<void> {
		const applied = this.store.operations(batch).filter(row => row.state === 'applied' && row.op.kind !== 'purge').reverse();
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
				const direction = batch.state === 'undoing' ? 'reverse' : 'forward';
				const pending = batch.state === 'undoing' ? 'undoing' : 'intent';
				for (const row of this.store.operations(batch.id).filter(candidate => candidate.state === pending)) {
					// eslint-disable-next-line no-await-in-loop
					const settled = await settle(row.op, context, direction);
					if (!settled.done && row.op.kind === 'purge') {
						// A purge cannot be taken back, so an interrupted one is finished instead.
						// eslint-disable-next-line no-await-in-loop
						const failure = await this.step(row, context, 'forward');
						if (failure) {
							throw new Error(failure);
						}

						notes.push(`operation ${row.seq} (purge) was completed`);
						continue;
					}

					if (settled.done) {
						this.markDone(row.id, settled.op, context, direction);
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
				} else if (this.store.operations(batch.id).every(row => row.op.kind === 'purge')) {
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
