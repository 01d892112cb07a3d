/**
 * A helper thread of verification (verify-helpers.ts): judges the batches it is sent on the verification data it
 * reads through its own read-only connection to the catalog, and answers each with its links.
 */
import {workerData} from 'node:worker_threads';
import {Catalog} from '../db/catalog.js';
import {DupesData} from '../db/dupes-data.js';
import {ThumbnailPaths} from '../db/thumbnail-paths.js';
import {ThumbnailJudge, thumbnailCheckCounts} from './thumb-judge.js';
import {type BatchMessage, type HelperAnswer, type HelperData, unpackBatch} from './verify-helpers.js';
import {judgeBatch} from './verify.js';

const {catalogFile, options, signal, port} = workerData as HelperData;
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
	const judge = new ThumbnailJudge(options.tuning);
	port.on('message', (message: BatchMessage) => {
		try {
			const {units, slice} = unpackBatch(message);
			const before = {...thumbnailCheckCounts};
			const links = judgeBatch(units, slice, data.verification(units.map(unit => unit.file.id), where), options, judge);
			const counts = {...thumbnailCheckCounts};
			for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] -= before[key];
			answer({index: message.index, links, counts});
		} catch (error) {
			answer({index: message.index, failed: failure(error)});
		}
	});
	answer({ready: true});
} catch (error) {
	answer({failed: failure(error)});
}
