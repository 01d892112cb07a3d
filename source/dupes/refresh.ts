/**
 * Bringing a kept duplicate search up to date after the library changed, by searching again only the photos the
 * changes can move (issue 15). At a million photos a whole search takes a minute and a half, and every change put the
 * kept search out of date: each "not duplicates" decision and its undo, each photo trashed by review or `curate dupes
 * --apply keepers`, each scan that found a new photo, so the next `dupes`, `status`, `review` or home screen searched
 * everything again.
 *
 * Why searching some photos again gives what a whole search would. The catalog lists what changed since a search was
 * kept (migration 24): decisions made or taken back, photos that left (trashed, gone from the disk), photos added (new,
 * back from the trash, or changed, which is a photo leaving as it was and added as it is). A decision changes only
 * whether photos of its two contents may be linked; a photo that left takes only its own links with it; a photo added
 * links only to the photos candidate lookup pairs it with (partners.ts). So the photos whose clusters can change are
 * the members of every kept cluster that held a photo that left, a decided content or a partner of a new photo, the
 * photos with a decided content, and the new photos: no link leads from them to any other photo, and the clusters they
 * make among themselves are the clusters a whole search makes of them. That needs each link to be the pair's own, and
 * it is: candidate lookup finds a pair from its two photos' hashes, and verification judges every pair on its own
 * (verify.ts). What is not a pair's own is taken care of: a photo's companions are the files beside it with its name or
 * its Live Photo id (units.ts), so they are searched with it (and a companion a trashed photo leaves behind is a photo
 * of its own now, looked up as a new one); a damaged copy is compared with the first intact photos of its size in the
 * whole library (candidates.ts), so a refresh that meets one, or a photo of its size coming or going, is left to a
 * whole search, as is one with more than {@link maxPhotos} photos to search again. test/dupes/refresh.test.ts holds
 * every refresh to what a whole search finds.
 */
import path from 'node:path';
import type {Catalog} from '../db/catalog.js';
import {DupesData, type EveryBatchesAway} from '../db/dupes-data.js';
import {DupeStore, type LeftPhoto} from '../db/dupe-store.js';
import {ThumbnailPaths} from '../db/thumbnail-paths.js';
import {isDamaged} from './candidates.js';
import {findGroups, lookupOf} from './find.js';
import {LookupColumnsBuilder, lookupPartners, WindowTableBuilder} from './partners.js';
import {byReclaim, rankedTexts} from './ranked-texts.js';
import {everyBatchesAway} from './read-helpers.js';
import type {FindOptions} from './types.js';
import {stemOf} from './units.js';
import {encodeWindowHashes, windowHashes} from './window-hash.js';

/**
 * Most photos a refresh searches again (and most changes it follows): beyond this, a whole search is not much slower,
 * and it holds less at once.
 */
const maxPhotos = 50_000;

/** The SHA-256 of every member of a cluster as kept (`"sha256":"…"` occurs only there: quotes in a path are escaped). */
function memberHashes(json: string): string[] {
	return [...json.matchAll(/"sha256":"([^"\\]*)"/g)].map(match => match[1]!);
}

/** The paths of a kept cluster's members and of their companions. */
function memberPaths(json: string): string[] {
	return (JSON.parse(json) as {members: Array<{path: string; companions: string[]}>}).members.flatMap(member => [member.path, ...member.companions]);
}

/** The present files beside each path with its name (same folder and name but for the extension and its case), by folder. */
class Beside {
	/** Per folder read so far: its present files by stem (units.ts `stemOf`), with their Live Photo ids. */
	private readonly folders = new Map<string, Map<string, Array<{readonly path: string; readonly livePhotoId: string | null}>>>();

	constructor(private readonly data: DupesData) {}

	/** The present files with this path's name, itself included when present, with their Live Photo ids. */
	of(file: string): ReadonlyArray<{readonly path: string; readonly livePhotoId: string | null}> {
		const parent = path.posix.dirname(file);
		const folder = parent === '.' ? '' : parent;
		let stems = this.folders.get(folder);
		if (!stems) {
			stems = new Map();
			for (const row of this.data.presentInFolder(folder)) {
				const stem = stemOf(row.path);
				const same = stems.get(stem);
				if (same) {
					same.push(row);
				} else {
					stems.set(stem, [row]);
				}
			}

			this.folders.set(folder, stems);
		}

		return stems.get(stemOf(file)) ?? [];
	}
}

/**
 * The photos to search again, closed under companionship: each path added comes with every present file that may be
 * its companion, and so on until none is left out (the files beside each with its name, the other half of a Live
 * Photo). Units are made from these (units.ts), so a photo here has the same companions, and is the same unit, as in a
 * whole search. Each folder and Live Photo is read once, however often paths are added.
 */
class WithCompanions {
	readonly paths = new Set<string>();
	private readonly lives = new Set<string>();

	constructor(
		private readonly data: DupesData,
		private readonly beside: Beside,
	) {}

	add(files: Iterable<string>): void {
		const queue: string[] = [];
		const add = (file: string) => {
			if (!this.paths.has(file)) {
				this.paths.add(file);
				queue.push(file);
			}
		};

		for (const file of files) {
			add(file);
		}

		for (let at = 0; at < queue.length && this.paths.size <= maxPhotos; at++) {
			for (const other of this.beside.of(queue[at]!)) {
				add(other.path);
				if (other.livePhotoId !== null && !this.lives.has(other.livePhotoId)) {
					this.lives.add(other.livePhotoId);
					for (const half of this.data.presentWithLiveId(other.livePhotoId)) {
						add(half);
					}
				}
			}
		}
	}
}

