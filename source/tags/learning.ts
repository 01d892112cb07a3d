/**
 * Corrections improve suggestions (issue 7): each tag's threshold is moved by the photos a person reviewed (see
 * `learnThreshold` for the rule), and `curate tag` scores with the moved thresholds. Nothing is stored: the
 * thresholds follow from the tag rows, so an undone review un-learns too.
 */
import {createHash} from 'node:crypto';
import type {Taxonomy} from '../ai/taxonomy-file.js';
import {type LearnedThreshold, learnThreshold, precision} from '../core/tag-keywords.js';
import type {Catalog} from '../db/catalog.js';
import {tagRowsOf} from '../db/tag-review.js';

/** The taxonomy with every tag's threshold moved by review; its digest changes with them, so `curate tag` re-scores. */
export function withLearnedThresholds(catalog: Catalog, taxonomy: Taxonomy): Taxonomy {
	const examples = tagRowsOf(catalog).reviewedExamples();
	const tags = taxonomy.tags.map(tag => ({...tag, threshold: learnThreshold(tag.threshold, examples.get(tag.name) ?? []).threshold}));
	const digest = createHash('sha256').update(JSON.stringify(tags)).digest('hex').slice(0, 16);
	return {...taxonomy, tags, digest};
}

/** One tag's review statistics. */
export type TagStats = {
	readonly tag: string;
	/** Contents Curate ever suggested the tag for (CLIP or rule); `pending` is how many are still suggested. */
	readonly everSuggested: number;
	/** Of those, still waiting for review. */
	readonly pending: number;
	readonly confirmed: number;
	readonly rejected: number;
	/** Contents tagged by hand (review's t, CSV import) without a suggestion. */
	readonly added: number;
	/** confirmed / (confirmed + rejected): the share of reviewed suggestions that were right; null before review. */
	readonly precision: number | null;
	/** The taxonomy's threshold (null for a tag the taxonomy does not list, e.g. a rule tag or one added by hand). */
	readonly threshold: number | null;
	/** The threshold the next `curate tag` uses, with the reviewed CLIP suggestions it learned from. */
	readonly learnedThreshold: number | null;
	readonly reviewed: number;
};

/** Statistics of every tag in the catalog. */
export function tagStats(catalog: Catalog, taxonomy: Taxonomy): TagStats[] {
	const store = tagRowsOf(catalog);
	const examples = store.reviewedExamples();
	const thresholds = new Map(taxonomy.tags.map(tag => [tag.name, tag.threshold]));
	return store.counts().map(row => {
		const base = thresholds.get(row.tag);
		const reviewed = examples.get(row.tag) ?? [];
		const learned: LearnedThreshold | undefined = base === undefined ? undefined : learnThreshold(base, reviewed);
		return {
			...row,
			precision: precision(row.confirmed, row.rejected),
			threshold: base ?? null,
			learnedThreshold: learned?.threshold ?? null,
			reviewed: reviewed.length,
		};
	});
}

