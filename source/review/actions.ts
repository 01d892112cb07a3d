/**
 * ReviewActions on a real library. Until the operation journal (issue 4) lands, only decisions that move no file are
 * available; keep and merge say so instead of touching photos outside a journal.
 */
import type {Catalog} from '../db/catalog.js';
import type {Library} from '../library.js';
import type {ReviewActions} from './types.js';

/** The review screen's actions on `library`. */
export function createReviewActions(_library: Library, _catalog: Catalog): ReviewActions {
	const unavailable = async (): Promise<never> => {
		throw new Error('trashing needs the operation journal, which is not in this build yet');
	};

	return {keep: unavailable, merge: unavailable, notDuplicates: unavailable, undo: unavailable};
}
