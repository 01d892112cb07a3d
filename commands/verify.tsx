import fs from 'node:fs';
import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {backupDirName} from '../source/health/backup-manifest.js';
import {type Finding, verifyLibrary, type VerifyReport} from '../source/health/verify.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {formatBytes, formatDuration} from '../source/core/format.js';
import {showProgress} from '../source/ui/task-progress.js';

export {description, usage, examples, flags} from './verify.spec.js';

/** Parses `10%`, `10` or `0.5%` into a share in (0, 1]. */
function parseSample(text: string): number {
	const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
	const percent = match ? Number(match[1]) : Number.NaN;
	if (!(percent > 0 && percent <= 100)) {
		throw new UserError(`--sample takes a percentage above 0 and up to 100, e.g. --sample 10% (got "${text}")`);
	}

	return percent / 100;
}

function printFindings(title: string, findings: readonly Finding[], lines: string[]): void {
	if (findings.length === 0) {
		return;
	}

	lines.push('', `${title} (${findings.length}):`);
	for (const finding of findings.slice(0, 50)) {
		lines.push(`  ${sanitize(finding.path)}: ${finding.reason}`);
	}

	if (findings.length > 50) {
		lines.push(`  … and ${findings.length - 50} more (--json lists all)`);
	}
}

function printReport(report: VerifyReport, stdout: NodeJS.WriteStream): void {
	const what = report.target === 'backup' ? `backup ${sanitize(report.root)}` : 'library';
	const sample = report.sample === null ? '' : ` (a ${Math.round(report.sample * 1000) / 10}% sample of ${report.catalogued})`;
	const lines = [
		`${report.interrupted ? 'Interrupted after checking' : 'Checked'} ${report.checked} files${sample} of the ${what}, ${formatBytes(report.bytes)} in ${formatDuration(report.seconds)}:`,
		`  ${report.ok} intact, ${report.damaged.length} damaged, ${report.modified.length} modified, ${report.missing.length} missing, ${report.unreadable.length} unreadable.`,
	];
	printFindings('Damaged, restore from a backup', report.damaged, lines);
	if (report.damaged.length > 0 && report.target === 'library') {
		lines.push('  Bring back their catalogued bytes with curate restore --damaged --from BACKUP_DIR.');
	}

	printFindings(report.target === 'backup' ? 'Older versions in the backup' : 'Modified since the last scan', report.modified, lines);
	printFindings('Missing', report.missing, lines);
	printFindings('Unreadable', report.unreadable, lines);
	stdout.write(lines.join('\n') + '\n');
}

/** `curate verify`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const sample = options.sample === undefined ? undefined : parseSample(String(options.sample));
	const rate = options.rate as number | undefined;
	if (rate !== undefined && !(rate > 0)) {
		throw new UserError('--rate takes a number of MB/s above 0, e.g. --rate 40');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const backup = options.backup === undefined ? undefined : path.resolve(cwd, String(options.backup));
	if (backup && !fs.existsSync(path.join(backup, backupDirName, 'manifest.json'))) {
		throw new UserError(`${backup} is not a backup made by curate backup (no ${backupDirName}/manifest.json)`);
	}

	const catalog = openForRecords(library);
	const controller = new AbortController();
	const stop = () => {
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const json = Boolean(options.json);
	const progress = showProgress({label: 'Verifying', problemLabel: 'problems', stdout, stderr, live: !json && Boolean(stdout.isTTY)});
	let report: VerifyReport;
	try {
		report = await verifyLibrary(library, catalog, {sample, rateMBps: rate, backup, signal: controller.signal}, state => {
			progress.update(state);
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

	if (report.interrupted) {
		return 130;
	}

	return report.damaged.length + report.missing.length + report.unreadable.length > 0 ? 1 : 0;
}
