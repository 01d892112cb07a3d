// `curate share`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Share photos by a time-limited link to copies without GPS (curate serve serves them)';
export const usage = 'curate share SELECTION... [--expires 7d] [--password-file F] [--allow-download] [--max-size 2048] [--keep-gps] [--title T] [--base-url URL] [--json]';
export const examples = [
	'curate share year:2019 --expires 1h',
	'curate share "2024/2024-07-14 Beach" --expires 7d --allow-download --title "Beach day"',
	'curate share place:lisbon year:2023 --password-file ~/.share-pass',
	'curate share list',
	'curate share add-recipient 3 "Aunt Marie"',
	'curate share log 3',
];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	expires: {type: 'string', default: '7d', description: 'How long the link stays open: 30m, 12h, 7d, 2w (at most 366d)'},
	passwordFile: {type: 'string', description: 'File whose first line is the password visitors must give (never on the command line)'},
	allowDownload: {type: 'boolean', default: false, description: 'Let visitors download the shared copies (default: view only)'},
	maxSize: {type: 'number', default: 2048, description: 'Longest side of the shared copies in pixels (never enlarged)'},
	keepGps: {type: 'boolean', default: false, description: 'Keep where the photos were taken (serial numbers, owner names and maker notes still go)'},
	title: {type: 'string', description: 'Title shown on the gallery page'},
	baseUrl: {type: 'string', description: 'Address visitors use to reach curate serve (default: share.baseUrl in .curate/config.json, else http://127.0.0.1:8080)'},
	matches: {type: 'number', default: 50, description: 'A free-text term ("red car") selects its N best matches (needs curate tag first)'},
};
