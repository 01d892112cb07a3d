import type {Catalog} from '../db/catalog.js';
import type {Journal} from '../journal/journal.js';
import {withJournal} from '../journal/session.js';
import type {Library} from '../library.js';
import {type Outcome, type Run, runCommand} from './lifecycle.js';

/**
 * The lifecycle of a command that runs journal batches (undo, redo, restore, dupes --apply): the library open for
 * writing with recovery said on stderr, progress, the summary and the exit code. Not interruptible part-way: Ctrl-C
 * keeps its default meaning, and a batch cut short is settled from the journal when the library is next opened.
 */
export async function runBatchCommand(
	options: {
		readonly name: string;
		readonly library: string | undefined;
		readonly cwd: string;
		readonly stdout: NodeJS.WriteStream;
		readonly stderr: NodeJS.WriteStream;
		readonly json: boolean;
	},
	work: (journal: Journal, catalog: Catalog, run: Run & {readonly library: Library}) => Promise<Outcome>,
): Promise<number> {
	const {name, stdout, stderr, json} = options;
	return runCommand({name, stdout, stderr, json, interrupt: false}, async run =>
		withJournal({library: options.library, cwd: options.cwd, stderr}, async (journal, catalog, library) => work(journal, catalog, {...run, library})),
	);
}
