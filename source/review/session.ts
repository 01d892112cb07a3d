/**
 * Loads what `curate review` shows (issue 5): duplicate clusters with each member's catalogued details, in the order
 * the user asked for, and the saved position so a review continues where it stopped.
 */
import path from 'node:path';
import type {KeeperConfig} from '../core/keeper.js';
import type {DupeSearchProgress} from '../core/progress.js';
import type {Catalog, StoredFile} from '../db/catalog.js';
import type {Cluster, KindFilter} from '../dupes/find.js';
import {type ClusterOrder, type ClusterText, DupeStore, sortedPositions} from '../db/dupe-store.js';
import {refreshIfOutdated, searchAndKeep, searchKey} from '../dupes/in-catalog.js';
import type {Library} from '../library.js';
import {KeptReviewList, reviewPlaces} from './kept-list.js';
import type {ReviewCluster, ReviewList, ReviewMember, ReviewProgress} from './types.js';

/** Cluster orders: most space first, oldest capture first, or by the first member's path. */
export type ReviewSort = ClusterOrder;

/** Options of one review. */
export type ReviewOptions = {
	readonly kind?: KindFilter;
	readonly sort?: ReviewSort;
	/** Only clusters with a member inside this folder (library-relative, posix separators; '' for all). */
	readonly under?: string;
	readonly keeper?: KeeperConfig;
	/** Called before a search is run because none is kept (minutes at a million photos, with nothing on screen yet). */
	readonly onSearch?: () => void;
	/** Where that search says how far it is. */
	readonly onSearchProgress?: (event: DupeSearchProgress) => void;
};

const progressKey = 'review.progress';

function camera(file: StoredFile): string | null {
	const make = file.make?.trim();
	const model = file.model?.trim();
	if (!model) {
		return make || null;
	}

	// Most cameras repeat the make in the model ("Canon EOS R5"); some do not ("NIKON CORPORATION" + "NIKON D750").
	const brand = make?.split(/\s+/)[0];
	return !make || (brand && model.toLowerCase().startsWith(brand.toLowerCase())) ? model : `${make} ${model}`;
}

function toMember(member: Cluster['members'][number], file: StoredFile | undefined, library: Library): ReviewMember {
	return {
		path: member.path,
		sha256: member.sha256,
		width: member.width,
		height: member.height,
		bytes: member.bytes,
		format: member.format,
		takenAt: member.takenAt,
		camera: file ? camera(file) : null,
		gps: Boolean(file?.gps),
		caption: file?.title ?? file?.description ?? null,
		keywords: file?.keywords ?? [],
		rating: file?.rating ?? null,
		lens: file?.lens ?? null,
		keeper: member.keeper,
		reasons: member.reasons,
		match: member.match,
		companions: member.companions,
		thumb: file?.thumb ? path.join(library.dir, file.thumb) : null,
		...(file ? {kind: file.kind, orientation: file.orientation} : {}),
	};
}

/** Whether a library-relative path lies inside `folder` (also library-relative; '' is the whole library). */
export function isUnder(file: string, folder: string): boolean {
	const prefix = folder.replace(/\/+$/, '');
	return prefix === '' || file === prefix || file.startsWith(`${prefix}/`);
}

/** What a lazy list reads its items with, once, when something first looks at them. */
const loaders = new WeakMap<object, {load?: () => unknown[]; items?: unknown[]}>();

function itemsOf(target: object): unknown[] {
	const entry = loaders.get(target)!;
	if (!entry.items) {
		entry.items = entry.load!();
		entry.load = undefined;
		(target as unknown[]).length = entry.items.length;
	}

	return entry.items;
}

// One handler for every lazy list: a review at a million photos makes 154,131 of them before its first screen.
const lazyHandler: ProxyHandler<unknown[]> = {
	get(target, property) {
		if (property === 'length' && !loaders.get(target)!.items) {
			return target.length;
		}

		const items = itemsOf(target);
		const value = Reflect.get(items, property, items) as unknown;
		return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(items) : value;
	},
	has: (target, property) => Reflect.has(itemsOf(target), property),
	ownKeys: target => Reflect.ownKeys(itemsOf(target)),
	getOwnPropertyDescriptor(target, property) {
		const descriptor = Reflect.getOwnPropertyDescriptor(itemsOf(target), property);
		// Items of the stand-in are absent: reported items must be configurable (only length is fixed on it).
		return descriptor && property !== 'length' ? {...descriptor, configurable: true} : descriptor;
	},
	set: () => false,
	deleteProperty: () => false,
};

/**
 * A list whose items are read only when something looks at them: its length is known from the start. The review
 * screen counts every cluster's members but shows one cluster at a time, and at a million photos reading every
 * member's record up front took longer than the first screen may (issue 15).
 */
function lazyList<T>(length: number, load: () => T[]): readonly T[] {
	const target: T[] = [];
	target.length = length;
	loaders.set(target, {load});
	return new Proxy(target, lazyHandler as ProxyHandler<T[]>);
}

/**
 * The clusters of a kept search (`curate dupes` or an earlier review found them and nothing changed since), in the
 * order asked, read from the catalog a page at a time as the screen reaches them (it keeps each cluster's place in
 * every order: migration 20); each cluster's members are read when the screen first looks at them.
 */
