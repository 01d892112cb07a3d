/**
 * The one concurrency pool (issue 14), over p-map: scan, import, export, verify, keyword writes and the journal had
 * each written their own. Items start in input order, at most `concurrency` at once; the first error rejects the
 * call and no further item starts (those already running finish on their own, as before).
 */
import pMap from 'p-map';

const width = (concurrency: number, count: number) => Math.max(1, Math.min(Math.floor(concurrency), count));

/** Maps every item; results come back in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, mapper: (item: T, index: number) => Promise<R>): Promise<R[]> {
	return pMap(items, mapper, {concurrency: width(concurrency, items.length), stopOnError: true});
}

/**
 * Runs `work` on every item. Once `signal` aborts, items not yet started are skipped and the call resolves when the
 * running ones finish, so an interrupted command keeps (and reports) what it did rather than failing.
 */
export async function forEachConcurrent<T>(
	items: readonly T[],
	concurrency: number,
	work: (item: T, index: number) => Promise<void>,
	options: {readonly signal?: AbortSignal | undefined} = {},
): Promise<void> {
	// The items come through a generator that ends on abort: p-map pulls the next item only when it can start it, so
	// an interrupted scan of a million files stops at once instead of stepping past every file not yet started.
	function * untilAborted(): Generator<readonly [T, number]> {
		for (const [index, item] of items.entries()) {
			if (options.signal?.aborted) {
				return;
			}

			yield [item, index];
		}
	}

	await pMap(untilAborted(), async ([item, index]) => work(item, index), {concurrency: width(concurrency, items.length), stopOnError: true});
}
