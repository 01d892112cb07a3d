/**
 * `trash`: a library file goes to `.curate/trash/<batch>/<path>`. Its `files` row stays (same id) but its path
 * becomes the trash path and it leaves the present set: it is no longer in `catalog.allPresent()` nor
 * `fileByPath(path)`. Undo moves the bytes back and the same row (same id) is present at `path` again.
 */
import {trashPathFor} from '../../core/journal.js';
import {libraryPath, required, sha256, size} from '../../core/operation-schema.js';
import {defineKind, type EffectContext, fillsNothing, noProblem, pathsProblem, trashOf} from '../kind.js';
import {backwards, movedCatalog, oriented, type Relocation, relocateFile, relocationProblem, settleRelocation} from '../relocation.js';

/** Library file → `.curate/trash/<batch>/<path>`. Undo moves it back. */
export type TrashOperation = {readonly kind: 'trash'; readonly path: string; readonly sha256: string; readonly size: number};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		trash: TrashOperation;
	}
}

const relocation = (op: TrashOperation, context: EffectContext): Relocation => ({from: op.path, to: trashOf(context, op.path), sha256: op.sha256});

export const trashKind = defineKind<TrashOperation>({
	kind: 'trash',
	schema: {path: required(libraryPath), sha256: required(sha256), size: required(size)},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `trash ${op.path}`,
	example: ({photo}) => ({kind: 'trash', path: photo.path, sha256: photo.sha256, size: photo.size}),

	pathProblem: op => pathsProblem([[op.path, false]]),
	touches: op => [op.path],
	fills: fillsNothing,
	checkedWhenRun: true,
	footprint: (op, batch) => ({
		before: {[op.path]: op.sha256, [trashPathFor(batch, op.path)]: null},
		after: {[op.path]: null, [trashPathFor(batch, op.path)]: op.sha256},
		kept: {},
	}),

	preflight: async (op, context, direction) => relocationProblem(oriented(relocation(op, context), direction), context),
	async forward(op, context) {
		await relocateFile(relocation(op, context), context);
		return op;
	},
	reverse: async (op, context) => relocateFile(backwards(relocation(op, context)), context),
	settle: async (op, context, direction) => settleRelocation(op, oriented(relocation(op, context), direction), context),
	forwardCatalog: (op, context) => movedCatalog(op.path, trashOf(context, op.path), context.batch, context),
	reverseCatalog: (op, context) => movedCatalog(trashOf(context, op.path), op.path, null, context),
	undoable: true,

	replay: (op, here) => here.outside(op.path) ?? here.claim(op.path, op.sha256, op.path, found => ({...op, path: found})),
});
