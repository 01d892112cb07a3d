import process from 'node:process';
import type {CommandContext} from '../source/command.js';
import {openPeopleReview} from '../source/faces/open-people-review.js';
import {findLibrary, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './people-review.spec.js';

/** `curate people review [NAME]`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length > 1) {
		throw new UserError('give at most one name (quote a name with spaces: curate people review "Anna Berg")');
	}

	if (!stdout.isTTY || !process.stdin.isTTY) {
		throw new UserError('curate people review needs an interactive terminal (stdin and stdout a TTY); curate people name names faces without one');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const review = await openPeopleReview(library, {person: input[0]}, {stdout, stderr});
	if ('nothing' in review) {
		stdout.write(`${review.nothing}\n`);
		return 0;
	}

	try {
		// Loaded only now: the checks before it answer without Ink.
		const {showPeopleReviewScreen} = await import('../source/ui/people/show-people-review.js');
		await showPeopleReviewScreen(review.screen, stdout);
		return 0;
	} finally {
		review.close();
	}
}
