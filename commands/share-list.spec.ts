// `curate share list`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'List the shares: state, expiry, photos, recipients, requests, and the links still open';
export const usage = 'curate share list [--base-url URL] [--json]';
export const examples = ['curate share list', 'curate share list --json'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	baseUrl: {type: 'string', description: 'Address the links are shown with (default: share.baseUrl in .curate/config.json, else http://127.0.0.1:8080)'},
};
