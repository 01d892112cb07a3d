/**
 * The shapes duplicate finding passes between its stages (see `find.ts`) and prints.
 */
import type {KeeperConfig} from '../core/keeper.js';
import type {StoredFile} from '../db/catalog.js';
import type {DetailThresholds} from './detail.js';
import type {ThumbTuning} from './thumb-check.js';

/** Duplicate tiers, from the strictest. `similar` (different shots of one moment) is only shown on request. */
export type DupeKind = 'exact' | 'pixels' | 'near' | 'similar';

/** What `--kind` selects; `all` means exact, pixels and near. */
export type KindFilter = DupeKind | 'all';

/** How eager near-duplicate matching is. */
export type Sensitivity = 'strict' | 'normal' | 'loose';

/**
 * pHash radius and signature thresholds of one sensitivity: `correlation` and `worstBlock` judge a pair as found,
 * `aligned` the correlation a pair needs once aligned as a crop (issue 15).
 */
export type Tuning = {
	readonly distance: number;
	readonly correlation: number;
	readonly worstBlock: number;
	readonly aligned: number;
	readonly alignedBlock: number;
	/**
	 * The fine check on 32x32 detail grids, which decides every pair whose photos both have them (detail.ts); `aligned`
	 * judges a pair that matches only once a crop window is searched for.
	 */
	readonly detail: DetailThresholds & {readonly worstLevel: number; readonly aligned?: DetailThresholds};
	/** The thumbnail check (thumb-check.ts) of a pair the detail grids pass outside `comfort` (issue 15). */
	readonly thumbnail?: ThumbTuning & {readonly comfort: {readonly correlation: number; readonly worstBlock: number}};
};

/**
 * The thumbnail check, the same at every sensitivity, tuned on the tuning half (bench/dupes-pairs.ts lists each pair
 * with where its thumbnails are): its copies shear by 0.018 at most, its stereo partners by 0.1; at the 99th
 * percentile 1.4 % of a copy's blocks fail, at least 5.9 % of a moved subject's. A pair the grids pass as found with a
 * re-encode's scores (the tuning half's re-encodes, WebP and AVIF copies reach correlation 0.999 and a worst block of
 * 0.07) is passed without it.
 */
const thumbnailCheck = {found: 0.5, shift: 1, failures: 0.03, shear: 0.02, comfort: {correlation: 0.999, worstBlock: 0.1}} as const;

/**
 * Thresholds per sensitivity, tuned on the tuning half of the labelled set (npm run bench:dupes). The aligned detail
 * thresholds are the tightest that keep every copy the tuning half's clusters found (bench/dupes-pairs.ts lists the
 * pairs that pass and their scores); strict needs none stricter than its own.
 */
export const sensitivities: Record<Sensitivity, Tuning> = {
	strict: {
		distance: 6, correlation: 0.975, worstBlock: 0.4, aligned: 0.965, alignedBlock: 0.55, detail: {correlation: 0.9, worstBlock: 0.8, worstLevel: 30},
		thumbnail: thumbnailCheck,
	},
	normal: {
		distance: 8, correlation: 0.955, worstBlock: 0.55, aligned: 0.955, alignedBlock: 0.62,
		detail: {correlation: 0.85, worstBlock: 0.9, worstLevel: 40, aligned: {correlation: 0.92, worstBlock: 0.7, worstLevel: 35}},
		thumbnail: thumbnailCheck,
	},
	loose: {
		distance: 10, correlation: 0.93, worstBlock: 0.8, aligned: 0.94, alignedBlock: 0.7,
		detail: {correlation: 0.82, worstBlock: 1, worstLevel: 50, aligned: {correlation: 0.85, worstBlock: 1, worstLevel: 45}},
		thumbnail: thumbnailCheck,
	},
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
	/** Capture-time window of the `similar` tier, in seconds ({@link defaultSimilarWindowSeconds} unless set). */
	readonly similarWindowSeconds?: number;
};

/** The `similar` tier's capture-time window when a search sets none: shots of one moment. */
export const defaultSimilarWindowSeconds = 120;

/** A photo with the files that travel with it (a Live Photo's movie, a RAW beside its JPEG): one unit of duplicates. */
export type Unit = {file: StoredFile; companions: readonly StoredFile[]};

/**
 * A found relation between two units (indexes into the unit list), with the tier that found it. `damaged` names the
 * unit that is a damaged copy of the other and the share of its picture that decodes.
 */
export type Link = {a: number; b: number; kind: DupeKind; distance: number; damaged?: {unit: number; decodes: number}};

/** Whether a link between units a and b may be made: false when the user said they are not duplicates. */
export type Allowed = (a: number, b: number) => boolean;
