import fs from 'node:fs';
import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {backupDirName} from '../source/health/backup-manifest.js';
import {parseBackupTarget} from '../source/health/backup-target.js';
import {type RepositoryCheck, verifyResticBackup} from '../source/health/restic-verify.js';
import {type Finding, verifyLibrary, type VerifyReport} from '../source/health/verify.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {formatBytes, formatDuration} from '../source/core/format.js';

export {description, usage, examples, flags} from './verify.spec.js';

/** Parses `10%`, `10` or `0.5%` into a share in (0, 1]. */
function parseSample(text: string, flag = '--sample'): number {
	const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
	const percent = match ? Number(match[1]) : Number.NaN;
	if (!(percent > 0 && percent <= 100)) {
		throw new UserError(`${flag} takes a percentage above 0 and up to 100, e.g. ${flag} 10% (got "${text}")`);
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

function reportLines(report: VerifyReport & {repository?: RepositoryCheck}): string[] {
	const what = report.target === 'backup' ? `backup ${sanitize(report.root)}${report.repository ? ` (snapshot ${report.repository.snapshot})` : ''}` : 'library';
	const sample = report.sample === null ? '' : ` (a ${Math.round(report.sample * 1000) / 10}% sample of ${report.catalogued})`;
	const lines = [
		`${report.interrupted ? 'Interrupted after checking' : 'Checked'} ${report.checked} files${sample} of the ${what}, ${formatBytes(report.bytes)} in ${formatDuration(report.seconds)}:`,
		`  ${report.ok} intact, ${report.damaged.length} damaged, ${report.modified.length} modified, ${report.missing.length} missing, ${report.unreadable.length} unreadable.`,
	];
	if (report.repository) {
		const read = report.repository.subset === null ? 'its structure' : `its structure and part ${report.repository.subset} of its data`;
		lines.push(report.repository.ok ? `  restic check read ${read}: no errors.` : `  restic check read ${read} and found errors:`);
		lines.push(...report.repository.problems.map(problem => `    ${sanitize(problem)}`));
	}

	printFindings('Damaged, restore from a backup', report.damaged, lines);
	if (report.damaged.length > 0 && report.target === 'library') {
		lines.push('  Bring back their catalogued bytes with curate restore --damaged --from BACKUP_DIR.');
	}

	printFindings(report.target === 'backup' ? 'Older versions in the backup' : 'Modified since the last scan', report.modified, lines);
	printFindings('Missing', report.missing, lines);
	printFindings('Unreadable', report.unreadable, lines);
	printFindings('Intact bytes, but the picture does not decode', report.undecodable, lines);
	if (report.decoded > 0) {
		lines.push('', `Decoded ${report.decoded} HEIC ${report.decoded === 1 ? 'file' : 'files'} in full for the first time.`);
	}

	return lines;
}

/** `curate verify`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const sample = options.sample === undefined ? undefined : parseSample(String(options.sample));
	const rate = options.rate as number | undefined;
	if (rate !== undefined && !(rate > 0)) {
		throw new UserError('--rate takes a number of MB/s above 0, e.g. --rate 40');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const spec = options.backup === undefined ? undefined : parseBackupTarget(String(options.backup), cwd);
	if (options.read !== undefined && spec?.kind !== 'restic') {
		throw new UserError('--read is for restic backups (--backup restic:REPO); a folder is sampled with --sample');
	}

	if (spec?.kind === 'restic') {
		const read = options.read === undefined ? undefined : parseSample(String(options.read), '--read');
		const repository = {repo: spec.repo, passwordFile: options.passwordFile === undefined ? undefined : path.resolve(cwd, String(options.passwordFile))};
		return runCommand({name: 'verify', stdout, stderr, json: Boolean(options.json)}, async ({signal, progress, defer}) => {
			const catalog = openForRecords(library);
			defer(() => {
				catalog.close();
			});
			const report = await verifyResticBackup(library, catalog, {repository, location: spec.location, read, signal}, await progress({kind: 'files', label: 'Verifying', problemLabel: 'problems'}));
			const problems = report.damaged.length + report.missing.length;
			return {json: report, text: () => reportLines(report), interrupted: report.interrupted, code: problems > 0 || !report.repository.ok ? 1 : 0};
		});
	}

	const backup = spec?.dir;
	if (backup && !fs.existsSync(path.join(backup, backupDirName, 'manifest.json'))) {
		throw new UserError(`${backup} is not a backup made by curate backup (no ${backupDirName}/manifest.json)`);
	}

	return runCommand({name: 'verify', stdout, stderr, json: Boolean(options.json)}, async ({signal, progress, defer}) => {
		const catalog = openForRecords(library);
		defer(() => {
			catalog.close();
		});
		const report = await verifyLibrary(library, catalog, {sample, rateMBps: rate, backup, deep: Boolean(options.deep), signal}, await progress({kind: 'files', label: 'Verifying', problemLabel: 'problems'}));
		const problems = report.damaged.length + report.missing.length + report.unreadable.length + report.undecodable.length;
		return {json: report, text: () => reportLines(report), interrupted: report.interrupted, code: problems > 0 ? 1 : 0};
	});
}
