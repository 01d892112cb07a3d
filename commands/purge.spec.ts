// `curate purge`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Delete files from the trash for good: the only command that deletes, journaled, not undoable';
export const usage = 'curate purge [--older-than 30d] [--force] [--dry-run] [--json]';
export const examples = ['curate purge --dry-run', 'curate purge', 'curate purge --older-than 0 --force'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	olderThan: {type: 'string', description: 'Only items trashed at least this long ago, a duration with its unit: 30d, 12h, 90m; a bare number is refused (default: the retention, 30d or journal.retentionDays in .curate/config.json)'},
	force: {type: 'boolean', default: false, description: 'Allow --older-than shorter than the retention'},
	dryRun: {type: 'boolean', default: false, description: 'Say what would be deleted, delete nothing'},
};
