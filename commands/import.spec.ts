// `curate import`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Copy (or with --move, move) new photos and videos from cards, phones or folders into the library, by date';
export const usage = 'curate import SRC... [--pattern "{year}/{year}-{month}-{day}"] [--move] [--dry-run] [--json]';
export const examples = [
	'curate import /media/card --dry-run',
	'curate import /media/card ~/Downloads/phone --pattern "{year}/{event}"',
	'curate import /media/card --move   # empties the card of what was imported; curate undo puts it back',
	'curate import /volume1/upload/*.jpg --library /volume1/photo --json',
];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	pattern: {type: 'string', description: 'Target folders: {year} {month} {day} {hour} {minute} {second} {date} {event} {camera} {make} {model} {kind} {name} {ext} (default: config, else {year}/{year}-{month}-{day})'},
	dryRun: {type: 'boolean', default: false, description: 'Show where each file would go; copy nothing'},
	move: {type: 'boolean', default: false, description: 'Remove each source once its copy in the library is verified (curate undo puts the sources back)'},
	gap: {type: 'string', description: 'A capture-time gap longer than this starts a new {event}: a duration with its unit, 90m, 6h, 1d (default: config, else 6h)'},
	undated: {type: 'string', choices: ['mtime', 'unknown'], description: 'Files without a metadata date: "mtime" (file time, default) or "unknown" (an unknown folder)'},
	concurrency: {type: 'number', description: 'Files read at once (default: cores + 2)'},
};
