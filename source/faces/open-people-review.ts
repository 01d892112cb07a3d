import path from 'node:path';
import process from 'node:process';
import {sanitize} from '../core/sanitize.js';
import {hasFaceTables} from '../db/faces.js';
import {openJournal} from '../journal/journal.js';
import type {Library} from '../library.js';
import {UserError} from '../errors.js';
import {terminalPictures} from '../media/picture-settings.js';
import {PreviewCache} from '../media/preview-cache.js';
import {graphicsProtocolFor} from '../media/terminal-graphics.js';
import {FaceCropCache, FaceGraphics} from './face-crops.js';
import {createPeopleReviewActions, reviewGroups} from './people-review-actions.js';
import type {FaceCropRequest, PeopleGroup, PeopleReviewServices} from './people-review-types.js';

/** A people review ready to show, or the sentence saying there is nothing to review. */
export type OpenPeopleReview =
	| {
			readonly screen: {readonly groups: readonly PeopleGroup[]; readonly services: PeopleReviewServices; readonly colour: boolean; readonly pictureNote: string};
			readonly close: () => void;
	  }
	| {readonly nothing: string};

/**
 * Opens a library for `curate people review` (issue 19): under its lock with the journal (recovery said on stderr),
 * the groups to review — for `person`, their suggested faces then their named faces; else every person's suggestions,
 * then the unnamed groups, largest first — and the services the screen decides through. Closes the library itself
 * when there is nothing to review.
 */
export async function openPeopleReview(library: Library, options: {readonly person: string | undefined}, terminal: {readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WritableStream}): Promise<OpenPeopleReview> {
	const {journal, catalog, close} = await openJournal(library);
	try {
		for (const line of journal.recovered) {
			terminal.stderr.write(`curate: ${sanitize(line)}\n`);
		}

		if (!hasFaceTables(catalog)) {
			close();
			return {nothing: 'No faces yet: curate faces finds them.'};
		}

		const {person} = options;
		const {groups, known, faces} = reviewGroups(catalog, person);
		if (faces === 0) {
			close();
			return {nothing: 'No faces yet: curate faces finds them.'};
		}

		if (!known) {
			throw new UserError(`no one is named "${person}" (curate people lists the names)`);
		}

		if (groups.length === 0) {
			close();
			return {nothing: person === undefined ? 'Nothing to review: no suggested names and no unnamed faces (curate faces finds new ones).' : `Nothing to review for ${sanitize(person)}.`};
		}

		const previews = new PreviewCache(path.join(library.dir, 'previews'));
		const previewOf = async (request: FaceCropRequest) => {
			const file = catalog.fileByPath(request.path);
			if (!file || file.sha256 !== request.sha256) {
				throw new Error('the photo changed since curate faces');
			}

			return previews.ensure({absolute: path.join(library.root, ...request.path.split('/')), sha256: file.sha256, format: file.format, kind: file.kind, orientation: file.orientation ?? null});
		};

		const pictures = terminalPictures(terminal.stdout, process.env);
		const graphics = graphicsProtocolFor(process.env, {isTTY: Boolean(terminal.stdout.isTTY), platform: process.platform});
		const services: PeopleReviewServices = {
			actions: createPeopleReviewActions(journal),
			crops: new FaceCropCache(pictures.mode, previewOf),
			...(graphics.protocol ? {graphics: new FaceGraphics(graphics.protocol, previewOf, terminal.stdout)} : {}),
		};
		const pictureNote = `${pictures.note} Face crops: ${graphics.protocol ? graphics.reason : `half blocks (${graphics.reason})`}.`;
		return {screen: {groups, services, colour: pictures.colour, pictureNote}, close};
	} catch (error) {
		close();
		throw error;
	}
}
