import {loadEmbedder} from '../adapters/embedder.js';
import {parseQuery} from '../core/search-query.js';
import type {TaxonomyTag} from '../core/taxonomy.js';
import type {Catalog} from '../db/catalog.js';
import {EmbeddingStore} from '../db/embeddings.js';
import {hasFaceTables} from '../db/faces.js';
import type {SelectionQueries} from '../export/selection.js';
import {type Library, UserError} from '../library.js';
import {downloadReporter} from './model-choice.js';
import {searchLibrary} from './search.js';
import {modelSetting} from './tag.js';
import {loadTaxonomy} from './taxonomy-file.js';

/** Options of `selectionQueries`. */
export type SelectionQueryOptions = {
	readonly cwd: string;
	/** The free-text terms of the selection (see `freeTextTerms`); each is searched once, up front. */
	readonly freeText: readonly string[];
	/** How many best matches a free-text term selects. */
	readonly matches: number;
	readonly stderr?: NodeJS.WriteStream;
};

/**
 * The AI engine's answers to `tag:` and free-text selection terms (issue 6 for `curate export`). `tag:NAME` selects
 * the present files carrying the tag (as `curate search tag:NAME` matches it: full names, parent levels, last parts,
 * aliases; rejected tags never count). A free-text term selects the files of its `matches` best-scoring contents
 * with the model the library was tagged with: CLIP scores have no threshold that holds across models and queries,
 * so a fixed count is what the user can predict. A library without tags, or without a recorded model for free text,
 * gets no hook, which makes such terms the selection's clear "run curate tag first" error.
 */
export async function selectionQueries(library: Library, catalog: Catalog, options: SelectionQueryOptions): Promise<SelectionQueries> {
	const store = new EmbeddingStore(catalog);
	let taxonomy: TaxonomyTag[] | undefined;
	const tags = () => {
		taxonomy ??= loadTaxonomy(library, {cwd: options.cwd, create: false}).tags;
		return taxonomy;
	};

	const tagged = store.hasTags();
	const tag = (value: string) => new Set(store.filteredFiles({text: '', tags: [value.toLowerCase()], years: [], cameras: [], paths: []}, tags()).map(row => row.path));
	// `place:` needs no tags, only `curate places` (issue 17).
	const place = (value: string) => new Set(store.filteredFiles({text: '', tags: [], years: [], cameras: [], paths: [], places: [value]}, tags()).map(row => row.path));
	// `person:` needs named faces, not tags (issue 19); a catalog without face tables has none.
	const person = hasFaceTables(catalog)
		? (value: string) => new Set(store.filteredFiles({text: '', tags: [], years: [], cameras: [], paths: [], persons: [value]}, tags()).map(row => row.path))
		: undefined;
	const model = catalog.setting(modelSetting);
	if (options.freeText.length === 0 || !model) {
		return {...(tagged ? {tag} : {}), place, ...(person ? {person} : {})};
	}

	const embedder = await loadEmbedder(model, {cwd: options.cwd, ...(options.stderr ? {onDownload: downloadReporter(options.stderr)} : {})});
	const found = new Map<string, Set<string>>();
	try {
		for (const term of options.freeText) {
			let query;
			try {
				query = parseQuery(term);
			} catch (error) {
				throw new UserError(`"${term}": ${(error as Error).message}`);
			}

			// eslint-disable-next-line no-await-in-loop
			const results = await searchLibrary(store, query, {embedder, taxonomy: tags(), limit: options.matches, curateDir: library.dir});
			found.set(term, new Set(results.map(result => result.path)));
		}
	} finally {
		await embedder.dispose();
	}

	return {...(tagged ? {tag} : {}), place, ...(person ? {person} : {}), search: term => found.get(term) ?? new Set()};
}
