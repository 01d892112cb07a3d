/**
 * `write-sidecar`: writes an XMP sidecar beside the photo it describes, atomically. Whatever it replaces goes to the
 * trash first; undo restores the previous bytes exactly, or trashes a sidecar that did not exist before. The photo's
 * catalog fields change from `fieldsBefore` to `fieldsAfter`. Build these with `planMetadataWrite`
 * (`source/journal/metadata.ts`) rather than by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import {type FieldValues, sidecarNameProblem, trashPathFor} from '../../core/journal.js';
import {base64, fieldValues, libraryPath, nullable, optional, required, sha256} from '../../core/operation-schema.js';
import {copyVerified, hashBytes, hashAt, partialPath, relocate, writeAtomic} from '../disk.js';
import {at, defineKind, type EffectContext, EffectRefused, fillsNothing, pathsProblem, trashOf} from '../kind.js';

/**
 * `before` is the exact previous content (base64) or null when there was none; `photo` is the photo it describes.
 */
export type WriteSidecarOperation = {
	readonly kind: 'write-sidecar';
	readonly path: string;
	readonly before: string | null;
	readonly beforeSha256: string | null;
	readonly after: string;
	readonly afterSha256: string;
	readonly photo?: string;
	/** The content of `photo` when the sidecar was written (filled in by the journal): replay matches by it. */
	readonly photoSha256?: string;
	readonly fieldsBefore?: FieldValues;
	readonly fieldsAfter?: FieldValues;
};

declare module '../../core/journal.js' {
	interface OperationsByKind {
		'write-sidecar': WriteSidecarOperation;
	}
}

/**
 * Why a sidecar write may not touch its path (issue 13, A1): only an `.xmp` beside the photo it describes, never a
 * catalogued photo, and (to write one) only beside a photo that is catalogued and on disk here.
 */
function misplaced(op: WriteSidecarOperation, context: EffectContext, direction: 'forward' | 'reverse'): string | undefined {
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

const example = Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>');

export const writeSidecarKind = defineKind<WriteSidecarOperation>({
	kind: 'write-sidecar',
	schema: {
		path: required(libraryPath),
		before: required(nullable(base64)),
		beforeSha256: required(nullable(sha256)),
		after: required(base64),
		afterSha256: required(sha256),
		photo: optional(libraryPath),
		photoSha256: optional(sha256),
		fieldsBefore: optional(fieldValues),
		fieldsAfter: optional(fieldValues),
	},
	fieldsProblem(op) {
		if ((op.before === null) !== (op.beforeSha256 === null)) {
			return {field: 'beforeSha256', problem: 'must be null exactly when "before" is null'};
		}

		if (op.photo === undefined) {
			return {field: 'photo', problem: 'is missing: a sidecar is written only beside the photo it describes'};
		}

		const problem = sidecarNameProblem(op.path, op.photo);
		return problem ? {field: 'path', problem} : undefined;
	},
	contentProblem(op) {
		if (hashBytes(Buffer.from(op.after, 'base64')) !== op.afterSha256) {
			return 'field "after" does not hold the bytes "afterSha256" names';
		}

		if (op.before !== null && hashBytes(Buffer.from(op.before, 'base64')) !== op.beforeSha256) {
			return 'field "before" does not hold the bytes "beforeSha256" names';
		}

		return undefined;
	},
	describe: op => `${op.before === null ? 'create' : 'rewrite'} sidecar ${op.path}`,
	example: ({photo}) => ({
		kind: 'write-sidecar', path: `${photo.path}.xmp`, before: null, beforeSha256: null, after: example.toString('base64'), afterSha256: hashBytes(example),
		photo: photo.path, photoSha256: photo.sha256, fieldsBefore: {rating: null}, fieldsAfter: {rating: 3},
	}),

	pathProblem: op => pathsProblem([[op.path, false], ...(op.photo ? [[op.photo, false] as const] : [])]),
	touches: op => [op.path, ...(op.photo ? [op.photo] : [])],
	fills: fillsNothing,
	checkedWhenRun: false,
	footprint: (op, batch) => ({
		before: {[op.path]: op.beforeSha256},
		after: {[op.path]: op.afterSha256},
		// The trash may hold the sidecar undo moved there, or the one a rewrite replaced (kept there first).
		kept: {[trashPathFor(batch, op.path)]: [op.afterSha256, ...(op.beforeSha256 ? [op.beforeSha256] : [])]},
	}),

	async preflight(op, context, direction) {
		const problem = misplaced(op, context, direction);
		if (problem) {
			return problem;
		}

		const expected = direction === 'forward' ? op.beforeSha256 : op.afterSha256;
		const current = await hashAt(at(context, op.path));
		if (direction === 'forward' && op.before === null && current === undefined) {
			return undefined;
		}

		return current === (expected ?? undefined) ? undefined : `${op.path} has changed since the journal wrote it`;
	},
	async forward(op, context) {
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
	},
	async reverse(op, context) {
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
	},
	async settle(op, context, direction) {
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
	},
	forwardCatalog(op, context) {
		if (op.fieldsAfter) {
			context.store.setFields(op.photo ?? op.path, op.fieldsAfter);
		}
	},
	reverseCatalog(op, context) {
		if (op.fieldsBefore) {
			context.store.setFields(op.photo ?? op.path, op.fieldsBefore);
		}
	},
	undoable: true,

	replay(op, here) {
		const outside = here.outside(op.path);
		if (outside) {
			return outside;
		}

		// Matched by the content of the photo it describes (issue 13, A3); the sidecar goes beside that photo here,
		// named as it was there. Nothing is written for a photo this library does not have.
		if (op.photo === undefined || op.photoSha256 === undefined) {
			return {unmatched: `the export does not record the content of the photo ${op.path} describes`};
		}

		const photo = op.photo;
		return here.claim(photo, op.photoSha256, photo, found => {
			const stem = (file: string) => file.slice(0, file.length - path.posix.extname(file).length);
			const sidecar = op.path.startsWith(`${photo}.`) ? `${found}${op.path.slice(photo.length)}` : `${stem(found)}${op.path.slice(stem(photo).length)}`;
			return {...op, path: sidecar, photo: found};
		}, true);
	},
});
