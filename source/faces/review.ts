/**
 * The read side of the people review (issue 19): pages of faces for one person or one unnamed group, each with its
 * box and the name Curate suggests for it and how confident it is. Nothing here writes; decisions go through
 * `applyFaceDecisions` (`decisions.ts`).
 *
 * - `reviewPage(catalog, {person: 'Anna'} | {cluster: 3}, {offset, limit})` → `{faces, total, offset}`.
 *   For a person: first the faces suggested for them (highest confidence first; never one they rejected), then the
 *   faces confirmed as them (oldest first), so a wrong one can be split off. For a group: its unnamed faces (oldest
 *   first), each with the best suggestion, if any.
 * - `reviewTargets(catalog)`: what `curate people` lists (people, unnamed groups, suggestions), to choose a page from.
 *
 * A face's `box` is normalised (0–1, top-left origin, x/y its top-left corner) to the picture as it is shown, EXIF
 * orientation applied: the coordinates of any preview of the photo made with `.rotate()` (the scan's thumbnails, the
 * review's previews), whatever its size. Suggestions are computed per call over every face of the model.
 */
import type {Catalog} from '../db/catalog.js';
import {faceStoreOf, type FaceRow} from '../db/faces.js';
import {type Suggestion, suggestNames} from './cluster.js';
import {faceModelId} from './model.js';
import {listPeople, type PeopleListing} from './people.js';

/** Whose faces a page shows. */
export type ReviewTarget = {readonly person: string} | {readonly cluster: number};

/** One face of a review page. */
export type ReviewFace = {
	readonly faceId: number;
	readonly sha256: string;
	/** A present file showing the face (the first by path), or null when none is present now. */
	readonly path: string | null;
	/** Normalised to the shown picture (see the module comment). */
	readonly box: {readonly x: number; readonly y: number; readonly w: number; readonly h: number};
	/** The detector's score, 0–1. */
	readonly score: number;
	readonly person: string | null;
	readonly cluster: number | null;
	/** `confirmed`: named by a person; `suggested`: Curate proposes the page's person; `unnamed`: a group's face. */
	readonly state: 'confirmed' | 'suggested' | 'unnamed';
	/** The name Curate suggests for an unnamed face and how confident (0–1), or null. */
	readonly suggestion: Omit<Suggestion, 'face'> | null;
};

/** A page of faces and how many the target has in all. */
export type ReviewPage = {readonly faces: readonly ReviewFace[]; readonly total: number; readonly offset: number};

const toFace = (row: FaceRow, state: ReviewFace['state'], suggestion: Suggestion | undefined): ReviewFace => ({
	faceId: row.id,
	sha256: row.sha256,
	path: row.path,
	box: {x: row.x, y: row.y, w: row.w, h: row.h},
	score: row.score,
	person: row.person,
	cluster: row.cluster,
	state,
	suggestion: suggestion ? {person: suggestion.person, confidence: suggestion.confidence, margin: suggestion.margin} : null,
});

/** One page of a person's or a group's faces (see the module comment for the order). */
export function reviewPage(catalog: Catalog, target: ReviewTarget, options: {readonly offset?: number; readonly limit?: number; readonly model?: string} = {}): ReviewPage {
	const store = faceStoreOf(catalog);
	const model = options.model ?? faceModelId;
	const offset = Math.max(0, options.offset ?? 0);
	const limit = Math.max(1, options.limit ?? 24);
	const rows = store.faces(model);
	const byId = new Map(rows.map(row => [row.id, row]));
	const suggestions = suggestNames(store.vectors(model), undefined, store.rejectionKeys());
	const suggestionOf = new Map(suggestions.map(suggestion => [suggestion.face, suggestion]));
	let all: ReviewFace[];
	if ('person' in target) {
		const suggested = suggestions.filter(suggestion => suggestion.person === target.person).map(suggestion => toFace(byId.get(suggestion.face)!, 'suggested', suggestion));
		const confirmed = rows.filter(row => row.person === target.person).map(row => toFace(row, 'confirmed', undefined));
		all = [...suggested, ...confirmed];
	} else {
		all = rows.filter(row => row.cluster === target.cluster && row.person === null).map(row => toFace(row, 'unnamed', suggestionOf.get(row.id)));
	}

	return {faces: all.slice(offset, offset + limit), total: all.length, offset};
}

/** What there is to review: people, unnamed groups and suggestions, as `curate people` lists them. */
export function reviewTargets(catalog: Catalog): PeopleListing {
	return listPeople(faceStoreOf(catalog));
}
