/**
 * Stage 6 of duplicate finding: each group becomes a cluster with a tier, a stable id, a suggested keeper and the
 * reasons for it, and the bytes the other copies take.
 */
import {createHash} from 'node:crypto';
import {chooseKeeper, defaultKeeperConfig, type KeeperConfig, type KeeperMember} from '../core/keeper.js';
import type {StoredFile} from '../db/catalog.js';
import type {RankedFile} from '../db/dupes-data.js';
import type {LinkGroup} from './cluster.js';
import type {Cluster, DupeKind, KindFilter, Unit} from './types.js';

/** What the keeper rules know about a catalogued file. */
export function keeperMember(file: RankedFile): KeeperMember {
	return {
		path: file.path,
		format: file.format,
		kind: file.kind,
		// A frame someone added is not picture: rank by the size of the picture inside it.
		width: file.contentWidth ?? file.width,
		height: file.contentHeight ?? file.height,
		bytes: file.size,
		takenAt: file.takenAt,
		takenAtSource: file.takenAtSource,
		make: file.make,
		model: file.model,
		hasGps: file.gps !== null,
		keywords: file.keywords.length,
		rating: file.rating,
		software: file.software,
		error: file.error,
		// A light record (a member whose row left the catalog while the search ran) has no file time: NaN, not a time.
		mtimeMs: Number.isFinite(file.mtimeMs) ? file.mtimeMs : undefined,
		sha256: file.sha256,
		contentHash: file.contentHash,
		grey: file.grey ?? null,
		orientation: file.orientation,
	};
}

/**
 * Files best first under the keeper rules: the keeper, then the keeper of the rest, and so on. Merge takes a
 * disputed field (two capture dates, two positions) from the best-ranked copy that has it.
 */
export function rankFiles<T extends StoredFile>(files: readonly T[], config: KeeperConfig = defaultKeeperConfig): T[] {
	const rest = [...files];
	const ranked: T[] = [];
	while (rest.length > 0) {
		const {keeper} = chooseKeeper(rest.map(file => keeperMember(file)), config);
		ranked.push(...rest.splice(keeper, 1));
	}

	return ranked;
}

/** What a damaged copy is called: the share of its picture that decodes, or that it decodes whole but with errors. */
function damagedReason(share: number): string {
	const percent = Math.floor(share * 100);
	return percent >= 100 ? 'damaged copy (decodes with errors)' : `damaged copy (decodes only ${percent} %)`;
}

/** A unit as ranking reads it: what ranking reads of its file, and where and how large its companions are. */
export type RankedUnit = {readonly file: RankedFile; readonly companions: ReadonlyArray<Pick<StoredFile, 'path' | 'size'>>};

/**
 * One group as a cluster, or undefined when its tier is not the one asked for. `memberUnits` are the group's units, in
 * the order of `group.members`, with what ranking reads of their files (the keeper rules' fields and the text's).
 */
export function clusterOf(
	memberUnits: readonly RankedUnit[],
	group: LinkGroup,
	filter: KindFilter,
	config: KeeperConfig = defaultKeeperConfig,
	damaged: ReadonlyMap<number, number> = new Map(),
): Cluster | undefined {
	const shas = new Set(memberUnits.map(unit => unit.file.sha256));
	const contents = new Set(memberUnits.map(unit => unit.file.contentHash ?? unit.file.sha256));
	const kind: DupeKind = shas.size === 1 ? 'exact' : contents.size === 1 ? 'pixels' : group.hasSimilar && filter === 'similar' ? 'similar' : 'near';
	if (filter !== 'all' && kind !== filter) {
		return undefined;
	}

	const {keeper, reasons} = chooseKeeper(
		memberUnits.map(unit => keeperMember(unit.file)),
		config,
	);
	const keeperFile = memberUnits[keeper]!.file;
	const relation = (file: RankedFile): DupeKind =>
		file.sha256 === keeperFile.sha256 ? 'exact' : file.contentHash && file.contentHash === keeperFile.contentHash ? 'pixels' : kind === 'similar' ? 'similar' : 'near';
	const unitBytes = (unit: RankedUnit) => unit.file.size + unit.companions.reduce((sum, companion) => sum + companion.size, 0);
	const members = memberUnits.map((unit, index) => ({
		path: unit.file.path,
		sha256: unit.file.sha256!,
		width: unit.file.width,
		height: unit.file.height,
		bytes: unit.file.size,
		format: unit.file.format,
		takenAt: unit.file.takenAt,
		keeper: index === keeper,
		reasons: damaged.has(group.members[index]!)
			? [damagedReason(damaged.get(group.members[index]!)!), ...(reasons[index] ?? [])]
			: (reasons[index] ?? []),
		match: relation(unit.file),
		companions: unit.companions.map(companion => companion.path),
	}));
	members.sort((x, y) => Number(y.keeper) - Number(x.keeper) || (x.path < y.path ? -1 : 1));
	const id = createHash('sha256')
		.update([...shas].sort().join('\n'))
		.digest('hex')
		.slice(0, 12);
	return {
		id,
		kind,
		distance: kind === 'near' || kind === 'similar' ? group.distance : 0,
		reclaimableBytes: kind === 'similar' ? 0 : memberUnits.reduce((sum, unit, index) => sum + (index === keeper ? 0 : unitBytes(unit)), 0),
		members,
	};
}

/**
 * Turns groups into clusters: the tier (exact when every member has the same bytes, pixels when the same pixels,
 * else near, or similar when asked for and a similar link joins it), the keeper by the configured rules with every
 * other member's reasons, keeper first then by path. Clusters come largest reclaimable space first. The id hashes the
 * members' SHA-256s, so it survives rescans and moves.
 */
export function rankKeepers(
	units: readonly Unit[],
	groups: readonly LinkGroup[],
	filter: KindFilter,
	config: KeeperConfig = defaultKeeperConfig,
	/** Damaged copies (unit index) and the share of their picture that decodes: said first among their reasons. */
	damaged: ReadonlyMap<number, number> = new Map(),
): Cluster[] {
	const clusters: Cluster[] = [];
	for (const group of groups) {
		const cluster = clusterOf(group.members.map(i => units[i]!), group, filter, config, damaged);
		if (cluster) {
			clusters.push(cluster);
		}
	}

	return clusters.sort((a, b) => clusterOrder(a.reclaimableBytes, a.members[0]!.path, b.reclaimableBytes, b.members[0]!.path));
}

/**
 * The order clusters come in, from each one's reclaimable bytes and first member's path: largest reclaimable space
 * first, then by path (a path is in one cluster only, so no two tie).
 */
export function clusterOrder(aBytes: number, aPath: string, bBytes: number, bPath: string): number {
	return bBytes - aBytes || (aPath < bPath ? -1 : 1);
}
