import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {writeMetadata} from '../adapters/exif.js';
import type {FieldValues, MetadataWrite, Operation} from '../core/journal.js';
import {hashBytes} from './disk.js';
import {type BatchResult, type Journal, JournalError} from './journal.js';
import type {SidecarNaming} from './settings.js';

/** A metadata change to one photo: keywords added or removed, and fields set (a merge sets several at once). */
export type MetadataChange = {
	readonly path: string;
	readonly addKeywords?: readonly string[];
	readonly removeKeywords?: readonly string[];
	readonly set?: FieldValues;
};

/** Where the change goes: an XMP sidecar (default, named per `naming`) or into the file itself. */
export type MetadataTarget = {readonly embedded?: boolean; readonly naming?: SidecarNaming};

/** The sidecar of a photo: `photo.jpg.xmp` (digiKam, darktable) or `photo.xmp` (Lightroom). */
export function sidecarPathFor(photo: string, naming: SidecarNaming = 'ext'): string {
	return naming === 'ext' ? `${photo}.xmp` : `${photo.slice(0, photo.length - path.posix.extname(photo).length)}.xmp`;
}

function nextFields(current: FieldValues, change: MetadataChange): FieldValues {
	const keywords = [...(change.set?.keywords ?? current.keywords ?? [])];
	for (const keyword of change.addKeywords ?? []) {
		if (!keywords.includes(keyword)) {
			keywords.push(keyword);
		}
	}

	const removed = new Set(change.removeKeywords ?? []);
	return {...current, ...change.set, keywords: keywords.filter(keyword => !removed.has(keyword))};
}

/** The fields that differ, as the values before and after. */
function diff(before: FieldValues, after: FieldValues): {before: FieldValues; after: FieldValues} {
	const changedBefore: Record<string, unknown> = {};
	const changedAfter: Record<string, unknown> = {};
	for (const key of Object.keys(after) as Array<keyof FieldValues>) {
		if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
			changedBefore[key] = before[key] ?? null;
			changedAfter[key] = after[key] ?? null;
		}
	}

	return {before: changedBefore as FieldValues, after: changedAfter as FieldValues};
}

/**
 * Plans metadata writes as journal operations. For a sidecar, the new content is produced now (exiftool on a
 * scratch copy of the current sidecar), so the operation carries the exact bytes before and after and replays,
 * undo and redo are byte-exact. Photos whose fields would not change get no operation.
 */
export async function planMetadataWrite(journal: Journal, changes: readonly MetadataChange[], target: MetadataTarget = {}): Promise<Operation[]> {
	const operations: Operation[] = [];
	for (const change of changes) {
		const file = journal.catalog.fileByPath(change.path);
		if (!file || file.status !== 'present' || !file.sha256) {
			throw new JournalError(`${change.path} is not a catalogued photo in this library`);
		}

		const current = journal.store.fields(change.path)!;
		const {before, after} = diff(current, nextFields(current, change));
		if (Object.keys(after).length === 0) {
			continue;
		}

		if (target.embedded) {
			operations.push({kind: 'write-embedded', path: change.path, sha256: file.sha256, write: after, fieldsBefore: before, fieldsAfter: after});
			continue;
		}

		const sidecar = sidecarPathFor(change.path, target.naming);
		const absolute = path.join(journal.library.root, ...sidecar.split('/'));
		const previous = fs.existsSync(absolute) ? fs.readFileSync(absolute) : undefined;
		// The sidecar carries the full resulting state of each changed field, as digiKam and darktable expect.
		// eslint-disable-next-line no-await-in-loop
		operations.push(await planSidecarWrite(journal, {photo: change.path, sidecar, previous, write: after, fieldsBefore: before, fieldsAfter: after}));
	}

	return operations;
}

/**
 * One `write-sidecar` operation: the sidecar's next bytes are made now, by exiftool on a scratch copy of `previous`
 * (the current sidecar, or nothing), so the operation carries the exact content before and after and undo, redo and
 * replay are byte-exact. The metadata writes of review merges and of tag review both come through here.
 */
export async function planSidecarWrite(
	journal: Journal,
	plan: {
		readonly photo: string;
		readonly sidecar: string;
		readonly previous: Buffer | undefined;
		readonly write: MetadataWrite;
		readonly fieldsBefore: FieldValues;
		readonly fieldsAfter: FieldValues;
	},
): Promise<Operation> {
	const scratchDir = path.join(journal.library.dir, 'tmp');
	fs.mkdirSync(scratchDir, {recursive: true});
	const scratch = path.join(scratchDir, `${randomUUID()}.xmp`);
	try {
		if (plan.previous) {
			fs.writeFileSync(scratch, plan.previous);
		}

		await writeMetadata(scratch, plan.write);
		const next = fs.readFileSync(scratch);
		return {
			kind: 'write-sidecar',
			path: plan.sidecar,
			before: plan.previous ? plan.previous.toString('base64') : null,
			beforeSha256: plan.previous ? hashBytes(plan.previous) : null,
			after: next.toString('base64'),
			afterSha256: hashBytes(next),
			photo: plan.photo,
			fieldsBefore: plan.fieldsBefore,
			fieldsAfter: plan.fieldsAfter,
		};
	} finally {
		fs.rmSync(scratch, {force: true});
	}
}

/** Writes keywords/rating/merged metadata for photos as one journaled batch (what review and tagging call). */
export async function writeMetadataBatch(journal: Journal, changes: readonly MetadataChange[], target: MetadataTarget & {readonly command: string; readonly label?: string}): Promise<BatchResult | undefined> {
	const operations = await planMetadataWrite(journal, changes, target);
	if (operations.length === 0) {
		return undefined;
	}

	return journal.apply({command: target.command, label: target.label ?? `metadata of ${changes.length} photo${changes.length === 1 ? '' : 's'}`, operations});
}
