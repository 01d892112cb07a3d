import path from 'node:path';
import process from 'node:process';
import {render} from 'ink';
import React from 'react';
import type {CommandContext} from '../source/command.js';
import {loadConfig} from '../source/config.js';
import {sanitize} from '../source/core/sanitize.js';
import type {KindFilter} from '../source/dupes/find.js';
import {Journal} from '../source/journal/journal.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';
import {PreviewCache} from '../source/media/preview-cache.js';
import {graphicsProtocolFor, TerminalGraphics} from '../source/media/terminal-graphics.js';
import {cellModeFor, PictureCache} from '../source/media/terminal-picture.js';
import {createReviewActions} from '../source/review/actions.js';
import {loadProgress, loadReviewClusters, type ReviewSort, saveProgress} from '../source/review/session.js';
import {ReviewScreen} from '../source/ui/review/review-screen.js';
import * as dupes from './dupes.spec.js';

export {description, usage, examples, flags} from './review.spec.js';


// Switching to the terminal's alternate screen keeps the user's scrollback and prompt exactly as they were.
const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';

/** `curate review`. */
export async function run({flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const kind = String(options.kind) as KindFilter;
	const sort = String(options.sort) as ReviewSort;

	if (!stdout.isTTY || !process.stdin.isTTY) {
		const apply = 'apply' in dupes.flags ? '`curate dupes --apply keepers` resolves every cluster with its suggested keeper, and ' : '';
		throw new UserError(`curate review needs an interactive terminal (stdin and stdout a TTY). ${apply}\`curate dupes --json\` lists the clusters.`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	let under = '';
	if (typeof options.path === 'string') {
		const inside = (absolute: string) => path.relative(library.root, absolute).split(path.sep).join('/');
		under = inside(path.resolve(cwd, options.path));
		// A relative folder outside the library (run from elsewhere with --library) is read as library-relative.
		if ((under.startsWith('..') || path.isAbsolute(under)) && !path.isAbsolute(options.path)) {
			under = inside(path.resolve(library.root, options.path));
		}

		if (under.startsWith('..') || path.isAbsolute(under)) {
			throw new UserError(`--path ${options.path} is outside the library at ${library.root}`);
		}
	}

	const config = loadConfig(library);
	const {catalog, release} = openForWrite(library);
	try {
		const journal = await Journal.open(library, catalog);
		for (const line of journal.recovered) {
			process.stderr.write(`curate: ${sanitize(line)}\n`);
		}

		const progress = loadProgress(catalog);
		const clusters = loadReviewClusters(catalog, library, {kind, sort, under, keeper: config.keeper}, new Set(progress.skipped));
		const colour = !('NO_COLOR' in process.env) && (stdout.hasColors?.() ?? false);
		const mode = cellModeFor(process.env, colour);
		const cells =
			mode === 'grey' ? 'Pictures: greyscale ASCII shades (NO_COLOR or no colour support).' : `Pictures: half-block cells in ${mode === 'truecolor' ? '24-bit' : '256'} colour.`;
		const graphics = graphicsProtocolFor(process.env, {isTTY: Boolean(stdout.isTTY), platform: process.platform});
		const pictureNote = `${cells}\nLarge view (enter): ${graphics.protocol ? graphics.reason : `half blocks (${graphics.reason})`}.`;
		const services = {
			...(graphics.protocol ? {graphics: new TerminalGraphics(graphics.protocol, new PreviewCache(path.join(library.dir, 'previews')), library.root, stdout)} : {}),
			actions: createReviewActions(journal, {writeEmbedded: Boolean(options.writeEmbedded)}),
			pictures: new PictureCache(mode),
			saveProgress: (next: typeof progress) => {
				saveProgress(catalog, next);
			},
		};
		stdout.write(enterAlternateScreen);
		try {
			const ink = render(<ReviewScreen clusters={clusters} progress={progress} services={services} colour={colour} pictureNote={pictureNote} />, {
				stdout,
				exitOnCtrlC: false,
				patchConsole: false,
			});
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
