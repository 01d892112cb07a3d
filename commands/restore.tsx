import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {parseBackupTarget} from '../source/health/backup-target.js';
import {applyRestore, libraryPath, planRestore, type RestoreElsewhereReport, restoreElsewhere, type RestoreOptions, type RestoreReport} from '../source/health/restore.js';
import {openRestoreSource} from '../source/health/restore-sources.js';
import {withJournal} from '../source/journal/session.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {formatBytes} from '../source/core/format.js';

export {description, usage, examples, flags} from './restore.spec.js';

function reportLines(report: RestoreReport): string[] {
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

	return lines;
}

function elsewhereLines(report: RestoreElsewhereReport): string[] {
	const verb = report.dryRun ? 'Dry run: would restore' : 'Restored';
	const lines = [`${verb} ${report.restored.length} file${report.restored.length === 1 ? '' : 's'} (${formatBytes(report.bytes)}) from ${sanitize(report.from)} into ${sanitize(report.to)}, each verified by SHA-256; the library was not touched.`];
	for (const [title, list] of [['Not in the backup', report.notInBackup], ['Left alone', report.skipped]] as const) {
		if (list.length > 0) {
			lines.push(`${title} (${list.length}):`, ...list.slice(0, 20).map(item => `  ${sanitize(item.path)}: ${sanitize(item.reason)}`));
		}
	}

	return lines;
}

/** `curate restore`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (!options.from) {
		throw new UserError('restore needs --from BACKUP_DIR (a folder made by curate backup) or --from restic:REPO');
	}

	if (input.length === 0 && !options.damaged && !options.missing) {
		throw new UserError('restore needs PATH…, --damaged or --missing: which files to bring back');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const json = Boolean(options.json);
	const target = parseBackupTarget(String(options.from), cwd);
	const sourceOptions = {passwordFile: options.passwordFile === undefined ? undefined : path.resolve(cwd, String(options.passwordFile)), snapshot: options.snapshot as string | undefined};
	const base = {
		paths: input.map(file => libraryPath(library, cwd, file)),
		damaged: Boolean(options.damaged),
		missing: Boolean(options.missing),
		dryRun: Boolean(options.dryRun),
	} satisfies Omit<RestoreOptions, 'source'>;
	const command = ['restore', ...input, ...(base.damaged ? ['--damaged'] : []), ...(base.missing ? ['--missing'] : []), '--from', target.location].join(' ');
	// The catalog read-only and the backup, both closed when the command ends (restoring elsewhere, or a dry run).
	const openForReading = async (defer: (teardown: () => unknown) => void) => {
		const catalog = openForRead(library);
		defer(() => {
			catalog.close();
		});
		const source = await openRestoreSource(library, catalog, target, sourceOptions);
		defer(() => {
			source.close();
		});
		return {catalog, source};
	};

	if (options.to !== undefined) {
		const to = path.resolve(cwd, String(options.to));
		return runCommand({name: 'restore', stdout, stderr, json}, async ({progress, defer}) => {
			const {catalog, source} = await openForReading(defer);
			const report = await restoreElsewhere(library, catalog, {...base, source, to, onPlanProgress: await progress({kind: 'files', label: 'Restoring'})});
			return {json: report, text: () => elsewhereLines(report), code: report.notInBackup.length + report.skipped.length > 0 ? 1 : 0};
		});
	}

	// Not interruptible part-way: a killed restore is settled from the journal when the library is next opened.
	return runCommand({name: 'restore', stdout, stderr, json, interrupt: false}, async ({progress, defer}) => {
		const checking = {kind: 'files', label: 'Checking'} as const;
		let report: RestoreReport;
		if (base.dryRun) {
			const {catalog, source} = await openForReading(defer);
			report = (await planRestore(library, catalog, {...base, source, onPlanProgress: await progress(checking)})).report;
		} else {
			// The source stays open until the batch is applied: a restic source's staged copies are what the journal copies.
			report = await withJournal({library: library.root, cwd, stderr}, async (journal, catalog) => {
				const source = await openRestoreSource(library, catalog, target, sourceOptions);
				try {
					const planned = await planRestore(library, catalog, {...base, source, onPlanProgress: await progress(checking)});
					return await applyRestore(journal, catalog, planned, {command, onProgress: await progress({kind: 'batch', verb: 'Restoring'})});
				} finally {
					source.close();
				}
			});
		}

		const incomplete = report.notInBackup.length > 0 || report.skipped.some(item => !item.reason.startsWith('intact'));
		return {json: report, text: () => reportLines(report), code: incomplete ? 1 : 0};
	});
}
