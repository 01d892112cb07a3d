/**
 * Plain data the review screen works on (issue 5). Shared by the engine, which builds it from the catalog, and the Ink
 * components, which only display it: no I/O here.
 */
import type {MediaKind} from '../core/types.js';
import type {DupeKind} from '../dupes/find.js';
import type {GraphicsSource, PictureSource} from '../media/picture-types.js';

/** One photo of a cluster as the review screen shows it. Text fields are raw: the UI sanitises what it prints. */
export type ReviewMember = {
	readonly path: string;
	readonly sha256: string;
	readonly width: number | null;
	readonly height: number | null;
	readonly bytes: number;
	readonly format: string;
	readonly takenAt: string | null;
	/** Make and model, e.g. "NIKON D750" (the make is dropped when the model repeats it). */
	readonly camera: string | null;
	readonly gps: boolean;
	/** Title, else description, from the file's metadata. */
	readonly caption: string | null;
	readonly keywords: readonly string[];
	readonly rating: number | null;
	readonly lens: string | null;
	readonly keeper: boolean;
	/** Why this member won (keeper) or lost, from the keeper rules. */
	readonly reasons: readonly string[];
	readonly match: DupeKind;
	/** Files that travel with this one: a Live Photo's movie, a RAW beside its JPEG. */
	readonly companions: readonly string[];
	/** Absolute path of the cached scan thumbnail (320 px JPEG), when there is one. */
	readonly thumb: string | null;
	/** What the large view's preview is rendered from (absent in small test fakes). */
	readonly kind?: MediaKind;
	readonly orientation?: number | null;
};

/** A duplicate cluster under review. */
export type ReviewCluster = {
	readonly id: string;
	readonly kind: DupeKind;
	readonly reclaimableBytes: number;
	readonly members: readonly ReviewMember[];
};

/**
 * Duplicate clusters in review order. An array will do (a search review ran itself, tests); kept clusters are read a
 * page at a time as the screen reaches them, and looked up by id in the catalog (issue 15: a million photos make
 * 154,131 clusters, and reading them all before the first screen took longer than it may).
 */
export type ReviewList = {
	readonly length: number;
	/** The cluster at `index` (a negative one counts from the end, as with Array.prototype.at). */
	at(index: number): ReviewCluster | undefined;
	/** The index of the cluster with this id, or -1; a list without it is searched. */
	indexOfId?(id: string): number;
	/** The indexes of the clusters with these ids, ascending; a list without it is searched. */
	indexesOfIds?(ids: ReadonlySet<string>): number[];
};

/** What one decision did: the journal batch that holds it, and the bytes it moved to the trash. */
export type DecisionResult = {
	readonly batchId: string;
	readonly freedBytes: number;
	/** One line for the status area, e.g. "2 files moved to the trash". */
	readonly summary: string;
};

/**
 * What the review screen can do to a library. Every method is one journal batch; failures reject with an Error
 * whose message is shown on the screen (nothing is half done: the journal rolls a failed batch back).
 */
export type ReviewActions = {
	/** Keep `keeperPath`, move the other members and their companions to the trash. */
	readonly keep: (cluster: ReviewCluster, keeperPath: string) => Promise<DecisionResult>;
	/** Like keep, after copying into the keeper the metadata the others have and it lacks. */
	readonly merge: (cluster: ReviewCluster, keeperPath: string) => Promise<DecisionResult>;
	/** Record that the cluster's members are not duplicates of each other. */
	readonly notDuplicates: (cluster: ReviewCluster) => Promise<DecisionResult>;
	/** Undo the batch of an earlier decision: files come back from the trash, records are restored. */
	readonly undo: (batchId: string) => Promise<{readonly summary: string}>;
};

export type {GraphicsBox, GraphicsRequest, GraphicsSource, PictureRequest, PictureSource} from '../media/picture-types.js';

/** Where the user is, saved after every step so reopening `curate review` continues there. */
export type ReviewProgress = {
	/** Id of the cluster on screen (ids are stable across rescans). */
	readonly current: string | null;
	/** Clusters skipped and not decided since. */
	readonly skipped: readonly string[];
	/** Bytes moved to the trash by review decisions so far (all sessions). */
	readonly freed: number;
};

/** Everything the review screen needs from outside, so tests can pass small in-memory versions. */
export type ReviewServices = {
	readonly actions: ReviewActions;
	readonly pictures: PictureSource;
	/** Terminal graphics for the large view, when the terminal has them. */
	readonly graphics?: GraphicsSource;
	readonly saveProgress: (progress: ReviewProgress) => void;
};
