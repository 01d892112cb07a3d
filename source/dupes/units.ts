/**
 * The units duplicate finding works on: catalogued photos that can be compared, each with its companions.
 */
import path from 'node:path';
import type {StoredFile} from '../db/catalog.js';
import type {HashWords} from './lookups.js';
import type {Allowed, Unit} from './types.js';

const rawFormats = new Set(['dng', 'cr2', 'cr3', 'nef', 'arw', 'orf', 'rw2', 'raf', 'raw']);

/**
 * A file's path without its extension, lowercased: a RAW and the JPEG beside it share it. Catalog paths are plain
 * (relative, no "." or ".." segments, single slashes), for which that is the path cut before its extension; any other
 * goes through path.posix, which also normalises it. The cut saves four path calls a file (seconds at a million).
 */
export function stemOf(file: string): string {
	const plain = !file.startsWith('./') && !file.startsWith('../') && !file.endsWith('/') && !file.includes('//') && !file.includes('/./') && !file.includes('/../') && !file.endsWith('/.') && !file.endsWith('/..') && file !== '' && file !== '.' && file !== '..';
	const extension = path.posix.extname(file);
	return (plain ? file.slice(0, file.length - extension.length) : path.posix.join(path.posix.dirname(file), path.posix.basename(file, extension))).toLowerCase();
}

/** A camera RAW file: the companion of a picture with its name. */
function isRaw(file: Pick<StoredFile, 'kind' | 'format'>): boolean {
	return file.kind === 'raw' || rawFormats.has(file.format);
}

/** Files that take part in duplicate finding: present, hashed, non-empty pictures and movies. */
export function usableFiles(files: readonly StoredFile[]): StoredFile[] {
	return files.filter(file => file.status === 'present' && file.sha256 && file.size > 0 && file.kind !== 'other' && file.kind !== 'sidecar');
}

/**
 * The companions of a unit that has none, one frozen array for all of them: an empty array a unit was 32 bytes a
 * photo, 32 MB at a million.
 */
const noCompanions: readonly StoredFile[] = Object.freeze([]);

/**
 * Groups companions with their primary photo, so they count as one unit: a Live Photo's still and movie (same
 * ContentIdentifier), a RAW and the JPEG or HEIC beside it with the same name.
 */
export function groupUnits(files: readonly StoredFile[]): Unit[] {
	const companionOf = new Map<number, number>();
	const byLive = new Map<string, StoredFile[]>();
	// Only a stem with a RAW file among its files makes companions, and most libraries have few RAW files, or none: the
	// stems of the others are made and looked up only among the RAW files' (a map of a million stems took a second).
	const rawStems = new Set<string>();
	for (const file of files) {
		if (isRaw(file)) {
			rawStems.add(stemOf(file.path));
		}
	}

	// A stem's first file is kept as a number, and a list is made only for a stem seen again.
	const firstOfStem = new Map<string, number>();
	const byStem = new Map<string, number[]>();
	for (const [index, file] of files.entries()) {
		if (file.livePhotoId) {
			const group = byLive.get(file.livePhotoId);
			if (group) {
				group.push(file);
			} else {
				byLive.set(file.livePhotoId, [file]);
			}
		}

		if (rawStems.size === 0) {
			continue;
		}

		const stem = stemOf(file.path);
		if (!rawStems.has(stem)) {
			continue;
		}

		const first = firstOfStem.get(stem);
		if (first === undefined) {
			firstOfStem.set(stem, index);
		} else {
			const group = byStem.get(stem);
			if (group) {
				group.push(index);
			} else {
				byStem.set(stem, [first, index]);
			}
		}
	}

	for (const group of byLive.values()) {
		const still = group.find(file => file.kind === 'image');
		for (const file of group) {
			if (still && file.kind === 'video') {
				companionOf.set(file.id, still.id);
			}
		}
	}

	for (const indexes of byStem.values()) {
		const group = indexes.map(index => files[index]!);
		const primary = group.find(file => file.kind === 'image' && !rawFormats.has(file.format));
		for (const file of group) {
			if (primary && file !== primary && isRaw(file) && !companionOf.has(file.id)) {
				companionOf.set(file.id, primary.id);
			}
		}
	}

	// Units in the files' order; only the photos with companions are looked up by id (a map of every unit took 0.3 s at
	// a million photos).
	const units: Unit[] = [];
	const owners = new Map<number, Unit>();
	const owning = new Set(companionOf.values());
	for (const file of files) {
		if (!companionOf.has(file.id)) {
			const unit: Unit = {file, companions: noCompanions};
			units.push(unit);
			if (owning.has(file.id)) {
				owners.set(file.id, unit);
			}
		}
	}

	for (const file of files) {
		const owner = companionOf.get(file.id);
		const unit = owner === undefined ? undefined : owners.get(owner);
		if (unit) {
			unit.companions = unit.companions === noCompanions ? [file] : [...unit.companions, file];
		}
	}

	return units;
}

/** The key of a "not duplicates" decision between two contents: both hashes, the smaller first. */
export const pairKey = (a: string, b: string) => (a <= b ? `${a} ${b}` : `${b} ${a}`);

/**
 * Links between units are allowed unless the user marked their contents as not duplicates. Without any such decision
 * no key is made: a light record makes its hash string when asked (source/db/dupes-data.ts).
 *
 * With decisions, every candidate pair is asked (hundreds of thousands at a million photos), and making both hashes'
 * strings and their key for each took 0.9 s there. A light record gives the first 32 bits of its SHA-256 without its
 * string (lookups.ts `HashWords`): a unit whose first word begins no decided hash is in no decision, and its pairs are
 * allowed without a key. A hash not kept as lowercase hex of its width gives no word, and is looked up as before.
 */
export function allowedBy(units: readonly Unit[], distinct: ReadonlySet<string>): Allowed {
	if (distinct.size === 0) {
		return () => true;
	}

	// The first eight digits of every hash in a decision, as the number a packed hash's first word is. A key is two
	// hashes and a space; a hash with a space or other than hex digits parses to something else, or NaN, but a unit
	// whose hash is one of those keeps it as given and gives no word.
	const firstWords = new Set<number>();
	for (const key of distinct) {
		for (const hash of key.split(' ')) {
			firstWords.add(Number.parseInt(hash.slice(0, 8), 16));
		}
	}

	const mayBeDecided = (unit: number) => {
		const word = (units[unit]!.file as StoredFile & HashWords).hashWord?.('sha256', 0) ?? -1;
		return word < 0 || firstWords.has(word);
	};

	return (a, b) => !(mayBeDecided(a) && mayBeDecided(b) && distinct.has(pairKey(units[a]!.file.sha256!, units[b]!.file.sha256!)));
}
