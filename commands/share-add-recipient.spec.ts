// `curate share add-recipient`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Give a named person their own link to a share, so the log says who opened what';
export const usage = 'curate share add-recipient ID NAME [--base-url URL] [--json]';
export const examples = ['curate share add-recipient 3 "Aunt Marie"'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	baseUrl: {type: 'string', description: 'Address the link is shown with (default: share.baseUrl in .curate/config.json, else http://127.0.0.1:8080)'},
};
