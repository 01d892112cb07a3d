// `curate people name`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Name a group of faces (cN) or one face (fN) as a person';
export const usage = 'curate people name cN|fN NAME';
export const examples = ['curate people name c3 Anna', 'curate people name f120 "Anna Berg"'];
export const flags: Record<string, FlagSpec> = {...libraryFlag};
