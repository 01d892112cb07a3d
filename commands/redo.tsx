import type {CommandContext} from '../source/command.js';
import {batchArgument, withJournal} from '../source/journal/session.js';
import {runCommand} from '../source/run/lifecycle.js';

export {description, usage, examples, flags} from './redo.spec.js';

/** `curate redo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	// Not interruptible part-way: a killed redo is settled from the journal when the library is next opened.
	return runCommand({name: 'redo', stdout, stderr, json: Boolean(options.json), interrupt: false}, async ({progress}) =>
		withJournal({library: options.library as string | undefined, cwd, stderr}, async journal => {
			const result = await journal.redo(id, {onProgress: await progress({kind: 'batch', verb: 'Redoing'})});
			const count = result.operations.length;
			return {
				json: {batch: result.batch, state: result.state, operations: count},
				text: () => [`Redid batch ${result.batch}: ${count} operation${count === 1 ? '' : 's'} applied again.`],
			};
		}),
	);
}
