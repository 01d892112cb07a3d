import path from 'node:path';
import type {TagProgress} from '../core/progress.js';
import type {Embedder} from '../adapters/embedder.js';
import {ruleTags} from '../core/tag-rules.js';
import {leafName} from '../core/taxonomy.js';
import {quantize, scoreAll, softmax} from '../core/vectors.js';
import type {EmbeddingStore, PendingImage, TagScore} from '../db/embeddings.js';
import type {Library} from '../library.js';
import {type ModelInput, modelInput} from '../media/model-input.js';
import type {Taxonomy} from './taxonomy-file.js';
import {embedTaxonomy, scoreImage} from './zero-shot.js';
import {clipLogitScale} from '../adapters/embedder.js';
import {type AddedVector, refreshVectorCache, updateVectorCache} from './vector-cache.js';

/** Settings keys in the catalog. */
export const modelSetting = 'ai.model';
const scoredSetting = (model: string) => `ai.scored:${model}`;

export type {TagProgress} from '../core/progress.js';

/** What one `curate tag` run did. */
export type TagSummary = {
	readonly model: string;
	readonly taxonomy: string;
	/** Contents embedded in this run. */
	readonly embedded: number;
	/** Contents that already had an embedding for this model. */
	readonly alreadyEmbedded: number;
	/** Contents scored again because the taxonomy changed. */
	readonly rescored: number;
	readonly errors: ReadonlyArray<{readonly path: string; readonly error: string}>;
	/** Tag counts over present photos after the run. */
	readonly tags: ReadonlyArray<{readonly tag: string; readonly count: number}>;
	readonly seconds: number;
	readonly interrupted: boolean;
};

/** Options of `tagLibrary`. */
export type TagOptions = {
	/** Photos embedded (and committed) together; default 32. */
	readonly batch?: number;
	readonly signal?: AbortSignal;
};

type Prepared = {readonly file: PendingImage; readonly input?: ModelInput; readonly error?: string};

async function prepare(library: Library, files: readonly PendingImage[], size: number): Promise<Prepared[]> {
	return Promise.all(
		files.map(async file => {
			try {
				return {file, input: await modelInput({absolute: path.join(library.root, file.path), thumb: file.thumb, format: file.format}, library.dir, size)};
			} catch (error) {
				return {file, error: (error as Error).message};
			}
		}),
	);
}

/** CLIP scores of every stored embedding against the taxonomy again, committed in chunks. Returns how many. */
function rescoreAll(store: EmbeddingStore, embedder: Embedder, tagVectors: Float32Array, taxonomy: Taxonomy): number {
	const {sha256s, scales, matrix, dimensions} = store.loadMatrix(embedder.key);
	const rows = sha256s.length;
	const perTag = taxonomy.tags.map((_, t) => scoreAll(matrix, scales, dimensions, tagVectors.subarray(t * dimensions, (t + 1) * dimensions)));
	const chunk = 5000;
	for (let start = 0; start < rows; start += chunk) {
		const tags: TagScore[] = [];
		const end = Math.min(rows, start + chunk);
		for (let row = start; row < end; row++) {
			const shares = softmax(perTag.map(scores => scores[row]!), clipLogitScale);
			for (const [t, tag] of taxonomy.tags.entries()) {
				if (shares[t]! >= tag.threshold) {
					tags.push({sha256: sha256s[row]!, tag: tag.name, confidence: Math.round(shares[t]! * 1000) / 1000});
				}
			}
		}

		store.replaceClipTags(embedder.key, sha256s.slice(start, end), tags);
	}

	return rows;
}

/**
 * `curate tag`'s engine (issue 6): embeds every present photo content that lacks an embedding for this model, in
 * batches committed one transaction each (an interrupted run keeps them and the next carries on), scoring each new
 * embedding against the taxonomy as it goes; then re-scores older embeddings if the taxonomy changed, and applies
 * the metadata rules. The next batch's pixels are prepared (sharp, on libuv's threads) while the model runs the
 * current one, so both cores stay busy.
 */
