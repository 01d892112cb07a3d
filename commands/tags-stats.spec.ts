// `curate tags stats`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Per tag: photos ever suggested, still pending, confirmed and rejected, the precision that implies, and the learned threshold';
export const usage = 'curate tags stats [--json]';
export const examples = ['curate tags stats', 'curate tags stats --json'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};
