// `curate show`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Print what the catalog knows about one file';
export const usage = 'curate show PATH [--json]';
export const examples = ['curate show 2021/IMG_0001.HEIC --json'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
