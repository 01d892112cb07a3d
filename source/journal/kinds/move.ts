/**
 * `move`: a library file goes to another library path, which must be free (its folders are made as needed); the
 * row's path becomes `to` (same id). Undo moves it back.
 */
import {libraryPath, madeFolders, required, sha256, size} from '../../core/operation-schema.js';
import {defineKind, noProblem, pathsProblem} from '../kind.js';
import {backwards, movedCatalog, oriented, type Relocation, relocateFile, relocationProblem, removeMadeFolders, settleRelocation, withFolders} from '../relocation.js';

/**
 * Library path → library path. `madeFolders`: the library folders it created for its target, outermost first,
 * recorded when it ran so that undo removes them again once they are empty (issue 13), and never any other folder.
 */
export type MoveOperation = {readonly kind: 'move'; readonly from: string; readonly to: string; readonly sha256: string; readonly size: number; readonly madeFolders?: readonly string[]};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		move: MoveOperation;
	}
}

const relocation = (op: MoveOperation): Relocation => ({from: op.from, to: op.to, sha256: op.sha256});

export const moveKind = defineKind<MoveOperation>({
	kind: 'move',
	schema: {from: required(libraryPath), to: required(libraryPath), sha256: required(sha256), size: required(size), madeFolders},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `move ${op.from} → ${op.to}`,
	example: ({photo}) => ({kind: 'move', from: photo.path, to: `moved/new/${photo.path}`, sha256: photo.sha256, size: photo.size}),

	pathProblem: op => pathsProblem([[op.from, false], [op.to, false]]),
	touches: op => [op.from, op.to],
	fills: (op, direction) => (direction === 'forward' ? op.to : op.from),
	checkedWhenRun: true,
	footprint: op => ({before: {[op.from]: op.sha256, [op.to]: null}, after: {[op.from]: null, [op.to]: op.sha256}, kept: {}}),

	preflight: async (op, context, direction) => relocationProblem(oriented(relocation(op), direction), context),
	forward: async (op, context) => withFolders(op, context, async () => relocateFile(relocation(op), context)),
	async reverse(op, context) {
		await relocateFile(backwards(relocation(op)), context);
		removeMadeFolders(op, context);
	},
	settle: async (op, context, direction) => settleRelocation(op, oriented(relocation(op), direction), context),
	forwardCatalog: (op, context) => movedCatalog(op.from, op.to, null, context),
	reverseCatalog: (op, context) => movedCatalog(op.to, op.from, null, context),
	undoable: true,

	replay: (op, here) => here.outside(op.from, op.to) ?? here.claim(op.from, op.sha256, op.from, found => ({...op, from: found})),
});
