// `curate tags list`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'List the tags in the library with how many photos are suggested, confirmed and rejected';
export const usage = 'curate tags list [--json]';
export const examples = ['curate tags list', 'curate tags list --json'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
