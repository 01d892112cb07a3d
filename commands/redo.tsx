import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {batchArgument, withJournal} from '../source/journal/session.js';
import {batchReporter} from '../source/ui/batch-progress.js';

export {description, usage, examples, flags} from './redo.spec.js';

/** `curate redo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	return withJournal({library: options.library as string | undefined, cwd, stderr}, async journal => {
		const reporter = batchReporter({stdout, stderr, json: Boolean(options.json), name: 'redo', verb: 'Redoing'});
		const result = await journal.redo(id, {onProgress: reporter.onProgress}).finally(reporter.finish);
		stdout.write(
			options.json
				? safeJson({batch: result.batch, state: result.state, operations: result.operations.length}) + '\n'
				: `Redid batch ${result.batch}: ${result.operations.length} operation${result.operations.length === 1 ? '' : 's'} applied again.\n`,
		);
		return 0;
	});
}
