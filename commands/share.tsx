import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {freeTextTerms, selectFiles} from '../source/export/selection.js';
import {selectionQueries} from '../source/ai/selection-queries.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {createShare} from '../source/share/create.js';
import {parseDuration} from '../source/share/duration.js';
import {purgeShares} from '../source/share/manage.js';
import {createdLines, purgeLines} from '../source/share/report.js';
import {readPasswordFile} from '../source/share/secret.js';
import {checkBaseUrl, loadShareSettings, shareLink} from '../source/share/settings.js';

export {description, usage, examples, flags} from './share.spec.js';

/** `curate share SELECTION…`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const expiresInMs = parseDuration(String(options.expires));
	const maxSize = Number(options.maxSize);
	if (!Number.isInteger(maxSize) || maxSize < 480 || maxSize > 16_384) {
		throw new UserError('--max-size must be a whole number of pixels from 480 to 16384');
	}

	const matches = Number(options.matches);
	if (!Number.isInteger(matches) || matches < 1) {
		throw new UserError('--matches must be a whole number of at least 1');
	}

	const title = options.title === undefined ? undefined : String(options.title).trim();
	// The title is the gallery's heading and `share list`'s column: on one line, like a recipient's name (no newline,
	// escape or other control character reaches the page or a terminal).
	// eslint-disable-next-line no-control-regex
	if (title !== undefined && (title.length === 0 || title.length > 200 || /[\u0000-\u001F\u007F-\u009F]/.test(title))) {
		throw new UserError('--title takes 1 to 200 characters on one line, e.g. "Beach day"');
	}

	const password = options.passwordFile === undefined ? undefined : readPasswordFile(path.resolve(cwd, String(options.passwordFile)));
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const settings = loadShareSettings(library);
	const baseUrl = options.baseUrl === undefined ? settings.baseUrl : checkBaseUrl(String(options.baseUrl));
	return runCommand({name: 'share', stdout, stderr, json: Boolean(options.json)}, async ({progress, defer, signal}) => {
		const catalog = openForRecords(library);
		defer(() => {
			catalog.close();
		});
		const purged = purgeShares(library, catalog, settings.logRetentionDays);
		const context = {root: library.root, cwd, files: catalog.allPresent()};
		const queries = await selectionQueries(library, catalog, {cwd, freeText: freeTextTerms(input, context), matches, stderr});
		const files = selectFiles(input, {...context, queries});
		if (files.length === 0) {
			throw new UserError('the selection matches no catalogued files');
		}

		const created = await createShare(
			library,
			catalog,
			files,
			{expiresInMs, maxSize, allowDownload: Boolean(options.allowDownload), keepGps: Boolean(options.keepGps), ...(password === undefined ? {} : {password}), ...(title ? {title} : {}), signal},
			await progress({kind: 'files', label: 'Sharing'}),
		);
		const link = shareLink(baseUrl, created.share.token);
		const {passwordHash, ...share} = created.share;
		return {
			json: {share: {...share, password: passwordHash !== null}, link, items: created.items, skipped: created.skipped, purged},
			text: () => [...createdLines(created, link), ...purgeLines(purged, settings.logRetentionDays)],
		};
	});
}
