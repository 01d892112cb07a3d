/**
 * What the kinds that change where a file is (trash, move, copy, move-in) share: checking, performing and settling
 * one verified relocation, the folders a target needed, and the catalog rows of a file arriving at a path or leaving
 * it for the trash.
 */
import fs from 'node:fs';
import path from 'node:path';
import {type Operation, pathProblem} from '../core/journal.js';
import {makeFoldersInside} from '../safe-path.js';
import {exists, hashAt, partialPath, relocate} from './disk.js';
import {at, type Direction, type EffectContext, type Settled, trashOf} from './kind.js';

/** A physical relocation (from → to, library paths, with content sha256) an operation performs in one direction. */
export type Relocation = {readonly from: string; readonly to: string; readonly sha256: string};

/** The same relocation the other way round. */
export const backwards = (relocation: Relocation): Relocation => ({from: relocation.to, to: relocation.from, sha256: relocation.sha256});

/** A relocation done forwards, as it runs in `direction`. */
export const oriented = (relocation: Relocation, direction: Direction): Relocation => (direction === 'forward' ? relocation : backwards(relocation));

/** Why a relocation cannot run now: its source is not the recorded file, or its destination is taken. */
export async function relocationProblem(relocation: Relocation, context: EffectContext): Promise<string | undefined> {
	const from = await hashAt(at(context, relocation.from));
	if (from !== relocation.sha256) {
		return from === undefined ? `${relocation.from} is not there` : `${relocation.from} is not the file the journal recorded (SHA-256 differs)`;
	}

	return occupantProblem(at(context, relocation.to), relocation.to, relocation.sha256);
}

/** The occupant of a path a file must go to, as a refusal, or undefined when the path is free. */
export async function occupantProblem(file: string, shown: string, sha256: string): Promise<string | undefined> {
	if (!exists(file)) {
		return undefined;
	}

	return (await hashAt(file)) === sha256 ? `${shown} already holds an identical file; move it away first` : `${shown} is now occupied by a different file`;
}

/** Performs a relocation, verified by hash. */
export async function relocateFile(relocation: Relocation, context: EffectContext): Promise<void> {
	await relocate(at(context, relocation.from), at(context, relocation.to), relocation.sha256, context);
}

/** How a kind's relocation is settled where it differs from a plain rename (a copy that may be redone from the trash). */
export type SettleOptions = {
	/** A verified file at the destination means done, and a verified twin left at the source is redundant. */
	readonly destinationDecides?: boolean;
	/** Whether the bytes are intact somewhere else (a copy's source), so a partial destination may go. */
	readonly intactElsewhere?: () => Promise<boolean>;
};

/** Settles an interrupted relocation from which of its ends holds the bytes; throws when that does not decide. */
export async function settleRelocation<Op extends Operation>(op: Op, relocation: Relocation, context: EffectContext, options: SettleOptions = {}): Promise<Settled<Op>> {
	const from = at(context, relocation.from);
	const to = at(context, relocation.to);
	const [a, b] = [await hashAt(from), await hashAt(to)];
	if (options.destinationDecides && b === relocation.sha256) {
		if (a === relocation.sha256) {
			fs.unlinkSync(from);
		}

		return {done: true, op};
	}

	if (b === relocation.sha256 && a === undefined) {
		return {done: true, op};
	}

	if (a === relocation.sha256 || (await options.intactElsewhere?.())) {
		// Nothing happened, or a copy was cut short; the original is verified intact, so the copy may go.
		fs.rmSync(partialPath(to), {force: true});
		if (b === relocation.sha256) {
			fs.unlinkSync(to);
		}

		if (b === undefined || b === relocation.sha256) {
			return {done: false, op};
		}
	}

	const state = (hash: string | undefined) => (hash ? (hash === relocation.sha256 ? 'intact' : 'different') : 'absent');
	throw new Error(`cannot tell whether "${relocation.from} → ${relocation.to}" happened: source ${state(a)}, destination ${state(b)}`);
}

/** Folders a move or copy made (library-relative), removed again on undo only while empty (issue 13, item 21). */
type MakesFolders = {readonly to: string; readonly madeFolders?: readonly string[]};

/** Creates the target folders of `op.to`, runs `work`, and records the folders it made in the returned operation. */
export async function withFolders<T extends MakesFolders>(op: T, context: EffectContext, work: () => Promise<void>): Promise<T> {
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
export function removeMadeFolders(op: MakesFolders, context: EffectContext): void {
	const folders: string[] = [];
	for (const folder of op.madeFolders ?? []) {
		if (typeof folder !== 'string' || pathProblem(folder) || !op.to.startsWith(`${folder}/`)) {
			continue;
		}

		try {
			folders.push(at(context, folder));
		} catch {}
	}

	removeFolders(folders);
}

/**
 * The catalog side of a file arriving at `to` (a copy, a move-in): the row an undo put in the trash comes back, or a
 * row is cloned from a present file with the same content. A file the catalog does not know yet is catalogued by the
 * next scan (import runs one).
 */
export function arrivedCatalog(op: {readonly to: string; readonly sha256: string}, context: EffectContext): void {
	const {store} = context;
	const trashed = store.fileRow(trashOf(context, op.to));
	const twin = store.presentBySha(op.sha256);
	if (trashed) {
		store.relocateRow(trashed.id, op.to, null);
	} else if (twin) {
		store.cloneRow(twin.id, op.to);
	}
}

/** The catalog side of a file at `to` going to the trash (a copy or a move-in taken back). */
export function leftForTrashCatalog(op: {readonly to: string}, context: EffectContext): void {
	const row = context.store.fileRow(op.to);
	if (row) {
		context.store.relocateRow(row.id, trashOf(context, op.to), context.batch);
	}
}

/** The catalog side of a file changing place: its row follows it (with the batch when it lands in the trash). */
export function movedCatalog(from: string, to: string, trashedBatch: number | null, context: EffectContext): void {
	const row = context.store.fileRow(from);
	if (row) {
		context.store.relocateRow(row.id, to, trashedBatch);
	}
}
