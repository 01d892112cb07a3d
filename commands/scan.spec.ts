// `curate scan`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';
import {defaultIgnores} from '../source/scan/walk.js';

export const description = 'Index a folder of photos into its library\'s catalog (the nearest .curate at or above it; a new one if there is none)';
export const usage = 'curate scan [DIR] [--json] [--force] [--ignore NAME]... [--accept PATH]... [--new-library]';
export const examples = [
	'curate scan ~/Photos',
	'cd ~/Photos/2024 && curate scan',
	'curate scan /volume1/photo --json > scan.json',
	'curate scan . --ignore "Lightroom*" --ignore tmp',
	'curate scan --accept 2019/IMG_0001.jpg',
];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	force: {type: 'boolean', default: false, description: 'Re-read every file, even unchanged ones (bit rot found this way is reported, never adopted)'},
	accept: {
		type: 'string',
		isMultiple: true,
		description: 'Take this file\'s current bytes as right although its content changed while size and mtime did not; repeatable',
	},
	newLibrary: {type: 'boolean', default: false, description: 'Start a separate library at DIR even if DIR lies inside another library'},
	ignore: {type: 'string', isMultiple: true, description: 'Also skip files and folders with this name (glob: * and ?); repeatable'},
	defaultIgnores: {
		type: 'boolean',
		default: true,
		description: `Skip NAS/desktop clutter (${defaultIgnores.slice(0, 7).join(', ')} …); --no-default-ignores scans them`,
	},
	followSymlinks: {type: 'boolean', default: false, description: 'Follow symbolic links (each real folder is visited once)'},
	fullMetadata: {type: 'boolean', default: false, description: 'Read all metadata with exiftool (slower; adds lens names only maker notes hold)'},
	concurrency: {type: 'number', description: 'Files analysed at once (default: cores + 2)'},
};
