import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {tagRowsOf} from '../source/db/tag-review.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './tags-list.spec.js';

/** `curate tags list`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const catalog = openForRead(findLibrary({library: options.library as string | undefined, cwd}));
	try {
		// Counted per photo content; a tag a person added by hand counts as confirmed.
		const tags = tagRowsOf(catalog)
			.counts()
			.map(row => ({tag: row.tag, suggested: row.pending, confirmed: row.confirmed + row.added, rejected: row.rejected}));
		if (options.json) {
			stdout.write(safeJson({tags}) + '\n');
			return 0;
		}

		if (tags.length === 0) {
			stdout.write('No tags yet: curate tag suggests them.\n');
			return 0;
		}

		const width = Math.max(3, ...tags.map(row => [...sanitize(row.tag)].length));
		stdout.write(`${'tag'.padEnd(width)}  suggested  confirmed  rejected\n`);
		for (const row of tags) {
			stdout.write(`${sanitize(row.tag).padEnd(width)}  ${String(row.suggested).padStart(9)}  ${String(row.confirmed).padStart(9)}  ${String(row.rejected).padStart(8)}\n`);
		}

		return 0;
	} finally {
		catalog.close();
	}
}
