import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {backupLibrary, type BackupReport} from '../source/health/backup.js';
import {parseBackupTarget} from '../source/health/backup-target.js';
import {backupToRestic, type ResticBackupReport} from '../source/health/restic-backup.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {formatBytes, formatDuration} from '../source/core/format.js';

export {description, usage, examples, flags} from './backup.spec.js';

function reportLines(report: BackupReport): string[] {
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

	return lines;
}

function resticReportLines(report: ResticBackupReport): string[] {
	const lines = report.dryRun
		? [`Dry run: would back up ${report.files} files (${report.sidecars} sidecars) to ${sanitize(report.target)}.`]
		: report.interrupted
			? [`Interrupted: no snapshot was saved in ${sanitize(report.target)} (restic keeps the repository consistent; the next run starts where the data already is).`]
			: [
				`${report.initialised ? 'Created the encrypted repository and saved' : 'Saved'} snapshot ${report.snapshot} in ${sanitize(report.target)} in ${formatDuration(report.seconds)}: ${report.files} files (${report.sidecars} sidecars) and the catalog.`,
				`  ${report.filesNew} new, ${report.filesChanged} changed, ${report.filesUnmodified} unchanged; ${formatBytes(report.dataAdded)} added to the repository.`,
			];
	if (!report.dryRun && !report.interrupted) {
		const policy = `keep every snapshot of the last ${report.retention.keepWithin} and never fewer than ${report.retention.keepLast}`;
		lines.push(report.retention.state === 'shown'
			? `Retention for this target: ${policy} (backup.keepWithin and backup.keepLast in .curate/config.json). It is applied from the next backup on${report.retention.removed.length > 0 ? `, and would now remove ${report.retention.removed.length} snapshots` : ''}.`
			: `Retention (${policy}): ${report.retention.removed.length} old snapshot${report.retention.removed.length === 1 ? '' : 's'} removed.`);
	}

	if (report.damaged.length > 0) {
		lines.push(`${report.damaged.length} damaged files (bit rot found by curate verify) were left out; earlier snapshots keep their good copies (curate restore --damaged --from ${sanitize(report.target)}):`);
		lines.push(...report.damaged.slice(0, 20).map(file => `  ${sanitize(file)}`));
	}

	if (report.excluded.length > 0) {
		lines.push(`${report.excluded.length} files were left out:`);
		lines.push(...report.excluded.slice(0, 20).map(item => `  ${sanitize(item.path)}: ${sanitize(item.reason)}`));
	}

	for (const error of report.errors.slice(0, 20)) {
		lines.push(`  ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	return lines;
}

/** `curate backup`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (!options.to) {
		throw new UserError('backup needs --to DIR, the backup folder, or --to restic:REPO');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const spec = parseBackupTarget(String(options.to), cwd);
	if (spec.kind === 'restic') {
		if (options.prune) {
			throw new UserError('--prune is for mirrored folders; a restic repository drops old snapshots by its retention (backup.keepWithin, backup.keepLast in .curate/config.json)');
		}

		const repository = {repo: spec.repo, passwordFile: options.passwordFile === undefined ? undefined : path.resolve(cwd, String(options.passwordFile))};
		return runCommand({name: 'backup', stdout, stderr, json: Boolean(options.json)}, async ({signal, progress, defer}) => {
			const catalog = openForRecords(library);
			defer(() => {
				catalog.close();
			});
			const settings = {repository, location: spec.location, init: Boolean(options.init), dryRun: Boolean(options.dryRun), signal};
			const report = await backupToRestic(library, catalog, settings, await progress({kind: 'files', label: 'Backing up'}));
			return {json: report, text: () => resticReportLines(report), interrupted: report.interrupted, code: report.errors.length + report.damaged.length + report.excluded.length > 0 ? 1 : 0};
		});
	}

	if (options.passwordFile !== undefined || options.init) {
		throw new UserError('--password-file and --init are for restic repositories (--to restic:REPO)');
	}

	const target = spec.dir;
	return runCommand({name: 'backup', stdout, stderr, json: Boolean(options.json)}, async ({signal, progress, defer}) => {
		const catalog = openForRecords(library);
		defer(() => {
			catalog.close();
		});
		const settings = {prune: Boolean(options.prune), dryRun: Boolean(options.dryRun), signal};
		const report = await backupLibrary(library, catalog, target, settings, await progress({kind: 'files', label: 'Backing up'}));
		return {json: report, text: () => reportLines(report), interrupted: report.interrupted, code: report.errors.length + report.damaged.length > 0 ? 1 : 0};
	});
}
