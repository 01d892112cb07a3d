/**
 * Reading every photo with a helper thread (helper-pool.ts): the light records of a search, or the lookup rows of a
 * refresh. At a million photos SQLite's stepping of the light records' 123 batches took 4.2-4.5 s of their 7.6-8.1 s,
 * and making the records of what they gave the rest, on one core of two. A helper steps batches through its own
 * connection and sends each as it comes (its rows' JSON text and its buffer of blobs, copied, not parsed); this thread
 * makes the records of every batch, in order, and steps one batch in {@link hereEvery} itself, which keeps the two about
 * as busy. Whether a batch the helper read is of the same state of the catalog as this thread's read is checked where
 * it is used (source/db/dupes-data.ts).
 */
import type {EveryBatch, EveryBatchesAway, EveryRead} from '../db/dupes-data.js';
import {batchPool, type HelperSettings, helpersFor} from './helper-pool.js';

/** Fewest batches (of 8,192 ids) worth a helper for: it takes a few hundred milliseconds to start. */
const fewestBatches = 16;

/**
 * This thread steps batches 0, 4, 8… itself: making the records of a batch takes about three quarters of stepping it,
 * so with a quarter of the stepping besides it is about as busy as the helper with the rest.
 */
const hereEvery = 4;

/** A batch read as a helper is sent it: which read, and its number (the helper's connection knows the batches' ids). */
export type ReadJob = {readonly kind: 'read'; readonly index: number; readonly read: EveryRead};

/**
 * Batches of a read of every photo read by a helper thread over the catalog in `catalogFile`, for reads of at least
 * {@link fewestBatches} batches (or `fewest`), on a machine with more than one core (or `count` helpers); else, or
 * when the helper fails, read here.
 */
export function everyBatchesAway(catalogFile: string, settings: HelperSettings = {}): EveryBatchesAway {
	return function* (read, count, here) {
		// One helper at most: this thread makes every batch's records, and one helper's stepping keeps up with that.
		const pool = batchPool<EveryBatch>(
			catalogFile,
			Math.min(1, helpersFor(count, fewestBatches, settings)),
			index => ({job: {kind: 'read', index, read} satisfies ReadJob}),
			(_, result) => result as EveryBatch,
		);
		try {
			const taken = new Set<number>();
			let next = 0;
			for (let index = 0; index < count; index++) {
				// The helper's queue is kept full with the batches ahead that are its own.
				for (next = Math.max(next, index); pool && next < count; next++) {
					if (next % hereEvery !== 0) {
						if (!pool.offer(next)) {
							break;
						}

						taken.add(next);
					}
				}

				yield (taken.has(index) ? pool!.wait(index) : undefined) ?? here(index);
			}
		} finally {
			pool?.close();
		}
	};
}
