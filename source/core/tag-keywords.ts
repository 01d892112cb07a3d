/**
 * Tag review's pure rules (issue 7): how a tag becomes keywords other apps read, and how reviewed photos move a tag's
 * threshold. No I/O here.
 */

/** Keywords of one tag: the plain keyword (XMP dc:subject) and, for a hierarchical tag, its Lightroom path. */
export type TagKeywords = {
	/** For dc:subject: the last level (`places/beach` → `beach`), as digiKam and Lightroom write it. */
	readonly subject: string;
	/** For lr:hierarchicalSubject: the levels joined by `|` (`places|beach`); undefined for a one-level tag. */
	readonly hierarchical: string | undefined;
};

/** The keywords a confirmed tag is written as. The taxonomy's level separator `/` becomes Lightroom's `|`. */
export function keywordsOf(tag: string): TagKeywords {
	const levels = tag.split('/').filter(Boolean);
	return {subject: levels.at(-1) ?? tag, hierarchical: levels.length > 1 ? levels.join('|') : undefined};
}

/** `list` with `add` appended (when absent) and `remove` taken out, order kept. */
export function editList(list: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
	const removed = new Set(remove);
	const out = list.filter(item => !removed.has(item));
	for (const item of add) {
		if (!out.includes(item)) {
			out.push(item);
		}
	}

	return out;
}

/** A reviewed CLIP suggestion: what the person said and the confidence it had. */
export type ReviewedExample = {readonly state: 'confirmed' | 'rejected'; readonly confidence: number};

/** Reviewed photos a tag needs before its threshold moves. */
export const minimumReviewed = 5;

/** A tag's threshold after review, and why. */
export type LearnedThreshold = {
	readonly threshold: number;
	readonly reviewed: number;
	/** Reviewed photos the threshold classifies as the person did (confirmed at or above it, rejected below). */
	readonly agreeing: number;
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The threshold that agrees best with the person's decisions: among the taxonomy's threshold and a cut just above
 * each rejected confidence, the one that leaves the most confirmed photos at or above it plus rejected photos below
 * it; on a tie the lowest (it loses the fewest good suggestions). Never below the taxonomy's threshold, since photos
 * under it were never shown for review, and unchanged until `minimumReviewed` photos were reviewed.
 */
export function learnThreshold(base: number, examples: readonly ReviewedExample[]): LearnedThreshold {
	const agreeing = (threshold: number) => examples.filter(example => (example.state === 'confirmed') === (example.confidence >= threshold)).length;
	if (examples.length < minimumReviewed) {
		return {threshold: base, reviewed: examples.length, agreeing: agreeing(base)};
	}

	const cuts = [...new Set(examples.filter(example => example.state === 'rejected').map(example => Math.min(1, round3(example.confidence + 0.001))))]
		.filter(cut => cut > base)
		.sort((a, b) => a - b);
	let best = {threshold: base, agreeing: agreeing(base)};
	for (const cut of cuts) {
		const score = agreeing(cut);
		if (score > best.agreeing) {
			best = {threshold: cut, agreeing: score};
		}
	}

	return {...best, reviewed: examples.length};
}

/** Share of reviewed suggestions that were right, or null before any review. */
export function precision(confirmed: number, rejected: number): number | null {
	return confirmed + rejected === 0 ? null : round3(confirmed / (confirmed + rejected));
}

const tagName = /^[\p{L}\p{N}_-]+(?:[ ][\p{L}\p{N}_-]+)*(?:\/[\p{L}\p{N}_-]+(?:[ ][\p{L}\p{N}_-]+)*)*$/u;

/** A tag name as the taxonomy spells it (lower case, `/` between levels), or undefined when it is not one. */
export function normaliseTagName(text: string): string | undefined {
	const name = text.trim().toLowerCase().replaceAll(/\s*\/\s*/g, '/').replaceAll(/\s+/g, ' ');
	return tagName.test(name) ? name : undefined;
}

/**
 * The keyword lists of a catalog keyword list (issue 13): the catalog keeps Lightroom's hierarchical keywords whole
 * (`Places|France|Paris`, as scan reads them from `lr:hierarchicalSubject`) beside plain ones. Written out, a
 * hierarchical keyword goes to `lr:hierarchicalSubject` and only its leaf (`Paris`) to `dc:subject`, as Lightroom and
 * digiKam write them: the whole `a|b|c` string never reaches `dc:subject`.
 */
export type KeywordSplit = {readonly subject: string[]; readonly hierarchicalSubject: string[]};

/** `Places|France|Paris` → `{subject: 'Paris', hierarchical: 'Places|France|Paris'}`; `beach` → `{subject: 'beach'}`. */
export function keywordOfEntry(keyword: string): TagKeywords {
	const levels = keyword.split('|').map(level => level.trim()).filter(Boolean);
	return levels.length > 1 ? {subject: levels.at(-1)!, hierarchical: levels.join('|')} : {subject: levels[0] ?? keyword, hierarchical: undefined};
}

/** A catalog keyword list as the two XMP lists, order kept, no duplicates. */
export function splitKeywords(keywords: readonly string[]): KeywordSplit {
	const entries = keywords.map(keyword => keywordOfEntry(keyword));
	return {
		subject: editList([], entries.map(entry => entry.subject), []),
		hierarchicalSubject: editList([], entries.flatMap(entry => entry.hierarchical ?? []), []),
	};
}

/**
 * The two XMP lists after adding and removing catalog keywords. Adding `a|b|c` adds it to the hierarchical list and
 * `c` to the plain one; removing it takes both out, unless another hierarchical keyword left still ends in `c`.
 */
export function editKeywordLists(lists: KeywordSplit, add: readonly string[], remove: readonly string[]): KeywordSplit {
	const added = add.map(keyword => keywordOfEntry(keyword));
	const removed = remove.map(keyword => keywordOfEntry(keyword));
	const hierarchicalSubject = editList(lists.hierarchicalSubject, added.flatMap(entry => entry.hierarchical ?? []), removed.flatMap(entry => entry.hierarchical ?? []));
	const leaves = new Set(hierarchicalSubject.map(keyword => keywordOfEntry(keyword).subject));
	const removedSubjects = removed.filter(entry => entry.hierarchical === undefined || !leaves.has(entry.subject)).map(entry => entry.subject);
	return {subject: editList(lists.subject, added.map(entry => entry.subject), removedSubjects), hierarchicalSubject};
}

/** The catalog keyword list of the two XMP lists, in the order scan reads them: plain keywords, then hierarchical. */
export function joinKeywords(lists: KeywordSplit): string[] {
	return editList([], [...lists.subject, ...lists.hierarchicalSubject], []);
}
