/** The people review screen's state (issue 19): the grid review's, over groups of faces, with the faces' ids. */
import type {FaceReviewItem, PeopleGroup} from '../../faces/people-review-types.js';
import {type GridEvent, type GridState, gridReducer, initialGridState} from '../grid-review/state.js';

/** What the typed line is for: naming the page (unnamed group), naming the marked or chosen faces, or a merge. */
export type InputPurpose = 'name-page' | 'name-faces' | 'merge';

/** What a session counts. */
export type PeopleCounts = {readonly confirmed: number; readonly rejected: number; readonly named: number};

/** Where the screen is: sections are the groups, marks are face ids. */
export type PeopleReviewState = GridState<PeopleGroup, FaceReviewItem, number, InputPurpose, PeopleCounts>;

/** What can happen to the screen. */
export type PeopleReviewEvent = GridEvent<FaceReviewItem, InputPurpose, PeopleCounts>;

/** The state a session starts in. */
export function initialPeopleState(groups: readonly PeopleGroup[], items: readonly FaceReviewItem[]): PeopleReviewState {
	return initialGridState(groups, items, {confirmed: 0, rejected: 0, named: 0});
}

/** Applies one event. */
export const reducePeople: (state: PeopleReviewState, event: PeopleReviewEvent) => PeopleReviewState = gridReducer(
	(item: FaceReviewItem) => item.faceId,
	{lastPage: 'This is the last page.'},
);
