// `curate tag`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Tag photos with a local CLIP model: embeddings for search, taxonomy tags with confidence';
export const usage = 'curate tag [--model ID|DIR] [--taxonomy FILE] [--batch N] [--json]';
export const examples = ['curate tag', 'curate tag --model /volume1/models/clip-vit-base-patch32', 'curate tag --taxonomy my-tags.txt --json'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	model: {type: 'string', description: 'Model folder, or hub id downloaded once into the model cache (default: the library\'s model, else Xenova/clip-vit-base-patch32)'},
	taxonomy: {type: 'string', description: 'Taxonomy file (default: .curate/tags.txt, created with about 25 tags if absent)'},
	batch: {type: 'number', default: 32, description: 'Photos embedded and committed together'},
};
