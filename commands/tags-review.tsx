import process from 'node:process';
import type {CommandContext} from '../source/command.js';
import {findLibrary, type Library, UserError} from '../source/library.js';
import {openTagReview} from '../source/tags/open-tag-review.js';

export {description, usage, examples, flags} from './tags-review.spec.js';

/** `curate tags review`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
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
	return tagReviewUntilQuit(library, {tag: input[0], below, embedded: Boolean(options.embed), cwd}, {stdout, stderr});
}

/**
 * Shows the tag review screen until the user leaves it with q (or says at once that nothing waits). Shared by
 * `curate tags review` and the home screen, which opens it and comes back (issue 14).
 */
export async function tagReviewUntilQuit(library: Library, choice: Parameters<typeof openTagReview>[1], terminal: {readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WritableStream}): Promise<number> {
	const review = await openTagReview(library, choice, terminal);
	if ('nothing' in review) {
		terminal.stdout.write(`${review.nothing}\n`);
		return 0;
	}

	try {
		// Loaded only now: the checks before it answer without Ink.
		const {showTagReviewScreen} = await import('../source/ui/tag-review/show-tag-review.js');
		await showTagReviewScreen(review.screen, terminal.stdout);
		return 0;
	} finally {
		review.close();
	}
}
