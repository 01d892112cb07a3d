// `curate organize`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Rearrange the library into a folder pattern by date and event (a tree preview unless --apply)';
export const usage = 'curate organize [--pattern "{year}/{event}"] [--gap 6h] [--broken-to FOLDER] [--apply] [--json]';
export const examples = ['curate organize --pattern "{year}/{event}"', 'curate organize --pattern "{year}/{year}-{month}" --apply', 'curate organize --json > plan.json'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	pattern: {type: 'string', description: 'Target folders, tokens as for import (default: config, else {year}/{year}-{month}-{day})'},
	gap: {type: 'string', description: 'A capture-time gap longer than this starts a new {event}: a duration with its unit, 90m, 6h, 1d (default: config, else 6h)'},
	undated: {type: 'string', choices: ['mtime', 'unknown'], description: 'Files without a metadata date: "mtime" (file time, default) or "unknown"'},
	brokenTo: {type: 'string', description: 'Move broken (unreadable or damaged) files into this library folder; by default they stay where they are'},
	apply: {type: 'boolean', default: false, description: 'Move the files (one journal batch, undoable); without it nothing moves'},
};
