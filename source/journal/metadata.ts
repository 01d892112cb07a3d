import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {readKeywordLists, readSidecarMetadata, writeMetadata} from '../adapters/exif.js';
import {writeTags} from '../adapters/exif-write.js';
import {maxNameBytes, utf8Bytes} from '../core/file-name.js';
import type {FieldValues, MetadataWrite, Operation} from '../core/journal.js';
import {editKeywordLists, joinKeywords, type KeywordSplit, splitKeywords} from '../core/tag-keywords.js';
import {findSidecar} from '../media/sidecar-file.js';
import {hashBytes} from './disk.js';
import {type BatchResult, type Journal, JournalError} from './journal.js';
import type {SidecarNaming} from './settings.js';
import {mapConcurrent} from '../concurrency.js';

/** A metadata change to one photo: keywords added or removed, and fields set (a merge sets several at once). */
export type MetadataChange = {
	readonly path: string;
	readonly addKeywords?: readonly string[];
	readonly removeKeywords?: readonly string[];
	readonly set?: FieldValues;
};

/** Where the change goes: the photo's XMP sidecar (a new one named per `naming`) or into the file itself. */
export type MetadataTarget = {readonly embedded?: boolean; readonly naming?: SidecarNaming};

/**
 * The sidecar a photo gets when it has none: `photo.jpg.xmp` (digiKam, darktable) or `photo.xmp` (Lightroom). A photo
 * whose name takes (nearly) the 255 bytes a file name may have leaves no room for `.jpg.xmp`: it gets `photo.xmp`,
 * the other name scan reads. With no room for either (a 255-byte name without an extension), it is refused in one line.
 */
export function sidecarPathFor(photo: string, naming: SidecarNaming = 'ext'): string {
	const stem = `${photo.slice(0, photo.length - path.posix.extname(photo).length)}.xmp`;
	const fits = (sidecar: string) => utf8Bytes(path.posix.basename(sidecar)) <= maxNameBytes;
	const chosen = [naming === 'ext' ? `${photo}.xmp` : stem, stem].find(sidecar => fits(sidecar));
	if (!chosen) {
		throw new JournalError(`${path.posix.basename(photo)}: its name leaves no room for a sidecar's .xmp within the ${maxNameBytes} bytes a file name may have; rename it to write its metadata`);
	}

	return chosen;
}

/** The fields other than keywords after a change (keywords are edited as XMP lists, see `keywordLists`). */
function nextFields(current: FieldValues, change: MetadataChange): FieldValues {
	const {keywords: _keywords, ...set} = change.set ?? {};
	const {keywords: _current, ...rest} = current;
	return {...rest, ...set};
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

const absoluteIn = (journal: Journal, relative: string) => path.join(journal.library.root, ...relative.split('/'));
const relativeIn = (journal: Journal, absolute: string) => path.relative(journal.library.root, absolute).split(path.sep).join('/');
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * The keyword lists a keyword edit starts from: the sidecar's own `dc:subject` and `lr:hierarchicalSubject` when it
 * holds keywords (read-modify-write: what another app wrote there stays), else the catalog's keywords, which are then
 * the photo's own (scan only lets a sidecar's keywords win when it holds some).
 */
export async function keywordLists(journal: Journal, photo: string, options: {readonly embedded?: boolean} = {}): Promise<KeywordSplit> {
	const sidecar = options.embedded ? undefined : findSidecar(absoluteIn(journal, photo));
	if (sidecar) {
		const lists = await readKeywordLists(sidecar);
		if (lists.subject.length > 0 || lists.hierarchicalSubject.length > 0) {
			return lists;
		}
	}

	return splitKeywords(journal.store.fields(photo)?.keywords ?? []);
}

/** One photo's metadata write, as the journal's operations. */
export type PhotoWrite = {
	readonly photo: string;
	readonly sha256: string;
	readonly write: MetadataWrite;
	readonly fieldsBefore: FieldValues;
	readonly fieldsAfter: FieldValues;
};

/**
 * The operations of one photo's metadata write (issue 13). To a sidecar: the one that exists, whichever its name
 * (core/sidecar-names.ts), read-modify-written so every tag Curate does not own stays; a new one, named per
 * `naming`, only when the photo has none. Into the file: `write-embedded`, and when the photo has a sidecar that
 * holds any of the written fields, the same values go into it in the same batch, since scan lets the sidecar win and
 * an older value there would hide the new one on the next scan. Undo restores both, byte for byte.
 */
export async function planPhotoWrite(journal: Journal, plan: PhotoWrite, target: MetadataTarget = {}): Promise<Operation[]> {
	const existing = findSidecar(absoluteIn(journal, plan.photo));
	if (!target.embedded) {
		const sidecar = existing ? relativeIn(journal, existing) : sidecarPathFor(plan.photo, target.naming);
		const previous = existing ? fs.readFileSync(existing) : undefined;
		return [await planSidecarWrite(journal, {photo: plan.photo, sidecar, previous, write: plan.write, fieldsBefore: plan.fieldsBefore, fieldsAfter: plan.fieldsAfter})];
	}

	const operations: Operation[] = [{kind: 'write-embedded', path: plan.photo, sha256: plan.sha256, write: plan.write, fieldsBefore: plan.fieldsBefore, fieldsAfter: plan.fieldsAfter}];
	if (existing) {
		const mirror = await sidecarShare(existing, plan.write);
		if (Object.keys(mirror).length > 0) {
			operations.push(await planSidecarWrite(journal, {photo: plan.photo, sidecar: relativeIn(journal, existing), previous: fs.readFileSync(existing), write: mirror}));
		}
	}

	return operations;
}