export async function tagLibrary(library: Library, store: EmbeddingStore, embedder: Embedder, taxonomy: Taxonomy, options: TagOptions, onProgress: (progress: TagProgress) => void = () => {}): Promise<TagSummary> {
	const started = performance.now();
	const batchSize = Math.max(1, options.batch ?? 32);
	const catalog = store.catalog;
	catalog.setSetting(modelSetting, embedder.source.spec);
	const tagVectors = await embedTaxonomy(embedder, taxonomy.tags);
	const alreadyEmbedded = store.embeddedCount(embedder.key).count;
	const previousDigest = catalog.setting(scoredSetting(embedder.key));
	const pending = store.pendingImages(embedder.key);
	const stampBefore = store.vectorStamp(embedder.key);
	// Kept for merging into the vector cache file; a run that large rebuilds the file from the catalog instead.
	const keep = pending.length <= 100_000;
	const added: AddedVector[] = [];
	const errors: Array<{path: string; error: string}> = [];
	let done = 0;
	let embedded = 0;
	onProgress({phase: 'embedding', total: pending.length, done, errors: 0});
	const batches: PendingImage[][] = [];
	for (let i = 0; i < pending.length; i += batchSize) {
		batches.push(pending.slice(i, i + batchSize));
	}

	let next = batches.length > 0 ? prepare(library, batches[0]!, embedder.inputSize) : undefined;
	for (let b = 0; b < batches.length && !options.signal?.aborted; b++) {
		const prepared = await next!;
		next = b + 1 < batches.length ? prepare(library, batches[b + 1]!, embedder.inputSize) : undefined;
		const ready = prepared.filter(item => item.input);
		for (const item of prepared) {
			if (item.error) {
				errors.push({path: item.file.path, error: item.error});
			}
		}

		const vectors = await embedder.embedImages(ready.map(item => item.input!));
		const dimensions = embedder.dimensions;
		const rows = ready.map((item, index) => ({sha256: item.file.sha256, vector: vectors.subarray(index * dimensions, (index + 1) * dimensions)}));
		const quantized = rows.map(row => ({sha256: row.sha256, ...quantize(row.vector)}));
		store.commitBatch(
			embedder.key,
			quantized,
			rows.flatMap(row => scoreImage(row.sha256, row.vector, tagVectors, taxonomy.tags)),
		);
		if (keep) {
			added.push(...quantized);
		}

		embedded += rows.length;
		done += prepared.length;
		onProgress({phase: 'embedding', total: pending.length, done, errors: errors.length, current: prepared.at(-1)?.file.path});
	}

	await next?.catch(() => undefined);
	if (embedded > 0) {
		try {
			// Written now so the first search after tagging reads one file instead of every row of the catalog.
			if (keep) {
				updateVectorCache(store, library.dir, embedder.key, stampBefore, added);
			} else {
				refreshVectorCache(store, library.dir, embedder.key);
			}
		} catch {
			// A cache that cannot be written is rebuilt by the next search; tagging itself succeeded.
		}
	}

	const interrupted = Boolean(options.signal?.aborted);
	let rescored = 0;
	if (!interrupted) {
		if (previousDigest !== taxonomy.digest && alreadyEmbedded > 0) {
			onProgress({phase: 'scoring', total: pending.length, done, errors: errors.length});
			rescored = rescoreAll(store, embedder, tagVectors, taxonomy);
		}

		catalog.setSetting(scoredSetting(embedder.key), taxonomy.digest);
		onProgress({phase: 'rules', total: pending.length, done, errors: errors.length});
		// A rule tag takes the taxonomy's name for the same thing (screenshot → objects/screenshot) when it has one.
		const names = new Map(taxonomy.tags.map(tag => [leafName(tag.name), tag.name]));
		store.replaceRuleTags(ruleTags(store.ruleInputs(), tag => names.get(tag) ?? tag));
	}

	return {
		model: embedder.key,
		taxonomy: taxonomy.file,
		embedded,
		alreadyEmbedded,
		rescored,
		errors,
		tags: store.tagCounts(),
		seconds: (performance.now() - started) / 1000,
		interrupted,
	};
}
