/**
 * `move-in`: a file from outside the library (`source`, absolute; `import --move`) is copied to `to`, verified, and
 * only then is the source, verified to still hold those bytes, removed. Undo copies the bytes back to `source`
 * (verified, with the file time; refused when that path is taken or its folder is gone, e.g. an unmounted card) and
 * moves the library copy to the trash; redo brings that copy back and removes the source again.
 */
import fs from 'node:fs';
import path from 'node:path';
import {trashPathFor} from '../../core/journal.js';
import {absolutePath, libraryPath, madeFolders, required, sha256, size} from '../../core/operation-schema.js';
import {checkpoint, copyVerified, type DirSyncs, exists, fsyncDir, hashAt, partialPath, relocate} from '../disk.js';
import {afterSync, at, defineKind, type EffectContext, EffectRefused, noProblem, pathsProblem, type Settled, trashOf} from '../kind.js';
import {arrivedCatalog, leftForTrashCatalog, occupantProblem, removeMadeFolders, withFolders} from '../relocation.js';

/** A file moved in from `source` (absolute, outside the library) to `to`; `madeFolders` as for `move`. */
export type MoveInOperation = {readonly kind: 'move-in'; readonly source: string; readonly to: string; readonly sha256: string; readonly size: number; readonly madeFolders?: readonly string[]};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'move-in': MoveInOperation;
	}
}

