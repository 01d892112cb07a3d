import fs from 'node:fs';
import path from 'node:path';
import {render} from 'ink';
import React, {useEffect, useState} from 'react';
import {type CommandContext, type FlagSpec, jsonFlag} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {libraryAt, openForWrite, UserError} from '../source/library.js';
import {defaultIgnores} from '../source/scan/walk.js';
import {type ScanProgress as Progress, scanLibrary, type ScanSummary} from '../source/scan/scan.js';
import {formatDuration} from '../source/ui/format.js';
import {ScanProgress} from '../source/ui/scan-progress.js';

export const description = 'Index a folder of photos into its catalog (DIR/.curate/catalog.db)';
export const usage = 'curate scan [DIR] [--json] [--force] [--ignore NAME]...';
export const examples = ['curate scan ~/Photos', 'curate scan /volume1/photo --json > scan.json', 'curate scan . --ignore "Lightroom*" --ignore tmp'];

export const flags: Record<string, FlagSpec> = {
	...jsonFlag,
	force: {type: 'boolean', default: false, description: 'Re-read every file, even unchanged ones'},
	ignore: {type: 'string', isMultiple: true, description: 'Also skip files and folders with this name (glob: * and ?); repeatable'},
	defaultIgnores: {
		type: 'boolean',
		default: true,
		description: `Skip NAS/desktop clutter (${defaultIgnores.slice(0, 7).join(', ')} …); --no-default-ignores scans them`,
	},
	followSymlinks: {type: 'boolean', default: false, description: 'Follow symbolic links (each real folder is visited once)'},
	fullMetadata: {type: 'boolean', default: false, description: 'Read all metadata with exiftool (slower; adds lens names only maker notes hold)'},
	concurrency: {type: 'number', description: 'Files analysed at once (default: cores + 2)'},
};

/** A tiny store so the scan engine can push progress into the Ink tree without knowing about React. */
function createStore<T>(initial: T) {
	let value = initial;
	const listeners = new Set<(value: T) => void>();
	return {
		get: () => value,
		set(next: T) {
			value = next;
			for (const listener of listeners) {
				listener(value);
			}
		},
		subscribe(listener: (value: T) => void) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}

type Store = ReturnType<typeof createStore<Progress>>;

function LiveProgress({store, started, columns}: {readonly store: Store; readonly started: number; readonly columns: number}) {
	const [progress, setProgress] = useState(store.get());
	const [now, setNow] = useState(performance.now());
	useEffect(() => {
		const unsubscribe = store.subscribe(setProgress);
		const timer = setInterval(() => {
			setNow(performance.now());
		}, 250);
		return () => {
			unsubscribe();
			clearInterval(timer);
		};
	}, [store]);
	return <ScanProgress {...progress} elapsed={(now - started) / 1000} columns={columns} />;
}

function printSummary(summary: ScanSummary, stdout: NodeJS.WriteStream): void {
	const {files, added, updated, unchanged, moved, missing, errors, seconds} = summary;
	const lines = [
		`${summary.interrupted ? 'Interrupted after' : 'Scanned'} ${files} files in ${formatDuration(seconds)}: ${added} added, ${updated} updated, ${unchanged} unchanged, ${moved} moved, ${missing} missing, ${errors.length} errors.`,
	];
	for (const error of errors.slice(0, 20)) {
		lines.push(`  ${sanitize(error.path)}: ${sanitize(error.error)}`);
	}

	if (errors.length > 20) {
		lines.push(`  … and ${errors.length - 20} more (curate scan --json lists all)`);
	}

	if (summary.interrupted) {
		lines.push('What was read so far is saved; run the same scan again to carry on.');
	}

	stdout.write(lines.join('\n') + '\n');
}

/** `curate scan [DIR]`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const root = path.resolve(cwd, input[0] ?? '.');
	let stat;
	try {
		stat = fs.statSync(root);
	} catch {
		throw new UserError(`no such folder: ${root}`);
	}

	if (!stat.isDirectory()) {
		throw new UserError(`not a folder: ${root}`);
	}

	const library = libraryAt(root);
	const {catalog, release} = openForWrite(library);
	const controller = new AbortController();
	const stop = () => {
		controller.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	const ignore = [...(options.defaultIgnores === false ? ['.curate'] : defaultIgnores), ...((options.ignore as string[] | undefined) ?? [])];
	const json = Boolean(options.json);
	const live = !json && stdout.isTTY;
	const started = performance.now();
	const store = createStore<Progress>({phase: 'walking', total: 0, done: 0, toRead: 0, read: 0, errors: 0});
	const ink = live ? render(<LiveProgress store={store} started={started} columns={stdout.columns || 80} />, {stdout, exitOnCtrlC: false, patchConsole: false}) : undefined;
	let lastLine = 0;
	const onProgress = (progress: Progress) => {
		store.set(progress);
		if (!live && progress.phase === 'scanning' && !progress.current) {
			const now = performance.now();
			if (now - lastLine > 2000 || progress.read === progress.toRead) {
				lastLine = now;
				const rate = progress.read / Math.max(0.001, (now - started) / 1000);
				stderr.write(`scan: ${progress.done}/${progress.total} files, ${rate.toFixed(1)} photos/s, ${progress.errors} errors\n`);
			}
		}
	};

	let summary: ScanSummary;
	try {
		summary = await scanLibrary(
			library,
			catalog,
			{
				ignore,
				force: Boolean(options.force),
				followSymlinks: Boolean(options.followSymlinks),
				fullMetadata: Boolean(options.fullMetadata),
				concurrency: typeof options.concurrency === 'number' ? options.concurrency : undefined,
				signal: controller.signal,
			},
			onProgress,
		);
	} finally {
		if (ink) {
			// Let React render the final counts, then unmount. waitUntilExit() must be asked for before unmount:
			// asked after, its promise never settles.
			const exited = ink.waitUntilExit();
			await new Promise(resolve => setTimeout(resolve, 50));
			ink.unmount();
			await exited;
		}

		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		catalog.close();
		release();
	}

	if (json) {
		const {interrupted, ...rest} = summary;
		stdout.write(safeJson(interrupted ? {...rest, interrupted} : rest) + '\n');
	} else {
		printSummary(summary, stdout);
	}

	return summary.interrupted ? 130 : 0;
}
