import {loadTaxonomy} from '../source/ai/taxonomy-file.js';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {tagStats} from '../source/tags/learning.js';

export {description, usage, examples, flags} from './tags-stats.spec.js';

const fixed = (value: number | null) => (value === null ? '–' : value.toFixed(3));

/** `curate tags stats`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const taxonomy = loadTaxonomy(library, {cwd, create: false});
	const catalog = openForRead(library);
	try {
		const tags = tagStats(catalog, taxonomy);
		if (options.json) {
			stdout.write(safeJson({tags}) + '\n');
			return 0;
		}

		if (tags.length === 0) {
			stdout.write('No tags yet: curate tag suggests them.\n');
			return 0;
		}

		const width = Math.max(3, ...tags.map(row => [...sanitize(row.tag)].length));
		stdout.write(`${'tag'.padEnd(width)}  ever suggested  pending  confirmed  rejected  added  precision  threshold\n`);
		for (const row of tags) {
			const threshold = row.threshold === null ? '–' : row.learnedThreshold !== row.threshold ? `${fixed(row.threshold)} → ${fixed(row.learnedThreshold)}` : fixed(row.threshold);
			stdout.write(
				`${sanitize(row.tag).padEnd(width)}  ${String(row.everSuggested).padStart(14)}  ${String(row.pending).padStart(7)}  ${String(row.confirmed).padStart(9)}  ${String(row.rejected).padStart(8)}  ${String(row.added).padStart(5)}  ${fixed(row.precision).padStart(9)}  ${threshold}\n`,
			);
		}

		return 0;
	} finally {
		catalog.close();
	}
}
