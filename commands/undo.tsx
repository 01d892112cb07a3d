import type {CommandContext} from '../source/command.js';
import {describe} from '../source/core/journal.js';
import {sanitize} from '../source/core/sanitize.js';
import {batchArgument, withJournal} from '../source/journal/session.js';
import {runCommand} from '../source/run/lifecycle.js';

export {description, usage, examples, flags} from './undo.spec.js';

/** `curate undo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	// Not interruptible part-way: a killed undo is settled from the journal when the library is next opened.
	return runCommand({name: 'undo', stdout, stderr, json: Boolean(options.json), interrupt: false}, async ({progress}) =>
		withJournal({library: options.library as string | undefined, cwd, stderr}, async journal => {
			const result = await journal.undo(id, {onProgress: await progress({kind: 'batch', verb: 'Undoing'})});
			const count = result.operations.length;
			return {
				json: {batch: result.batch, state: result.state, operations: count},
				text: () => [
					`Undid batch ${result.batch}: ${count} operation${count === 1 ? '' : 's'} taken back.`,
					...result.operations.slice(0, 20).map(op => `  ${sanitize(describe(op))}`),
					...(count > 20 ? [`  … and ${count - 20} more (curate journal --json)`] : []),
				],
			};
		}),
	);
}
