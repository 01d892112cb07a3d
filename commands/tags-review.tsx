import process from 'node:process';
import {render} from 'ink';
import React from 'react';
import {loadTaxonomy} from '../source/ai/taxonomy-file.js';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {tagMatches} from '../source/core/taxonomy.js';
import {tagRowsOf} from '../source/db/tag-review.js';
import {Journal} from '../source/journal/journal.js';
import {loadJournalSettings} from '../source/journal/settings.js';
import {findLibrary, type Library, openForWrite, UserError} from '../source/library.js';
import {cellModeFor, PictureCache} from '../source/media/terminal-picture.js';
import {createTagReviewActions} from '../source/tags/review-actions.js';
import {TagReviewScreen} from '../source/ui/tag-review/tag-review-screen.js';

export {description, usage, examples, flags} from './tags-review.spec.js';

// The alternate screen keeps the user's scrollback and prompt exactly as they were.
const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';

/** `curate tags review`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const below = Number(options.below);
	if (!Number.isFinite(below) || below <= 0 || below > 1) {
		throw new UserError('--below must be a confidence above 0 and at most 1');
	}

	if (input.length > 1) {
		throw new UserError('give at most one tag (curate tags list shows them)');
	}

	if (!stdout.isTTY || !process.stdin.isTTY) {
		throw new UserError('curate tags review needs an interactive terminal (stdin and stdout a TTY); curate tags export --csv and import do bulk edits without one');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	return openTagReview(library, {tag: input[0], below, embedded: Boolean(options.embed), cwd}, stdout);
}

/**
 * Opens the tag review screen on `stdout` (on the alternate screen) for one tag or all, and resolves with exit code 0
 * when the user leaves it with q (or at once, saying so, when nothing waits). Shared by `curate tags review` and the
 * home screen, which opens it and comes back (issue 14).
 */
export async function openTagReview(
	library: Library,
	{tag, below, embedded, cwd}: {readonly tag: string | undefined; readonly below: number; readonly embedded: boolean; readonly cwd: string},
	stdout: NodeJS.WriteStream,
): Promise<number> {
	const input = tag === undefined ? [] : [tag];
	const taxonomy = loadTaxonomy(library, {cwd, create: false});
	const {catalog, release} = openForWrite(library);
	try {
		const journal = await Journal.open(library, catalog);
		for (const line of journal.recovered) {
			process.stderr.write(`curate: ${sanitize(line)}\n`);
		}

		const store = tagRowsOf(catalog);
		const known = store.counts().map(row => row.tag);
		const wanted = input[0] === undefined ? known : known.filter(name => tagMatches(name, input[0]!, taxonomy.tags));
		if (input[0] !== undefined && wanted.length === 0) {
			throw new UserError(`no tag "${input[0]}" in this library (curate tags list shows them; curate tag suggests them)`);
		}

		const tags = wanted.filter(name => store.queue(name, below, 1).length > 0);
		if (tags.length === 0) {
			stdout.write(`Nothing to review: no suggestion${input[0] ? ` of ${sanitize(wanted.join(', '))}` : ''} below ${below.toFixed(2)} waits for a decision.\n`);
			return 0;
		}

		const colour = !('NO_COLOR' in process.env) && (stdout.hasColors?.() ?? false);
		const mode = cellModeFor(process.env, colour);
		const pictureNote =
			mode === 'grey' ? 'Pictures: greyscale ASCII shades (NO_COLOR or no colour support).' : `Pictures: half-block cells in ${mode === 'truecolor' ? '24-bit' : '256'} colour.`;
		const naming = loadJournalSettings(library).sidecar;
		const services = {actions: createTagReviewActions(journal, {below, embedded, naming}), pictures: new PictureCache(mode)};
		stdout.write(enterAlternateScreen);
		try {
			const ink = render(
				<TagReviewScreen tags={tags} services={services} below={below} colour={colour} pictureNote={pictureNote} target={embedded ? 'into the photo files' : 'to XMP sidecars'} />,
				{stdout, exitOnCtrlC: false, patchConsole: false},
			);
			await ink.waitUntilExit();
		} finally {
			stdout.write(leaveAlternateScreen);
		}

		return 0;
	} finally {
		catalog.close();
		release();
	}
}
