// `curate share log`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Show every request made to the shares (or to one): when, who, from where, what, and the answer';
export const usage = 'curate share log [ID] [--json]';
export const examples = ['curate share log', 'curate share log 3 --json'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
