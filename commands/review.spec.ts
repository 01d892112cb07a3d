// `curate review`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Go through duplicate clusters with the keyboard: see the photos, keep, merge, skip, undo';
export const usage = 'curate review [--kind exact|pixels|near|all] [--sort reclaim|date|path] [--path SUBDIR] [--write-embedded]';
export const examples = ['curate review', 'curate review --kind exact --sort path', 'curate review --path "2019/2019-05-03 Paris"'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	kind: {type: 'string', default: 'all', choices: ['exact', 'pixels', 'near', 'all'], description: 'exact (same bytes), pixels (same image, other metadata), near (re-processed copies) or all'},
	sort: {type: 'string', default: 'reclaim', choices: ['reclaim', 'date', 'path'], description: 'Cluster order: reclaim (most space first), date (oldest capture first) or path'},
	path: {type: 'string', description: 'Only clusters with a photo inside this folder'},
	writeEmbedded: {type: 'boolean', default: false, description: 'm writes merged metadata into the kept file itself (a byte-exact backup goes to the trash) instead of its XMP sidecar'},
};
