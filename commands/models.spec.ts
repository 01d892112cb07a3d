// `curate models`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'List CLIP models: the default, those in the model cache, the library\'s, and which work offline';
export const usage = 'curate models [--json]';
export const examples = ['curate models', 'curate models --json'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
};
