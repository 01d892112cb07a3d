// `curate share purge`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Remove log entries older than share.logRetentionDays (90), and shares closed that long';
export const usage = 'curate share purge [--json]';
export const examples = ['curate share purge'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
