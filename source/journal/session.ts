import {sanitize} from '../core/sanitize.js';
import type {Catalog} from '../db/catalog.js';
import {findLibrary, type Library, UserError} from '../library.js';
import {type Journal, openJournal} from './journal.js';

/**
 * Runs a write command's work with the library open for writing (under its lock, recovery done), telling the user
 * on stderr what recovery settled, and closing everything afterwards.
 */
export async function withJournal<T>(
	where: {readonly library?: string | undefined; readonly cwd: string; readonly stderr: NodeJS.WritableStream},
	work: (journal: Journal, catalog: Catalog, library: Library) => Promise<T>,
): Promise<T> {
	const library = findLibrary({library: where.library, cwd: where.cwd});
	const {journal, catalog, close} = await openJournal(library);
	try {
		for (const line of journal.recovered) {
			where.stderr.write(`curate: recovered an interrupted ${sanitize(line)}\n`);
		}

		return await work(journal, catalog, library);
	} finally {
		close();
	}
}

/** Parses an optional batch id argument. */
export function batchArgument(input: readonly string[]): number | undefined {
	if (input.length > 1) {
		throw new UserError('give at most one batch id');
	}

	if (input[0] === undefined) {
		return undefined;
	}

	if (!/^\d+$/.test(input[0])) {
		throw new UserError(`"${input[0]}" is not a batch id (see curate journal)`);
	}

	return Number(input[0]);
}

