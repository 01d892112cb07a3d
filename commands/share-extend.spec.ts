// `curate share extend`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Keep a share open longer: DURATION more from its expiry (or from now, if it has expired)';
export const usage = 'curate share extend ID DURATION [--json]';
export const examples = ['curate share extend 3 3d', 'curate share extend 3 12h'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
