import type {CommandContext} from '../source/command.js';
import {describe} from '../source/journal/kinds/index.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {batchArgument, withJournal} from '../source/journal/session.js';
import {batchReporter} from '../source/ui/batch-progress.js';

export {description, usage, examples, flags} from './undo.spec.js';

/** `curate undo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	return withJournal({library: options.library as string | undefined, cwd, stderr}, async journal => {
		const reporter = batchReporter({stdout, stderr, json: Boolean(options.json), name: 'undo', verb: 'Undoing'});
		const result = await journal.undo(id, {onProgress: reporter.onProgress}).finally(reporter.finish);
		if (options.json) {
			stdout.write(safeJson({batch: result.batch, state: result.state, operations: result.operations.length}) + '\n');
		} else {
			stdout.write(`Undid batch ${result.batch}: ${result.operations.length} operation${result.operations.length === 1 ? '' : 's'} taken back.\n`);
			for (const op of result.operations.slice(0, 20)) {
				stdout.write(`  ${sanitize(describe(op))}\n`);
			}

			if (result.operations.length > 20) {
				stdout.write(`  … and ${result.operations.length - 20} more (curate journal --json)\n`);
			}
		}

		return 0;
	});
}
