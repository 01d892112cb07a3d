// `curate undo`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Take back a batch of changes (default: the last one), byte-identical and verified by hash';
export const usage = 'curate undo [BATCH] [--json]';
export const examples = ['curate undo', 'curate undo 12'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
