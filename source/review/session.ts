/**
 * Loads what `curate review` shows (issue 5): duplicate clusters with each member's catalogued details, in the order
 * the user asked for, and the saved position so a review continues where it stopped.
 */
import path from 'node:path';
import type {KeeperConfig} from '../core/keeper.js';
import type {Catalog, StoredFile} from '../db/catalog.js';
import type {Cluster, KindFilter} from '../dupes/find.js';
import {findWithMembers} from '../dupes/in-catalog.js';
import type {Library} from '../library.js';
import type {ReviewCluster, ReviewMember, ReviewProgress} from './types.js';

/** Cluster orders: most space first, oldest capture first, or by the first member's path. */
export type ReviewSort = 'reclaim' | 'date' | 'path';

/** Options of one review. */
export type ReviewOptions = {
	readonly kind?: KindFilter;
	readonly sort?: ReviewSort;
	/** Only clusters with a member inside this folder (library-relative, posix separators; '' for all). */
	readonly under?: string;
	readonly keeper?: KeeperConfig;
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

function earliest(cluster: ReviewCluster): string {
	// Clusters without any capture date sort last.
	return cluster.members.map(member => member.takenAt ?? '\uffff').sort()[0] ?? '\uffff';
}

const sorters: Record<ReviewSort, (a: ReviewCluster, b: ReviewCluster) => number> = {
	reclaim: (a, b) => b.reclaimableBytes - a.reclaimableBytes || a.id.localeCompare(b.id),
	date: (a, b) => earliest(a).localeCompare(earliest(b)) || a.id.localeCompare(b.id),
	path: (a, b) => a.members[0]!.path.localeCompare(b.members[0]!.path) || a.id.localeCompare(b.id),
};

/** Whether a library-relative path lies inside `folder` (also library-relative; '' is the whole library). */
export function isUnder(file: string, folder: string): boolean {
	const prefix = folder.replace(/\/+$/, '');
	return prefix === '' || file === prefix || file.startsWith(`${prefix}/`);
}

/**
 * The clusters to review, in review order: sorted as asked, clusters skipped in an earlier session after the others
 * (they were put off once, so the undecided ones come first).
 */
export function loadReviewClusters(catalog: Catalog, library: Library, options: ReviewOptions = {}, skipped: ReadonlySet<string> = new Set()): ReviewCluster[] {
	// Light records for finding, whole ones for the members only: a million photos do not fit whole (issue 15).
	const {clusters: found, members: byPath} = findWithMembers(catalog, {kind: options.kind ?? 'all', keeper: options.keeper});
	const under = options.under ?? '';
	const clusters = found
		.filter(cluster => cluster.members.some(member => isUnder(member.path, under)))
		.map(cluster => ({
			id: cluster.id,
			kind: cluster.kind,
			reclaimableBytes: cluster.reclaimableBytes,
			members: cluster.members.map(member => toMember(member, byPath.get(member.path), library)),
		}));
	const sorted = clusters.sort(sorters[options.sort ?? 'reclaim']);
	return [...sorted.filter(cluster => !skipped.has(cluster.id)), ...sorted.filter(cluster => skipped.has(cluster.id))];
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
