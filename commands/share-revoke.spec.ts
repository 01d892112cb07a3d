// `curate share revoke`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Close a share\'s link for good (it answers 410) and remove its copies, or only one recipient\'s link; its log stays';
export const usage = 'curate share revoke ID [--recipient NAME] [--json]';
export const examples = ['curate share revoke 3', 'curate share revoke 3 --recipient "Aunt Marie"'];
export const flags: Record<string, FlagSpec> = {
	recipient: {type: 'string', description: 'Close only this recipient\'s link (as named by add-recipient); the share and the other links stay open'},
	...libraryFlag,
	...jsonFlag,
};
