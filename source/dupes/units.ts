/**
 * The units duplicate finding works on: catalogued photos that can be compared, each with its companions.
 */
import path from 'node:path';
import type {StoredFile} from '../db/catalog.js';
import type {Allowed, Unit} from './types.js';

const rawFormats = new Set(['dng', 'cr2', 'cr3', 'nef', 'arw', 'orf', 'rw2', 'raf', 'raw']);

/** Files that take part in duplicate finding: present, hashed, non-empty pictures and movies. */
export function usableFiles(files: readonly StoredFile[]): StoredFile[] {
	return files.filter(file => file.status === 'present' && file.sha256 && file.size > 0 && file.kind !== 'other' && file.kind !== 'sidecar');
}

/**
 * Groups companions with their primary photo, so they count as one unit: a Live Photo's still and movie (same
 * ContentIdentifier), a RAW and the JPEG or HEIC beside it with the same name.
 */
export function groupUnits(files: readonly StoredFile[]): Unit[] {
	const companionOf = new Map<number, number>();
	const byLive = new Map<string, StoredFile[]>();
	const byStem = new Map<string, StoredFile[]>();
	for (const file of files) {
		if (file.livePhotoId) {
			byLive.set(file.livePhotoId, [...(byLive.get(file.livePhotoId) ?? []), file]);
		}

		const stem = path.posix.join(path.posix.dirname(file.path), path.posix.basename(file.path, path.posix.extname(file.path))).toLowerCase();
		byStem.set(stem, [...(byStem.get(stem) ?? []), file]);
	}

	for (const group of byLive.values()) {
		const still = group.find(file => file.kind === 'image');
		for (const file of group) {
			if (still && file.kind === 'video') {
				companionOf.set(file.id, still.id);
			}
		}
	}

	for (const group of byStem.values()) {
		const primary = group.find(file => file.kind === 'image' && !rawFormats.has(file.format));
		for (const file of group) {
			if (primary && file !== primary && (file.kind === 'raw' || rawFormats.has(file.format)) && !companionOf.has(file.id)) {
				companionOf.set(file.id, primary.id);
			}
		}
	}

	const units = new Map<number, Unit>();
	for (const file of files) {
		if (!companionOf.has(file.id)) {
			units.set(file.id, {file, companions: []});
		}
	}

	for (const file of files) {
		const owner = companionOf.get(file.id);
		if (owner !== undefined) {
			units.get(owner)?.companions.push(file);
		}
	}

	return [...units.values()];
}

/** The key of a "not duplicates" decision between two contents: both hashes, the smaller first. */
export const pairKey = (a: string, b: string) => (a <= b ? `${a} ${b}` : `${b} ${a}`);

/** Links between units are allowed unless the user marked their contents as not duplicates. */
export function allowedBy(units: readonly Unit[], distinct: ReadonlySet<string>): Allowed {
	return (a, b) => !distinct.has(pairKey(units[a]!.file.sha256!, units[b]!.file.sha256!));
}
