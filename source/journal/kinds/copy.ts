/**
 * `copy`: a file (an absolute path anywhere, or a library path) copied to a new library path. Undo puts the copy in
 * the trash; redo brings that same file back rather than copying again.
 */
import path from 'node:path';
import {trashPathFor} from '../../core/journal.js';
import {libraryPath, madeFolders, required, sha256, size, sourcePath} from '../../core/operation-schema.js';
import {copyVerified, exists, hashAt, relocate} from '../disk.js';
import {at, defineKind, type EffectContext, noProblem, pathsProblem, trashOf} from '../kind.js';
import {arrivedCatalog, leftForTrashCatalog, type Relocation, relocateFile, relocationProblem, removeMadeFolders, settleRelocation, withFolders} from '../relocation.js';

/** A file copied to `to`; `madeFolders` as for `move`. */
export type CopyOperation = {readonly kind: 'copy'; readonly source: string; readonly to: string; readonly sha256: string; readonly size: number; readonly madeFolders?: readonly string[]};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		copy: CopyOperation;
	}
}

const sourceOf = (op: CopyOperation, context: EffectContext) => (path.isAbsolute(op.source) ? op.source : at(context, op.source));
/** Undo puts the copy in the trash. */
const intoTrash = (op: CopyOperation, context: EffectContext): Relocation => ({from: op.to, to: trashOf(context, op.to), sha256: op.sha256});

export const copyKind = defineKind<CopyOperation>({
	kind: 'copy',
	schema: {source: required(sourcePath), to: required(libraryPath), sha256: required(sha256), size: required(size), madeFolders},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `copy ${op.source} → ${op.to}`,
	example: ({photo}) => ({kind: 'copy', source: photo.path, to: `copies/${photo.path}`, sha256: photo.sha256, size: photo.size}),

	pathProblem: op => pathsProblem([...(path.isAbsolute(op.source) ? [] : [[op.source, false] as const]), [op.to, false]]),
	touches: op => [op.to],
	fills: (op, direction) => (direction === 'forward' ? op.to : undefined),
	checkedWhenRun: true,
	footprint: (op, batch) => ({before: {[op.to]: null}, after: {[op.to]: op.sha256}, kept: {[trashPathFor(batch, op.to)]: [op.sha256]}}),

	async preflight(op, context, direction) {
		if (direction === 'reverse') {
			return relocationProblem(intoTrash(op, context), context);
		}

		const target = at(context, op.to);
		if (exists(target) && (await hashAt(target)) !== op.sha256) {
			return `${op.to} is already taken by a different file`;
		}

		if (exists(target)) {
			return `${op.to} already exists`;
		}

		const trashed = await hashAt(at(context, trashOf(context, op.to)));
		const source = trashed === op.sha256 ? op.sha256 : await hashAt(sourceOf(op, context));
		return source === op.sha256 ? undefined : `${op.source} is not there or has changed`;
	},
	async forward(op, context) {
		const trashed = at(context, trashOf(context, op.to));
		return withFolders(op, context, async () =>
			(await hashAt(trashed)) === op.sha256 ? relocate(trashed, at(context, op.to), op.sha256, context) : copyVerified(sourceOf(op, context), at(context, op.to), op.sha256, context));
	},
	async reverse(op, context) {
		await relocateFile(intoTrash(op, context), context);
		removeMadeFolders(op, context);
	},
	async settle(op, context, direction) {
		if (direction === 'reverse') {
			return settleRelocation(op, intoTrash(op, context), context);
		}

		// A redone copy comes back from the trash (a verified twin left there is then redundant); a first one is copied
		// from its source, which stays intact.
		return settleRelocation(op, {from: trashOf(context, op.to), to: op.to, sha256: op.sha256}, context, {
			destinationDecides: true,
			intactElsewhere: async () => (await hashAt(sourceOf(op, context))) === op.sha256,
		});
	},
	forwardCatalog: arrivedCatalog,
	reverseCatalog: leftForTrashCatalog,
	undoable: true,

	replay(op, here) {
		if (path.isAbsolute(op.source)) {
			return {refused: 'the source of a copy is outside the library'};
		}

		return here.outside(op.to) ?? here.claim(op.source, op.sha256, op.source, found => ({...op, source: found}));
	},
});
