// `curate edit`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = "Add or remove keywords and set the rating of photos: each photo's XMP sidecar by default (the one it has, read-modify-write), one undoable batch";
export const usage = 'curate edit PATH... [--add-keyword K]... [--remove-keyword K]... [--rating N] [--write-embedded] [--sidecar ext|lightroom]';
export const examples = ['curate edit 2021/IMG_0001.JPG --add-keyword beach --rating 4', "curate edit a.jpg b.jpg --add-keyword 'Places|France|Paris'", 'curate edit a.jpg b.jpg --remove-keyword draft --write-embedded'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	addKeyword: {type: 'string', isMultiple: true, description: 'Keyword to add (repeatable); Places|France|Paris is hierarchical: the path to lr:hierarchicalSubject, Paris to dc:subject'},
	removeKeyword: {type: 'string', isMultiple: true, description: 'Keyword to remove (repeatable)'},
	rating: {type: 'number', description: 'Rating from 0 to 5 (-1 marks a reject)'},
	writeEmbedded: {type: 'boolean', default: false, description: 'Write into the files themselves (a byte-exact backup goes to the trash) instead of sidecars; a sidecar holding the same fields gets the same values'},
	sidecar: {type: 'string', choices: ['ext', 'lightroom'], description: 'Naming of a new sidecar: ext (photo.jpg.xmp, digiKam/darktable) or lightroom (photo.xmp); default from .curate/config.json. An existing sidecar is written whatever its name'},
};
