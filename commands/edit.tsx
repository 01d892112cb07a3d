import path from 'node:path';
import {type CommandContext, type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {writeMetadataBatch} from '../source/journal/metadata.js';
import {withJournal} from '../source/journal/session.js';
import {loadJournalSettings} from '../source/journal/settings.js';
import {UserError} from '../source/library.js';

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
	sidecar: {type: 'string', description: 'Naming of a new sidecar: ext (photo.jpg.xmp, digiKam/darktable) or lightroom (photo.xmp); default from .curate/config.json. An existing sidecar is written whatever its name'},
};

/** `curate edit`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length === 0) {
		throw new UserError('name at least one photo to edit');
	}

	const rating = options.rating as number | undefined;
	if (rating !== undefined && (!Number.isInteger(rating) || rating < -1 || rating > 5)) {
		throw new UserError('--rating must be a whole number from -1 to 5');
	}

	const sidecar = options.sidecar as string | undefined;
	if (sidecar !== undefined && sidecar !== 'ext' && sidecar !== 'lightroom') {
		throw new UserError('--sidecar must be ext or lightroom');
	}

	const add = (options.addKeyword as string[] | undefined) ?? [];
	const remove = (options.removeKeyword as string[] | undefined) ?? [];
	if (add.length === 0 && remove.length === 0 && rating === undefined) {
		throw new UserError('nothing to change: give --add-keyword, --remove-keyword or --rating');
	}

	return withJournal({library: options.library as string | undefined, cwd, stderr}, async (journal, _catalog, library) => {
		const naming = (sidecar as 'ext' | 'lightroom' | undefined) ?? loadJournalSettings(library).sidecar;
		const changes = input.map(file => ({
			path: path.relative(library.root, path.resolve(cwd, file)).split(path.sep).join('/'),
			addKeywords: add,
			removeKeywords: remove,
			...(rating === undefined ? {} : {set: {rating}}),
		}));
		const result = await writeMetadataBatch(journal, changes, {embedded: Boolean(options.writeEmbedded), naming, command: `edit ${input.length} photos`});
		const written = result?.operations.map(op => ('path' in op ? op.path : '')) ?? [];
		stdout.write(options.json ? safeJson({batch: result?.batch ?? null, written}) + '\n' : result ? `Batch ${result.batch}: wrote ${written.length} file${written.length === 1 ? '' : 's'}. \`curate undo ${result.batch}\` takes it back.\n` : 'Nothing changed: the photos already have that metadata.\n');
		return 0;
	});
}
