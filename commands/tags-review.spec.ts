// `curate tags review`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Confirm or reject AI tags on a grid of thumbnails; confirmed tags become keywords in XMP sidecars';
export const usage = 'curate tags review [TAG] [--below CONFIDENCE] [--embed]';
export const examples = ['curate tags review', 'curate tags review beach', 'curate tags review places --below 0.9'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	below: {type: 'string', default: '0.6', description: 'Review suggestions with a confidence below this (0–1; 1 reviews all)'},
	embed: {type: 'boolean', default: false, description: 'Write keywords and ratings into the photo files instead of XMP sidecars'},
};
