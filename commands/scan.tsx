import fs from 'node:fs';
import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {findLibrary, type Library, libraryAt, openForWrite, UserError} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {defaultIgnores} from '../source/scan/walk.js';
import {scanLibrary, type ScanSummary} from '../source/scan/scan.js';
import {formatDuration} from '../source/core/format.js';

export {description, usage, examples, flags} from './scan.spec.js';

/** `3 errors` alone, or `0 new errors, 17 files still unreadable (…)` when earlier scans left unreadable files. */
function problemCounts(summary: ScanSummary): string {
	const parts: string[] = [];
	if (summary.damaged.length > 0) {
		parts.push(`${summary.damaged.length} damaged`);
	}

	if (summary.stillUnreadable === 0 && summary.stillDamaged === 0) {
		parts.push(`${summary.errors.length} errors`);
		return parts.join(', ');
	}

	parts.push(`${summary.errors.length} new errors`);
	if (summary.stillUnreadable > 0) {
		parts.push(`${summary.stillUnreadable} ${summary.stillUnreadable === 1 ? 'file' : 'files'} still unreadable`);
	}

	if (summary.stillDamaged > 0) {
		parts.push(`${summary.stillDamaged} still damaged`);
	}

	return `${parts.join(', ')} (curate status lists them)`;
}

/** The one line Ctrl-C leaves: what was kept and that the next scan carries on. */
function interruptedLine(summary: ScanSummary): string {
	const toRead = summary.files - summary.unchanged;
	return `Interrupted: ${summary.read} of ${toRead} files to read were read and kept in the catalog; run the same scan again and it carries on from there.`;
}

function summaryLines(summary: ScanSummary): string[] {
	const {files, added, updated, unchanged, moved, missing, errors, damaged, seconds} = summary;
	const where = summary.folder ? ` under ${sanitize(summary.folder)}` : '';
	const lines = summary.interrupted
		? [interruptedLine(summary)]
		: [`Scanned ${files} files${where} in ${formatDuration(seconds)}: ${added} added, ${updated} updated, ${unchanged} unchanged, ${moved} moved, ${missing} missing, ${problemCounts(summary)}.`];
	for (const file of damaged.slice(0, 20)) {
		lines.push(`  ${sanitize(file.path)}: ${sanitize(file.error)}`);
	}

	if (damaged.length > 0) {
		lines.push(
			'  Damaged files keep their catalogued content: restore them (curate restore --damaged --from BACKUP_DIR), or if the new bytes are right, curate scan --accept PATH.',
		);
	}

	for (const error of errors.slice(0, 20)) {
		lines.push(`  ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	if (errors.length > 20 || damaged.length > 20) {
		lines.push(`  … and ${Math.max(0, errors.length - 20) + Math.max(0, damaged.length - 20)} more (curate scan --json lists all)`);
	}

	return lines;
}

/** Path of `target` inside the library, with `/` separators ('' for the root itself). */
function insideLibrary(library: Library, target: string): string | undefined {
	const relative = path.relative(library.root, target);
	if (relative === '') {
		return '';
	}

	return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
}

/**
 * Which library a scan goes into, and which folder of it. Like every other command, scan works on the nearest library
 * at or above the folder (so `cd LIB/2024 && curate scan` scans LIB's 2024 folder, and nothing else is marked
 * missing); only a folder inside no library starts a new one there. A library inside another only with --new-library.
 */
function chooseLibrary(target: string, options: Readonly<Record<string, unknown>>): {library: Library; under: string} {
	if (options.library) {
		const library = findLibrary({library: options.library as string});
		const under = insideLibrary(library, target);
		if (under === undefined) {
			throw new UserError(`${target} is not inside the library at ${library.root}`);
		}

		return {library, under};
	}

	if (options.newLibrary) {
		return {library: libraryAt(target), under: ''};
	}

	let library: Library;
	try {
		library = findLibrary({cwd: target});
	} catch (error) {
		if (!(error instanceof UserError)) {
			throw error;
		}

		// No library here or above: the first scan of a folder makes it a library.
		return {library: libraryAt(target), under: ''};
	}

	return {library, under: insideLibrary(library, target) ?? ''};
}

/** `curate scan [DIR]`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const target = path.resolve(cwd, input[0] ?? '.');
	let stat;
	try {
		stat = fs.statSync(target);
	} catch {
		throw new UserError(`no such folder: ${target}`);
	}

	if (!stat.isDirectory()) {
		throw new UserError(`not a folder: ${target}`);
	}

	const {library, under} = chooseLibrary(target, options);
	const accept = ((options.accept as string[] | undefined) ?? []).map(file => {
		const relative = insideLibrary(library, path.resolve(cwd, file));
		if (!relative) {
			throw new UserError(`cannot accept ${file}: it is not a file inside the library at ${library.root}`);
		}

		return relative;
	});
	const ignore = [...(options.defaultIgnores === false ? ['.curate'] : defaultIgnores), ...((options.ignore as string[] | undefined) ?? [])];
	const lifecycle = {name: 'scan', stdout, stderr, json: Boolean(options.json), interrupt: {forced: 'what was committed is kept, and the next scan carries on.'}};
	return runCommand(lifecycle, async ({signal, progress, defer}) => {
		const {catalog, release} = openForWrite(library);
		defer(() => {
			catalog.close();
			release();
		});
		const summary = await scanLibrary(
			library,
			catalog,
			{
				ignore,
				under,
				accept,
				force: Boolean(options.force),
				followSymlinks: Boolean(options.followSymlinks),
				fullMetadata: Boolean(options.fullMetadata),
				concurrency: typeof options.concurrency === 'number' ? options.concurrency : undefined,
				signal,
			},
			await progress({kind: 'scan'}),
		);
		const {interrupted, ...rest} = summary;
		return {
			json: interrupted ? {...rest, interrupted} : rest,
			text: () => summaryLines(summary),
			interrupted,
			interruptedNote: interruptedLine(summary),
		};
	});
}
