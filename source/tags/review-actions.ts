/**
 * TagReviewActions on a real library through the operation journal (issue 7): a page decision, an added tag or a
 * rating is one batch each, and the screen's `u` is a journal undo of that batch.
 */
import path from 'node:path';
import {tagRowsOf} from '../db/tag-review.js';
import type {Journal} from '../journal/journal.js';
import {applyTagDecisions} from './decisions.js';
import {planKeywordWrites, type WriteTarget} from './keyword-writes.js';
import {queueLimit, type TagActionResult, type TagReviewActions} from './review-types.js';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The tag review screen's actions on the journal's library; suggestions at or above `below` are not queued. */
export function createTagReviewActions(journal: Journal, options: WriteTarget & {readonly below: number}): TagReviewActions {
	const store = tagRowsOf(journal.catalog);
	const written = (count: number) => (options.embedded ? `${plural(count, 'file')} written` : `${plural(count, 'sidecar')} written`);
	return {
		queue: tag =>
			store.queue(tag, options.below, queueLimit).map(row => ({
				sha256: row.sha256,
				path: row.path,
				thumb: row.thumb ? path.join(journal.library.dir, row.thumb) : null,
				confidence: row.confidence,
				rating: row.rating,
			})),
		async decidePage(tag, confirmed, rejected): Promise<TagActionResult> {
			const label = `${tag}: ${confirmed.length} confirmed, ${rejected.length} rejected`;
			const result = await applyTagDecisions(
				journal,
				[...confirmed.map(item => ({sha256: item.sha256, tag, state: 'confirmed' as const})), ...rejected.map(item => ({sha256: item.sha256, tag, state: 'rejected' as const}))],
				{...options, command: `tags review ${tag}`, label},
			);
			if (!result) {
				throw new Error('these photos were decided elsewhere meanwhile; nothing changed');
			}

			return {batch: result.batch, summary: `${label} · ${written(result.plan.writes)} · batch ${result.batch}`};
		},
		async addTag(tag, items): Promise<TagActionResult> {
			const result = await applyTagDecisions(journal, items.map(item => ({sha256: item.sha256, tag, state: 'confirmed' as const})), {
				...options,
				command: `tags review: add ${tag}`,
				label: `${tag} added to ${plural(items.length, 'photo')}`,
			});
			if (!result) {
				throw new Error(`${items.length === 1 ? 'that photo already has' : 'those photos already have'} ${tag}`);
			}

			return {batch: result.batch, summary: `${tag} added to ${plural(items.length, 'photo')} · batch ${result.batch}`};
		},
		async rate(items, rating): Promise<TagActionResult> {
			const paths = items.flatMap(item => store.presentPaths(item.sha256));
			const operations = await planKeywordWrites(journal, paths.map(photo => ({path: photo, rating})), options);
			if (operations.length === 0) {
				throw new Error(`already rated ${rating}`);
			}

			const result = await journal.apply({command: 'tags review: rate', label: `rating ${rating} on ${plural(items.length, 'photo')}`, operations});
			return {batch: result.batch, summary: `rated ${rating}: ${plural(items.length, 'photo')} · batch ${result.batch}`};
		},
		async undo(batch) {
			const result = await journal.undo(batch);
			return {summary: `undid batch ${result.batch}: ${plural(result.operations.filter(op => op.kind === 'write-sidecar' || op.kind === 'write-embedded').length, 'file')} restored`};
		},
	};
}
