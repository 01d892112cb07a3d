import type {Embedder} from '../adapters/embedder.js';
import {hasFilters, type SearchQuery} from '../core/search-query.js';
import type {TaxonomyTag} from '../core/taxonomy.js';
import {scoreAll, topK} from '../core/vectors.js';
import type {EmbeddingStore} from '../db/embeddings.js';
import {UserError} from '../library.js';

/** One search hit: a present file, its cosine with the query text (null for a filter-only query) and its tags. */
export type SearchResult = {readonly path: string; readonly score: number | null; readonly tags: string[]};

/**
 * `curate search`'s engine (issue 6). With text: the text's embedding against every stored embedding of the model
 * (one contiguous int8 matrix, integer dot products, a size-k heap), restricted to the files the filters allow.
 * Without text: the files the filters allow, newest capture first. Exact copies share a content and so a score;
 * each copy is listed.
 */
export async function searchLibrary(store: EmbeddingStore, query: SearchQuery, options: {readonly embedder?: Embedder; readonly taxonomy: readonly TaxonomyTag[]; readonly limit: number}): Promise<SearchResult[]> {
	const withTags = (path: string, sha256: string, score: number | null): SearchResult => ({path, score, tags: store.tagsOf(sha256).map(tag => tag.tag).filter((tag, index, all) => all.indexOf(tag) === index)});
	if (!query.text) {
		if (!hasFilters(query)) {
			throw new UserError('nothing to search for: give words (curate search beach) or filters (tag:, year:, camera:, path:)');
		}

		return store.filteredFiles(query, options.taxonomy, options.limit).map(row => withTags(row.path, row.sha256, null));
	}

	const embedder = options.embedder!;
	const {sha256s, scales, matrix, dimensions} = store.loadMatrix(embedder.key);
	if (sha256s.length === 0) {
		throw new UserError(`no photo has an embedding for model ${embedder.key} yet: run curate tag${embedder.source.kind === 'folder' ? ` --model ${embedder.source.spec}` : ''} first`);
	}

	const allowed = hasFilters(query) ? new Set(store.filteredFiles(query, options.taxonomy).map(row => row.sha256)) : undefined;
	const [text] = [await embedder.embedTexts([query.text])];
	const scores = scoreAll(matrix, scales, dimensions, text!);
	// Stored embeddings can belong to contents no longer present; ask for more rows until enough have files.
	for (let wanted = options.limit * 2; ; wanted *= 4) {
		const results: SearchResult[] = [];
		const rows = topK(scores, wanted, allowed ? index => allowed.has(sha256s[index]!) : undefined);
		for (const row of rows) {
			for (const file of store.catalog.filesBySha(sha256s[row]!)) {
				if (results.length < options.limit) {
					results.push(withTags(file.path, sha256s[row]!, Math.round(scores[row]! * 10_000) / 10_000));
				}
			}
		}

		if (results.length >= options.limit || rows.length < wanted) {
			return results;
		}
	}
}
