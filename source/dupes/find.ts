import {createHash} from 'node:crypto';
import path from 'node:path';
import {HammingIndex} from '../core/hash-index.js';
import {chooseKeeper, defaultKeeperConfig, type KeeperConfig, type KeeperMember} from '../core/keeper.js';
import {hamming, hexToHash} from '../core/perceptual.js';
import {matchSignatures} from '../core/signature.js';
import {UnionFind} from '../core/union-find.js';
import type {StoredFile} from '../db/catalog.js';

/** Duplicate tiers, from the strictest. `similar` (different shots of one moment) is only shown on request. */
export type DupeKind = 'exact' | 'pixels' | 'near' | 'similar';

/** What `--kind` selects; `all` means exact, pixels and near. */
export type KindFilter = DupeKind | 'all';

/** How eager near-duplicate matching is. */
export type Sensitivity = 'strict' | 'normal' | 'loose';

/** pHash radius and signature thresholds per sensitivity, tuned on the labelled set (npm run bench:dupes). */
export const sensitivities: Record<Sensitivity, {readonly distance: number; readonly correlation: number; readonly worstBlock: number}> = {
	strict: {distance: 6, correlation: 0.975, worstBlock: 0.4},
	normal: {distance: 8, correlation: 0.955, worstBlock: 0.55},
	loose: {distance: 10, correlation: 0.93, worstBlock: 0.8},
};

/** One member of a cluster, as `curate dupes --json` prints it. */
export type ClusterMember = {
	path: string;
	sha256: string;
	width: number | null;
	height: number | null;
	bytes: number;
	format: string;
	takenAt: string | null;
	keeper: boolean;
	reasons: string[];
	/** How this member relates to the keeper: the same bytes, the same pixels, or the same picture re-processed. */
	match: DupeKind;
	/** Files that belong to this one and travel with it: a Live Photo's movie, a RAW beside its JPEG. */
	companions: string[];
};

/** A duplicate cluster. `id` is derived from the members' contents, so it is stable across rescans and moves. */
export type Cluster = {
	id: string;
	kind: DupeKind;
	/** Largest pHash distance of a near link in the cluster (0 for exact and pixels). */
	distance: number;
	reclaimableBytes: number;
	members: ClusterMember[];
};

/** Options of one search. */
export type FindOptions = {
	readonly kind?: KindFilter;
	readonly sensitivity?: Sensitivity;
	/** Overrides the sensitivity's pHash radius. */
	readonly distance?: number;
	readonly keeper?: KeeperConfig;
	/** "Not duplicates" decisions: `sha_a sha_b` keys, smaller hash first. */
	readonly distinct?: ReadonlySet<string>;
	/** Capture-time window of the `similar` tier, in seconds. */
	readonly similarWindowSeconds?: number;
};

const rawFormats = new Set(['dng', 'cr2', 'cr3', 'nef', 'arw', 'orf', 'rw2', 'raf', 'raw']);

type Unit = {file: StoredFile; companions: StoredFile[]};

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

const pairKey = (a: string, b: string) => (a <= b ? `${a} ${b}` : `${b} ${a}`);

function keeperMember(file: StoredFile): KeeperMember {
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
		mtimeMs: file.mtimeMs,
		sha256: file.sha256,
		contentHash: file.contentHash,
		grey: file.grey ?? null,
		orientation: file.orientation,
	};
}

/**
 * An animation (or a multi-page TIFF) is a different thing from a still, however alike its first frame looks, so a
 * multi-frame file is never a near duplicate: the perceptual fingerprints describe its first frame only. It is a
 * duplicate only of the same bytes (exact) or the same coded frames (pixels: the content hash covers every frame).
 * A file not analysed since frames were counted counts as a still.
 */
