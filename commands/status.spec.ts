// `curate status`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Summarise the library: sizes by format and year, duplicates, trash, last scan and verify';
export const usage = 'curate status [--json]';
export const examples = ['curate status', 'curate status --json'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
