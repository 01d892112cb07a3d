import type {Embedder} from '../adapters/embedder.js';
import type {TagProgress} from '../core/progress.js';
import {Catalog} from '../db/catalog.js';
import {EmbeddingStore} from '../db/embeddings.js';
import type {Library} from '../library.js';
import {withLearnedThresholds} from './learning.js';
import {chooseModel} from '../ai/model-choice.js';
import {tagLibrary, type TagSummary} from '../ai/tag.js';
import {loadTaxonomy} from '../ai/taxonomy-file.js';

/**
 * The model `curate tag` uses: `--model`, else the library's, else the default. Read from the catalog opened
 * read-only, so not even a schema migration happens before the model is known to load.
 */
export function modelForTagging(library: Library, flag: string | undefined): string {
	const reader = Catalog.open(library.catalogPath, {readonly: true});
	try {
		return chooseModel(flag, reader);
	} finally {
		reader.close();
	}
}

/**
 * One `curate tag` run over a catalog open for writing: the taxonomy (created on first use, or `--taxonomy`), with
 * thresholds moved by reviewed photos (issue 7: corrections make the next suggestions better), then `tagLibrary`.
 */
export async function tagWithLearnedThresholds(
	library: Library,
	catalog: Catalog,
	embedder: Embedder,
	options: {readonly taxonomy?: string; readonly cwd: string; readonly batch: number; readonly signal: AbortSignal},
	onProgress: (progress: TagProgress) => void,
): Promise<TagSummary> {
	const taxonomy = withLearnedThresholds(catalog, loadTaxonomy(library, {override: options.taxonomy, cwd: options.cwd, create: true}));
	return tagLibrary(library, new EmbeddingStore(catalog), embedder, taxonomy, {batch: options.batch, signal: options.signal}, onProgress);
}
