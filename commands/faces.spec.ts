// `curate faces`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Find faces in every photo with a local model (offline), store their boxes and descriptors, and group them';
export const usage = 'curate faces [--batch N] [--json] | curate faces --forget';
export const examples = ['curate faces', 'curate faces --json', 'curate faces --forget'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	batch: {type: 'number', default: 16, description: 'Photos committed to the catalog together'},
	forget: {type: 'boolean', default: false, description: 'Remove every face, name and rejection from the catalog (one journal batch: curate undo brings them back)'},
};
