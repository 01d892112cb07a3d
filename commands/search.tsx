import {loadEmbedder} from '../source/adapters/embedder.js';
import {chooseModel, downloadReporter} from '../source/ai/model-choice.js';
import {searchLibrary} from '../source/ai/search.js';
import {loadTaxonomy} from '../source/ai/taxonomy-file.js';
import {type CommandContext, type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';
import {middleEllipsis, safeJson, sanitize} from '../source/core/sanitize.js';
import {parseQuery} from '../source/core/search-query.js';
import {EmbeddingStore} from '../source/db/embeddings.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';

export const description = 'Find photos by what they show ("beach at sunset"), with filters tag:, year:, camera:, path:';
export const usage = 'curate search "QUERY" [--limit N] [--json] [--model ID|DIR]';
export const examples = ['curate search "dog on the beach"', 'curate search sunset year:2019 tag:places', 'curate search tag:birthday camera:pixel --json', 'curate search "red car" path:2021/'];

export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	limit: {type: 'number', default: 20, description: 'Results shown'},
	model: {type: 'string', description: 'Model folder or hub id (default: the model the library was tagged with)'},
};

/** `curate search`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const limit = Number(options.limit);
	if (!Number.isInteger(limit) || limit < 1) {
		throw new UserError('--limit must be a whole number of at least 1');
	}

	let query;
	try {
		query = parseQuery(input.join(' '));
	} catch (error) {
		throw new UserError((error as Error).message);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRead(library);
	try {
		const embedder = query.text ? await loadEmbedder(chooseModel(options.model as string | undefined, catalog), {cwd, onDownload: downloadReporter(stderr)}) : undefined;
		try {
			const taxonomy = loadTaxonomy(library, {cwd, create: false});
			const results = await searchLibrary(new EmbeddingStore(catalog), query, {embedder, taxonomy: taxonomy.tags, limit, curateDir: library.dir});
			if (options.json) {
				stdout.write(safeJson({results}) + '\n');
			} else if (results.length === 0) {
				stdout.write('No photos found.\n');
			} else {
				const columns = stdout.columns || 100;
				const lines = results.map(result => {
					const score = result.score === null ? '' : `${result.score.toFixed(3)}  `;
					const tags = result.tags.length > 0 ? `  ${sanitize(result.tags.slice(0, 4).join(', '))}` : '';
					return `${score}${middleEllipsis(sanitize(result.path), Math.max(20, columns - score.length - Math.min(tags.length, 40) - 1))}${tags}`;
				});
				stdout.write(lines.join('\n') + '\n');
			}
		} finally {
			await embedder?.dispose();
		}

		return 0;
	} finally {
		catalog.close();
	}
}
