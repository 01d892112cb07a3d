/**
 * Stage 5 of duplicate finding: links joined transitively into groups (one union-find over the units).
 */
import {unionFind} from '../core/union-find.js';
import type {DupeKind, KindFilter, Link} from './types.js';

/** A group of two or more units (indexes, ascending) and what joined it. */
export type LinkGroup = {
	members: number[];
	/** Largest pHash distance of a near or similar link inside the group (0 when there is none). */
	distance: number;
	/** True when a `similar` link (different shots of one moment) joins part of the group. */
	hasSimilar: boolean;
};

const rank: Record<DupeKind, number> = {exact: 0, pixels: 1, near: 2, similar: 3};

/**
 * Groups units by the links the filter admits: each tier's clusters are made of its own links and stricter ones
 * (`all` means up to near). Groups come ordered by their first member.
 */
export function clusterLinks(unitCount: number, links: readonly Link[], filter: KindFilter): LinkGroup[] {
	const ceiling = filter === 'all' ? rank.near : rank[filter];
	const sets = unionFind(unitCount);
	for (const link of links) {
		if (rank[link.kind] <= ceiling) {
			sets.union(link.a, link.b);
		}
	}

	// Sizes first, so a group is made only for a root with two or more units: most of a million photos have no
	// duplicate, and a group each was a million objects for the collector to copy.
	const roots = new Int32Array(unitCount);
	const sizes = new Int32Array(unitCount);
	for (let i = 0; i < unitCount; i++) {
		roots[i] = sets.find(i);
		sizes[roots[i]!]!++;
	}

	const groups = new Map<number, LinkGroup>();
	for (let i = 0; i < unitCount; i++) {
		const root = roots[i]!;
		if (sizes[root]! < 2) {
			continue;
		}

		const group = groups.get(root);
		if (group) {
			group.members.push(i);
		} else {
			groups.set(root, {members: [i], distance: 0, hasSimilar: false});
		}
	}

	for (const link of links) {
		if ((link.kind === 'near' || link.kind === 'similar') && rank[link.kind] <= ceiling) {
			const group = groups.get(sets.find(link.a))!;
			group.distance = Math.max(group.distance, link.distance);
			group.hasSimilar ||= link.kind === 'similar';
		}
	}

	return [...groups.values()];
}
