// `curate watch`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Watch an upload folder and import each file once it has stopped changing';
export const usage = 'curate watch INBOX [--pattern …] [--settle 10s] [--settle-limit 1h] [--once]';
export const examples = ['curate watch /volume1/upload --library /volume1/photo', 'curate watch ~/Sync/phone --once --settle 30s   # from cron'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	pattern: {type: 'string', description: 'Target folders, tokens as for import (default: config, else {year}/{year}-{month}-{day})'},
	settle: {type: 'string', default: '10s', description: 'A file is imported once its size and mtime have not changed for this long (a duration with its unit: 500ms, 10s, 2m) and it decodes completely'},
	settleLimit: {type: 'string', default: '1h', description: 'A file that still does not decode completely this long (a duration with its unit: 30m, 1h) after its last change is imported as it is, logged as damaged'},
	once: {type: 'boolean', default: false, description: 'Import what is there (waiting once for it to settle), then exit'},
	gap: {type: 'string', description: 'A capture-time gap longer than this starts a new {event}: a duration with its unit, 90m, 6h, 1d (default: config, else 6h)'},
	undated: {type: 'string', choices: ['mtime', 'unknown'], description: 'Files without a metadata date: "mtime" (file time, default) or "unknown"'},
};
