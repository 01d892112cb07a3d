/**
 * A helper thread of a duplicate search (helper-pool.ts): does the jobs it is sent (the read's batches, verification's,
 * ranking's, the window lookup) on what it reads through its own read-only connection to the catalog, and answers each
 * with its result.
 */
import {workerData} from 'node:worker_threads';
import {Catalog} from '../db/catalog.js';
import {DupesData} from '../db/dupes-data.js';
import {ThumbnailPaths} from '../db/thumbnail-paths.js';
import type {HelperAnswer, HelperData} from './helper-pool.js';
import {type RankJob, rankSent} from './rank-helpers.js';
import type {ReadJob} from './read-helpers.js';
import {ThumbnailJudge} from './thumb-judge.js';
import {judgeSent, type VerifyJob} from './verify-helpers.js';
import {lookUpSent, type WindowJob} from './window-helpers.js';

const {catalogFile, signal, port} = workerData as HelperData;
const counter = new Int32Array(signal);

function answer(message: HelperAnswer): void {
	port.postMessage(message);
	Atomics.add(counter, 0, 1);
	Atomics.notify(counter, 0);
}

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
	const catalog = Catalog.open(catalogFile, {readonly: true});
	const data = new DupesData(catalog);
	const thumbnails = new ThumbnailPaths(catalog);
	const where = (thumb: string) => thumbnails.place(thumb);
	// One judge for the helper's life (a pool serves one verification run): its cache of thumbnails carries over.
	let judge: ThumbnailJudge | undefined;
	port.on('message', (job: VerifyJob | RankJob | WindowJob | ReadJob) => {
		try {
			if (job.kind === 'verify') {
				judge ??= new ThumbnailJudge(job.options.tuning);
				answer({index: job.index, result: judgeSent(job, ids => data.verification(ids, where), judge)});
			} else if (job.kind === 'read') {
				answer({index: job.index, result: data.batchAt(job.read, job.index)});
			} else if (job.kind === 'rank') {
				answer({index: job.index, result: rankSent(job, ids => data.rankedFiles(ids))});
			} else {
				answer({index: job.index, result: lookUpSent(job)});
			}
		} catch (error) {
			answer({index: job.index, failed: failure(error)});
		}
	});
	answer({ready: true});
} catch (error) {
	answer({failed: failure(error)});
}
