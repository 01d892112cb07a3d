import type {CommandContext} from '../source/command.js';
import {parseDuration} from '../source/core/duration.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {type PurgePlan, planPurge} from '../source/journal/purge.js';
import {withJournal} from '../source/journal/session.js';
import {loadJournalSettings} from '../source/journal/settings.js';
import {Journal} from '../source/journal/journal.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
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

	if (options.dryRun) {
		// A dry run changes nothing, so it reads beside a running command instead of waiting for the lock.
		const library = findLibrary(where);
		const catalog = openForRead(library);
		try {
			const plan = await planPurge(Journal.read(library, catalog), olderThanMs);
			report(plan, true);
		} finally {
			catalog.close();
		}

		return 0;
	}

	return withJournal(where, async journal => {
		const plan = await planPurge(journal, olderThanMs);
		if (plan.operations.length === 0) {
			report(plan, false);
			return 0;
		}

		const files = plan.operations.map(op => op.trashPath);
		const result = await journal.apply({command: 'purge', label: `purge ${files.length} files from the trash`, operations: plan.operations});
		stdout.write(options.json
			? safeJson({batch: result.batch, purged: files, bytes: plan.bytes, kept: plan.kept, keptBytes: plan.keptBytes}) + '\n'
			: `Batch ${result.batch}: deleted ${files.length} files from the trash, freeing ${formatBytes(plan.bytes)} (${plan.bytes} bytes); ${plan.kept} younger files stay. This cannot be undone.\n`);
		return 0;
	});

	/** What a dry run would delete, or that there is nothing to delete. */
	function report(plan: PurgePlan, dryRun: boolean): void {
		const files = plan.operations.map(op => op.trashPath);
		stdout.write(options.json
			? safeJson({batch: null, dryRun, purged: files, bytes: plan.bytes, kept: plan.kept, keptBytes: plan.keptBytes}) + '\n'
			: `${dryRun ? 'Dry run: would delete' : 'Nothing to delete:'} ${files.length} files (${formatBytes(plan.bytes)}) from the trash; ${plan.kept} younger files (${formatBytes(plan.keptBytes)}) stay.\n${dryRun ? files.map(file => `  ${sanitize(file)}\n`).join('') : ''}`);
	}
}
