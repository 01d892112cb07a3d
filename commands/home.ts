// `curate` without a command (issue 14): the home screen on a terminal inside a library, `curate status` without a
// terminal, and how to start outside a library. Only the last path stays light (no SQLite, no Ink): the rest is
// imported when it is used.
import process from 'node:process';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {nearestLibraryRoot} from '../source/home/locate.js';
import * as reviewSpec from './review.spec.js';
import * as tagsReviewSpec from './tags-review.spec.js';

/** What `curate` prints outside a library: one paragraph on how to start. */
export const howToStart = `Curate: not inside a Curate library (no .curate folder here or above). To start
one, run \`curate scan DIR\` on the folder that holds your photos: it catalogues
them into DIR/.curate and changes nothing else. Then run \`curate\` inside DIR
for an overview of the library and what waits for you, \`curate review\` to go
through duplicates, or \`curate --help\` for every command (each command also
takes --library DIR from elsewhere).
`;

/** Runs `curate ARGS` as if typed (the home screen's "run the next suggested command"); resolves with its exit code. */
export type RunCommand = (argv: readonly string[]) => Promise<number>;

/**
 * `curate` with no command. Exit codes: 0 after the home screen or the status; 1 outside a library (the paragraph on
 * how to start is printed on stdout), so a script can tell that no library is there.
 */
export async function run(context: CommandContext, runCommand: RunCommand): Promise<number> {
	const {stdout, cwd} = context;
	const root = nearestLibraryRoot(cwd);
	if (!root) {
		stdout.write(howToStart);
		return 1;
	}

	if (!stdout.isTTY || !process.stdin.isTTY) {
		const status = await import('./status.js');
		return status.run({...context, input: [], flags: {library: root, json: false}});
	}

	const [{libraryAt, openForRead}, {homeSummary}, {showHome}, {pressAKey}, {UserError}, {dupeSearchProgress}] = await Promise.all([
		import('../source/library.js'),
		import('../source/home/summary.js'),
		import('../source/ui/home/show-home.js'),
		import('../source/ui/home/press-a-key.js'),
		import('../source/errors.js'),
		import('../source/ui/progress-lines.js'),
	]);
	const library = libraryAt(root);
	const below = Number(tagsReviewSpec.flags.below!.default);
	let message: string | undefined;
	for (;;) {
		const catalog = openForRead(library);
		let summary;
		try {
			// A duplicate search runs when none is kept since the library changed: minutes at a million photos.
			const progress = dupeSearchProgress(process.stderr);
			summary = homeSummary(library, catalog, {below, onSearchProgress: progress.update});
			progress.finish();
		} finally {
			// Closed while another screen or command runs: they open the catalog for writing themselves.
			catalog.close();
		}

		// eslint-disable-next-line no-await-in-loop
		const choice = await showHome(summary, stdout, message);
		message = undefined;
		try {
			if (choice === 'quit') {
				return 0;
			}

			if (choice === 'review') {
				const {reviewUntilQuit} = await import('./review.js');
				await reviewUntilQuit(
					library,
					{kind: reviewSpec.flags.kind!.default as 'all', sort: reviewSpec.flags.sort!.default as 'reclaim', under: '', writeEmbedded: false},
					{stdout, stderr: process.stderr},
				);
			} else if (choice === 'tags') {
				const {tagReviewUntilQuit} = await import('./tags-review.js');
				await tagReviewUntilQuit(library, {tag: undefined, below, embedded: false, cwd}, {stdout, stderr: process.stderr});
			} else if (summary.next) {
				// On the normal screen, so the command's output stays in the scrollback; back home after a key.
				stdout.write(`$ ${sanitize(summary.next.command)}\n`);
				const code = await runCommand(summary.next.args).catch((error: unknown) => {
					// Said as `curate ARGS` would say it, then back to the home screen: the command ended, the session did not.
					stdout.write(`curate: ${sanitize(error instanceof Error ? error.message : String(error))}\n`);
					return error instanceof UserError ? error.exitCode : 1;
				});
				message = `${summary.next.command} finished with exit code ${code}.`;
				stdout.write('\n');
				if ((await pressAKey(stdout)) === 'quit') {
					return 0;
				}
			}
		} catch (error) {
			// A screen that could not open (another curate command is writing, a full disk) is said on the home screen.
			if (!(error instanceof UserError)) {
				throw error;
			}

			message = `curate: ${error.message}`;
		}
	}
}
