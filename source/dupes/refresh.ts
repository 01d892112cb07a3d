/**
 * Bringing a kept duplicate search up to date after the changes review makes, without searching the whole library
 * again (issue 15): "not duplicates" decisions, made or taken back, and photos that leave the library (trashed by
 * `curate dupes --apply keepers` or review, or found gone from the disk by a scan). At a million photos a whole search
 * takes a minute and a half, and each such change put the kept search out of date, so the next `dupes`, `status`,
 * `review` or home screen searched everything again.
 *
 * Why searching some photos again gives what a whole search would: a decision changes only whether photos of its two
 * contents may be linked, and a photo that leaves takes only its own links with it. The photos either can move are
 * then the members of the clusters that held those photos or contents, and the photos that have a decided content
 * (kept apart until now, they may join); no link leads from them to any other photo, so the clusters they make among
 * themselves are the clusters a whole search makes of them. That needs each link to be the pair's own: candidate
 * lookup finds a pair from its two photos' hashes, and verification judges every pair on its own (verify.ts). What is
 * not a pair's own is taken care of: a photo's companions are the files beside it with its name or its Live Photo id
 * (units.ts), so they are searched with it, and a photo that leaves one behind (a JPEG trashed, its RAW kept: a photo
 * of its own now, which may join any cluster) is left to a whole search; a damaged copy is compared with the first
 * intact photos of its size in the whole library (candidates.ts), so a refresh that meets one, or a photo of its size
 * leaving, is left to a whole search too. A file added, changed or moved still needs a whole search; the catalog tells
 * which changes came since a search was kept (migration 24). test/dupes/refresh.test.ts holds every refresh to what a
 * whole search finds.
 */
import path from 'node:path';
import type {Catalog} from '../db/catalog.js';
import {DupesData} from '../db/dupes-data.js';
import {DupeStore, type LeftPhoto} from '../db/dupe-store.js';
import {ThumbnailPaths} from '../db/thumbnail-paths.js';
import {isDamaged} from './candidates.js';
import {findGroups} from './find.js';
import {byReclaim, rankedTexts} from './ranked-texts.js';
import type {FindOptions} from './types.js';
import {stemOf} from './units.js';
import {encodeWindowHashes, windowHashes} from './window-hash.js';

/**
 * Most photos a refresh searches again: beyond this share of a large library, a whole search is not much slower, and
 * it reads far less at once.
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

/**
 * These paths with every present file that may be a companion of one of them, and so on until none is left out: the
 * files beside each with the same name but for the extension, and the other half of a Live Photo. Units are made
 * from these (units.ts), so a photo here has the same companions, and is the same unit, as in a whole search.
 * Undefined past {@link maxPhotos}.
 */
function withCompanions(data: DupesData, start: ReadonlySet<string>): Set<string> | undefined {
	const all = new Set(start);
	const folders = new Map<string, ReturnType<DupesData['presentInFolder']>>();
	const lives = new Set<string>();
	let frontier = [...start];
	while (frontier.length > 0) {
		const next: string[] = [];
		const add = (file: string) => {
			if (!all.has(file)) {
				all.add(file);
				next.push(file);
			}
		};

		for (const file of frontier) {
			const parent = path.posix.dirname(file);
			const folder = parent === '.' ? '' : parent;
			let beside = folders.get(folder);
			if (!beside) {
				beside = data.presentInFolder(folder);
				folders.set(folder, beside);
			}

			const stem = stemOf(file);
			for (const other of beside) {
				if (stemOf(other.path) === stem) {
					add(other.path);
				}

				if (other.path === file && other.livePhotoId !== null && !lives.has(other.livePhotoId)) {
					lives.add(other.livePhotoId);
					for (const half of data.presentWithLiveId(other.livePhotoId)) {
						add(half);
					}
				}
			}
		}

		if (all.size > maxPhotos) {
			return undefined;
		}

		frontier = next;
	}

	return all;
}

