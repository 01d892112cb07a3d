// `curate journal`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'List the journal of changes; export it as JSON Lines, or replay an export on this library';
export const usage = 'curate journal [--json] [--limit N] | curate journal export [BATCH] [FILE] | curate journal replay FILE [--dry-run] [--json]';
export const examples = ['curate journal', 'curate journal --json --limit 5', 'curate journal export decisions.jsonl', 'curate journal export 12 batch-12.jsonl', 'curate journal replay decisions.jsonl --dry-run'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	limit: {type: 'number', default: 20, description: 'Batches listed, newest first'},
	dryRun: {type: 'boolean', default: false, description: 'replay: show what would be applied, change nothing'},
};
