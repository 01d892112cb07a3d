import type {BatchPool} from '../../source/dupes/helper-pool.js';

/** What the helpers of a {@link counted} pool did: batches they took, and batches whose results came back from them. */
export type PoolCounts = {taken: number; answered: number};

/** The helpers `make` gives (source/dupes/helper-pool.ts), counting into `counts` what they took and answered. */
export function counted<R, T>(make: (run: R) => BatchPool<T> | undefined, counts: PoolCounts): (run: R) => BatchPool<T> | undefined {
	return run => {
		const pool = make(run);
		return (
			pool && {
				offer(index) {
					const took = pool.offer(index);
					counts.taken += took ? 1 : 0;
					return took;
				},
				finished() {
					const done = pool.finished();
					counts.answered += [...done.values()].filter(result => result !== undefined).length;
					return done;
				},
				wait(index) {
					const result = pool.wait(index);
					counts.answered += result === undefined ? 0 : 1;
					return result;
				},
				close: () => pool.close(),
			}
		);
	};
}
