// `curate tags export`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Export every photo\'s tags as CSV: path, tag, confidence, state';
export const usage = 'curate tags export --csv [FILE]';
export const examples = ['curate tags export --csv > tags.csv', 'curate tags export --csv tags.csv'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	csv: {type: 'boolean', default: false, description: 'CSV (RFC 4180, one row per file and tag); the only format, so required'},
};
