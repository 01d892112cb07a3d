// `curate share revoke`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Close a share\'s link for good (it answers 410) and remove its copies; its log stays';
export const usage = 'curate share revoke ID [--json]';
export const examples = ['curate share revoke 3'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