/** Whether an absolute path is inside the library root (a move-in must come from outside). */
function insideLibrary(context: EffectContext, file: string): boolean {
	const relative = path.relative(context.root, file);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function preflight(op: MoveInOperation, context: EffectContext, direction: 'forward' | 'reverse'): Promise<string | undefined> {
	if (!path.isAbsolute(op.source) || insideLibrary(context, op.source)) {
		return `${op.source}: a move-in comes from outside the library`;
	}

	const file = at(context, op.to);
	const trashed = at(context, trashOf(context, op.to));
	if (direction === 'forward') {
		const taken = await occupantProblem(file, op.to, op.sha256);
		if (taken) {
			return taken;
		}

		const source = await hashAt(op.source);
		// Redo brings the undone copy back from the trash; the source (put back by undo) then goes again.
		if ((await hashAt(trashed)) === op.sha256 && (source === undefined || source === op.sha256)) {
			return undefined;
		}

		return source === op.sha256 ? undefined : `${op.source} is not there or has changed`;
	}

	const current = await hashAt(file);
	if (current !== op.sha256) {
		return current === undefined ? `${op.to} is not there` : `${op.to} is not the file the journal recorded (SHA-256 differs)`;
	}

	if (!exists(path.dirname(op.source))) {
		return `the folder ${path.dirname(op.source)} is not there (an unmounted card or share?); the file would go back into it`;
	}

	return (await occupantProblem(op.source, op.source, op.sha256)) ?? (await occupantProblem(trashed, trashOf(context, op.to), op.sha256));
}

/**
 * Moves a file in: a verified copy, synced, then (once its folder is synced too, at the end of the chunk) the source
 * goes if it still holds those bytes. Redo renames the undone copy back from the trash instead.
 */
async function bringIn(op: MoveInOperation, context: EffectContext): Promise<void> {
	const file = at(context, op.to);
	const trashed = at(context, trashOf(context, op.to));
	await ((await hashAt(trashed)) === op.sha256 ? relocate(trashed, file, op.sha256, context) : copyVerified(op.source, file, op.sha256, context));
	await afterSync(context, async () => removeSource(op, context));
}

/** Removes a moved-in file's source, only when it holds the bytes the library now has. */
async function removeSource(op: MoveInOperation, options: {readonly later?: DirSyncs} = {}): Promise<void> {
	const source = await hashAt(op.source);
	if (source === undefined) {
		return;
	}

	if (source !== op.sha256) {
		throw new Error(`${op.source} changed while it was moved in; it was left where it is`);
	}

	fs.unlinkSync(op.source);
	if (options.later) {
		options.later.add(path.dirname(op.source));
	} else {
		fsyncDir(path.dirname(op.source));
	}

	checkpoint();
}

/**
 * Takes a move-in back: the bytes return to the source path (a verified copy, with the file time the library copy
 * had), then the library copy goes to the trash.
 */
async function moveOut(op: MoveInOperation, context: EffectContext): Promise<void> {
	const file = at(context, op.to);
	const source = await hashAt(op.source);
	if (source === undefined) {
		await copyVerified(file, op.source, op.sha256, context);
	} else if (source !== op.sha256) {
		throw new EffectRefused(`${op.source} is now occupied by a different file`);
	}

	await afterSync(context, async () => {
		await relocate(file, at(context, trashOf(context, op.to)), op.sha256, context);
		removeMadeFolders(op, context);
	});
}

/** Settles an interrupted move-in (or its undo) from which of source, library copy and trash copy hold the bytes. */
async function settle(op: MoveInOperation, context: EffectContext, direction: 'forward' | 'reverse'): Promise<Settled<MoveInOperation>> {
	const file = at(context, op.to);
	const trashed = at(context, trashOf(context, op.to));
	// Partial copies are never the only copy: the file they were copied from is still there.
	for (const partial of [file, trashed, op.source].map(partialPath)) {
		fs.rmSync(partial, {force: true});
	}

	const [source, copy, inTrash] = [await hashAt(op.source), await hashAt(file), await hashAt(trashed)];
	const describeState = () => `source ${source === op.sha256 ? 'intact' : source ? 'different' : 'absent'}, library copy ${copy === op.sha256 ? 'intact' : copy ? 'different' : 'absent'}`;
	if (copy === op.sha256) {
		// The library copy is verified, so a twin left by a copy cut short (redo from the trash across filesystems) goes.
		if (inTrash === op.sha256) {
			fs.unlinkSync(trashed);
		}

		if (direction === 'reverse') {
			// The bytes were being copied back: the library copy is intact, so the copy back goes and the step did not happen.
			if (source === op.sha256) {
				fs.unlinkSync(op.source);
				fsyncDir(path.dirname(op.source));
			}

			return {done: false, op};
		}

		if (source === op.sha256 || source === undefined) {
			// Copied and verified: what remained was removing the source, which finishes the step.
			await removeSource(op);
			return {done: true, op};
		}

		// The source changed under the move: it stays, and the verified copy of its old bytes is kept in the trash.
		await relocate(file, trashed, op.sha256);
		return {done: false, op};
	}

	if (copy === undefined) {
		if (direction === 'forward' && (source === op.sha256 || inTrash === op.sha256)) {
			return {done: false, op};
		}

		if (direction === 'reverse' && source === op.sha256 && inTrash === op.sha256) {
			return {done: true, op};
		}
	}

	throw new Error(`cannot tell whether "move in ${op.source} → ${op.to}" happened: ${describeState()}`);
}

export const moveInKind = defineKind<MoveInOperation>({
	kind: 'move-in',
	schema: {source: required(absolutePath), to: required(libraryPath), sha256: required(sha256), size: required(size), madeFolders},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `move in ${op.source} → ${op.to}`,
	example: ({outside}) => ({kind: 'move-in', source: outside.path, to: `in/${path.basename(outside.path)}`, sha256: outside.sha256, size: outside.size}),

	pathProblem(op) {
		if (typeof op.source !== 'string' || !path.isAbsolute(op.source) || op.source.includes('\0')) {
			return `the source of a move-in must be an absolute path: ${String(op.source)}`;
		}

		return pathsProblem([[op.to, false]]);
	},
	touches: op => [op.to],
	fills: (op, direction) => (direction === 'forward' ? op.to : op.source),
	checkedWhenRun: false,
	footprint: (op, batch) => ({before: {[op.to]: null, [op.source]: op.sha256}, after: {[op.to]: op.sha256, [op.source]: null}, kept: {[trashPathFor(batch, op.to)]: [op.sha256]}}),

	preflight,
	forward: async (op, context) => withFolders(op, context, async () => bringIn(op, context)),
	reverse: moveOut,
	settle,
	forwardCatalog: arrivedCatalog,
	reverseCatalog: leftForTrashCatalog,
	undoable: true,

	replay: () => ({refused: 'the source of a move-in is outside the library'}),
});
