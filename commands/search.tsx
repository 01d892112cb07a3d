import {loadEmbedder} from '../source/adapters/embedder.js';
import {chooseModel, downloadReporter} from '../source/ai/model-choice.js';
import {searchLibrary} from '../source/ai/search.js';
import {loadTaxonomy} from '../source/ai/taxonomy-file.js';
import type {CommandContext} from '../source/command.js';
import {middleEllipsis, safeJson, sanitize} from '../source/core/sanitize.js';
import {parseQuery} from '../source/core/search-query.js';
import {EmbeddingStore} from '../source/db/embeddings.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './search.spec.js';

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
