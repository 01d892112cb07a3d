import fs from 'node:fs';
import path from 'node:path';
import {writeMetadata} from '../adapters/exif.js';
import {type Operation, pathProblem, sidecarNameProblem, trashPathFor} from '../core/journal.js';
import {formatProblem, operationProblem} from '../core/operation-schema.js';
import {makeFoldersInside} from '../safe-path.js';
import type {Catalog} from '../db/catalog.js';
import type {JournalStore} from '../db/journal-store.js';
import {tagRowsOf} from '../db/tag-review.js';
import {checkpoint, copyVerified, type DirSyncs, exists, fsyncDir, hashBytes, hashAt, insideRoot, partialPath, relocate, writeAtomic} from './disk.js';

/**
 * What each operation kind does to the disk and the catalog, forwards and backwards, and how to tell from the disk
 * alone whether an interrupted step happened (recovery decides by this evidence, never by guessing).
 */

/** What an effect needs: the library root, the batch (for trash paths), and the catalog. */
export type EffectContext = {
	readonly root: string;
	readonly batch: number;
	readonly store: JournalStore;
	readonly catalog: Catalog;
	/** Folder syncs that may wait until the journal marks the current chunk done (see `DirSyncs`). */
	readonly later?: DirSyncs;
	/**
	 * Takes work that must wait until those folders are synced (removing a file whose copy has to be durable first),
	 * to run before the chunk is marked done. Without it, the folders are synced and the work runs at once.
	 */
	readonly defer?: (task: () => Promise<void>) => void;
};

/** Runs `task` once the folders written so far are durable: at the end of the chunk, or now. */
async function afterSync(context: EffectContext, task: () => Promise<void>): Promise<void> {
	if (context.defer) {
		context.defer(task);
		return;
	}

	await task();
}

/** Thrown when the disk does not allow an operation; the message is for the user. */
export class EffectRefused extends Error {
	override readonly name = 'EffectRefused';
}

const at = (context: EffectContext, relativePath: string) => insideRoot(context.root, relativePath);
const trashOf = (context: EffectContext, relativePath: string) => trashPathFor(context.batch, relativePath);

function copySource(context: EffectContext, source: string): string {
	return path.isAbsolute(source) ? source : at(context, source);
}

