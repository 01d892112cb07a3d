import process from 'node:process';
import {loadTaxonomy} from '../ai/taxonomy-file.js';
import {sanitize} from '../core/sanitize.js';
import {tagMatches} from '../core/taxonomy.js';
import {tagRowsOf} from '../db/tag-review.js';
import {openJournal} from '../journal/journal.js';
import {loadJournalSettings} from '../journal/settings.js';
import {type Library, UserError} from '../library.js';
import {terminalPictures} from '../media/picture-settings.js';
import {PictureCache} from '../media/terminal-picture.js';
import {createTagReviewActions} from './review-actions.js';
import type {TagReviewServices} from './review-types.js';

/** A tags review ready to show, or the sentence saying there is nothing to review. */
export type OpenTagReview =
	| {
			readonly screen: {
				readonly tags: readonly string[];
				readonly services: TagReviewServices;
				readonly below: number;
				readonly colour: boolean;
				readonly pictureNote: string;
				readonly target: string;
			};
			readonly close: () => void;
	  }
	| {readonly nothing: string};

/**
 * Opens a library for `curate tags review`: under its lock with the journal (recovery said on stderr), the tags (all,
 * or those `tag` names) that have suggestions below `below` waiting for a decision, and the services the screen
 * decides through. Closes the library itself when there is nothing to review.
 */
export async function openTagReview(
	library: Library,
	options: {readonly tag: string | undefined; readonly below: number; readonly embedded: boolean; readonly cwd: string},
	terminal: {readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WritableStream},
): Promise<OpenTagReview> {
	const {tag, below, embedded} = options;
	const taxonomy = loadTaxonomy(library, {cwd: options.cwd, create: false});
	const {journal, catalog, close} = await openJournal(library);
	try {
		for (const line of journal.recovered) {
			terminal.stderr.write(`curate: ${sanitize(line)}\n`);
		}

		const store = tagRowsOf(catalog);
		const known = store.counts().map(row => row.tag);
		const wanted = tag === undefined ? known : known.filter(name => tagMatches(name, tag, taxonomy.tags));
		if (tag !== undefined && wanted.length === 0) {
			throw new UserError(`no tag "${tag}" in this library (curate tags list shows them; curate tag suggests them)`);
		}

		const tags = wanted.filter(name => store.queue(name, below, 1).length > 0);
		if (tags.length === 0) {
			close();
			return {nothing: `Nothing to review: no suggestion${tag ? ` of ${sanitize(wanted.join(', '))}` : ''} below ${below.toFixed(2)} waits for a decision.`};
		}

		const pictures = terminalPictures(terminal.stdout, process.env);
		const naming = loadJournalSettings(library).sidecar;
		const services = {actions: createTagReviewActions(journal, {below, embedded, naming}), pictures: new PictureCache(pictures.mode)};
		return {screen: {tags, services, below, colour: pictures.colour, pictureNote: pictures.note, target: embedded ? 'into the photo files' : 'to XMP sidecars'}, close};
	} catch (error) {
		close();
		throw error;
	}
}
