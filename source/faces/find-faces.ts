import path from 'node:path';
import {type FacePending, FaceStore, type NewFace} from '../db/faces.js';
import type {Library} from '../library.js';
import {closeDecoders} from '../media/decode.js';
import {assignClusters} from './cluster.js';
import type {FaceModel} from './model.js';
import {type FacePreview, facePreview} from './preview.js';

/** Where `curate faces` is. */
export type FacesProgress = {
	/** Photos (distinct contents) to scan in this run. */
	readonly total: number;
	readonly done: number;
	readonly faces: number;
	readonly errors: number;
	readonly current?: string;
};

/** What one `curate faces` run did. */
export type FacesSummary = {
	readonly model: string;
	/** Contents scanned in this run. */
	readonly scanned: number;
	/** Contents already scanned with this model, skipped. */
	readonly alreadyDone: number;
	/** Faces found in this run. */
	readonly faces: number;
	/** Contents with at least one face, in this run. */
	readonly photosWithFaces: number;
	readonly errors: ReadonlyArray<{readonly path: string; readonly error: string}>;
	/** Faces newly put into clusters, and how many clusters exist after the run. */
	readonly clustered: number;
	readonly seconds: number;
	readonly photosPerSecond: number;
	readonly interrupted: boolean;
};

/** Options of `findFaces`. */
export type FindFacesOptions = {
	/** Photos committed together; default 16. */
	readonly batch?: number;
	readonly signal?: AbortSignal;
};

type Prepared = {readonly file: FacePending; readonly preview?: FacePreview; readonly error?: string};

async function prepare(library: Library, file: FacePending): Promise<Prepared> {
	try {
		return {file, preview: await facePreview({absolute: path.join(library.root, file.path), thumb: file.thumb, format: file.format}, library.dir)};
	} catch (error) {
		return {file, error: (error as Error).message};
	}
}

/**
 * `curate faces`'s engine (issue 19): finds faces in every present photo content that `model` has not scanned yet,
 * committing a batch of photos per transaction (an interrupted run keeps them and the next carries on), then puts the
 * new faces into clusters. The next photo is decoded (sharp, on libuv's threads) while the model looks at this one.
 * A photo that cannot be decoded is reported and not marked done, so a later run tries it again.
 */
export async function findFaces(library: Library, store: FaceStore, model: FaceModel, options: FindFacesOptions = {}, onProgress: (progress: FacesProgress) => void = () => {}): Promise<FacesSummary> {
	const started = performance.now();
	const batchSize = Math.max(1, options.batch ?? 16);
	const alreadyDone = store.doneCount(model.id);
	const pending = store.pending(model.id);
	const errors: Array<{path: string; error: string}> = [];
	let done = 0;
	let found = 0;
	let photosWithFaces = 0;
	let batch: Array<{sha256: string; faces: NewFace[]}> = [];
	onProgress({total: pending.length, done, faces: 0, errors: 0});
	try {
		let next = pending.length > 0 ? prepare(library, pending[0]!) : undefined;
		for (let index = 0; index < pending.length && !options.signal?.aborted; index++) {
			const prepared = await next!;
			next = index + 1 < pending.length ? prepare(library, pending[index + 1]!) : undefined;
			if (prepared.preview) {
				try {
					const faces = await model.detect(prepared.preview);
					batch.push({sha256: prepared.file.sha256, faces});
					found += faces.length;
					photosWithFaces += faces.length > 0 ? 1 : 0;
				} catch (error) {
					errors.push({path: prepared.file.path, error: `face model: ${(error as Error).message}`});
				}
			} else {
				errors.push({path: prepared.file.path, error: prepared.error!});
			}

			done++;
			if (batch.length >= batchSize) {
				store.commit(model.id, batch);
				batch = [];
			}

			onProgress({total: pending.length, done, faces: found, errors: errors.length, current: prepared.file.path});
		}

		await next?.catch(() => undefined);
	} finally {
		if (batch.length > 0) {
			store.commit(model.id, batch);
		}

		await closeDecoders();
	}

	const assignments = assignClusters(store.vectors(model.id), store.maxCluster());
	store.setClusters(assignments);
	const seconds = (performance.now() - started) / 1000;
	return {
		model: model.id,
		scanned: done,
		alreadyDone,
		faces: found,
		photosWithFaces,
		errors,
		clustered: assignments.size,
		seconds,
		photosPerSecond: done / Math.max(seconds, 0.001),
		interrupted: Boolean(options.signal?.aborted),
	};
}
