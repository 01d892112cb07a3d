import type {CommandContext} from '../source/command.js';
import {parseDuration} from '../source/core/duration.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {planPurge} from '../source/journal/purge.js';
import {withJournal} from '../source/journal/session.js';
import {loadJournalSettings} from '../source/journal/settings.js';
import {findLibrary, UserError} from '../source/library.js';
import {formatBytes} from '../source/core/format.js';

export {description, usage, examples, flags} from './purge.spec.js';

/** `curate purge`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const where = {library: options.library as string | undefined, cwd, stderr};
	const settings = loadJournalSettings(findLibrary(where));
	const retentionMs = settings.retentionDays * 86_400_000;
	const olderThanText = options.olderThan as string | undefined;
	let olderThanMs = retentionMs;
	try {
		olderThanMs = olderThanText === undefined ? retentionMs : parseDuration(olderThanText);
	} catch (error) {
		throw new UserError(`--older-than: ${(error as Error).message}`);
	}

	if (olderThanMs < retentionMs && !options.force) {
		throw new UserError(`--older-than ${olderThanText} is shorter than the trash retention of ${settings.retentionDays} days; add --force to delete younger items`);
	}

	return withJournal(where, async journal => {
		const plan = await planPurge(journal, olderThanMs);
		const files = plan.operations.map(op => op.trashPath);
		if (options.dryRun || plan.operations.length === 0) {
			stdout.write(options.json
				? safeJson({batch: null, dryRun: Boolean(options.dryRun), purged: files, bytes: plan.bytes, kept: plan.kept, keptBytes: plan.keptBytes}) + '\n'
				: `${options.dryRun ? 'Dry run: would delete' : 'Nothing to delete:'} ${files.length} files (${formatBytes(plan.bytes)}) from the trash; ${plan.kept} younger files (${formatBytes(plan.keptBytes)}) stay.\n${options.dryRun ? files.map(file => `  ${sanitize(file)}\n`).join('') : ''}`);
			return 0;
		}

		const result = await journal.apply({command: 'purge', label: `purge ${files.length} files from the trash`, operations: plan.operations});
		stdout.write(options.json
			? safeJson({batch: result.batch, purged: files, bytes: plan.bytes, kept: plan.kept, keptBytes: plan.keptBytes}) + '\n'
			: `Batch ${result.batch}: deleted ${files.length} files from the trash, freeing ${formatBytes(plan.bytes)} (${plan.bytes} bytes); ${plan.kept} younger files stay. This cannot be undone.\n`);
		return 0;
	});
}
