import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {safeJson} from '../source/core/sanitize.js';
import {writeMetadataBatch} from '../source/journal/metadata.js';
import {withJournal} from '../source/journal/session.js';
import {loadJournalSettings} from '../source/journal/settings.js';
import {UserError} from '../source/library.js';

export {description, usage, examples, flags} from './edit.spec.js';

/** `curate edit`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length === 0) {
		throw new UserError('name at least one photo to edit');
	}

	const rating = options.rating as number | undefined;
	if (rating !== undefined && (!Number.isInteger(rating) || rating < -1 || rating > 5)) {
		throw new UserError('--rating must be a whole number from -1 to 5');
	}

	const sidecar = options.sidecar as 'ext' | 'lightroom' | undefined;

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
