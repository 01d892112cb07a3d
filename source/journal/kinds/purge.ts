/**
 * `purge`: deletes a file from the trash for good, and its row. The only deletion Curate does, and it cannot be
 * undone: it runs in a batch of its own, and an interrupted one is completed rather than taken back.
 */
import fs from 'node:fs';
import {required, sha256, size, trashPath} from '../../core/operation-schema.js';
import {hashAt} from '../disk.js';
import {at, defineKind, EffectRefused, fillsNothing, noProblem, pathsProblem} from '../kind.js';

/** `trashPath` is inside `.curate/trash/`. */
export type PurgeOperation = {readonly kind: 'purge'; readonly trashPath: string; readonly sha256: string; readonly size: number};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		purge: PurgeOperation;
	}
}

export const purgeKind = defineKind<PurgeOperation>({
	kind: 'purge',
	schema: {trashPath: required(trashPath), sha256: required(sha256), size: required(size)},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `purge ${op.trashPath}`,
	example: ({trashed}) => ({kind: 'purge', trashPath: trashed.path, sha256: trashed.sha256, size: trashed.size}),

	pathProblem: op => pathsProblem([[op.trashPath, true]]),
	touches: op => [op.trashPath],
	fills: fillsNothing,
	checkedWhenRun: false,
	footprint: op => ({before: {[op.trashPath]: op.sha256}, after: {[op.trashPath]: null}, kept: {}}),

	preflight: async (_op, _context, direction) => (direction === 'reverse' ? 'a purge cannot be undone: the bytes are gone' : undefined),
	async forward(op, context) {
		const file = at(context, op.trashPath);
		if ((await hashAt(file)) !== op.sha256) {
			throw new Error(`${op.trashPath} is not the file the journal recorded`);
		}

		fs.unlinkSync(file);
		return op;
	},
	async reverse() {
		throw new EffectRefused('a purge cannot be undone');
	},
	async settle(op, context) {
		const current = await hashAt(at(context, op.trashPath));
		if (current === undefined) {
			return {done: true, op};
		}

		if (current === op.sha256) {
			return {done: false, op};
		}

		throw new Error(`${op.trashPath} is not the file the journal recorded`);
	},
	forwardCatalog(op, {store}) {
		const row = store.fileRow(op.trashPath);
		if (row) {
			store.deleteRow(row.id);
		}
	},
	reverseCatalog() {},
	undoable: false,

	replay: () => ({refused: 'purges are never replayed: deleting is decided on each library'}),
});
