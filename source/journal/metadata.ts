import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {writeMetadata} from '../adapters/exif.js';
import type {FieldValues, Operation} from '../core/journal.js';
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
	const scratchDir = path.join(journal.library.dir, 'tmp');
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
		fs.mkdirSync(scratchDir, {recursive: true});
		const scratch = path.join(scratchDir, `${randomUUID()}.xmp`);
		try {
			if (previous) {
				fs.writeFileSync(scratch, previous);
			}

			// The sidecar carries the full resulting state of each changed field, as digiKam and darktable expect.
			// eslint-disable-next-line no-await-in-loop
			await writeMetadata(scratch, after);
			const next = fs.readFileSync(scratch);
			operations.push({
				kind: 'write-sidecar',
				path: sidecar,
				before: previous ? previous.toString('base64') : null,
				beforeSha256: previous ? hashBytes(previous) : null,
				after: next.toString('base64'),
				afterSha256: hashBytes(next),
				photo: change.path,
				fieldsBefore: before,
				fieldsAfter: after,
			});
		} finally {
			fs.rmSync(scratch, {force: true});
		}
	}

	return operations;
}

/** Writes keywords/rating/merged metadata for photos as one journaled batch (what review and tagging call). */
export async function writeMetadataBatch(journal: Journal, changes: readonly MetadataChange[], target: MetadataTarget & {readonly command: string; readonly label?: string}): Promise<BatchResult | undefined> {
	const operations = await planMetadataWrite(journal, changes, target);
	if (operations.length === 0) {
		return undefined;
	}

	return journal.apply({command: target.command, label: target.label ?? `metadata of ${changes.length} photo${changes.length === 1 ? '' : 's'}`, operations});
}
