import path from 'node:path';
import process from 'node:process';
import type {CommandContext} from '../source/command.js';
import type {KindFilter} from '../source/dupes/find.js';
import {findLibrary, UserError} from '../source/library.js';
import {openReview} from '../source/review/open-review.js';
import type {ReviewSort} from '../source/review/session.js';

export {description, usage, examples, flags} from './review.spec.js';

const kinds = ['exact', 'pixels', 'near', 'all'] as const;
const sorts = ['reclaim', 'date', 'path'] as const;

/** `curate review`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const kind = String(options.kind) as KindFilter;
	if (!(kinds as readonly string[]).includes(kind)) {
		throw new UserError(`--kind must be one of ${kinds.join(', ')}`);
	}

	const sort = String(options.sort) as ReviewSort;
	if (!(sorts as readonly string[]).includes(sort)) {
		throw new UserError(`--sort must be one of ${sorts.join(', ')}`);
	}

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

	const review = await openReview(library, {kind, sort, under, writeEmbedded: Boolean(options.writeEmbedded)}, {stdout, stderr});
	try {
		// Loaded only now: the checks above answer without Ink.
		const {showReviewScreen} = await import('../source/ui/review/show-review.js');
		await showReviewScreen(review.screen, stdout);
		return 0;
	} finally {
		review.close();
	}
}
