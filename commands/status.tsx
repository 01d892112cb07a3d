import {type CommandContext, type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';
import {safeJson, sanitize, middleEllipsis} from '../source/core/sanitize.js';
import {libraryStatus, type LibraryStatus} from '../source/health/status.js';
import {findLibrary, openForRead} from '../source/library.js';
import {formatBytes} from '../source/ui/format.js';

export const description = 'Summarise the library: sizes by format and year, duplicates, trash, last scan and verify';
export const usage = 'curate status [--json]';
export const examples = ['curate status', 'curate status --json'];
export const flags: Record<string, FlagSpec> = {...libraryFlag, ...jsonFlag};

const when = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never');

function table(rows: ReadonlyArray<{key: string; files: number; bytes: number}>, limit: number): string[] {
	const shown = rows.slice(0, limit);
	const lines = shown.map(row => `  ${sanitize(row.key).padEnd(10)} ${String(row.files).padStart(9)} files ${formatBytes(row.bytes).padStart(9)}`);
	if (rows.length > limit) {
		const rest = rows.slice(limit);
		lines.push(`  ${'other'.padEnd(10)} ${String(rest.reduce((sum, row) => sum + row.files, 0)).padStart(9)} files ${formatBytes(rest.reduce((sum, row) => sum + row.bytes, 0)).padStart(9)}`);
	}

	return lines;
}

function printStatus(status: LibraryStatus, columns: number, stdout: NodeJS.WriteStream): void {
	const width = Math.min(columns, 80);
	const verify = status.lastVerify;
	const lines = [
		middleEllipsis(`Library ${sanitize(status.root)}`, width),
		`${status.files} files, ${formatBytes(status.bytes)}${status.missing ? ` (${status.missing} catalogued files missing)` : ''}`,
		'',
		'By format:',
		...table(status.byFormat, 8),
		'By year:',
		...table(status.byYear, 12),
		'',
		`Duplicates   ${status.duplicates.clusters} clusters, ${formatBytes(status.duplicates.reclaimableBytes)} reclaimable (curate dupes)`,
		`Tagged       ${status.tagged === null ? 'not tagged yet' : `${status.tagged} of ${status.files} files`}`,
		`Trash        ${status.trash.files} files, ${formatBytes(status.trash.bytes)}${status.trash.oldest ? `, oldest from ${when(status.trash.oldest.trashedAt)}` : ''}`,
		`Journal      ${status.journalBatches} batches`,
		`Exports      ${status.exports} copies recorded`,
		`Last scan    ${status.lastScan ? `${when(status.lastScan.finishedAt ?? status.lastScan.startedAt)} (${status.lastScan.state})` : 'never'}`,
		`Last verify  ${
			verify
				? `${when(verify.finishedAt)}: ${verify.checked} checked, ${verify.damaged} damaged, ${verify.modified} modified, ${verify.missing} missing`
				: 'never (curate verify)'
		}`,
		`             ${status.neverVerified} files never verified${status.knownDamaged ? `; ${status.knownDamaged} found damaged or unreadable when last read` : ''}`,
	];
	if (status.lastBackupVerify) {
		const backup = status.lastBackupVerify;
		lines.push(middleEllipsis(`Backup check ${when(backup.finishedAt)}: ${backup.checked} checked, ${backup.damaged} damaged, ${backup.missing} missing in ${sanitize(backup.target)}`, width));
	}

	if (status.errorCount > 0) {
		lines.push('', `Files with read errors (${status.errorCount}):`);
		for (const error of status.errors.slice(0, 10)) {
			lines.push(middleEllipsis(`  ${sanitize(error.path)}: ${sanitize(error.error)}`, width));
		}

		if (status.errorCount > 10) {
			lines.push(`  … and ${status.errorCount - 10} more (curate status --json lists 20)`);
		}
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate status`. */
export async function run({flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRead(library);
	try {
		const status = libraryStatus(library, catalog);
		if (options.json) {
			stdout.write(safeJson(status) + '\n');
		} else {
			printStatus(status, stdout.columns || 80, stdout);
		}

		return 0;
	} finally {
		catalog.close();
	}
}
