/**
 * The window lookup in a helper thread (helper-pool.ts), beside the plain, turned and cropped lookups: at a million
 * photos the eight million crop-window queries took 11 s after the others' 12 s, on one core of two. The helper reads
 * the window table where it is (shared memory) and sends back the hits in the order the lookup makes them, which this
 * thread then takes as ways in that order: the same pairs and ways as looking the windows up here.
 */
import {type WindowHashTable, type WindowHits, type WindowLookupAway, windowHits} from './candidates.js';
import {HelperPool, type HelperSettings, helpersFor} from './helper-pool.js';

/** Fewest units with window hashes worth a helper for: it takes a few hundred milliseconds to start. */
const fewestUnits = 50_000;

/** The window lookup as a helper is sent it. */
export type WindowJob = {readonly kind: 'windows'; readonly index: number; readonly table: WindowHashTable; readonly radius: number};

/** Looks a job's windows up (in the helper: helper-worker.ts). */
export function lookUpSent(job: WindowJob): WindowHits {
	return windowHits(job.table, job.radius);
}

/**
 * Window lookups of searches over the catalog in `catalogFile` in a helper thread, for tables of at least
 * {@link fewestUnits} units (or `fewest`), on a machine with more than one core (or `count` helpers).
 */
export function windowLookupAway(catalogFile: string, settings: HelperSettings = {}): WindowLookupAway {
	return (table, radius) => {
		// One helper at most: the lookup is one job.
		const pool = HelperPool.start(catalogFile, Math.min(1, helpersFor(table.units.length, fewestUnits, settings)));
		if (!pool) {
			return undefined;
		}

		const job: WindowJob = {kind: 'windows', index: 0, table, radius};
		pool.offer(0, () => ({job}));
		return {
			wait() {
				try {
					return pool.wait(0) as WindowHits | undefined;
				} finally {
					pool.close();
				}
			},
			cancel: () => pool.close(),
		};
	};
}
