/**
 * Confirmed people into XMP sidecars (issue 19), where digiKam, Lightroom, Immich and exiftool read them: MWG face
 * regions (`mwg-rs:Regions` with `mwg-rs:AppliedToDimensions` and one `mwg-rs:RegionList` entry per named face,
 * `mwg-rs:Type` Face, `mwg-rs:Name`, `mwg-rs:Area` normalised to the stored image, see `regions.ts`) and
 * `Iptc4xmpExt:PersonInImage`. Read-modify-write: regions and names another app put there stay; only the faces Curate
 * names (before or after the change) are rewritten. The bytes are made now through `planSidecarWrite`, so the
 * `write-sidecar` operations carry them before and after and undo is byte-exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import {readStructTags} from '../adapters/exif.js';
import {mapConcurrent} from '../concurrency.js';
import type {Operation} from '../core/journal.js';
import {faceStoreOf, type FacePhoto} from '../db/faces.js';
import type {Journal} from '../journal/journal.js';
import {planSidecarWrite, sidecarPathFor} from '../journal/metadata.js';
import {loadJournalSettings} from '../journal/settings.js';
import {findSidecar} from '../media/sidecar-file.js';
import {mwgArea, storedSize} from './regions.js';

/** A named face of a photo: its box normalised to the shown picture. */
export type NamedFace = {readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly person: string};

type Region = Record<string, unknown> & {Name?: unknown; Type?: unknown};

const asList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/**
 * The tags to write for a photo: its regions and people as they will be, from what the sidecar holds now (`current`,
 * exiftool's `-struct` JSON), the names Curate had on it (`before`) and its named faces after (`after`). Pure.
 * Returns undefined when the sidecar already says exactly that.
 */
export function personTags(current: Record<string, unknown>, before: ReadonlySet<string>, after: readonly NamedFace[], photo: Pick<FacePhoto, 'width' | 'height' | 'orientation'>): Record<string, unknown> | undefined {
	const ours = new Set([...before, ...after.map(face => face.person)]);
	const info = (current.RegionInfo ?? {}) as {RegionList?: unknown; AppliedToDimensions?: unknown};
	const kept = asList(info.RegionList).filter(region => !(typeof region === 'object' && region !== null && (region as Region).Type === 'Face' && ours.has(String((region as Region).Name))));
	const regions = [
		...kept,
		...after.map(face => {
			const area = mwgArea(face, photo.orientation);
			return {Area: {X: area.x, Y: area.y, W: area.w, H: area.h, Unit: 'normalized'}, Name: face.person, Type: 'Face'};
		}),
	];
	const stored = photo.width && photo.height ? storedSize(photo.width, photo.height, photo.orientation) : undefined;
	const dimensions = stored ? {W: stored.w, H: stored.h, Unit: 'pixel'} : info.AppliedToDimensions;
	const people = [...new Set([...asList(current.PersonInImage).map(String).filter(name => !ours.has(name)), ...after.map(face => face.person)])];
	const next = {
		RegionInfo: regions.length > 0 ? {...(dimensions ? {AppliedToDimensions: dimensions} : {}), RegionList: regions} : null,
		PersonInImage: people.length > 0 ? people : null,
	};
	const same =
		JSON.stringify(next.RegionInfo ?? null) === JSON.stringify(current.RegionInfo ?? null) && JSON.stringify(next.PersonInImage ?? null) === JSON.stringify(asList(current.PersonInImage).length > 0 ? asList(current.PersonInImage) : null);
	return same ? undefined : next;
}

/**
 * The `write-sidecar` operations for contents whose named faces change: `changes` maps a content to the faces whose
 * person changes (null: no longer named). Every present photo file holding the content gets its own sidecar.
 */
export async function personSidecarWrites(journal: Journal, changes: ReadonlyMap<string, ReadonlyMap<number, string | null>>, signal?: AbortSignal): Promise<Operation[]> {
	const store = faceStoreOf(journal.catalog);
	const naming = loadJournalSettings(journal.library).sidecar;
	const jobs: Array<{photo: FacePhoto; before: Set<string>; after: NamedFace[]}> = [];
	for (const [sha256, overrides] of changes) {
		const named = store.namedFaces(sha256);
		const before = new Set(named.map(face => face.person));
		const faces = new Map<number, NamedFace>(named.map(face => [face.id, face]));
		for (const [id, person] of overrides) {
			if (person === null) {
				faces.delete(id);
				continue;
			}

			const data = store.record(id)?.data;
			if (data) {
				faces.set(id, {x: data.x, y: data.y, w: data.w, h: data.h, person});
			}
		}

		const after = [...faces].sort(([a], [b]) => a - b).map(([, face]) => face);
		for (const photo of store.photosOfContent(sha256)) {
			jobs.push({photo, before, after});
		}
	}

	const planned = await mapConcurrent(jobs, 4, async ({photo, before, after}) => {
		if (signal?.aborted) {
			return undefined;
		}

		const absolute = path.join(journal.library.root, ...photo.path.split('/'));
		const existing = findSidecar(absolute);
		const sidecar = existing ? path.relative(journal.library.root, existing).split(path.sep).join('/') : sidecarPathFor(photo.path, naming);
		const previous = existing ? fs.readFileSync(existing) : undefined;
		const current = existing ? await readStructTags(existing, ['XMP-mwg-rs:RegionInfo', 'XMP-iptcExt:PersonInImage']) : {};
		const tags = personTags(current, before, after, photo);
		if (!tags || (!previous && tags.RegionInfo === null && tags.PersonInImage === null)) {
			return undefined;
		}

		return planSidecarWrite(journal, {photo: photo.path, sidecar, previous, write: {}, extraTags: tags});
	});
	return planned.filter((operation): operation is Operation => operation !== undefined);
}
