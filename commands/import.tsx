import path from 'node:path';
import process from 'node:process';
import {render} from 'ink';
import React from 'react';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {renderTree} from '../source/core/tree.js';
import {importFiles, type ImportProgress, type ImportResult} from '../source/import/run-import.js';
import {placementSettings} from '../source/import/settings.js';
import {listSources} from '../source/import/sources.js';
import {openJournal} from '../source/journal/journal.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {formatBytes} from '../source/core/format.js';
import {progressStore, TransferProgress, type TransferState} from '../source/ui/transfer-progress.js';

export {description, usage, examples, flags} from './import.spec.js';

function printResult(result: ImportResult, stdout: NodeJS.WriteStream, root: string, move: boolean): void {
	const lines: string[] = [];
	const count = result.imported.length;
	if (result.dryRun) {
		lines.push(`Would ${move ? 'move' : 'import'} ${count} ${count === 1 ? 'file' : 'files'} into ${sanitize(root)}, skip ${result.skipped.length}; ${result.errors.length} errors. Nothing was ${move ? 'moved' : 'copied'}.`);
		lines.push(...renderTree(result.imported.map(file => ({from: file.source, to: file.path})), {columns: stdout.columns || 80}));
	} else {
		lines.push(
			count === 0
				? `Nothing new to import: ${result.skipped.length} skipped, ${result.errors.length} errors.`
				: `${move ? 'Moved' : 'Imported'} ${count} ${count === 1 ? 'file' : 'files'} into ${sanitize(root)}${move ? ', sources removed once verified' : ''} (batch ${result.batch}: \`curate undo ${result.batch}\` takes it back${move ? ' and puts the sources back' : ''}); ${result.skipped.length} skipped${move ? ' (left where they are)' : ''}, ${result.errors.length} errors.`,
		);
		for (const file of result.imported.slice(0, 50)) {
			lines.push(`  ${sanitize(file.path)}  <- ${sanitize(file.source)}${file.dateSource === 'mtime' ? '  (no date in metadata: file time)' : ''}`);
		}

		if (count > 50) {
			lines.push(`  … and ${count - 50} more (--json lists all)`);
		}
	}

	const undated = result.imported.filter(file => file.dateSource !== 'metadata').length;
	if (undated > 0) {
		lines.push(`${undated} ${undated === 1 ? 'file has' : 'files have'} no capture date in metadata: placed by ${result.imported.some(file => file.dateSource === 'mtime') ? 'file time' : '"unknown"'}.`);
	}

	const reasons = new Map<string, number>();
	for (const skip of result.skipped) {
		reasons.set(skip.reason, (reasons.get(skip.reason) ?? 0) + 1);
	}

	for (const [reason, n] of reasons) {
		lines.push(`skipped ${n}: ${reason.startsWith('same content as') ? 'copies of another source file' : sanitize(reason)}`);
	}

	for (const error of result.errors.slice(0, 20)) {
		lines.push(`error: ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate import SRC...`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length === 0) {
		throw new UserError('import needs at least one SRC folder or file (see curate import --help)');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const placement = placementSettings(library, {pattern: options.pattern as string | undefined, gap: options.gap as string | undefined, undated: options.undated as string | undefined});
	const sources = input.map(source => path.resolve(cwd, source));
	const {entries, errors: walkErrors} = await listSources(library, sources);
	const json = Boolean(options.json);
	const dryRun = Boolean(options.dryRun);
	const controller = new AbortController();
	const stop = () => {
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const store = progressStore<TransferState>({phase: 'reading', done: 0, total: entries.length});
	const live = !json && stdout.isTTY;
	const ink = live ? render(<TransferProgress source={store} columns={stdout.columns || 80} />, {stdout, exitOnCtrlC: false, patchConsole: false}) : undefined;
	let lastLine = 0;
	let lastPhase = '';
	const onProgress = (progress: ImportProgress) => {
		store.set(progress);
		const now = performance.now();
		// Plain lines (stderr, never stdout): each phase's start and end, and at most one every 2 s between.
		if (!live && !progress.current && (now - lastLine > 2000 || progress.done === progress.total || progress.phase !== lastPhase)) {
			lastLine = now;
			lastPhase = progress.phase;
			const bytes = progress.totalBytes ? `, ${formatBytes(progress.bytes ?? 0)} of ${formatBytes(progress.totalBytes)}` : '';
			stderr.write(`import: ${progress.phase} ${progress.done}/${progress.total}${bytes}\n`);
		}
	};

	// A dry run only reads: it takes no lock and opens no journal, so it can run beside a scan.
	const opened = dryRun ? {journal: undefined, catalog: openForRead(library), close: undefined} : await openJournal(library);
	let result: ImportResult;
	try {
		result = await importFiles(library, opened.catalog, opened.journal, entries, {
			...placement,
			command: `import ${input.join(' ')}${options.move ? ' --move' : ''}`,
			dryRun,
			move: Boolean(options.move),
			concurrency: typeof options.concurrency === 'number' ? options.concurrency : undefined,
			signal: controller.signal,
			onProgress,
		});
	} finally {
		if (ink) {
			const exited = ink.waitUntilExit();
			ink.unmount();
			await exited;
		}

		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		if (opened.close) {
			opened.close();
		} else {
			opened.catalog.close();
		}
	}

	result = {...result, errors: [...walkErrors, ...result.errors]};
	if (json) {
		stdout.write(
			safeJson({
				imported: result.imported.length,
				skipped: result.skipped.length,
				errors: result.errors,
				batch: result.batch,
				dryRun: result.dryRun,
				moved: Boolean(options.move) && !result.dryRun && result.batch !== null,
				files: result.imported,
				skippedFiles: result.skipped,
			}) + '\n',
		);
	} else {
		printResult(result, stdout, library.root, Boolean(options.move));
	}

	return controller.signal.aborted ? 130 : 0;
}
