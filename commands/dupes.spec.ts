// `curate dupes`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'List duplicate clusters (exact, same pixels, near) with a suggested keeper and why';
export const usage = 'curate dupes [--kind exact|pixels|near|similar|all] [--sensitivity strict|normal|loose] [--json]';
export const examples = [
	'curate dupes',
	'curate dupes --kind exact --json',
	'curate dupes --kind similar',
	'curate dupes --not-duplicates 3f2a9c1b7d40',
	'curate dupes --apply keepers --kind exact --dry-run',
];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	kind: {type: 'string', default: 'all', choices: ['exact', 'pixels', 'near', 'similar', 'all'], description: 'exact (same bytes), pixels (same image, other metadata), near (re-processed copies), similar (other shots of one moment, only on request), all (exact+pixels+near)'},
	sensitivity: {type: 'string', default: 'normal', choices: ['strict', 'normal', 'loose'], description: 'Near-duplicate matching: strict, normal or loose'},
	distance: {type: 'number', description: 'pHash radius for near duplicates (overrides --sensitivity; normal is 8)'},
	notDuplicates: {type: 'string', description: 'Record that cluster ID is not duplicates (kept by content, so it never comes back)'},
	limit: {type: 'number', default: 50, description: 'Clusters shown in the text listing (JSON always lists all)'},
	apply: {type: 'string', choices: ['keepers'], description: 'keepers: move every non-keeper (and its companions) of the listed clusters to the trash, as one undoable batch'},
	dryRun: {type: 'boolean', default: false, description: 'With --apply: print the plan, change nothing'},
};
