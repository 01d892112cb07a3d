import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import type {Catalog} from '../source/db/catalog.js';
import {applyRestore, libraryPath, planRestore, type RestoreOptions, type RestoreReport} from '../source/health/restore.js';
import {withJournal} from '../source/journal/session.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {batchReporter} from '../source/ui/batch-progress.js';
import {formatBytes} from '../source/core/format.js';
import {showProgress} from '../source/ui/task-progress.js';

export {description, usage, examples, flags} from './restore.spec.js';

function printReport(report: RestoreReport, stdout: NodeJS.WriteStream): void {
	const count = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
	const lines = [
		report.dryRun
			? `Dry run: would restore ${count(report.restored.length)} (${formatBytes(report.bytes)}) from ${sanitize(report.from)}.`
			: report.batch === null
				? 'Nothing restored.'
				: `Restored ${count(report.restored.length)} (${formatBytes(report.bytes)}) from ${sanitize(report.from)}, each verified by SHA-256${report.restored.some(file => file.was === 'damaged') ? '; the damaged copies went to the trash' : ''}. Batch ${report.batch} (curate undo takes it back).`,
	];
	for (const file of report.restored.slice(0, 50)) {
		lines.push(`  ${sanitize(file.path)} (${file.was})`);
	}

	if (report.restored.length > 50) {
		lines.push(`  … and ${report.restored.length - 50} more (--json lists all)`);
	}

	for (const [title, list] of [['Not in the backup', report.notInBackup], ['Left alone', report.skipped]] as const) {
		if (list.length > 0) {
			lines.push(`${title} (${list.length}):`);
			for (const item of list.slice(0, 20)) {
				lines.push(`  ${sanitize(item.path)}: ${sanitize(item.reason)}`);
			}

			if (list.length > 20) {
				lines.push(`  … and ${list.length - 20} more (--json lists all)`);
			}
		}
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate restore`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (!options.from) {
		throw new UserError('restore needs --from BACKUP_DIR, a backup folder made by curate backup');
	}

	if (input.length === 0 && !options.damaged && !options.missing) {
		throw new UserError('restore needs PATH…, --damaged or --missing: which files to bring back');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const json = Boolean(options.json);
	const base = {
		from: path.resolve(cwd, String(options.from)),
		paths: input.map(file => libraryPath(library, cwd, file)),
		damaged: Boolean(options.damaged),
		missing: Boolean(options.missing),
		dryRun: Boolean(options.dryRun),
	} satisfies RestoreOptions;
	const planning = showProgress({label: 'Checking', stdout, stderr, live: !json && Boolean(stdout.isTTY)});
	const onPlanProgress: RestoreOptions['onPlanProgress'] = state => {
		planning.update(state);
	};

	const plan = async (catalog: Catalog) => planRestore(library, catalog, {...base, onPlanProgress}).finally(planning.stop);
	let report: RestoreReport;
	if (base.dryRun) {
		const catalog = openForRead(library);
		try {
			report = (await plan(catalog)).report;
		} finally {
			catalog.close();
		}
	} else {
		report = await withJournal({library: library.root, cwd, stderr}, async (journal, catalog) => {
			const planned = await plan(catalog);
			const reporter = batchReporter({stdout, stderr, json, name: 'restore', verb: 'Restoring'});
			return applyRestore(journal, catalog, planned, {command: ['restore', ...input, ...(base.damaged ? ['--damaged'] : []), ...(base.missing ? ['--missing'] : []), '--from', base.from].join(' '), onProgress: reporter.onProgress}).finally(reporter.finish);
		});
	}

	if (json) {
		stdout.write(safeJson(report) + '\n');
	} else {
		printReport(report, stdout);
	}

	return report.notInBackup.length > 0 || report.skipped.some(item => !item.reason.startsWith('intact')) ? 1 : 0;
}
