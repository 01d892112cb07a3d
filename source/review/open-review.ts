import path from 'node:path';
import process from 'node:process';
import {loadConfig} from '../config.js';
import type {DupeSearchProgress} from '../core/progress.js';
import {sanitize} from '../core/sanitize.js';
import type {KindFilter} from '../dupes/find.js';
import {openJournal} from '../journal/journal.js';
import type {Library} from '../library.js';
import {terminalPictures} from '../media/picture-settings.js';
import {graphicsProtocolFor, TerminalGraphics} from '../media/terminal-graphics.js';
import {PictureCache} from '../media/terminal-picture.js';
import {createReviewActions} from './actions.js';
import {loadProgress, loadReviewList, type ReviewSort, saveProgress} from './session.js';
import type {ReviewList, ReviewProgress, ReviewServices} from './types.js';

/** A review ready to show: what the screen is given, and how to close the library afterwards. */
export type OpenReview = {
	readonly screen: {
		readonly clusters: ReviewList;
		readonly progress: ReviewProgress;
		readonly services: ReviewServices;
		readonly colour: boolean;
		readonly pictureNote: string;
	};
	readonly close: () => void;
};

/**
 * Opens a library for `curate review`: under its lock with the journal (recovery said on stderr), the clusters in
 * review order and where the last review stopped, and the services the screen decides through, pictures drawn the way
 * this terminal can.
 */
export async function openReview(
	library: Library,
	options: {readonly kind: KindFilter; readonly sort: ReviewSort; readonly under: string; readonly writeEmbedded: boolean},
	terminal: {
		readonly stdout: NodeJS.WriteStream;
		readonly stderr: NodeJS.WritableStream;
		/** Where a search, when none is kept, says how far it is (a line the command draws on stderr). */
		readonly searchProgress?: {readonly update: (event: DupeSearchProgress) => void; readonly finish: () => void};
	},
): Promise<OpenReview> {
	const config = loadConfig(library);
	const {journal, catalog, close} = await openJournal(library);
	try {
		for (const line of journal.recovered) {
			terminal.stderr.write(`curate: ${sanitize(line)}\n`);
		}

		const progress = loadProgress(catalog);
		// The screen comes up once the clusters are found: until then, this line says why nothing else shows.
		const onSearch = () => terminal.stderr.write('curate: finding duplicates (no kept search can follow what changed in the library)…\n');
		const {searchProgress} = terminal;
		const clusters = loadReviewList(
			catalog,
			library,
			{kind: options.kind, sort: options.sort, under: options.under, keeper: config.keeper, onSearch, onSearchProgress: searchProgress?.update},
			new Set(progress.skipped),
		);
		searchProgress?.finish();
		const pictures = terminalPictures(terminal.stdout);
		const graphics = graphicsProtocolFor(process.env, {isTTY: Boolean(terminal.stdout.isTTY), platform: process.platform});
		// Previews for terminal graphics (sharp, libheif, exiftool for RAW) are loaded only where the terminal can show them.
		const previews = graphics.protocol ? new (await import('../media/preview-cache.js')).PreviewCache(path.join(library.dir, 'previews')) : undefined;
		const services: ReviewServices = {
			...(graphics.protocol && previews ? {graphics: new TerminalGraphics(graphics.protocol, previews, library.root, terminal.stdout)} : {}),
			actions: createReviewActions(journal, {writeEmbedded: options.writeEmbedded}),
			pictures: new PictureCache(pictures.mode),
			saveProgress(next) {
				saveProgress(catalog, next);
			},
		};
		const pictureNote = `${pictures.note}\nLarge view (enter): ${graphics.protocol ? graphics.reason : `half blocks (${graphics.reason})`}.`;
		return {screen: {clusters, progress, services, colour: pictures.colour, pictureNote}, close};
	} catch (error) {
		close();
		throw error;
	}
}