/** Whether an absolute path is inside the library root (a move-in must come from outside). */
function insideLibrary(context: EffectContext, file: string): boolean {
	const relative = path.relative(context.root, file);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The occupant of a path a file must go to, as a refusal, or undefined when the path is free. */
async function occupantProblem(file: string, shown: string, sha256: string): Promise<string | undefined> {
	if (!exists(file)) {
		return undefined;
	}

	return (await hashAt(file)) === sha256 ? `${shown} already holds an identical file; move it away first` : `${shown} is now occupied by a different file`;
}

/** A physical relocation (from → to, with content sha256) that an operation performs in one direction. */
type Relocation = {readonly from: string; readonly to: string; readonly sha256: string};

function relocationOf(op: Operation, context: EffectContext, direction: 'forward' | 'reverse'): Relocation | undefined {
	switch (op.kind) {
		case 'trash': {
			const pair = {from: op.path, to: trashOf(context, op.path)};
			return direction === 'forward' ? {...pair, sha256: op.sha256} : {from: pair.to, to: pair.from, sha256: op.sha256};
		}

		case 'move': {
			return direction === 'forward' ? {from: op.from, to: op.to, sha256: op.sha256} : {from: op.to, to: op.from, sha256: op.sha256};
		}

		case 'copy': {
			// Undo puts the copy in the trash; redo brings that same file back rather than copying again.
			return direction === 'reverse' ? {from: op.to, to: trashOf(context, op.to), sha256: op.sha256} : undefined;
		}

		default: {
			return undefined;
		}
	}
}

type WriteSidecar = Extract<Operation, {kind: 'write-sidecar'}>;

/**
 * Why a sidecar write may not touch its path (issue 13, A1): only an `.xmp` beside the photo it describes, never a
 * catalogued photo, and (to write one) only beside a photo that is catalogued and on disk here.
 */
function sidecarProblem(op: WriteSidecar, context: EffectContext, direction: 'forward' | 'reverse'): string | undefined {
	if (op.photo === undefined) {
		return `${op.path}: a sidecar write must name the photo it describes`;
	}

	const name = sidecarNameProblem(op.path, op.photo);
	if (name) {
		return name;
	}

	// Scan catalogues sidecars too (kind `sidecar`); anything else catalogued at that path is a photo or a video.
	const occupant = context.catalog.fileByPath(op.path);
	if (occupant?.status === 'present' && occupant.kind !== 'sidecar') {
		return `${op.path} is a catalogued ${occupant.kind === 'other' ? 'file' : 'photo'}, not a sidecar`;
	}

	if (direction === 'forward') {
		const photo = context.catalog.fileByPath(op.photo);
		let onDisk = false;
		try {
			onDisk = fs.lstatSync(at(context, op.photo)).isFile();
		} catch {}

		if (photo?.status !== 'present' || photo.kind === 'sidecar' || photo.kind === 'other' || !onDisk) {
			return `${op.photo} is not a photo of this library, so ${op.path} would have no photo beside it`;
		}
	}

	return undefined;
}

/**
 * Why an operation is not acceptable as data (issue 13, A4, A7): its schema (`source/core/operation-schema.ts`), its
 * paths, and the content it carries matching the SHA-256s it claims, so an undo can never write made-up bytes.
 */
export function invalidOperation(op: unknown): string | undefined {
	const problem = operationProblem(op);
	if (problem) {
		return formatProblem(problem);
	}

	const valid = op as Operation;
	if (valid.kind === 'write-sidecar') {
		if (hashBytes(Buffer.from(valid.after, 'base64')) !== valid.afterSha256) {
			return 'field "after" does not hold the bytes "afterSha256" names';
		}

		if (valid.before !== null && hashBytes(Buffer.from(valid.before, 'base64')) !== valid.beforeSha256) {
			return 'field "before" does not hold the bytes "beforeSha256" names';
		}
	}

	return operationPathProblem(valid);
}

/** Folders a move or copy made (library-relative), removed again on undo only while empty (issue 13, item 21). */
type Relocating = Extract<Operation, {kind: 'move' | 'copy' | 'move-in'}>;

/** Creates the target folders of `to`, runs `work`, and records the folders it made in the returned operation. */
async function withFolders<T extends Relocating>(op: T, context: EffectContext, work: () => Promise<void>): Promise<T> {
	const made = makeFoldersInside(context.root, path.dirname(at(context, op.to)));
	try {
		await work();
	} catch (error) {
		removeFolders(made);
		throw error;
	}

	const {madeFolders: _, ...rest} = op;
	const relative = made.map(folder => path.relative(context.root, folder).split(path.sep).join('/'));
	return (relative.length > 0 ? {...rest, madeFolders: relative} : rest) as T;
}

/** Removes folders deepest first, each only while empty (rmdir refuses a folder that holds anything). */
function removeFolders(folders: readonly string[]): void {
	for (const folder of [...folders].reverse()) {
		try {
			fs.rmdirSync(folder);
		} catch {}
	}
}

/** After undo: the folders this operation made for its target, if they are now empty and are above its target. */
function removeMadeFolders(op: Operation, context: EffectContext): void {
	if ((op.kind !== 'move' && op.kind !== 'copy' && op.kind !== 'move-in') || !op.madeFolders) {
		return;
	}

	const folders: string[] = [];
	for (const folder of op.madeFolders) {
		if (typeof folder !== 'string' || pathProblem(folder) || !op.to.startsWith(`${folder}/`)) {
			continue;
		}

		try {
			folders.push(at(context, folder));
		} catch {}
	}

	removeFolders(folders);
}

/** Why an operation cannot run in this direction now, or undefined when it can (checked before a batch starts). */
export async function preflight(op: Operation, context: EffectContext, direction: 'forward' | 'reverse'): Promise<string | undefined> {
	try {
		const relocation = relocationOf(op, context, direction);
		if (relocation) {
			const from = await hashAt(at(context, relocation.from));
			if (from !== relocation.sha256) {
				return from === undefined ? `${relocation.from} is not there` : `${relocation.from} is not the file the journal recorded (SHA-256 differs)`;
			}

			const to = at(context, relocation.to);
			if (exists(to)) {
				const occupant = await hashAt(to);
				return occupant === relocation.sha256
					? `${relocation.to} already holds an identical file; move it away first`
					: `${relocation.to} is now occupied by a different file`;
			}

			return undefined;
		}

		switch (op.kind) {
			case 'copy': {
				if (exists(at(context, op.to)) && (await hashAt(at(context, op.to))) !== op.sha256) {
					return `${op.to} is already taken by a different file`;
				}

				if (exists(at(context, op.to))) {
					return `${op.to} already exists`;
				}

				const trashed = await hashAt(at(context, trashOf(context, op.to)));
				const source = trashed === op.sha256 ? op.sha256 : await hashAt(copySource(context, op.source));
				return source === op.sha256 ? undefined : `${op.source} is not there or has changed`;
			}

			case 'move-in': {
				return await moveInProblem(op, context, direction);
			}

			case 'write-sidecar': {
				const misplaced = sidecarProblem(op, context, direction);
				if (misplaced) {
					return misplaced;
				}

				const expected = direction === 'forward' ? op.beforeSha256 : op.afterSha256;
				const current = await hashAt(at(context, op.path));
				if (direction === 'forward' && op.before === null && current === undefined) {
					return undefined;
				}

				return current === (expected ?? undefined) ? undefined : `${op.path} has changed since the journal wrote it`;
			}

			case 'write-embedded': {
				const expected = direction === 'forward' ? op.sha256 : op.afterSha256;
				return (await hashAt(at(context, op.path))) === expected ? undefined : `${op.path} has changed since the journal wrote it`;
			}

			case 'purge': {
				return direction === 'reverse' ? 'a purge cannot be undone: the bytes are gone' : undefined;
			}

			default: {
				return undefined;
			}
		}
	} catch (error) {
		return (error as Error).message;
	}
}

type MoveIn = Extract<Operation, {kind: 'move-in'}>;

async function moveInProblem(op: MoveIn, context: EffectContext, direction: 'forward' | 'reverse'): Promise<string | undefined> {
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
async function moveIn(op: MoveIn, context: EffectContext): Promise<void> {
	const file = at(context, op.to);
	const trashed = at(context, trashOf(context, op.to));
	await ((await hashAt(trashed)) === op.sha256 ? relocate(trashed, file, op.sha256, context) : copyVerified(op.source, file, op.sha256, context));
	await afterSync(context, async () => removeSource(op, context));
}

/** Removes a moved-in file's source, only when it holds the bytes the library now has. */
async function removeSource(op: MoveIn, options: {readonly later?: DirSyncs} = {}): Promise<void> {
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
async function moveOut(op: MoveIn, context: EffectContext): Promise<void> {
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
async function settleMoveIn(op: MoveIn, context: EffectContext, direction: 'forward' | 'reverse'): Promise<{done: boolean; op: Operation}> {
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

/** Performs an operation's effect on disk, verified by hash. Returns the operation, completed where it learns more. */
export async function forward(op: Operation, context: EffectContext): Promise<Operation> {
	const relocation = relocationOf(op, context, 'forward');
	if (relocation) {
		const run = async () => relocate(at(context, relocation.from), at(context, relocation.to), relocation.sha256, context);
		if (op.kind === 'move') {
			return withFolders(op, context, run);
		}

		await run();
		return op;
	}

	switch (op.kind) {
		case 'copy': {
			const trashed = at(context, trashOf(context, op.to));
			return withFolders(op, context, async () => (await hashAt(trashed)) === op.sha256 ? relocate(trashed, at(context, op.to), op.sha256, context) : copyVerified(copySource(context, op.source), at(context, op.to), op.sha256, context));
		}

		case 'move-in': {
			return withFolders(op, context, async () => moveIn(op, context));
		}

		case 'write-sidecar': {
			const file = at(context, op.path);
			const current = await hashAt(file);
			if (current !== undefined) {
				// Whatever is about to be replaced goes to the trash first (issue 13, A1), so its bytes can always come
				// back, whatever the operation says they were. A redo finds its verified twin already there.
				const trashed = at(context, trashOf(context, op.path));
				const kept = await hashAt(trashed);
				if (kept === undefined) {
					// Synced now, not at the end of the chunk: the copy must be durable before the original is replaced.
					await copyVerified(file, trashed, current);
				} else if (kept !== current) {
					throw new EffectRefused(`${trashOf(context, op.path)} already holds other bytes; ${op.path} was left as it is`);
				}
			}

			await writeAtomic(file, Buffer.from(op.after, 'base64'), context);
			if ((await hashAt(file)) !== op.afterSha256) {
				throw new Error(`${op.path} does not read back as written`);
			}

			const photoSha256 = op.photoSha256 ?? (op.photo === undefined ? undefined : context.store.fileRow(op.photo)?.sha256 ?? undefined);
			return photoSha256 === undefined ? op : {...op, photoSha256};
		}

		case 'write-embedded': {
			const file = at(context, op.path);
			const backup = at(context, trashOf(context, op.path));
			if ((await hashAt(backup)) !== op.sha256) {
				await copyVerified(file, backup, op.sha256);
			}

			await writeMetadata(file, op.write);
			const afterSha256 = await hashAt(file);
			return {...op, afterSha256: afterSha256!};
		}

		case 'purge': {
			const file = at(context, op.trashPath);
			if ((await hashAt(file)) !== op.sha256) {
				throw new Error(`${op.trashPath} is not the file the journal recorded`);
			}

			fs.unlinkSync(file);
			return op;
		}

		default: {
			return op;
		}
	}
}

/** Takes an operation's effect on disk back, verified by hash. */
export async function reverse(op: Operation, context: EffectContext): Promise<void> {
	const relocation = relocationOf(op, context, 'reverse');
	if (relocation) {
		await relocate(at(context, relocation.from), at(context, relocation.to), relocation.sha256, context);
		removeMadeFolders(op, context);
		return;
	}

	switch (op.kind) {
		case 'move-in': {
			await moveOut(op, context);
			return;
		}

		case 'write-sidecar': {
			const file = at(context, op.path);
			if (op.before !== null) {
				await writeAtomic(file, Buffer.from(op.before, 'base64'), context);
				return;
			}

			// A sidecar that did not exist before goes to the trash, not away; after undo-redo-undo the trash already
			// holds these very bytes, and then the verified twin is enough.
			const trashed = at(context, trashOf(context, op.path));
			if ((await hashAt(trashed)) === op.afterSha256 && (await hashAt(file)) === op.afterSha256) {
				fs.unlinkSync(file);
				return;
			}

			await relocate(file, trashed, op.afterSha256, context);
			return;
		}

		case 'write-embedded': {
			const file = at(context, op.path);
			const backup = at(context, trashOf(context, op.path));
			const partial = partialPath(file);
			fs.rmSync(partial, {force: true});
			await copyVerified(backup, partial, op.sha256);
			fs.renameSync(partial, file);
			return;
		}

		case 'purge': {
			throw new EffectRefused('a purge cannot be undone');
		}

		default: {
			// Catalog-only operations have no disk effect.
		}
	}
}

/**
 * Looks at the disk to tell whether an interrupted step in `direction` took effect, cleaning up a partial copy only
 * once the intact original is verified. Returns the (possibly completed) operation and whether it is done; throws
 * when the evidence does not decide.
 */
export async function settle(op: Operation, context: EffectContext, direction: 'forward' | 'reverse'): Promise<{done: boolean; op: Operation}> {
	const relocation = relocationOf(op, context, direction) ?? (op.kind === 'copy' ? {from: trashOf(context, op.to), to: op.to, sha256: op.sha256} : undefined);
	if (relocation) {
		const from = at(context, relocation.from);
		const to = at(context, relocation.to);
		const [a, b] = [await hashAt(from), await hashAt(to)];
		if (op.kind === 'copy' && direction === 'forward' && b === op.sha256) {
			// A redone copy comes back from the trash: a verified twin left there is redundant.
			if (a === op.sha256) {
				fs.unlinkSync(from);
			}

			return {done: true, op};
		}

		if (b === relocation.sha256 && a === undefined) {
			return {done: true, op};
		}

		if (a === relocation.sha256 || (op.kind === 'copy' && direction === 'forward' && (await hashAt(copySource(context, op.source))) === op.sha256)) {
			// Nothing happened, or a copy was cut short; the original is verified intact, so the copy may go.
			fs.rmSync(partialPath(to), {force: true});
			if (b === relocation.sha256) {
				fs.unlinkSync(to);
			}

			if (b === undefined || b === relocation.sha256) {
				return {done: false, op};
			}
		}

		throw new Error(`cannot tell whether "${relocation.from} → ${relocation.to}" happened: source ${a ? (a === relocation.sha256 ? 'intact' : 'different') : 'absent'}, destination ${b ? (b === relocation.sha256 ? 'intact' : 'different') : 'absent'}`);
	}

	switch (op.kind) {
		case 'move-in': {
			return settleMoveIn(op, context, direction);
		}

		case 'write-sidecar': {
			const file = at(context, op.path);
			const current = await hashAt(file);
			const target = direction === 'forward' ? op.afterSha256 : op.beforeSha256 ?? undefined;
			const source = direction === 'forward' ? op.beforeSha256 ?? undefined : op.afterSha256;
			fs.rmSync(partialPath(file), {force: true});
			if (current === target || current === source) {
				// The sidecar holds a whole known state, so a copy into the trash cut short (the old bytes kept before a
				// write, or the new ones moved there by undo) is never the only copy of anything.
				fs.rmSync(partialPath(at(context, trashOf(context, op.path))), {force: true});
				return {done: current === target, op};
			}

			throw new Error(`${op.path} holds neither the content before nor after the write`);
		}

		case 'write-embedded': {
			const file = at(context, op.path);
			fs.rmSync(partialPath(file), {force: true});
			const current = await hashAt(file);
			const backup = await hashAt(at(context, trashOf(context, op.path)));
			if (current === op.sha256) {
				return {done: direction === 'reverse', op};
			}

			// exiftool renames its result over the file, so anything else with a verified backup is the written file.
			if (current !== undefined && backup === op.sha256 && (op.afterSha256 === undefined || op.afterSha256 === current)) {
				return {done: direction === 'forward', op: {...op, afterSha256: current}};
			}

			throw new Error(`${op.path} holds neither the original nor the written file`);
		}

		case 'purge': {
			const current = await hashAt(at(context, op.trashPath));
			if (current === undefined) {
				return {done: true, op};
			}

			if (current === op.sha256) {
				return {done: false, op};
			}

			throw new Error(`${op.trashPath} is not the file the journal recorded`);
		}

		default: {
			// Catalog-only: its change commits with its state, so an operation left in intent did not happen.
			return {done: false, op};
		}
	}
}

/** The catalog side of an operation done forwards; runs in the transaction that marks it applied. */
export function forwardCatalog(op: Operation, context: EffectContext): void {
	const {store, catalog, batch} = context;
	switch (op.kind) {
		case 'trash': {
			const row = store.fileRow(op.path);
			if (row) {
				store.relocateRow(row.id, trashOf(context, op.path), batch);
			}

			break;
		}

		case 'move': {
			const row = store.fileRow(op.from);
			if (row) {
				store.relocateRow(row.id, op.to, null);
			}

			break;
		}

		case 'copy':
		case 'move-in': {
			const trashed = store.fileRow(trashOf(context, op.to));
			const twin = store.presentBySha(op.sha256);
			if (trashed) {
				store.relocateRow(trashed.id, op.to, null);
			} else if (twin) {
				store.cloneRow(twin.id, op.to);
			}

			// A copy of a file the catalog does not know yet is catalogued by the next scan (import runs one).
			break;
		}

		case 'write-sidecar':
		case 'write-embedded': {
			if (op.fieldsAfter) {
				store.setFields(op.kind === 'write-sidecar' ? op.photo ?? op.path : op.path, op.fieldsAfter);
			}

			break;
		}

		case 'set-fields': {
			store.setFields(op.path, op.after);
			break;
		}

		case 'set-tags': {
			tagRowsOf(catalog).setRows(op.sha256, op.changes.map(change => ({tag: change.tag, source: change.source, value: change.after})));
			break;
		}

		case 'mark-not-duplicate': {
			for (const pair of op.pairs) {
				catalog.markDistinct(pair[0] === pair[1] ? [pair[0]] : [pair[0], pair[1]]);
			}

			break;
		}

		case 'purge': {
			const row = store.fileRow(op.trashPath);
			if (row) {
				store.deleteRow(row.id);
			}

			break;
		}
	}
}

/** The catalog side of an operation taken back; runs in the transaction that marks it undone. */
export function reverseCatalog(op: Operation, context: EffectContext): void {
	const {store, catalog, batch} = context;
	switch (op.kind) {
		case 'trash': {
			const row = store.fileRow(trashOf(context, op.path));
			if (row) {
				store.relocateRow(row.id, op.path, null);
			}

			break;
		}

		case 'move': {
			const row = store.fileRow(op.to);
			if (row) {
				store.relocateRow(row.id, op.from, null);
			}

			break;
		}

		case 'copy':
		case 'move-in': {
			const row = store.fileRow(op.to);
			if (row) {
				store.relocateRow(row.id, trashOf(context, op.to), batch);
			}

			break;
		}

		case 'write-sidecar':
		case 'write-embedded': {
			if (op.fieldsBefore) {
				store.setFields(op.kind === 'write-sidecar' ? op.photo ?? op.path : op.path, op.fieldsBefore);
			}

			break;
		}

		case 'set-fields': {
			store.setFields(op.path, op.before);
			break;
		}

		case 'set-tags': {
			tagRowsOf(catalog).setRows(op.sha256, op.changes.map(change => ({tag: change.tag, source: change.source, value: change.before})));
			break;
		}

		case 'mark-not-duplicate': {
			catalog.unmarkDistinct(op.pairs);
			break;
		}

		case 'purge': {
			break;
		}
	}
}

/** Why an operation's paths are not acceptable, or undefined. */
export function operationPathProblem(op: Operation): string | undefined {
	const paths: Array<[string, boolean]> = [];
	switch (op.kind) {
		case 'trash': {
			paths.push([op.path, false]);
			break;
		}

		case 'move': {
			paths.push([op.from, false], [op.to, false]);
			break;
		}

		case 'copy': {
			if (!path.isAbsolute(op.source)) {
				paths.push([op.source, false]);
			}

			paths.push([op.to, false]);
			break;
		}

		case 'move-in': {
			if (typeof op.source !== 'string' || !path.isAbsolute(op.source) || op.source.includes('\0')) {
				return `the source of a move-in must be an absolute path: ${String(op.source)}`;
			}

			paths.push([op.to, false]);
			break;
		}

		case 'write-sidecar': {
			paths.push([op.path, false]);
			if (op.photo) {
				paths.push([op.photo, false]);
			}

			break;
		}

		case 'write-embedded':
		case 'set-fields': {
			paths.push([op.path, false]);
			break;
		}

		case 'purge': {
			paths.push([op.trashPath, true]);
			break;
		}

		case 'mark-not-duplicate':
		case 'set-tags': {
			break;
		}
	}

	for (const [relativePath, allowTrash] of paths) {
		const problem = pathProblem(relativePath, {allowTrash});
		if (problem) {
			return `${problem}: ${relativePath}`;
		}
	}

	return undefined;
}
