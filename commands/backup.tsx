import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {backupLibrary, type BackupReport} from '../source/health/backup.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {formatBytes, formatDuration} from '../source/core/format.js';
import {showProgress} from '../source/ui/task-progress.js';

export {description, usage, examples, flags} from './backup.spec.js';

function printReport(report: BackupReport, stdout: NodeJS.WriteStream): void {
	const lines = [
		report.dryRun
			? `Dry run: would copy ${report.copied} of ${report.files} files (${formatBytes(report.copiedBytes)}) to ${sanitize(report.target)}; ${report.unchanged} already there.`
			: `${report.interrupted ? 'Interrupted: copied' : 'Copied'} ${report.copied} of ${report.files} files (${formatBytes(report.copiedBytes)}, ${report.sidecars} sidecars in all) to ${sanitize(report.target)} in ${formatDuration(report.seconds)}; ${report.unchanged} already there, every copy verified by SHA-256.`,
	];
	if (report.replaced > 0 || report.pruned > 0) {
		lines.push(`${report.replaced} older versions replaced and ${report.pruned} pruned files moved to ${sanitize(report.movedAsideTo ?? '')} (nothing deleted).`);
	}

	if (report.extra.length > 0 && report.pruned === 0) {
		lines.push(`${report.extra.length} files in the backup are no longer in the library; kept (--prune moves them aside).`);
	}

	if (report.damaged.length > 0) {
		lines.push(`${report.damaged.length} damaged files (bit rot found by curate verify) were not backed up; the backup keeps its earlier copies. Bring them back with curate restore --damaged --from ${sanitize(report.target)}:`);
		for (const file of report.damaged.slice(0, 20)) {
			lines.push(`  ${sanitize(file)}`);
		}
	}

	if (report.leftoversRemoved.length > 0) {
		lines.push(`${report.dryRun ? 'Would remove' : 'Removed'} ${report.leftoversRemoved.length} temporary files left by an interrupted backup.`);
	}

	if (report.leftoversKept.length > 0) {
		lines.push(`${report.leftoversKept.length} temporary files belong to a backup still running in another process; left alone.`);
	}

	if (report.catalogSnapshot) {
		lines.push(`Catalog snapshot: ${sanitize(report.catalogSnapshot)}`);
	}

	for (const error of report.errors.slice(0, 20)) {
		lines.push(`  ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	if (report.errors.length > 20) {
		lines.push(`  … and ${report.errors.length - 20} more (--json lists all)`);
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate backup`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (!options.to) {
		throw new UserError('backup needs --to DIR, the backup folder');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const target = path.resolve(cwd, String(options.to));
	const catalog = openForRecords(library);
	const controller = new AbortController();
	const stop = () => {
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const json = Boolean(options.json);
	const progress = showProgress({label: 'Backing up', stdout, stderr, live: !json && Boolean(stdout.isTTY)});
	let report: BackupReport;
	try {
		report = await backupLibrary(library, catalog, target, {prune: Boolean(options.prune), dryRun: Boolean(options.dryRun), signal: controller.signal}, state => {
			progress.update({done: state.done, total: state.total, current: state.current});
		});
	} finally {
		await progress.stop();
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		catalog.close();
	}

	if (json) {
		stdout.write(safeJson(report) + '\n');
	} else {
		printReport(report, stdout);
	}

	return report.interrupted ? 130 : report.errors.length + report.damaged.length > 0 ? 1 : 0;
}
