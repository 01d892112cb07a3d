// `curate tags import`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Bulk-edit tags from a CSV (path, tag, confidence, state) as one journal batch; unknown paths are reported';
export const usage = 'curate tags import FILE.csv [--dry-run] [--embed] [--json]';
export const examples = ['curate tags import tags.csv --dry-run', 'curate tags import tags.csv', 'curate tags export --csv | grep ,beach, | sed s/,suggested/,confirmed/ > beach.csv'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	dryRun: {type: 'boolean', default: false, description: 'Show what would change; change nothing'},
	embed: {type: 'boolean', default: false, description: 'Write keywords into the photo files instead of XMP sidecars'},
};
