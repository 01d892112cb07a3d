// `curate redo`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Re-apply the most recently undone batch (or BATCH)';
export const usage = 'curate redo [BATCH] [--json]';
export const examples = ['curate redo'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