/** The part of `write` a sidecar holds a value for (what would otherwise shadow the embedded write on a rescan). */
async function sidecarShare(sidecar: string, write: MetadataWrite): Promise<MetadataWrite> {
	const {metadata, holdsKeywords} = await readSidecarMetadata(sidecar);
	const share: Record<string, unknown> = {};
	if (holdsKeywords && (write.keywords !== undefined || write.hierarchicalSubject !== undefined)) {
		share.keywords = write.keywords;
		share.hierarchicalSubject = write.hierarchicalSubject;
	}

	const held = {rating: metadata.rating, title: metadata.title, description: metadata.description, gps: metadata.gps, takenAt: metadata.takenAt};
	for (const [field, value] of Object.entries(held)) {
		if (value !== undefined && write[field as keyof MetadataWrite] !== undefined) {
			share[field] = write[field as keyof MetadataWrite];
		}
	}

	return share as MetadataWrite;
}

/**
 * Plans metadata writes as journal operations. For a sidecar, the new content is produced now (exiftool on a
 * scratch copy of the current sidecar), so the operation carries the exact bytes before and after and replays,
 * undo and redo are byte-exact. Photos whose fields would not change get no operation.
 */
export async function planMetadataWrite(journal: Journal, changes: readonly MetadataChange[], target: MetadataTarget = {}): Promise<Operation[]> {
	for (const change of changes) {
		const file = journal.catalog.fileByPath(change.path);
		if (!file || file.status !== 'present' || !file.sha256) {
			throw new JournalError(`${change.path} is not a catalogued photo in this library`);
		}
	}

	// A few photos at a time keep exiftool's processes busy (an edit of a few hundred photos took a second each
	// one by one); the operations come back in the order of `changes`.
	const planned = await mapConcurrent(changes, 8, async change => planOneChange(journal, change, target));
	return planned.flat();
}

async function planOneChange(journal: Journal, change: MetadataChange, target: MetadataTarget): Promise<Operation[]> {
	const file = journal.catalog.fileByPath(change.path)!;
	const current = journal.store.fields(change.path)!;
	const {before, after} = diff(current, nextFields(current, change));
	const write: Record<string, unknown> = {...after};
	const fieldsBefore: Record<string, unknown> = {...before};
	const fieldsAfter: Record<string, unknown> = {...after};
	if (change.set?.keywords !== undefined || (change.addKeywords ?? []).length > 0 || (change.removeKeywords ?? []).length > 0) {
		const start = await keywordLists(journal, change.path, target);
		const base = change.set?.keywords === undefined ? start : splitKeywords(change.set.keywords);
		const next = editKeywordLists(base, change.addKeywords ?? [], change.removeKeywords ?? []);
		if (!sameList(next.subject, start.subject) || !sameList(next.hierarchicalSubject, start.hierarchicalSubject)) {
			write.keywords = next.subject;
			write.hierarchicalSubject = next.hierarchicalSubject;
			fieldsBefore.keywords = current.keywords ?? [];
			fieldsAfter.keywords = joinKeywords(next);
		}
	}

	if (Object.keys(write).length === 0) {
		return [];
	}

	// The sidecar carries the full resulting state of each changed field, as digiKam and darktable expect.
	return planPhotoWrite(journal, {photo: change.path, sha256: file.sha256!, write, fieldsBefore, fieldsAfter}, target);
}

/**
 * One `write-sidecar` operation: the sidecar's next bytes are made now, by exiftool on a scratch copy of `previous`
 * (the current sidecar, or nothing), so the operation carries the exact content before and after and undo, redo and
 * replay are byte-exact. exiftool rewrites only the tags asked for: every other tag of the sidecar (other namespaces,
 * `xmpMM` history, `crs:` develop settings, regions) stays. The catalog's keywords after are what scan will read back
 * from these very bytes. The metadata writes of edit, review merges and tag review all come through here.
 */
export async function planSidecarWrite(
	journal: Journal,
	plan: {
		readonly photo: string;
		readonly sidecar: string;
		readonly previous: Buffer | undefined;
		readonly write: MetadataWrite;
		readonly fieldsBefore?: FieldValues;
		readonly fieldsAfter?: FieldValues;
		/** Further tags, as exiftool names them (face regions, issue 19), written after `write` in the same bytes. */
		readonly extraTags?: Readonly<Record<string, unknown>>;
	},
): Promise<Operation> {
	const scratchDir = path.join(journal.library.dir, 'tmp');
	fs.mkdirSync(scratchDir, {recursive: true});
	const scratch = path.join(scratchDir, `${randomUUID()}.xmp`);
	try {
		if (plan.previous) {
			fs.writeFileSync(scratch, plan.previous);
		}

		if (!plan.extraTags || Object.keys(plan.write).length > 0) {
			await writeMetadata(scratch, plan.write);
		}

		if (plan.extraTags) {
			await writeTags(scratch, plan.extraTags);
		}

		const next = fs.readFileSync(scratch);
		let fieldsAfter = plan.fieldsAfter;
		if (fieldsAfter?.keywords !== undefined) {
			const readBack = await readSidecarMetadata(scratch);
			if (readBack.holdsKeywords) {
				fieldsAfter = {...fieldsAfter, keywords: readBack.metadata.keywords ?? []};
			}
		}

		return {
			kind: 'write-sidecar',
			path: plan.sidecar,
			before: plan.previous ? plan.previous.toString('base64') : null,
			beforeSha256: plan.previous ? hashBytes(plan.previous) : null,
			after: next.toString('base64'),
			afterSha256: hashBytes(next),
			photo: plan.photo,
			...(plan.fieldsBefore ? {fieldsBefore: plan.fieldsBefore} : {}),
			...(fieldsAfter ? {fieldsAfter} : {}),
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
