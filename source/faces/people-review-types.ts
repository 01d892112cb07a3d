/**
 * Plain data the people review screen works on (issue 19), shared by the engine that builds it from the catalog and
 * the Ink components that only show it: no I/O here. Text fields are raw: the UI sanitises what it prints.
 */

/** A face box normalised to the oriented picture: 0–1, top-left origin. */
export type FaceBox = {readonly x: number; readonly y: number; readonly w: number; readonly h: number};

/** One face on the review grid. */
export type FaceReviewItem = {
	readonly faceId: number;
	/** Content the face was found in, and one present file holding it (library-relative). */
	readonly sha256: string;
	readonly path: string;
	readonly box: FaceBox;
	/** The name a person gave this face, or null. */
	readonly person: string | null;
	/** The name Curate suggests for an unnamed face, with its confidence (0–1), or null. */
	readonly suggestion: {readonly person: string; readonly confidence: number} | null;
};

/**
 * What a page of the screen reviews: one person's suggested faces (confirm or reject), one person's named faces
 * (split wrong ones off), or an unnamed group of similar faces (name it).
 */
export type PeopleGroup =
	| {readonly kind: 'suggested'; readonly person: string}
	| {readonly kind: 'named'; readonly person: string}
	| {readonly kind: 'unnamed'; readonly cluster: number};

/**
 * One decision on faces, as the faces engine applies it (`applyFaceDecisions`): confirm or reject a suggestion, name
 * faces, merge one person into another, or split a face off the person it was named as.
 */
export type FaceDecision =
	| {readonly action: 'confirm'; readonly faceId: number; readonly person: string}
	| {readonly action: 'reject'; readonly faceId: number; readonly person: string}
	| {readonly action: 'name'; readonly faceIds: readonly number[]; readonly person: string}
	| {readonly action: 'merge'; readonly from: string; readonly into: string}
	| {readonly action: 'split'; readonly faceId: number};

/** What one change did: its journal batch and a line for the status area. */
export type PeopleActionResult = {readonly batch: number; readonly summary: string};

/**
 * What the people review screen can do to a library. `decide` is one journal batch (nothing half done) and rejects
 * with an Error whose message the screen shows.
 */
export type PeopleReviewActions = {
	/** The faces a group shows, in review order (bounded by the engine). */
	readonly queue: (group: PeopleGroup) => readonly FaceReviewItem[];
	/** Applies decisions as one journal batch; `label` names it in the journal. */
	readonly decide: (decisions: readonly FaceDecision[], label: string) => Promise<PeopleActionResult>;
	/** Takes back an earlier batch of this session (sidecars restored byte for byte). */
	readonly undo: (batch: number) => Promise<{readonly summary: string}>;
};

/** A face crop at a size in terminal cells. */
export type FaceCropRequest = {
	readonly faceId: number;
	readonly sha256: string;
	readonly path: string;
	readonly box: FaceBox;
	readonly columns: number;
	readonly rows: number;
};

/** Where the screen gets face crops drawn as half blocks: a synchronous peek at the cache and an asynchronous render. */
export type FaceCropSource = {
	readonly peek: (request: FaceCropRequest) => string | undefined;
	readonly load: (request: FaceCropRequest) => Promise<string>;
	readonly preload: (requests: readonly FaceCropRequest[]) => void;
};

/** A crop placed on the terminal: 1-based row and column of its top-left cell. */
export type CropPlacement = {readonly request: FaceCropRequest; readonly row: number; readonly column: number};

/**
 * Face crops drawn with terminal graphics (kitty, iTerm2) over the grid, outside Ink's frame; absent where the
 * terminal has none (tmux, NO_COLOR, plain terminals), and then the half-block crops are what the user sees.
 */
export type FaceGraphicsSource = {
	readonly name: string;
	/** Draws these crops (after Ink's frame is out), replacing what was drawn before. */
	readonly show: (placements: readonly CropPlacement[]) => Promise<void>;
	/** Erases what `show` drew; called before Ink draws anything that is not the same grid. */
	readonly hide: () => void;
};

/** Everything the people review screen needs from outside, so tests can pass small in-memory versions. */
export type PeopleReviewServices = {
	readonly actions: PeopleReviewActions;
	readonly crops: FaceCropSource;
	readonly graphics?: FaceGraphicsSource;
};
