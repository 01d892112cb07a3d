/**
 * `write-embedded`: writes metadata into the file itself. A byte-exact backup goes to `.curate/trash/<batch>/<path>`
 * first, then exiftool writes `write` into the file; undo puts the backup's bytes back.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {writeMetadata} from '../../adapters/exif.js';
import {maxNameBytes, utf8Bytes} from '../../core/file-name.js';
import {type FieldValues, type MetadataWrite, trashPathFor} from '../../core/journal.js';
import {fieldValues, libraryPath, optional, required, sha256} from '../../core/operation-schema.js';
import {copyVerified, hashAt, partialPath} from '../disk.js';
import {at, defineKind, fillsNothing, noProblem, pathsProblem, trashOf} from '../kind.js';

/** `sha256` is the file before the write; `afterSha256` is filled in when the write is done. */
export type WriteEmbeddedOperation = {
	readonly kind: 'write-embedded';
	readonly path: string;
	readonly sha256: string;
	readonly write: MetadataWrite;
	readonly afterSha256?: string;
	readonly fieldsBefore?: FieldValues;
	readonly fieldsAfter?: FieldValues;
};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'write-embedded': WriteEmbeddedOperation;
	}
}

/**
 * Where exiftool writes a file whose name it cannot take: one that leaves no room for the `NAME_exiftool_tmp` it
 * writes beside it (243 bytes or more), or holds a line break (exiftool reads its arguments one per line). A verified
 * copy under a short name derived from the file's (so recovery finds it from the operation alone), with its extension
 * (exiftool writes by type), renamed over the file once written. Undefined for every other name: written in place.
 */
function stagingPath(file: string): string | undefined {
	const name = path.basename(file);
	if (utf8Bytes(name) + '_exiftool_tmp'.length <= maxNameBytes && !/[\n\r]/.test(name)) {
		return undefined;
	}

	const extension = /^\.[\p{L}\p{N}]{1,16}$/u.test(path.extname(name)) ? path.extname(name) : '';
	return path.join(path.dirname(file), `.${createHash('sha256').update(name).digest('hex').slice(0, 32)}.curate-exiftool${extension}`);
}

export const writeEmbeddedKind = defineKind<WriteEmbeddedOperation>({
	kind: 'write-embedded',
	schema: {
		path: required(libraryPath),
		sha256: required(sha256),
		write: required(fieldValues),
		afterSha256: optional(sha256),
		fieldsBefore: optional(fieldValues),
		fieldsAfter: optional(fieldValues),
	},
	fieldsProblem: noProblem,
	contentProblem: noProblem,
	describe: op => `write metadata into ${op.path}`,
	example: ({photo}) => ({kind: 'write-embedded', path: photo.path, sha256: photo.sha256, write: {rating: 2}, fieldsBefore: {rating: null}, fieldsAfter: {rating: 2}}),

	pathProblem: op => pathsProblem([[op.path, false]]),
	touches: op => [op.path],
	fills: fillsNothing,
	checkedWhenRun: false,
	footprint: (op, batch) => ({
		before: {[op.path]: op.sha256},
		// Known once it ran (an operation not applied is judged by `before`).
		after: op.afterSha256 === undefined ? {} : {[op.path]: op.afterSha256},
		kept: {[trashPathFor(batch, op.path)]: [op.sha256]},
	}),

	async preflight(op, context, direction) {
		const expected = direction === 'forward' ? op.sha256 : op.afterSha256;
		return (await hashAt(at(context, op.path))) === expected ? undefined : `${op.path} has changed since the journal wrote it`;
	},
	async forward(op, context) {
		const file = at(context, op.path);
		const backup = at(context, trashOf(context, op.path));
		if ((await hashAt(backup)) !== op.sha256) {
			await copyVerified(file, backup, op.sha256);
		}

		const staged = stagingPath(file);
		if (staged) {
			fs.rmSync(staged, {force: true});
			await copyVerified(file, staged, op.sha256);
			await writeMetadata(staged, op.write);
			fs.renameSync(staged, file);
		} else {
			await writeMetadata(file, op.write);
		}

		const afterSha256 = await hashAt(file);
		return {...op, afterSha256: afterSha256!};
	},
	async reverse(op, context) {
		const file = at(context, op.path);
		const backup = at(context, trashOf(context, op.path));
		const partial = partialPath(file);
		fs.rmSync(partial, {force: true});
		await copyVerified(backup, partial, op.sha256);
		fs.renameSync(partial, file);
	},
	async settle(op, context, direction) {
		const file = at(context, op.path);
		const backupPath = at(context, trashOf(context, op.path));
		// Undo stages the backup's bytes at the file's partial name through a verified copy, which has a partial name
		// of its own; both are copies of the backup, never the only copy of anything.
		fs.rmSync(partialPath(file), {force: true});
		fs.rmSync(partialPath(partialPath(file)), {force: true});
		// The write of a long-named file stages a copy (see stagingPath): never the only copy either.
		const staged = stagingPath(file);
		if (staged) {
			fs.rmSync(staged, {force: true});
			fs.rmSync(partialPath(staged), {force: true});
		}

		const current = await hashAt(file);
		const backup = await hashAt(backupPath);
		if (current === op.sha256) {
			// The original is intact, so a backup copy cut short (killed while it was copied) is never the only copy.
			fs.rmSync(partialPath(backupPath), {force: true});
			return {done: direction === 'reverse', op};
		}

		// exiftool renames its result over the file, so anything else with a verified backup is the written file.
		if (current !== undefined && backup === op.sha256 && (op.afterSha256 === undefined || op.afterSha256 === current)) {
			return {done: direction === 'forward', op: {...op, afterSha256: current}};
		}

		throw new Error(`${op.path} holds neither the original nor the written file`);
	},
	forwardCatalog(op, context) {
		if (op.fieldsAfter) {
			context.store.setFields(op.path, op.fieldsAfter);
		}
	},
	reverseCatalog(op, context) {
		if (op.fieldsBefore) {
			context.store.setFields(op.path, op.fieldsBefore);
		}
	},
	undoable: true,

	replay: (op, here) => here.outside(op.path) ?? here.claim(op.path, op.sha256, op.path, found => ({...op, path: found})),
});
