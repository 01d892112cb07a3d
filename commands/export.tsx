import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {middleEllipsis, sanitize} from '../source/core/sanitize.js';
import {exportFiles, type ExportReport, type ExportSettings} from '../source/export/export.js';
import {freeTextTerms, selectFiles} from '../source/export/selection.js';
import type {StripMode} from '../source/export/strip-rule.js';
import {selectionQueries} from '../source/ai/selection-queries.js';
import {findLibrary, openForRecords, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {formatBytes, formatDuration} from '../source/core/format.js';

export {description, usage, examples, flags} from './export.spec.js';

function reportLines(report: ExportReport, columns: number): string[] {
	const width = Math.max(30, Math.min(columns, 80) - 12);
	const lines: string[] = [];
	for (const item of report.items) {
		const target = item.output ? path.relative(report.to, item.output) : '';
		const mark = report.dryRun && item.action === 'write' ? 'would write' : item.action === 'write' ? 'wrote' : item.action === 'reuse' ? 'kept' : item.action;
		lines.push(`${mark.padEnd(11)} ${middleEllipsis(sanitize(item.path), width)}`);
		if (target) {
			lines.push(`${''.padEnd(11)} → ${middleEllipsis(sanitize(target), width - 2)}`);
		}

		if (item.reason) {
			lines.push(`${''.padEnd(11)} ${sanitize(item.reason)}`);
		}
	}

	const bytes = report.items.reduce((sum, item) => sum + (item.action === 'write' ? (item.bytes ?? 0) : 0), 0);
	lines.push(
		'',
		report.dryRun
			? `Dry run: would write ${report.written}, keep ${report.reused} earlier copies, skip ${report.skipped} in ${sanitize(report.to)}.`
			: `Wrote ${report.written} copies (${formatBytes(bytes)}) to ${sanitize(report.to)} in ${formatDuration(report.seconds)}; kept ${report.reused} intact earlier copies, skipped ${report.skipped}, ${report.failed} failed.`,
	);
	return lines;
}

/** `curate export`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (!options.to) {
		throw new UserError('export needs --to DIR, the folder to write the copies into');
	}

	const format = String(options.format) === 'webp' ? 'webp' : 'jpeg';
	const strip = String(options.strip) as StripMode;

	const quality = Number(options.quality);
	if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
		throw new UserError('--quality must be a whole number from 1 to 100');
	}

	const maxSize = options.maxSize as number | undefined;
	if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 16)) {
		throw new UserError('--max-size must be a whole number of pixels, at least 16');
	}

	const matches = Number(options.matches);
	if (!Number.isInteger(matches) || matches < 1) {
		throw new UserError('--matches must be a whole number of at least 1');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const to = path.resolve(cwd, String(options.to));
	const inside = path.relative(library.root, to);
	if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
		throw new UserError(`--to ${to} is inside the library: the copies would be scanned as photos. Choose a folder outside ${library.root}`);
	}

	const keepMakerNotes = Boolean(options.keepMakerNotes);
	if (keepMakerNotes && strip !== 'gps') {
		throw new UserError(`--keep-maker-notes goes with --strip gps (--strip ${strip} ${strip === 'all' ? 'removes them' : 'keeps them'} anyway)`);
	}

	const keepFaces = Boolean(options.keepFaces);
	if (keepFaces && strip !== 'gps') {
		throw new UserError(`--keep-faces goes with --strip gps (--strip ${strip} ${strip === 'all' ? 'removes them' : 'keeps them'} anyway)`);
	}

	const settings: ExportSettings = {format, quality, strip, ...(maxSize ? {maxSize} : {}), ...(keepMakerNotes ? {keepMakerNotes} : {}), ...(keepFaces ? {keepFaces} : {})};
	return runCommand({name: 'export', stdout, stderr, json: Boolean(options.json), interrupt: false}, async ({progress, defer}) => {
		const catalog = openForRecords(library);
		defer(() => {
			catalog.close();
		});
		const context = {root: library.root, cwd, files: catalog.allPresent()};
		const queries = await selectionQueries(library, catalog, {cwd, freeText: freeTextTerms(input, context), matches, stderr});
		const files = selectFiles(input, {...context, queries});
		if (files.length === 0) {
			throw new UserError('the selection matches no catalogued files');
		}

		const report = await exportFiles(library, catalog, files, to, settings, {dryRun: Boolean(options.dryRun)}, await progress({kind: 'files', label: 'Exporting'}));
		return {json: report, text: () => reportLines(report, stdout.columns || 80), code: report.failed > 0 ? 1 : 0};
	});
}
