// `curate search`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Find photos by what they show ("beach at sunset"), with filters tag:, year:, camera:, path:';
export const usage = 'curate search "QUERY" [--limit N] [--json] [--model ID|DIR]';
export const examples = ['curate search "dog on the beach"', 'curate search sunset year:2019 tag:places', 'curate search tag:birthday camera:pixel --json', 'curate search "red car" path:2021/'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	limit: {type: 'number', default: 20, description: 'Results shown'},
	model: {type: 'string', description: 'Model folder or hub id (default: the model the library was tagged with)'},
};
