/**
 * In-memory tag review services for Ink tests (issue 7): queues per tag that decisions really shrink and undo really
 * restores, every call recorded, and pictures drawn as letter grids (from the review fakes).
 */
import type {TagReviewItem, TagReviewServices} from '../../source/tags/review-types.js';
import {fakePictures} from './review-fakes.js';

/** A recorded call. */
export type TagCall =
	| {action: 'decidePage'; tag: string; confirmed: string[]; rejected: string[]}
	| {action: 'addTag'; tag: string; paths: string[]}
	| {action: 'rate'; rating: number; paths: string[]}
	| {action: 'undo'; batch: number};

/** An item whose sha256 starts with `letter` (the fake picture draws that letter). */
export function item(letter: string, index: number, confidence: number): TagReviewItem {
	return {sha256: `${letter}${String(index).padStart(63, '0')}`, path: `photos/${letter}${index}.jpg`, thumb: `/thumbs/${letter}${index}.jpg`, confidence, rating: null};
}

/** Services over `queues` (tag → items, lowest confidence first). */
export function fakeTagServices(queues: Record<string, TagReviewItem[]>) {
	const calls: TagCall[] = [];
	const live = new Map(Object.entries(queues).map(([tag, items]) => [tag, [...items]]));
	const batches: Array<{tag: string; removed: TagReviewItem[]}> = [];
	let failure: string | undefined;
	const failIfAsked = () => {
		if (failure) {
			const message = failure;
			failure = undefined;
			throw new Error(message);
		}
	};

	const services: TagReviewServices = {
		pictures: fakePictures(),
		actions: {
			queue: tag => [...(live.get(tag) ?? [])],
			async decidePage(tag, confirmed, rejected) {
				failIfAsked();
				calls.push({action: 'decidePage', tag, confirmed: confirmed.map(i => i.path), rejected: rejected.map(i => i.path)});
				const decided = new Set([...confirmed, ...rejected].map(i => i.sha256));
				live.set(tag, live.get(tag)!.filter(i => !decided.has(i.sha256)));
				batches.push({tag, removed: [...confirmed, ...rejected]});
				return {batch: batches.length, summary: `${tag}: ${confirmed.length} confirmed, ${rejected.length} rejected · batch ${batches.length}`};
			},
			async addTag(tag, items) {
				failIfAsked();
				calls.push({action: 'addTag', tag, paths: items.map(i => i.path)});
				batches.push({tag, removed: []});
				return {batch: batches.length, summary: `${tag} added · batch ${batches.length}`};
			},
			async rate(items, rating) {
				failIfAsked();
				calls.push({action: 'rate', rating, paths: items.map(i => i.path)});
				batches.push({tag: '', removed: []});
				return {batch: batches.length, summary: `rated ${rating} · batch ${batches.length}`};
			},
			async undo(batch) {
				failIfAsked();
				calls.push({action: 'undo', batch});
				const undone = batches[batch - 1]!;
				if (undone.removed.length > 0) {
					live.set(undone.tag, [...live.get(undone.tag)!, ...undone.removed].sort((a, b) => a.confidence - b.confidence));
				}

				return {summary: `undid batch ${batch}`};
			},
		},
	};
	return {
		services,
		calls,
		failNext(message: string) {
			failure = message;
		},
	};
}
