import {type CommandContext, type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {batchArgument, withJournal} from '../source/journal/session.js';

export const description = 'Re-apply the most recently undone batch (or BATCH)';
export const usage = 'curate redo [BATCH] [--json]';
export const examples = ['curate redo'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};

/** `curate redo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	return withJournal({library: options.library as string | undefined, cwd, stderr}, async journal => {
		const result = await journal.redo(id);
		stdout.write(
			options.json
				? safeJson({batch: result.batch, state: result.state, operations: result.operations.length}) + '\n'
				: `Redid batch ${result.batch}: ${result.operations.length} operation${result.operations.length === 1 ? '' : 's'} applied again.\n`,
		);
		return 0;
	});
}
