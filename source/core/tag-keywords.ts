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