/**
 * The present files a photo that left may have left behind: those beside it with its name, and its Live Photo's
 * other half. A RAW whose JPEG was trashed is a photo of its own now, with its own hashes.
 */
function leftBehind(data: DupesData, beside: Beside, left: readonly LeftPhoto[]): string[] {
	return left.flatMap(photo => [...beside.of(photo.path).map(other => other.path), ...(photo.livePhotoId === null ? [] : data.presentWithLiveId(photo.livePhotoId))]);
}

/**
 * The paths of the photos that grouping or candidate lookup pairs with one of `newcomers` (paths of present files):
 * the same contents through the catalog's indexes, and the lookups through every photo's hashes, read packed
 * (partners.ts).
 */
function partnerPaths(data: DupesData, newcomers: ReadonlySet<string>, options: FindOptions, away: EveryBatchesAway | undefined): string[] {
	const ids = new Set(data.idsAt([...newcomers]));
	const partners = new Set(data.sameContents([...ids]));
	const lookup = lookupOf(options);
	if (lookup) {
		const columns = new LookupColumnsBuilder();
		const windows = new WindowTableBuilder();
		data.eachLookupRow(
			signature => encodeWindowHashes(windowHashes(signature)),
			(id, file, hashes) => {
				columns.add(id, file);
				// As find.ts packs them: for photos with a pHash only.
				if (file.phash && hashes) {
					windows.add(id, hashes);
				}
			},
			away,
		);
		for (const id of lookupPartners(columns.done(), ids, lookup, windows.done())) {
			partners.add(id);
		}
	}

	return data.presentPaths([...partners].filter(id => !ids.has(id)));
}

/**
 * Brings the search kept under `key` up to date when only changes the catalog lists came since it was kept: the
 * photos they can move are searched again, the clusters they make take the place of the kept clusters that held any
 * of them, every other kept cluster stays as it was, and the search is kept again at the catalog's current
 * generation. Says whether it did; when it did not (the search is valid, there is none, an unlisted change came, a
 * damaged copy is concerned, there are too many photos to search again, or the catalog could not take the write), the
 * caller searches as before.
 */
export function refreshKept(catalog: Catalog, key: string, options: FindOptions): boolean {
	const store = new DupeStore(catalog);
	const outdated = store.outdated(key);
	if (!outdated || outdated.added.length + outdated.left.length > maxPhotos) {
		return false;
	}

	const data = new DupesData(catalog);
	// A damaged copy is compared with the first intact photos of its size (candidates.ts): one of them coming or going
	// may change which.
	const damagedSizes = outdated.left.length + outdated.added.length > 0 ? data.damagedSizes() : new Set<string>();
	if (outdated.left.some(photo => damagedSizes.has(`${photo.width}x${photo.height}`))) {
		return false;
	}

	const kept = store.texts(outdated.search);
	// Which kept cluster holds each photo, as a member or a companion.
	const holder = new Map<string, number>();
	for (const [index, text] of kept.entries()) {
		for (const file of memberPaths(text.json)) {
			holder.set(file, index);
		}
	}

	const beside = new Beside(data);
	const decided = new Set(outdated.decisions.flat());
	const newcomers = new Set([...data.presentPaths(outdated.added), ...leftBehind(data, beside, outdated.left)]);
	const seeds = new Set([...newcomers, ...data.pathsWithContents([...decided])]);
	const touched = new Set<number>();
	for (const [index, text] of kept.entries()) {
		if (decided.size > 0 && memberHashes(text.json).some(hash => decided.has(hash))) {
			touched.add(index);
		}
	}

	for (const photo of outdated.left) {
		const index = holder.get(photo.path);
		if (index !== undefined) {
			touched.add(index);
		}
	}

	if (newcomers.size > 0) {
		// Every photo's lookup rows, most of their batches stepped by a helper thread (read-helpers.ts).
		const shared = data.sharedFile();
		for (const partner of partnerPaths(data, newcomers, options, shared === undefined ? undefined : everyBatchesAway(shared))) {
			seeds.add(partner);
		}
	}

	// Every kept cluster that holds a photo to search again is searched again whole, with the companions of its photos,
	// until no photo brings in another cluster: the set grows while it is walked, so one walk reaches every photo. Photos
	// that left are among the kept clusters' members: only present files are read.
	const search = new WithCompanions(data, beside);
	search.add(seeds);
	for (const index of touched) {
		search.add(memberPaths(kept[index]!.json));
	}

	for (const file of search.paths) {
		const index = holder.get(file);
		if (index !== undefined && !touched.has(index)) {
			touched.add(index);
			search.add(memberPaths(kept[index]!.json));
		}

		if (search.paths.size > maxPhotos) {
			return false;
		}
	}

	const paths = search.paths;
	const photos = data.photosAt([...paths], signature => encodeWindowHashes(windowHashes(signature)));
	const arriving = photos.files.filter(file => newcomers.has(file.path));
	if (photos.damaged.size > 0 || photos.files.some(file => isDamaged(file)) || arriving.some(file => damagedSizes.has(`${file.width}x${file.height}`))) {
		return false;
	}

	const thumbnails = new ThumbnailPaths(catalog);
	const found = findGroups(
		photos.files,
		{...options, distinct: options.distinct ?? data.distinctPairs()},
		{loadVerification: ids => data.verification(ids, thumb => thumbnails.place(thumb)), damaged: photos.damaged, windowHashes: photos.windowHashes},
	);
	const clusters = [...kept.filter((_, index) => !touched.has(index)), ...rankedTexts(data, found, options.keeper)].sort(byReclaim);
	return store.keepTexts(key, outdated.current, clusters);
}
