import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {describe} from '../source/journal/kinds/index.js';
import {batchArgument} from '../source/journal/session.js';
import {runBatchCommand} from '../source/run/batch-command.js';

export {description, usage, examples, flags} from './undo.spec.js';

/** `curate undo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	const where = {name: 'undo', library: options.library as string | undefined, cwd, stdout, stderr, json: Boolean(options.json)};
	return runBatchCommand(where, async (journal, _catalog, {progress}) => {
		const {batch, state, operations} = await journal.undo(id, {onProgress: await progress({kind: 'batch', verb: 'Undoing'})});
		const more = operations.length > 20 ? [`  … and ${operations.length - 20} more (curate journal --json)`] : [];
		const lines = () => [`Undid batch ${batch}: ${operations.length} operation${operations.length === 1 ? '' : 's'} taken back.`, ...operations.slice(0, 20).map(op => `  ${sanitize(describe(op))}`), ...more];
		return {json: {batch, state, operations: operations.length}, text: lines};
	});
}
