import path from 'node:path';
import process from 'node:process';
import type {CommandContext} from '../source/command.js';
import type {KindFilter} from '../source/dupes/find.js';
import {findLibrary, type Library, UserError} from '../source/library.js';
import {openReview} from '../source/review/open-review.js';
import type {ReviewSort} from '../source/review/session.js';

export {description, usage, examples, flags} from './review.spec.js';


/** `curate review`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const kind = String(options.kind) as KindFilter;
	const sort = String(options.sort) as ReviewSort;

	if (!stdout.isTTY || !process.stdin.isTTY) {
		throw new UserError('curate review needs an interactive terminal (stdin and stdout a TTY). `curate dupes --apply keepers` resolves every cluster with its suggested keeper, and `curate dupes --json` lists the clusters.');
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

	await reviewUntilQuit(library, {kind, sort, under, writeEmbedded: Boolean(options.writeEmbedded)}, {stdout, stderr});
	return 0;
}

/**
 * Shows the review screen until the user leaves it with q. Shared by `curate review` and the home screen, which opens
 * it and comes back (issue 14).
 */
export async function reviewUntilQuit(library: Library, choice: Parameters<typeof openReview>[1], terminal: {readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WritableStream}): Promise<void> {
	const {dupeSearchProgress} = await import('../source/ui/progress-lines.js');
	const review = await openReview(library, choice, {...terminal, searchProgress: dupeSearchProgress(terminal.stderr)});
	try {
		// Loaded only now: the checks before it answer without Ink.
		const {showReviewScreen} = await import('../source/ui/review/show-review.js');
		await showReviewScreen(review.screen, terminal.stdout);
	} finally {
		review.close();
	}
}
