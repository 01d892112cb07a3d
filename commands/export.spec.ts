// `curate export`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Write shareable copies: upright, sRGB, resized if asked, GPS and serial numbers removed';
export const usage = 'curate export SELECTION... --to DIR [--matches N] [--max-size PX] [--format jpeg|webp] [--quality Q] [--strip gps|all|none] [--keep-maker-notes] [--keep-faces] [--dry-run] [--json]';
export const examples = [
	'curate export "2021/2021-07-14" --to ~/share/nice --max-size 2048',
	'curate export year:2023 camera:nikon --to /tmp/out --format webp',
	'curate export path:"Buenos Aires" --to out --dry-run',
	'curate export tag:beach year:2021 --to ~/share/beach',
	'curate export "red car" --matches 20 --to /tmp/cars',
];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	to: {type: 'string', description: 'Folder to write the copies into (created if needed; files there are never overwritten)'},
	maxSize: {type: 'number', description: 'Longest side in pixels (never enlarged; default: full size)'},
	format: {type: 'string', default: 'jpeg', choices: ['jpeg', 'jpg', 'webp'], description: 'jpeg (or jpg) or webp'},
	quality: {type: 'number', default: 85, description: 'Encoder quality, 1-100'},
	strip: {
		type: 'string',
		default: 'gps',
		choices: ['gps', 'all', 'none'],
		description: 'gps: remove location, serial numbers, owner names and maker notes; keep date, camera, keywords, rating, title and description (a sidecar\'s win over the file\'s own); all: remove all metadata; none: keep all',
	},
	keepMakerNotes: {
		type: 'boolean',
		default: false,
		description:
			'With --strip gps: keep the maker notes exiftool can decode, minus their serial-number and owner tags (a photo whose maker notes hold one exiftool cannot remove is refused); undecodable maker notes still go',
	},
	keepFaces: {
		type: 'boolean',
		default: false,
		description: 'With --strip gps: keep face regions (turned upright with the copy) and the names of the people in the photo; by default they are removed',
	},
	dryRun: {type: 'boolean', default: false, description: 'Show what would be written, write nothing'},
	matches: {type: 'number', default: 50, description: 'A free-text term ("red car") selects its N best matches (needs curate tag first)'},
};
