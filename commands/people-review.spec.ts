// `curate people review`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Confirm, reject, name, merge and split faces on a grid of face crops; names go into XMP sidecars as MWG face regions';
export const usage = 'curate people review [NAME]';
export const examples = ['curate people review', "curate people review 'Anna Berg'"];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
};
