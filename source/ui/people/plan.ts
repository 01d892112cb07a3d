/**
 * From what the user marked on a page to the faces engine's decisions (issue 19). Pure: the screen calls these and
 * hands the result to one `decide` call, which is one journal batch.
 */
import type {FaceDecision, FaceReviewItem, PeopleGroup} from '../../faces/people-review-types.js';

/** A page decided: the decisions and a label for the journal and the status line. */
export type PagePlan = {readonly decisions: readonly FaceDecision[]; readonly label: string; readonly confirmed: number; readonly rejected: number; readonly named: number};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * Enter on a page of a person's suggestions: the marked faces are not that person (rejected, never suggested for
 * them again), the others are (confirmed). On a person's named faces: the marked ones are split off. Undefined when
 * the page asks for nothing (named faces, none marked) or needs a name first (an unnamed group).
 */
export function planPage(group: PeopleGroup, page: readonly FaceReviewItem[], marked: ReadonlySet<number>): PagePlan | undefined {
	if (group.kind === 'suggested') {
		const decisions: FaceDecision[] = page.map(item =>
			marked.has(item.faceId) ? {action: 'reject', faceId: item.faceId, person: group.person} : {action: 'confirm', faceId: item.faceId, person: group.person},
		);
		const rejected = decisions.filter(decision => decision.action === 'reject').length;
		const confirmed = decisions.length - rejected;
		return {decisions, label: `${group.person}: ${confirmed} confirmed, ${rejected} rejected`, confirmed, rejected, named: 0};
	}

	if (group.kind === 'named') {
		const split = page.filter(item => marked.has(item.faceId));
		return split.length === 0 ? undefined : planSplit(split);
	}

	return undefined;
}

/** Names faces: the unmarked faces of an unnamed group's page, or the faces `n` was pressed on. */
export function planName(items: readonly FaceReviewItem[], person: string): PagePlan {
	return {decisions: [{action: 'name', faceIds: items.map(item => item.faceId), person}], label: `${plural(items.length, 'face')} named ${person}`, confirmed: 0, rejected: 0, named: items.length};
}

/** Splits named faces off their person: they become unnamed again. */
export function planSplit(items: readonly FaceReviewItem[]): PagePlan {
	const people = [...new Set(items.map(item => item.person))].join(', ');
	return {decisions: items.map(item => ({action: 'split', faceId: item.faceId})), label: `${plural(items.length, 'face')} split off ${people}`, confirmed: 0, rejected: 0, named: 0};
}

/** Merges one person into another: every face named `from` is named `into`. */
export function planMerge(from: string, into: string): PagePlan {
	return {decisions: [{action: 'merge', from, into}], label: `${from} merged into ${into}`, confirmed: 0, rejected: 0, named: 0};
}

/** A person's name as typed, trimmed, or an error sentence: one line of 1 to 100 printable characters. */
export function checkPersonName(typed: string): {readonly name: string} | {readonly error: string} {
	const name = typed.trim();
	// eslint-disable-next-line no-control-regex
	if (name.length === 0 || name.length > 100 || /[\u0000-\u001F\u007F-\u009F]/.test(name)) {
		return {error: 'a name is 1 to 100 printable characters on one line'};
	}

	return {name};
}
