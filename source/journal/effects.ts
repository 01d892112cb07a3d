import fs from 'node:fs';
import path from 'node:path';
import {writeMetadata} from '../adapters/exif.js';
import {type Operation, pathProblem, trashPathFor} from '../core/journal.js';
import type {Catalog} from '../db/catalog.js';
import type {JournalStore} from '../db/journal-store.js';
import {tagRowsOf} from '../db/tag-review.js';
import {copyVerified, exists, hashFile, insideRoot, partialPath, relocate, writeAtomic} from './disk.js';

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
};

/** Thrown when the disk does not allow an operation; the message is for the user. */
export class EffectRefused extends Error {
	override readonly name = 'EffectRefused';
}

const at = (context: EffectContext, relativePath: string) => insideRoot(context.root, relativePath);
const trashOf = (context: EffectContext, relativePath: string) => trashPathFor(context.batch, relativePath);

function copySource(context: EffectContext, source: string): string {
	return path.isAbsolute(source) ? source : at(context, source);
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

/** Why an operation cannot run in this direction now, or undefined when it can (checked before a batch starts). */
export async function preflight(op: Operation, context: EffectContext, direction: 'forward' | 'reverse'): Promise<string | undefined> {
	try {
		const relocation = relocationOf(op, context, direction);
		if (relocation) {
			const from = await hashFile(at(context, relocation.from));
			if (from !== relocation.sha256) {
				return from === undefined ? `${relocation.from} is not there` : `${relocation.from} is not the file the journal recorded (SHA-256 differs)`;
			}

			const to = at(context, relocation.to);
			if (exists(to)) {
				const occupant = await hashFile(to);
				return occupant === relocation.sha256
					? `${relocation.to} already holds an identical file; move it away first`
					: `${relocation.to} is now occupied by a different file`;
			}

			return undefined;
		}

		switch (op.kind) {
			case 'copy': {
				if (exists(at(context, op.to)) && (await hashFile(at(context, op.to))) !== op.sha256) {
					return `${op.to} is already taken by a different file`;
				}

				if (exists(at(context, op.to))) {
					return `${op.to} already exists`;
				}

				const trashed = await hashFile(at(context, trashOf(context, op.to)));
				const source = trashed === op.sha256 ? op.sha256 : await hashFile(copySource(context, op.source));
				return source === op.sha256 ? undefined : `${op.source} is not there or has changed`;
			}

			case 'write-sidecar': {
				const expected = direction === 'forward' ? op.beforeSha256 : op.afterSha256;
				const current = await hashFile(at(context, op.path));
				if (direction === 'forward' && op.before === null && current === undefined) {
					return undefined;
				}

				return current === (expected ?? undefined) ? undefined : `${op.path} has changed since the journal wrote it`;
			}

			case 'write-embedded': {
				const expected = direction === 'forward' ? op.sha256 : op.afterSha256;
				return (await hashFile(at(context, op.path))) === expected ? undefined : `${op.path} has changed since the journal wrote it`;
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

/** Performs an operation's effect on disk, verified by hash. Returns the operation, completed where it learns more. */
export async function forward(op: Operation, context: EffectContext): Promise<Operation> {
	const relocation = relocationOf(op, context, 'forward');
	if (relocation) {
		await relocate(at(context, relocation.from), at(context, relocation.to), relocation.sha256);
		return op;
	}

	switch (op.kind) {
		case 'copy': {
			const trashed = at(context, trashOf(context, op.to));
			await ((await hashFile(trashed)) === op.sha256 ? relocate(trashed, at(context, op.to), op.sha256) : copyVerified(copySource(context, op.source), at(context, op.to), op.sha256));
			return op;
		}

		case 'write-sidecar': {
			await writeAtomic(at(context, op.path), Buffer.from(op.after, 'base64'));
			if ((await hashFile(at(context, op.path))) !== op.afterSha256) {
				throw new Error(`${op.path} does not read back as written`);
			}

			return op;
		}

		case 'write-embedded': {
			const file = at(context, op.path);
			const backup = at(context, trashOf(context, op.path));
			if ((await hashFile(backup)) !== op.sha256) {
				await copyVerified(file, backup, op.sha256);
			}

			await writeMetadata(file, op.write);
			const afterSha256 = await hashFile(file);
			return {...op, afterSha256: afterSha256!};
		}

		case 'purge': {
			const file = at(context, op.trashPath);
			if ((await hashFile(file)) !== op.sha256) {
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
		await relocate(at(context, relocation.from), at(context, relocation.to), relocation.sha256);
		return;
	}

	switch (op.kind) {
		case 'write-sidecar': {
			const file = at(context, op.path);
			if (op.before !== null) {
				await writeAtomic(file, Buffer.from(op.before, 'base64'));
				return;
			}

			// A sidecar that did not exist before goes to the trash, not away; after undo-redo-undo the trash already
			// holds these very bytes, and then the verified twin is enough.
			const trashed = at(context, trashOf(context, op.path));
			if ((await hashFile(trashed)) === op.afterSha256 && (await hashFile(file)) === op.afterSha256) {
				fs.unlinkSync(file);
				return;
			}

			await relocate(file, trashed, op.afterSha256);
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
		const [a, b] = [await hashFile(from), await hashFile(to)];
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

		if (a === relocation.sha256 || (op.kind === 'copy' && direction === 'forward' && (await hashFile(copySource(context, op.source))) === op.sha256)) {
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
		case 'write-sidecar': {
			const file = at(context, op.path);
			const current = await hashFile(file);
			const target = direction === 'forward' ? op.afterSha256 : op.beforeSha256 ?? undefined;
			const source = direction === 'forward' ? op.beforeSha256 ?? undefined : op.afterSha256;
			fs.rmSync(partialPath(file), {force: true});
			if (current === target) {
				return {done: true, op};
			}

			if (current === source) {
				return {done: false, op};
			}

			throw new Error(`${op.path} holds neither the content before nor after the write`);
		}

		case 'write-embedded': {
			const file = at(context, op.path);
			fs.rmSync(partialPath(file), {force: true});
			const current = await hashFile(file);
			const backup = await hashFile(at(context, trashOf(context, op.path)));
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
			const current = await hashFile(at(context, op.trashPath));
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

		case 'copy': {
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

		case 'copy': {
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