/**
 * Whether a photo that left may have left a companion behind, standing alone now (a RAW beside a JPEG that was
 * trashed, a Live Photo's movie): that file is a photo of its own from now on and may join any cluster, which only a
 * whole search finds. So is any present file beside it with its name, or with its Live Photo id.
 */
function leftCompanions(data: DupesData, left: readonly LeftPhoto[]): boolean {
	const folders = new Map<string, ReturnType<DupesData['presentInFolder']>>();
	return left.some(photo => {
		const parent = path.posix.dirname(photo.path);
		const folder = parent === '.' ? '' : parent;
		let beside = folders.get(folder);
		if (!beside) {
			beside = data.presentInFolder(folder);
			folders.set(folder, beside);
		}

		const stem = stemOf(photo.path);
		return beside.some(other => stemOf(other.path) === stem) || (photo.livePhotoId !== null && data.presentWithLiveId(photo.livePhotoId).length > 0);
	});
}

/**
 * Brings the search kept under `key` up to date when only changes a refresh may follow came since it was kept
 * ("not duplicates" decisions made or taken back, photos that left the library): the photos whose links they may
 * change are searched again (the members of every cluster that held a photo that left or a decided content, and every
 * photo with a decided content, which may join a cluster now), and the clusters they make take the place of those
 * clusters; the others are kept as they were, and the search is kept again at the catalog's current generation. Says
 * whether it did; when it did not (the search is valid, there is none, something else changed, a damaged copy is
 * concerned, a photo that left may have left a companion behind, too many photos, or the catalog could not take the
 * write), the caller searches as before.
 */
export function refreshKept(catalog: Catalog, key: string, options: FindOptions): boolean {
	const store = new DupeStore(catalog);
	const outdated = store.outdated(key);
	if (!outdated) {
		return false;
	}

	const data = new DupesData(catalog);
	// A damaged copy is compared with the first intact photos of its size (candidates.ts): one of them leaving may
	// change which.
	const damagedSizes = outdated.left.length > 0 ? data.damagedSizes() : new Set<string>();
	if (outdated.left.some(photo => damagedSizes.has(`${photo.width}x${photo.height}`)) || leftCompanions(data, outdated.left)) {
		return false;
	}

	const decided = new Set(outdated.decisions.flat());
	const gonePaths = new Set(outdated.left.map(photo => photo.path));
	const kept = store.texts(outdated.search);
	const touched = kept.filter(text => memberHashes(text.json).some(hash => decided.has(hash)) || (gonePaths.size > 0 && memberPaths(text.json).some(file => gonePaths.has(file))));
	// Photos that left are not read again: only present files are.
	const affected = new Set([...touched.flatMap(text => memberPaths(text.json)), ...data.pathsWithContents([...decided])].filter(file => !gonePaths.has(file)));
	const paths = withCompanions(data, affected);
	if (!paths) {
		return false;
	}

	const photos = data.photosAt([...paths], signature => encodeWindowHashes(windowHashes(signature)));
	if (photos.damaged.size > 0 || photos.files.some(file => isDamaged(file))) {
		return false;
	}

	const thumbnails = new ThumbnailPaths(catalog);
	const found = findGroups(
		photos.files,
		{...options, distinct: options.distinct ?? data.distinctPairs()},
		{loadVerification: ids => data.verification(ids, thumb => thumbnails.place(thumb)), damaged: photos.damaged, windowHashes: photos.windowHashes},
	);
	// A group without an affected photo is part of a cluster no change touched, seen here only in part (through a
	// companion's name): that cluster is kept as it was.
	const isAffected = (index: number) => {
		const unit = found.units[index]!;
		return affected.has(unit.file.path) || unit.companions.some(companion => affected.has(companion.path));
	};

	const groups = found.groups.filter(group => group.members.some(index => isAffected(index)));
	const gone = new Set(touched.map(text => text.position));
	const clusters = [...kept.filter(text => !gone.has(text.position)), ...rankedTexts(data, {...found, groups}, options.keeper)].sort(byReclaim);
	return store.keepTexts(key, outdated.current, clusters);
}
