// `curate people`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'List named people, unnamed groups of faces, and names suggested for faces (never applied without you)';
export const usage = 'curate people [--all] [--json]';
export const examples = ['curate people', 'curate people --json', 'curate people name c3 Anna'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	all: {type: 'boolean', default: false, description: 'List every group and suggestion, not the first 30 of each'},
};
