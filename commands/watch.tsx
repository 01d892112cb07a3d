import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {parseDuration} from '../source/core/duration.js';
import {sanitize} from '../source/core/sanitize.js';
import {placementSettings} from '../source/import/settings.js';
import {watchInbox} from '../source/import/watch.js';
import {findLibrary, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';

export {description, usage, examples, flags} from './watch.spec.js';

/** `curate watch INBOX`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const inbox = input[0];
	if (!inbox) {
		throw new UserError('watch needs an INBOX folder (see curate watch --help)');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const placement = placementSettings(library, {pattern: options.pattern as string | undefined, gap: options.gap as string | undefined, undated: options.undated as string | undefined});
	let settleMs: number;
	let settleLimitMs: number;
	try {
		settleMs = parseDuration(String(options.settle));
		settleLimitMs = parseDuration(String(options.settleLimit));
	} catch (error) {
		throw new UserError((error as Error).message);
	}

	if (settleLimitMs < settleMs) {
		throw new UserError(`--settle-limit (${String(options.settleLimit)}) must not be shorter than --settle (${String(options.settle)})`);
	}

	const log = (line: string) => {
		stdout.write(`${new Date().toISOString()} ${line}\n`);
	};

	const absolute = path.resolve(cwd, inbox);
	const interrupt = {
		onStop() {
			log('stopping after the current file…');
		},
	};
	return runCommand({name: 'watch', stdout, stderr, interrupt}, async ({signal}) => {
		log(`watching ${sanitize(absolute)} into ${sanitize(library.root)} (${sanitize(placement.pattern.source)}, settle ${sanitize(String(options.settle))})`);
		const totals = await watchInbox(library, absolute, {...placement, settleMs, settleLimitMs, once: Boolean(options.once), signal, log});
		log(`stopped: ${totals.imported} imported, ${totals.skipped} skipped, ${totals.failed} failed`);
		// Stopping is how a watch ends, not an interruption of work: exit 0.
		return {json: totals, text: () => [], interrupted: false};
	});
}