function keptReviewList(catalog: Catalog, library: Library, key: string, options: ReviewOptions, skipped: ReadonlySet<string>): ReviewList | undefined {
	const store = new DupeStore(catalog);
	const search = store.kept(key);
	if (!search) {
		return undefined;
	}

	const order = options.sort ?? 'reclaim';
	const under = options.under ?? '';
	const inside = under === '' ? undefined : store.placesUnder(search, order, under);
	const later = new Set<number>();
	for (const id of skipped) {
		const place = store.placeOf(search, order, id);
		if (place !== undefined) {
			later.add(place);
		}
	}

	const members = (id: string) => () => {
		const cluster = store.cluster<Cluster>(key, id);
		if (!cluster) {
			throw new Error(`duplicate cluster ${id} changed while under review (another curate found duplicates again); open curate review again`);
		}

		return cluster.members.map(member => toMember(member, catalog.fileByPath(member.path), library));
	};

	return new KeptReviewList(store, search, order, reviewPlaces(search.clusters, inside, later), entry => ({
		id: entry.id,
		kind: entry.kind as Cluster['kind'],
		reclaimableBytes: entry.reclaimableBytes,
		members: lazyList(entry.members, members(entry.id)),
	}));
}

/**
 * The clusters to review, in review order: sorted as asked, clusters skipped in an earlier session after the others
 * (they were put off once, so the undecided ones come first). A search kept in the catalog is shown at once, read a
 * page at a time as the screen reaches it; otherwise this searches (and keeps what it found).
 */
export function loadReviewList(catalog: Catalog, library: Library, options: ReviewOptions = {}, skipped: ReadonlySet<string> = new Set()): ReviewList {
	const search = {kind: options.kind ?? 'all', keeper: options.keeper};
	refreshIfOutdated(catalog, search);
	const kept = keptReviewList(catalog, library, searchKey(search)!, options, skipped);
	if (kept) {
		return kept;
	}

	// Found as `curate dupes --json` finds them, a batch of groups at a time, and kept: then read back a page at a time
	// like any kept search, so a million photos' clusters and members are never all objects at once (issue 15).
	options.onSearch?.();
	const found = searchAndKeep(catalog, search, {onProgress: options.onSearchProgress});
	return (found.kept ? keptReviewList(catalog, library, searchKey(search)!, options, skipped) : undefined) ?? foundReviewList(catalog, library, found.clusters, options, skipped);
}

/**
 * The review of a search that could not be kept (something changed while it ran, or the disk is nearly full), from
 * the text it found: the same clusters and order a kept one gives, each cluster's members read when the screen first
 * looks at them.
 */
export function foundReviewList(catalog: Catalog, library: Library, found: readonly ClusterText[], options: ReviewOptions = {}, skipped: ReadonlySet<string> = new Set()): ReviewCluster[] {
	const under = options.under ?? '';
	const clusters = found
		.map(text => ({text, cluster: JSON.parse(text.json) as Cluster}))
		.filter(({cluster}) => cluster.members.some(member => isUnder(member.path, under)))
		.map(({text, cluster}) => ({
			keys: text,
			cluster: {
				id: cluster.id,
				kind: cluster.kind,
				reclaimableBytes: cluster.reclaimableBytes,
				members: lazyList(cluster.members.length, () => cluster.members.map(member => toMember(member, catalog.fileByPath(member.path), library))),
			},
		}));
	// The order keeping a search stores (dupe-store.ts), from the same function: the same review either way.
	const sorted = sortedPositions(
		clusters.map(entry => entry.keys),
		options.sort ?? 'reclaim',
	).map(position => clusters[position]!.cluster);
	return [...sorted.filter(cluster => !skipped.has(cluster.id)), ...sorted.filter(cluster => skipped.has(cluster.id))];
}

/** The clusters to review as an array (`loadReviewList`, every page of a kept search read). */
export function loadReviewClusters(catalog: Catalog, library: Library, options: ReviewOptions = {}, skipped: ReadonlySet<string> = new Set()): ReviewCluster[] {
	const list = loadReviewList(catalog, library, options, skipped);
	return Array.isArray(list) ? (list as ReviewCluster[]) : Array.from({length: list.length}, (_, index) => list.at(index)!);
}

/** The saved review position (empty when none or unreadable: a lost position only means starting at the top). */
export function loadProgress(catalog: Catalog): ReviewProgress {
	try {
		const saved = JSON.parse(catalog.setting(progressKey) ?? '{}') as Partial<ReviewProgress>;
		return {
			current: typeof saved.current === 'string' ? saved.current : null,
			skipped: Array.isArray(saved.skipped) ? saved.skipped.filter(id => typeof id === 'string') : [],
			freed: typeof saved.freed === 'number' && saved.freed >= 0 ? saved.freed : 0,
		};
	} catch {
		return {current: null, skipped: [], freed: 0};
	}
}

/** Saves the review position. */
export function saveProgress(catalog: Catalog, progress: ReviewProgress): void {
	catalog.setSetting(progressKey, JSON.stringify(progress));
}
