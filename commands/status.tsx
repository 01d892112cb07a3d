import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize, middleEllipsis} from '../source/core/sanitize.js';
import {libraryStatus, type LibraryStatus} from '../source/health/status.js';
import {findLibrary, openForRead} from '../source/library.js';
import type {Catalog} from '../source/db/catalog.js';
import {PlaceStore} from '../source/db/places.js';
import {formatBytes} from '../source/core/format.js';
import {dupeSearchProgress} from '../source/ui/progress-lines.js';

export {description, usage, examples, flags} from './status.spec.js';

const when = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never');

/** `file` or `files`, padded alike so the columns stay aligned. */
function fileWord(count: number): string {
	return count === 1 ? 'file ' : 'files';
}

function table(rows: ReadonlyArray<{key: string; files: number; bytes: number}>, limit: number): string[] {
	const shown = rows.slice(0, limit);
	const lines = shown.map(row => `  ${sanitize(row.key).padEnd(10)} ${String(row.files).padStart(9)} ${fileWord(row.files)} ${formatBytes(row.bytes).padStart(9)}`);
	if (rows.length > limit) {
		const rest = rows.slice(limit);
		lines.push(`  ${'other'.padEnd(10)} ${String(rest.reduce((sum, row) => sum + row.files, 0)).padStart(9)} ${fileWord(rest.reduce((sum, row) => sum + row.files, 0))} ${formatBytes(rest.reduce((sum, row) => sum + row.bytes, 0)).padStart(9)}`);
	}

	return lines;
}

/**
 * Every year, compactly: as many "year  files  size" cells on a line as fit in `width` (a library of 30 years used to
 * show 12 and an "other" row).
 */
function yearColumns(rows: ReadonlyArray<{key: string; files: number; bytes: number}>, width: number): string[] {
	const cells = rows.map(row => `${sanitize(row.key).padEnd(7)} ${String(row.files).padStart(7)} ${fileWord(row.files)} ${formatBytes(row.bytes).padStart(9)}`);
	const cellWidth = Math.max(0, ...cells.map(cell => [...cell].length)) + 4;
	const perLine = Math.max(1, Math.floor((width - 2) / cellWidth));
	const lines: string[] = [];
	for (let index = 0; index < cells.length; index += perLine) {
		lines.push(`  ${cells.slice(index, index + perLine).map((cell, column, line) => (column < line.length - 1 ? cell.padEnd(cellWidth) : cell)).join('')}`);
	}

	return lines;
}

/** The 3-2-1 view: one line per backup target, then how many files are in no backup and in only one. */
function backupLines(status: LibraryStatus, width: number): string[] {
	const {backups} = status;
	if (backups.targets.length === 0) {
		return [`Backups      none yet: ${status.files} file${status.files === 1 ? '' : 's'} in no backup (curate backup --help)`];
	}

	const lines = ['Backups:'];
	for (const target of backups.targets) {
		// When first, then where: a long repository path is shortened in its middle, never the date.
		const age = target.ageDays === null ? 'never completed' : `last ${when(target.lastSuccessAt)} (${target.ageDays < 1 ? 'today' : `${Math.floor(target.ageDays)} day${Math.floor(target.ageDays) === 1 ? '' : 's'} ago`})`;
		const head = `  ${age}${target.snapshot ? `, snapshot ${target.snapshot}` : ''}: `;
		lines.push(head + middleEllipsis(sanitize(target.location), Math.max(20, width - head.length)));
		if (target.overdue) {
			lines.push(`    warning: older than ${target.maxAgeDays} days (backup.maxAgeDays in .curate/config.json)`);
		}
	}

	lines.push(`  ${backups.inNoBackup} file${backups.inNoBackup === 1 ? '' : 's'} in no backup, ${backups.inOneBackup} in only one, ${backups.inTwoOrMore} in two or more`);
	return lines;
}

/** Located photos and countries (issue 17), and photos with GPS still to locate. */
function placesStatus(catalog: Catalog) {
	const store = new PlaceStore(catalog);
	const counts = store.counts();
	const countries = store.countries().filter(row => row.country !== null);
	return {located: counts.located, pending: counts.pending, countries: countries.length, top: countries.slice(0, 3).map(row => row.country!)};
}

/** The places line: the top countries only when they fit the width. */
function placesLine(places: ReturnType<typeof placesStatus>, width: number): string {
	if (places.located === 0 && places.pending === 0) {
		return 'Places       no photo with GPS';
	}

	const pending = places.pending ? `; ${places.pending} with GPS not located yet (curate places)` : '';
	const counted = `Places       ${places.located} photos in ${places.countries} ${places.countries === 1 ? 'country' : 'countries'}`;
	const listed = `${counted} (${sanitize(places.top.join(', '))}${places.countries > 3 ? ' …' : ''})${pending}`;
	return places.top.length > 0 && [...listed].length <= width ? listed : middleEllipsis(`${counted}${pending}`, width);
}

function printStatus(status: LibraryStatus, columns: number, stdout: NodeJS.WriteStream, places: ReturnType<typeof placesStatus>): void {
	const width = Math.min(columns, 80);
	const verify = status.lastVerify;
	const lines = [
		middleEllipsis(`Library ${sanitize(status.root)}`, width),
		`${status.files} files, ${formatBytes(status.bytes)}${status.missing ? ` (${status.missing} catalogued files missing)` : ''}`,
		'',
		'By format:',
		...table(status.byFormat, 8),
		'By year:',
		...yearColumns(status.byYear, width),
		'',
		`Duplicates   ${status.duplicates.clusters} clusters, ${formatBytes(status.duplicates.reclaimableBytes)} reclaimable (curate dupes)`,
		`Tagged       ${status.tagged === null ? 'not tagged yet' : `${status.tagged} of ${status.files} files`}`,
		placesLine(places, width),
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

	lines.push('', ...backupLines(status, width));
	if (status.errorCount > 0) {
		lines.push('', `Files with read errors (${status.errorCount}):`);
		for (const error of status.errors.slice(0, 10)) {
			// The path may be shortened in its middle; the reason is shown whole, on its own line, never cut mid-word.
			lines.push(middleEllipsis(`  ${sanitize(error.path)}`, width), ...wrapWords(sanitize(error.error), width - 6).map(line => `      ${line}`));
		}

		if (status.errorCount > 10) {
			lines.push(`  … and ${status.errorCount - 10} more (curate status --json lists 20)`);
		}
	}

	stdout.write(lines.join('\n') + '\n');
}

/** Splits `text` into lines of at most `width` columns at spaces (a word longer than a line gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && [...line].length + 1 + [...word].length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}

	return line ? [...lines, line] : lines;
}

/** `curate status`. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRead(library);
	try {
		const progress = dupeSearchProgress(stderr);
		const status = libraryStatus(library, catalog, {onProgress: progress.update});
		progress.finish();
		const places = placesStatus(catalog);
		if (options.json) {
			stdout.write(safeJson({...status, places}) + '\n');
		} else {
			printStatus(status, stdout.columns || 80, stdout, places);
		}

		return 0;
	} finally {
		catalog.close();
	}
}
