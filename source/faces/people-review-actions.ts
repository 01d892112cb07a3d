/**
 * PeopleReviewActions on a real library (issue 19): the faces of each review group read from the catalog, and every
 * decision applied through the faces engine's `applyFaceDecisions` on the journal the review holds open, so a page
 * is one journal batch and the screen's `u` is a journal undo of it (sidecars restored byte for byte).
 */
import type {Catalog} from '../db/catalog.js';
import type {Journal} from '../journal/journal.js';
import {applyFaceDecisions, type FaceDecision as EngineDecision} from './decisions.js';
import type {FaceDecision, FaceReviewItem, PeopleGroup, PeopleReviewActions} from './people-review-types.js';
import {type ReviewFace, reviewPage, reviewTargets} from './review.js';

/** Faces a group shows at most; the screen reloads after every change, so this bounds that cost in a big library. */
export const groupLimit = 1000;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A face of the engine's review page as the screen shows it; faces with no present file are left out. */
function itemOf(face: ReviewFace): FaceReviewItem[] {
	if (face.path === null) {
		return [];
	}

	return [{faceId: face.faceId, sha256: face.sha256, path: face.path, box: face.box, person: face.person, suggestion: face.suggestion ? {person: face.suggestion.person, confidence: face.suggestion.confidence} : null}];
}

/**
 * The faces of a review group, from the engine's `reviewPage`: a person's suggestions (highest confidence first,
 * never one they rejected), a person's named faces (oldest first), an unnamed group's faces (oldest first).
 */
export function groupFaces(catalog: Catalog, group: PeopleGroup): FaceReviewItem[] {
	if (group.kind === 'unnamed') {
		return reviewPage(catalog, {cluster: group.cluster}, {limit: groupLimit}).faces.flatMap(face => itemOf(face));
	}

	const wanted = group.kind === 'suggested' ? 'suggested' : 'confirmed';
	// One page holds the suggestions, then the named faces: both within the limit each.
	return reviewPage(catalog, {person: group.person}, {limit: groupLimit * 2})
		.faces.filter(face => face.state === wanted)
		.slice(0, groupLimit)
		.flatMap(face => itemOf(face));
}

/**
 * The groups to review: for `person`, their suggestions then their named faces (those with faces to show); else every
 * person's suggestions, then the unnamed groups, largest first, straight from the listing (which computes suggestions
 * once), not one query per group: a library has thousands of groups. A group whose faces have no present file comes
 * up empty, and the screen passes over it.
 */
export function reviewGroups(catalog: Catalog, person: string | undefined): {readonly groups: PeopleGroup[]; readonly known: boolean; readonly faces: number} {
	const listing = reviewTargets(catalog);
	const suggested = [...new Set(listing.suggestions.map(suggestion => suggestion.person))];
	if (person === undefined) {
		const groups: PeopleGroup[] = [...suggested.map(name => ({kind: 'suggested' as const, person: name})), ...listing.groups.map(group => ({kind: 'unnamed' as const, cluster: group.cluster}))];
		return {groups, known: true, faces: listing.faces};
	}

	const candidates: PeopleGroup[] = [
		{kind: 'suggested', person},
		{kind: 'named', person},
	];
	const known = suggested.includes(person) || listing.people.some(entry => entry.name === person);
	return {groups: candidates.filter(group => groupFaces(catalog, group).length > 0), known, faces: listing.faces};
}

/** The review's actions on the journal's library: faces read from its catalog, decisions through the engine. */
export function createPeopleReviewActions(journal: Journal): PeopleReviewActions {
	return {
		queue: group => groupFaces(journal.catalog, group),
		async decide(decisions: readonly FaceDecision[], label: string) {
			const engine = decisions.map((decision): EngineDecision => (decision.action === 'name' ? {...decision, faceIds: [...decision.faceIds]} : {...decision}));
			const result = await applyFaceDecisions(journal, engine, {command: 'people review'});
			if (result.batchId === null) {
				throw new Error('nothing changed: these faces were decided that way already');
			}

			return {batch: Number(result.batchId), summary: `${label} · ${plural(result.sidecarsWritten, 'sidecar')} written · batch ${result.batchId}`};
		},
		async undo(batch) {
			const result = await journal.undo(batch);
			const files = result.operations.filter(op => op.kind === 'write-sidecar' || op.kind === 'write-embedded').length;
			return {summary: `undid batch ${result.batch}: ${plural(files, 'sidecar')} restored`};
		},
	};
}
