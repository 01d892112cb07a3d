import {createHash} from 'node:crypto';
import fs from 'node:fs';
import {metadataWriteTags, readKeywordLists, readMetadata, sidecarOf, type MetadataUpdate} from '../adapters/exif.js';
import type {StripRule} from './strip-rule.js';

/** What a photo's XMP sidecar adds to its export: the library's view of the photo, as the scan reads it. */
export type Curation = {
	/** The sidecar's SHA-256: a copy made before the sidecar changed is not reused. Null without a sidecar. */
	readonly sidecarSha256: string | null;
	/** The fields the sidecar holds, to write onto the copy. */
	readonly update: MetadataUpdate;
	/** exiftool `--TAG` arguments for the master's own tags that hold those fields, so they cannot contradict them. */
	readonly replaces: readonly string[];
};

/** Every tag the scan reads a field from (source/adapters/exif.ts wantedTags), by field. */
const fieldTags: Record<'keywords' | 'hierarchicalSubject' | 'rating' | 'title' | 'description' | 'takenAt' | 'gps', readonly string[]> = {
	keywords: ['Keywords', 'Subject'],
	hierarchicalSubject: ['HierarchicalSubject'],
	rating: ['Rating', 'RatingPercent'],
	title: ['Title', 'ObjectName'],
	description: ['ImageDescription', 'Description', 'Caption-Abstract'],
	takenAt: ['SubSecDateTimeOriginal', 'DateTimeOriginal', 'OffsetTimeOriginal', 'SubSecTimeOriginal'],
	gps: ['GPS:all', 'GPS*'],
};

const none: Curation = {sidecarSha256: null, update: {}, replaces: []};

/**
 * Reads the curation in a photo's sidecar (`IMG.jpg.xmp` or Lightroom's `IMG.xmp`, written by `edit`, review merges
 * and tag review). As in the scan, the sidecar wins: its keyword lists replace the file's (an empty list too: the
 * sidecar is where Curate keeps them), and its rating, title, description, capture date and GPS replace the file's
 * when it holds them. Nothing is read for `--strip all`; GPS only for `--strip none` or a kept location (a sidecar's GPS is
 * stripped like the file's). A sidecar exiftool cannot read adds nothing, as in the scan.
 */
export async function readCuration(master: string, rule: StripRule): Promise<Curation> {
	const sidecar = rule.mode === 'all' ? undefined : sidecarOf(master);
	if (!sidecar) {
		return none;
	}

	const sidecarSha256 = createHash('sha256').update(await fs.promises.readFile(sidecar)).digest('hex');
	let edits;
	let lists;
	try {
		[edits, lists] = await Promise.all([readMetadata(sidecar), readKeywordLists(sidecar)]);
	} catch {
		return {...none, sidecarSha256};
	}

	const update: MetadataUpdate = {
		keywords: edits.keywords,
		hierarchicalSubject: lists.hierarchicalSubject,
		...(edits.rating === undefined ? {} : {rating: edits.rating}),
		...(edits.title === undefined ? {} : {title: edits.title}),
		...(edits.description === undefined ? {} : {description: edits.description}),
		...(edits.takenAt === undefined ? {} : {takenAt: edits.takenAt}),
		...(edits.gps === undefined || (rule.mode !== 'none' && !rule.keepLocation) ? {} : {gps: edits.gps}),
	};
	const replaces = Object.keys(update).flatMap(field => fieldTags[field as keyof typeof fieldTags].map(tag => `--${tag}`));
	return {sidecarSha256, update, replaces};
}

/** The exiftool tags that put a curation onto an exported copy (the same mapping `edit --write-embedded` uses). */
export function curationTags(curation: Curation): Record<string, unknown> {
	const tags = metadataWriteTags(curation.update, false);
	// An empty list is written as no tag at all, the way exiftool clears a list.
	for (const [key, value] of Object.entries(tags)) {
		if (Array.isArray(value) && value.length === 0) {
			tags[key] = null;
		}
	}

	return tags;
}
