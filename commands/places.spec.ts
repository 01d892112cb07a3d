// `curate places`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Find where photos with GPS were taken (country, region, town, local time), offline; --write puts it in their sidecars';
export const usage = 'curate places [--write] [--json]';
export const examples = ['curate places', 'curate places --write', 'curate places --json'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	write: {type: 'boolean', default: false, description: 'Also write each place into the photo\'s XMP sidecar (keywords Places|Country|Town, City, Country): one journal batch, undoable'},
};
