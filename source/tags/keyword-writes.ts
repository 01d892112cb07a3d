/**
 * Keywords and ratings as journal operations (issue 7). By default they go to the photo's XMP sidecar: the one that
 * exists, whichever its name (issue 13), or a new `IMG_1.jpg.xmp` (the digiKam/darktable name, or `IMG_1.xmp` when the
 * journal settings ask for Lightroom's). Other apps read it, and it leaves the photo's bytes, and so its SHA-256 and
 * its tags, untouched; on request they are embedded in the file.
 *
 * A sidecar's new bytes are made now, by exiftool on a scratch copy of the current sidecar, so the operation carries
 * the exact content before and after, and undo puts the old bytes back byte for byte.
 */
import type {FieldValues, MetadataWrite, Operation} from '../core/journal.js';
import {editList, joinKeywords, keywordsOf} from '../core/tag-keywords.js';
import type {Journal} from '../journal/journal.js';
import {keywordLists, planPhotoWrite} from '../journal/metadata.js';
import type {SidecarNaming} from '../journal/settings.js';
import {mapConcurrent} from '../concurrency.js';

/** A change to one photo file: tags whose keywords are added or removed, and a rating to set. */
export type KeywordChange = {
	/** Library-relative path of a present photo. */
	readonly path: string;
	/** Tag names (`places/beach`) to write as keywords. */
	readonly addTags?: readonly string[];
	/** Tag names whose keywords are taken out. */
	readonly removeTags?: readonly string[];
	/** 0–5 (`null` clears it); undefined leaves the rating alone. */
	readonly rating?: number | null;
};

/** Where keywords go. */
export type WriteTarget = {
	/** Into the photo file itself instead of a sidecar. */
	readonly embedded?: boolean;
	/** Sidecar names: `photo.jpg.xmp` (default, digiKam/darktable) or `photo.xmp` (Lightroom), as the journal settings say. */
	readonly naming?: SidecarNaming;
};

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);

/** The operations for one photo (a sidecar write, or an embedded write and its sidecar's share), or none. */
async function planOne(journal: Journal, change: KeywordChange, target: WriteTarget): Promise<Operation[]> {
	const file = journal.catalog.fileByPath(change.path);
	if (!file || file.status !== 'present' || !file.sha256) {
		throw new Error(`${change.path} is not a present, catalogued photo: run curate scan`);
	}

	const fields = journal.store.fields(change.path) ?? {};
	// The sidecar's own lists when it holds keywords (what other apps wrote stays), else the photo's.
	const current = await keywordLists(journal, change.path, target);
	const add = (change.addTags ?? []).map(tag => keywordsOf(tag));
	const remove = (change.removeTags ?? []).map(tag => keywordsOf(tag));
	const subject = editList(current.subject, add.map(k => k.subject), remove.map(k => k.subject));
	const hierarchical = editList(
		current.hierarchicalSubject,
		add.flatMap(k => k.hierarchical ?? []),
		remove.flatMap(k => k.hierarchical ?? []),
	);
	const write: {-readonly [K in keyof MetadataWrite]: MetadataWrite[K]} = {};
	const before: {-readonly [K in keyof FieldValues]: FieldValues[K]} = {};
	const after: {-readonly [K in keyof FieldValues]: FieldValues[K]} = {};
	if (!sameList(subject, current.subject) || !sameList(hierarchical, current.hierarchicalSubject)) {
		// Both lists, so an app reading only dc:subject sees the same tags as one reading the hierarchy.
		write.keywords = subject;
		write.hierarchicalSubject = hierarchical;
		before.keywords = fields.keywords ?? [];
		after.keywords = joinKeywords({subject, hierarchicalSubject: hierarchical});
	}

	if (change.rating !== undefined && change.rating !== (fields.rating ?? null)) {
		write.rating = change.rating;
		before.rating = fields.rating ?? null;
		after.rating = change.rating;
	}

	if (Object.keys(write).length === 0) {
		return [];
	}

	return planPhotoWrite(journal, {photo: change.path, sha256: file.sha256, write, fieldsBefore: before, fieldsAfter: after}, target);
}

/**
 * Plans keyword and rating writes for photos, one operation per photo that changes (several changes to one path are
 * merged). exiftool works on up to 8 photos at once; the operations come back in the order of `changes`.
 */
export async function planKeywordWrites(
	journal: Journal,
	changes: readonly KeywordChange[],
	target: WriteTarget = {},
	onProgress?: (done: number, total: number) => void,
): Promise<Operation[]> {
	const merged = new Map<string, {addTags: string[]; removeTags: string[]; rating?: number | null}>();
	for (const change of changes) {
		const entry = merged.get(change.path) ?? {addTags: [], removeTags: []};
		entry.addTags.push(...(change.addTags ?? []));
		entry.removeTags.push(...(change.removeTags ?? []));
		if (change.rating !== undefined) {
			entry.rating = change.rating;
		}

		merged.set(change.path, entry);
	}

	// A few photos at a time keep exiftool's processes busy without holding every sidecar of a big import in memory.
	const entries = [...merged];
	let done = 0;
	const planned = await mapConcurrent(entries, 8, async ([photo, change]) => {
		const operations = await planOne(journal, {path: photo, ...change}, target);
		onProgress?.(++done, entries.length);
		return operations;
	});
	return planned.flat();
}