function still(file: StoredFile): boolean {
	return (file.frames ?? 1) === 1;
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

function takenMs(file: StoredFile): number | undefined {
	if (!file.takenAt || file.takenAtSource === 'mtime') {
		return undefined;
	}

	// Local wall-clock times without an offset compare as if UTC: both photos of a pair come from one camera clock.
	const ms = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(file.takenAt) ? file.takenAt : `${file.takenAt}Z`);
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Two camera originals whose capture times differ by a second or more are different shots (a burst, a sequence), however
 * alike they look: copies keep the capture time or lose it, they never get another one.
 */
function differentMoments(a: StoredFile, b: StoredFile): boolean {
	const fromCamera = (file: StoredFile) => file.takenAtSource === 'original' || file.takenAtSource === 'digitized';
	if (!fromCamera(a) || !fromCamera(b)) {
		return false;
	}

	// Wall-clock times, offsets ignored: an editor may drop the offset tag while keeping DateTimeOriginal.
	const local = (file: StoredFile) => Date.parse(`${/^[\d-]+T[\d:.]+/.exec(file.takenAt ?? '')?.[0] ?? ''}Z`);
	const ta = local(a);
	const tb = local(b);
	return !Number.isNaN(ta) && !Number.isNaN(tb) && Math.abs(ta - tb) >= 1000;
}

type Link = {a: number; b: number; kind: DupeKind; distance: number};

/**
 * Finds duplicate clusters among catalogued files. Exact and pixel tiers group by SHA-256 and by the metadata-blind
 * content hash; the near tier finds candidates within a pHash radius (including rotated copies) through a
 * multi-index Hamming index, not all pairs, and confirms each on the pixel signatures, which rejects burst
 * neighbours. "Not duplicates" decisions remove links between those contents.
 */
export function findDuplicates(files: readonly StoredFile[], options: FindOptions = {}): Cluster[] {
	const filter = options.kind ?? 'all';
	const tuning = sensitivities[options.sensitivity ?? 'normal'];
	const radius = options.distance ?? tuning.distance;
	const distinct = options.distinct ?? new Set<string>();
	const usable = files.filter(file => file.status === 'present' && file.sha256 && file.size > 0 && file.kind !== 'other' && file.kind !== 'sidecar');
	const units = groupUnits(usable);
	const links: Link[] = [];
	const allowed = (a: number, b: number) => !distinct.has(pairKey(units[a]!.file.sha256!, units[b]!.file.sha256!));

	const groupBy = (key: (unit: Unit) => string | null, kind: DupeKind) => {
		const groups = new Map<string, number[]>();
		for (const [index, unit] of units.entries()) {
			const value = key(unit);
			if (value) {
				groups.set(value, [...(groups.get(value) ?? []), index]);
			}
		}

		for (const group of groups.values()) {
			for (let i = 1; i < group.length; i++) {
				for (let j = 0; j < i; j++) {
					if (allowed(group[j]!, group[i]!) && (kind === 'exact' || (units[group[j]!]!.file.frames ?? 1) === (units[group[i]!]!.file.frames ?? 1))) {
						links.push({a: group[j]!, b: group[i]!, kind, distance: 0});
						break;
					}
				}
			}
		}
	};

	groupBy(unit => unit.file.sha256, 'exact');
	if (filter !== 'exact') {
		groupBy(unit => (unit.file.kind === 'image' || unit.file.kind === 'raw' ? unit.file.contentHash : null), 'pixels');
	}

	const wantsNear = filter === 'near' || filter === 'all' || filter === 'similar';
	if (wantsNear) {
		const hashed = units.map((unit, index) => ({unit, index})).filter(({unit}) => unit.file.phash && unit.file.signature);
		const hashes = BigUint64Array.from(hashed, ({unit}) => hexToHash(unit.file.phash!));
		const index = new HammingIndex(hashes);
		const searchRadius = radius;
		// Turned and cropped fingerprints describe the copy exactly, so they need a smaller radius, which keeps five
		// extra lookups per picture affordable at a million photos.
		const lookupRadius = Math.min(radius, 6);
		// A candidate pair: picture i (turned by `rotation`, or its centre crop number `crop`) looks like picture j.
		type Candidate = {i: number; j: number; rotation: 0 | 90 | 180 | 270; crop: number; distance: number};
		const candidates = new Map<string, Candidate[]>();
		const consider = (i: number, j: number, rotation: 0 | 90 | 180 | 270, distance: number, crop = -1) => {
			if (i === j) {
				return;
			}

			const key = i < j ? `${i},${j}` : `${j},${i}`;
			candidates.set(key, [...(candidates.get(key) ?? []), {i, j, rotation, crop, distance}]);
		};

		index.pairsWithin(searchRadius, (i, j, distance) => {
			consider(i, j, 0, distance);
		});
		// Copies whose pixels a viewer rotated: look each picture's turned hashes up in the index.
		for (const [i, {unit}] of hashed.entries()) {
			const turned = unit.file.phashRotations;
			if (!turned || turned.length !== 48) {
				continue;
			}

			for (const [step, rotation] of ([90, 180, 270] as const).entries()) {
				for (const hit of index.query(hexToHash(turned.slice(step * 16, step * 16 + 16)), lookupRadius)) {
					consider(i, hit.index, rotation, hit.distance);
				}
			}
		}

		// Cropped copies: each picture's centre crops, looked up in the index, find copies cut down to them.
		for (const [i, {unit}] of hashed.entries()) {
			const crops = unit.file.phashCrops;
			if (!crops || crops.length !== 32 || !unit.file.signatureCrops) {
				continue;
			}

			for (const crop of [0, 1]) {
				for (const hit of index.query(hexToHash(crops.slice(crop * 16, crop * 16 + 16)), lookupRadius)) {
					consider(i, hit.index, 0, hit.distance, crop);
				}
			}
		}

		// Different shots of one moment: taken within a short window (or one burst), compared on their signatures.
		const windowMs = (options.similarWindowSeconds ?? 120) * 1000;
		if (filter === 'similar') {
			const timed = hashed
				.map(({unit}, i) => ({i, ms: takenMs(unit.file), burst: unit.file.burstId}))
				.filter((entry): entry is {i: number; ms: number; burst: string | null} => entry.ms !== undefined)
				.sort((x, y) => x.ms - y.ms);
			for (let x = 0; x < timed.length; x++) {
				for (let y = x + 1; y < timed.length && timed[y]!.ms - timed[x]!.ms <= windowMs; y++) {
					consider(timed[x]!.i, timed[y]!.i, 0, hamming(hashes[timed[x]!.i]!, hashes[timed[y]!.i]!));
				}
			}
		}

		for (const options_ of candidates.values()) {
			const {i, j} = options_[0]!;
			const a = hashed[i]!.unit.file;
			const b = hashed[j]!.unit.file;
			const ua = hashed[i]!.index;
			const ub = hashed[j]!.index;
			if (!allowed(ua, ub)) {
				continue;
			}

			// The best of the ways this pair was found (plain, turned, cropped), judged on the matching signatures.
			let match = {correlation: -1, worstBlock: Infinity, crop: 1};
			let distance = Infinity;
			for (const candidate of options_) {
				const first = hashed[candidate.i]!.unit.file;
				const second = hashed[candidate.j]!.unit.file;
				const signature = candidate.crop < 0 ? first.signature! : first.signatureCrops!.subarray(candidate.crop * 256, candidate.crop * 256 + 256);
				const result = matchSignatures(signature, second.signature!, candidate.rotation);
				if (result.correlation > match.correlation) {
					match = result;
				}

				distance = Math.min(distance, candidate.distance);
			}

			if (distance <= radius && match.correlation >= tuning.correlation && match.worstBlock <= tuning.worstBlock && !differentMoments(a, b) && still(a) && still(b)) {
				links.push({a: ua, b: ub, kind: 'near', distance});
			} else if (filter === 'similar') {
				const ta = takenMs(a);
				const tb = takenMs(b);
				const sameMoment = (a.burstId && a.burstId === b.burstId) || (ta !== undefined && tb !== undefined && Math.abs(ta - tb) <= windowMs);
				if (sameMoment && match.correlation >= 0.5) {
					links.push({a: ua, b: ub, kind: 'similar', distance});
				}
			}
		}
	}

	// Which links build clusters for this filter: each tier's clusters are made of its own links and stricter ones.
	const rank: Record<DupeKind, number> = {exact: 0, pixels: 1, near: 2, similar: 3};
	const ceiling = filter === 'all' ? rank.near : rank[filter];
	const unionFind = new UnionFind(units.length);
	for (const link of links) {
		if (rank[link.kind] <= ceiling) {
			unionFind.union(link.a, link.b);
		}
	}

	const groups = new Map<number, number[]>();
	for (let i = 0; i < units.length; i++) {
		const root = unionFind.find(i);
		groups.set(root, [...(groups.get(root) ?? []), i]);
	}

	const linkDistance = new Map<number, number>();
	for (const link of links) {
		if (link.kind === 'near' || link.kind === 'similar') {
			const root = unionFind.find(link.a);
			linkDistance.set(root, Math.max(linkDistance.get(root) ?? 0, link.distance));
		}
	}

	const clusters: Cluster[] = [];
	for (const [root, members] of groups) {
		if (members.length < 2) {
			continue;
		}

		const memberUnits = members.map(i => units[i]!);
		const shas = new Set(memberUnits.map(unit => unit.file.sha256));
		const contents = new Set(memberUnits.map(unit => unit.file.contentHash ?? unit.file.sha256));
		const hasSimilar = links.some(link => link.kind === 'similar' && unionFind.find(link.a) === root);
		const kind: DupeKind = shas.size === 1 ? 'exact' : contents.size === 1 ? 'pixels' : hasSimilar && filter === 'similar' ? 'similar' : 'near';
		if (filter !== 'all' && kind !== filter) {
			continue;
		}

		const {keeper, reasons} = chooseKeeper(
			memberUnits.map(unit => keeperMember(unit.file)),
			options.keeper ?? defaultKeeperConfig,
		);
		const keeperFile = memberUnits[keeper]!.file;
		const relation = (file: StoredFile): DupeKind =>
			file.sha256 === keeperFile.sha256 ? 'exact' : file.contentHash && file.contentHash === keeperFile.contentHash ? 'pixels' : kind === 'similar' ? 'similar' : 'near';
		const unitBytes = (unit: Unit) => unit.file.size + unit.companions.reduce((sum, companion) => sum + companion.size, 0);
		const clusterMembers = memberUnits.map((unit, index) => ({
			path: unit.file.path,
			sha256: unit.file.sha256!,
			width: unit.file.width,
			height: unit.file.height,
			bytes: unit.file.size,
			format: unit.file.format,
			takenAt: unit.file.takenAt,
			keeper: index === keeper,
			reasons: reasons[index] ?? [],
			match: relation(unit.file),
			companions: unit.companions.map(companion => companion.path),
		}));
		clusterMembers.sort((x, y) => Number(y.keeper) - Number(x.keeper) || (x.path < y.path ? -1 : 1));
		const id = createHash('sha256')
			.update([...shas].sort().join('\n'))
			.digest('hex')
			.slice(0, 12);
		clusters.push({
			id,
			kind,
			distance: kind === 'near' || kind === 'similar' ? (linkDistance.get(root) ?? 0) : 0,
			reclaimableBytes: kind === 'similar' ? 0 : memberUnits.reduce((sum, unit, index) => sum + (index === keeper ? 0 : unitBytes(unit)), 0),
			members: clusterMembers,
		});
	}

	clusters.sort((a, b) => b.reclaimableBytes - a.reclaimableBytes || (a.members[0]!.path < b.members[0]!.path ? -1 : 1));
	return clusters;
}

/** pHash distance between two catalogued files (for explanations and tests). */
export function phashDistance(a: StoredFile, b: StoredFile): number | undefined {
	return a.phash && b.phash ? hamming(hexToHash(a.phash), hexToHash(b.phash)) : undefined;
}
