import type {CommandContext} from '../source/command.js';
import {batchArgument} from '../source/journal/session.js';
import {runBatchCommand} from '../source/run/batch-command.js';

export {description, usage, examples, flags} from './redo.spec.js';

/** `curate redo`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const id = batchArgument(input);
	const where = {name: 'redo', library: options.library as string | undefined, cwd, stdout, stderr, json: Boolean(options.json)};
	return runBatchCommand(where, async (journal, _catalog, {progress}) => {
		const {batch, state, operations} = await journal.redo(id, {onProgress: await progress({kind: 'batch', verb: 'Redoing'})});
		const line = `Redid batch ${batch}: ${operations.length} operation${operations.length === 1 ? '' : 's'} applied again.`;
		return {json: {batch, state, operations: operations.length}, text: () => [line]};
	});
}
