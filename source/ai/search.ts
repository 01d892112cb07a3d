import type {Embedder} from '../adapters/embedder.js';
import {hasFilters, type SearchQuery} from '../core/search-query.js';
import type {TaxonomyTag} from '../core/taxonomy.js';
import {topK} from '../core/vectors.js';
import type {EmbeddingStore} from '../db/embeddings.js';
import {UserError} from '../library.js';
import {type ScorerOptions, VectorScorer} from './score-pool.js';
import {loadVectors, markRows, shaAt} from './vector-cache.js';

/** One search hit: a present file, its cosine with the query text (null for a filter-only query) and its tags. */
export type SearchResult = {readonly path: string; readonly score: number | null; readonly tags: string[]};

/** Options of `searchLibrary`. */
export type SearchOptions = {
	/** Needed when the query has text. */
	readonly embedder?: Embedder;
	readonly taxonomy: readonly TaxonomyTag[];
	readonly limit: number;
	/** The library's `.curate` folder, where the vector cache file lives. */
	readonly curateDir: string;
	readonly scorer?: ScorerOptions;
};

/**
 * `curate search`'s engine (issue 6). With text: the text's embedding against every stored embedding of the model,
 * read from the vector cache file (rebuilt from the catalog when stale), scored by the SIMD kernel on every core,
 * then a size-k heap; filters become one SQL query whose contents mark a row mask, and only those rows are scored.
 * Without text: the files the filters allow, newest capture first. Exact copies share a content and so a score;
 * each copy is listed.
 */
export async function searchLibrary(store: EmbeddingStore, query: SearchQuery, options: SearchOptions): Promise<SearchResult[]> {
	const withTags = (path: string, sha256: string, score: number | null): SearchResult => ({path, score, tags: store.tagsOf(sha256).map(tag => tag.tag).filter((tag, index, all) => all.indexOf(tag) === index)});
	if (!query.text) {
		if (!hasFilters(query)) {
			throw new UserError('nothing to search for: give words (curate search beach) or filters (tag:, year:, camera:, path:)');
		}

		return store.filteredFiles(query, options.taxonomy, options.limit).map(row => withTags(row.path, row.sha256, null));
	}

	const embedder = options.embedder!;
	const vectors = loadVectors(store, options.curateDir, embedder.key);
	if (vectors.rows === 0) {
		throw new UserError(`no photo has an embedding for model ${embedder.key} yet: run curate tag${embedder.source.kind === 'folder' ? ` --model ${embedder.source.spec}` : ''} first`);
	}

	const scorer = await VectorScorer.open(vectors, options.scorer);
	try {
		const masked = hasFilters(query);
		if (masked && markRows(vectors, store.filteredContents(query, options.taxonomy), scorer.mask) === 0) {
			return [];
		}

		const text = await embedder.embedTexts([query.text]);
		const scores = await scorer.score(text, masked);
		// Stored embeddings can belong to contents no longer present; ask for more rows until enough have files.
		for (let wanted = options.limit * 2; ; wanted *= 4) {
			const results: SearchResult[] = [];
			const rows = topK(scores, wanted, masked ? row => scores[row] !== Number.NEGATIVE_INFINITY : undefined);
			for (const row of rows) {
				const sha256 = shaAt(vectors, row);
				for (const file of store.catalog.filesBySha(sha256)) {
					if (results.length < options.limit) {
						results.push(withTags(file.path, sha256, Math.round(scores[row]! * 10_000) / 10_000));
					}
				}
			}

			if (results.length >= options.limit || rows.length < wanted) {
				return results;
			}
		}
	} finally {
		await scorer.close();
	}
}
