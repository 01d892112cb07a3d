/**
 * Place tags into the photos' XMP sidecars (issue 17), as one journal batch: the keywords as Lightroom writes a place
 * (`lr:hierarchicalSubject` `Places|France|Paris` with its ancestor `Places|France`, the leaves in `dc:subject`) and
 * the standard location fields other apps show (`photoshop:City`, `photoshop:State`, `photoshop:Country`,
 * `Iptc4xmpCore:CountryCode`). Each sidecar's bytes before and after are in its operation, so undo is byte-exact.
 * Only confirmed place tags are written: one the person rejected is not.
 */
import {createHash, randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {exiftool} from '../adapters/exif.js';
import {placeKeywords} from '../core/place.js';
import {editList, joinKeywords} from '../core/tag-keywords.js';
import type {Operation} from '../journal/journal.js';
import type {Journal} from '../journal/journal.js';
import {keywordLists, planPhotoWrite, sidecarPathFor} from '../journal/metadata.js';
import {loadJournalSettings} from '../journal/settings.js';
import {findSidecar} from '../media/sidecar-file.js';
import {PlaceStore, type StoredPlace} from '../db/places.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The XMP location tags of a place, as exiftool names them. */
export function locationTags(place: StoredPlace): Record<string, string | null> {
	return {
		'XMP-photoshop:City': place.city,
		'XMP-photoshop:State': place.region,
		'XMP-photoshop:Country': place.country,
		'XMP-iptcCore:CountryCode': place.countryCode,
	};
}

/** The location fields as a sidecar holds them now (exiftool's names without the group). */
async function currentLocation(file: string): Promise<Record<string, unknown>> {
	const tags = (await exiftool().readRaw(file, ['-XMP-photoshop:City', '-XMP-photoshop:State', '-XMP-photoshop:Country', '-XMP-iptcCore:CountryCode'])) as Record<string, unknown>;
	return tags;
}

/** One photo's sidecar operation, or none when the sidecar already says all of it. */
async function planOne(journal: Journal, photo: string, sha256: string, place: StoredPlace, naming: 'ext' | 'lightroom'): Promise<Operation | undefined> {
	const keywords = placeKeywords(place);
	const current = await keywordLists(journal, photo);
	const subject = editList(current.subject, keywords.subject, []);
	const hierarchical = editList(current.hierarchicalSubject, keywords.hierarchical, []);
	let operation: Operation | undefined;
	if (subject.length !== current.subject.length || hierarchical.length !== current.hierarchicalSubject.length) {
		const fields = journal.store.fields(photo) ?? {};
		[operation] = await planPhotoWrite(
			journal,
			{
				photo,
				sha256,
				write: {keywords: subject, hierarchicalSubject: hierarchical},
				fieldsBefore: {keywords: fields.keywords ?? []},
				fieldsAfter: {keywords: joinKeywords({subject, hierarchicalSubject: hierarchical})},
			},
			{naming},
		);
	}

	// The location fields go into the same sidecar bytes: the keyword write's result, else the sidecar as it is.
	const existing = findSidecar(path.join(journal.library.root, ...photo.split('/')));
	const sidecar = operation?.kind === 'write-sidecar' ? operation.path : existing ? path.relative(journal.library.root, existing).split(path.sep).join('/') : sidecarPathFor(photo, naming);
	const previous = existing ? fs.readFileSync(existing) : undefined;
	const start = operation?.kind === 'write-sidecar' ? Buffer.from(operation.after, 'base64') : previous;
	const scratchDir = path.join(journal.library.dir, 'tmp');
	fs.mkdirSync(scratchDir, {recursive: true});
	const scratch = path.join(scratchDir, `${randomUUID()}.xmp`);
	try {
		const wanted = locationTags(place);
		if (start) {
			fs.writeFileSync(scratch, start);
			const held = await currentLocation(scratch);
			const same = Object.entries(wanted).every(([tag, value]) => (held[tag.slice(tag.indexOf(':') + 1)] ?? null) === value);
			if (same) {
				return operation;
			}
		}

		await exiftool().write(scratch, wanted as never, {writeArgs: ['-overwrite_original', '-charset', 'filename=utf8']});
		const after = fs.readFileSync(scratch);
		if (operation?.kind === 'write-sidecar') {
			return {...operation, after: after.toString('base64'), afterSha256: sha(after)};
		}

		return {
			kind: 'write-sidecar',
			path: sidecar,
			before: previous ? previous.toString('base64') : null,
			beforeSha256: previous ? sha(previous) : null,
			after: after.toString('base64'),
			afterSha256: sha(after),
			photo,
		};
	} finally {
		fs.rmSync(scratch, {force: true});
		fs.rmSync(`${scratch}_original`, {force: true});
	}
}

/** What `curate places --write` did. */
export type PlaceWriteResult = {readonly batch: number | null; readonly written: number; readonly unchanged: number};

/**
 * Writes every located photo's place (on land, place tag not rejected) into its sidecar, as one journal batch.
 * `onProgress` counts photos planned.
 */
export async function writePlaces(journal: Journal, options: {readonly command: string; readonly onProgress?: (done: number, total: number) => void}): Promise<PlaceWriteResult> {
	const naming = loadJournalSettings(journal.library).sidecar;
	const store = new PlaceStore(journal.catalog);
	const rejected = new Set(store.rejectedPlaceTags());
	const photos = [...store.byPath()]
		.filter(([, place]) => place.country !== null)
		.map(([photo, place]) => ({photo, place, file: journal.catalog.fileByPath(photo)}))
		.filter(entry => entry.file?.sha256 && entry.file.kind !== 'sidecar')
		.filter(entry => !rejected.has(`${entry.file!.sha256} places/${entry.place.country!.toLowerCase()}`));
	const operations: Array<Operation | undefined> = Array.from({length: photos.length});
	let next = 0;
	let done = 0;
	const worker = async () => {
		while (next < photos.length) {
			const index = next++;
			const {photo, place, file} = photos[index]!;
			// eslint-disable-next-line no-await-in-loop
			operations[index] = await planOne(journal, photo, file!.sha256!, place, naming);
			options.onProgress?.(++done, photos.length);
		}
	};

	await Promise.all(Array.from({length: Math.min(8, photos.length)}, async () => worker()));
	const planned = operations.filter((operation): operation is Operation => operation !== undefined);
	if (planned.length === 0) {
		return {batch: null, written: 0, unchanged: photos.length};
	}

	const result = await journal.apply({command: options.command, label: `places: write ${planned.length} ${planned.length === 1 ? 'sidecar' : 'sidecars'}`, operations: planned});
	return {batch: result.batch, written: planned.length, unchanged: photos.length - planned.length};
}
