import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {ImportTagger} from '../ai/import-tagger.js';
import {sanitize} from '../core/sanitize.js';
import {Catalog} from '../db/catalog.js';
import {WatchQueue} from '../db/watch-queue.js';
import {openJournal} from '../journal/journal.js';
import {type Library, UserError} from '../library.js';
import type {PlacementOptions} from './plan-import.js';
import {importFiles} from './run-import.js';
import {listSources} from './sources.js';

/** Options of `curate watch`. */
export type WatchOptions = PlacementOptions & {
	/** A file is imported once its size and mtime have not changed for this long. */
	readonly settleMs: number;
	/** How often the inbox is looked at (polling works on NFS/SMB shares, where change events do not arrive). */
	readonly pollMs?: number;
	/** Process what is there (waiting once for it to settle) and return. */
	readonly once?: boolean;
	readonly signal?: AbortSignal;
	/** One line per thing done, already sanitised. */
	readonly log: (line: string) => void;
};

/** Totals of a watch session. */
export type WatchTotals = {imported: number; skipped: number; failed: number};

async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	await sleep(ms, undefined, {signal}).catch(() => undefined);
}

/** The inbox's files, or undefined when it is not there (an unmounted share): then nothing is marked, only waited for. */
async function look(library: Library, inbox: string) {
	try {
		fs.readdirSync(inbox);
	} catch {
		return undefined;
	}

	const {entries} = await listSources(library, [inbox]);
	return entries;
}

/**
 * Watches an upload folder (issue 8): every file seen is queued in the catalog; once it has stopped changing for the
 * settle interval it is imported (copied, verified, catalogued, one journal batch per round). The queue survives
 * restarts; an inbox that disappears is waited for, never taken as "files gone"; an abort (SIGTERM) stops after the
 * round in progress. Files stay in the inbox; the queue remembers what it imported, and their SHA-256 would catch
 * them again anyway.
 */
export async function watchInbox(library: Library, inboxPath: string, options: WatchOptions): Promise<WatchTotals> {
	const inbox = path.resolve(inboxPath);
	const totals: WatchTotals = {imported: 0, skipped: 0, failed: 0};
	const catalog = Catalog.open(library.catalogPath);
	const queue = new WatchQueue(catalog, inbox);
	const poll = options.pollMs ?? Math.max(200, Math.min(2000, options.settleMs / 4));
	const show = (file: string) => sanitize(file);
	const tagger = new ImportTagger(library, options.log);
	try {
		const recovered = queue.recover();
		if (recovered > 0) {
			options.log(`resuming: ${recovered} ${recovered === 1 ? 'file was' : 'files were'} being imported when the last watch stopped; checking them again`);
		}

		let unavailable = false;
		let passes = 0;
		while (!options.signal?.aborted) {
			passes++;
			// eslint-disable-next-line no-await-in-loop
			const entries = await look(library, inbox);
			const now = Date.now();
			if (!entries) {
				if (!unavailable) {
					options.log(`inbox ${show(inbox)} is not available (unmounted?); waiting for it, the queue is kept`);
				}

				unavailable = true;
				if (options.once) {
					break;
				}

				// eslint-disable-next-line no-await-in-loop
				await pause(poll * 4, options.signal);
				continue;
			}

			if (unavailable) {
				options.log(`inbox ${show(inbox)} is back`);
				unavailable = false;
			}

			const byRelative = new Map(entries.map(entry => [path.relative(inbox, entry.absolute).split(path.sep).join('/'), entry]));
			queue.observe([...byRelative].map(([relative, entry]) => ({path: relative, size: entry.size, mtimeMs: entry.mtimeMs})), now);
			const ready = queue.ready(options.settleMs, now).filter(entry => byRelative.has(entry.path));
			if (ready.length > 0) {
				// eslint-disable-next-line no-await-in-loop
				await importRound(library, queue, ready.map(entry => ({relative: entry.path, entry: byRelative.get(entry.path)!})), options, totals, show, tagger);
			}

			const waiting = queue.entries().filter(entry => entry.state === 'waiting');
			if (options.once && (waiting.length === 0 || passes >= 2)) {
				break;
			}

			// eslint-disable-next-line no-await-in-loop
			await pause(options.once ? options.settleMs : poll, options.signal);
		}
	} finally {
		catalog.close();
		await tagger.dispose();
	}

	return totals;
}

async function importRound(
	library: Library,
	queue: WatchQueue,
	ready: ReadonlyArray<{relative: string; entry: Awaited<ReturnType<typeof listSources>>['entries'][number]}>,
	options: WatchOptions,
	totals: WatchTotals,
	show: (file: string) => string,
	tagger: ImportTagger,
): Promise<void> {
	let opened;
	try {
		opened = await openJournal(library);
	} catch (error) {
		if (error instanceof UserError && error.exitCode === 3) {
			options.log(`library is busy (${show(error.message)}); trying again shortly`);
			return;
		}

		throw error;
	}

	const relativeOf = new Map(ready.map(({relative, entry}) => [entry.absolute, relative]));
	let tagAfter = false;
	for (const {relative} of ready) {
		queue.mark(relative, 'importing');
	}

	try {
		// Not aborted mid-round: SIGTERM lets the round (one verified batch) finish, then the loop stops.
		const result = await importFiles(library, opened.catalog, opened.journal, ready.map(({entry}) => entry), {...options, command: `watch ${queue.inbox}`});
		const byDisplay = new Map(ready.map(({relative, entry}) => [entry.display, relative]));
		for (const file of result.imported) {
			const relative = byDisplay.get(file.source)!;
			queue.mark(relative, 'imported', {target: file.path, batch: result.batch});
			totals.imported++;
			options.log(`imported ${show(relative)} -> ${show(file.path)} (batch ${result.batch})`);
		}

		for (const skip of result.skipped) {
			const relative = byDisplay.get(skip.path)!;
			queue.mark(relative, 'skipped', {error: skip.reason});
			totals.skipped++;
			options.log(`skipped ${show(relative)}: ${show(skip.reason)}`);
		}

		for (const error of result.errors) {
			const relative = byDisplay.get(error.path);
			if (relative) {
				queue.mark(relative, 'failed', {error: error.error});
			}

			totals.failed++;
			options.log(`failed ${show(relative ?? error.path)}: ${show(error.error)} (tried again when the file changes)`);
		}

		tagAfter = result.imported.length > 0;
	} catch (error) {
		// The batch was rolled back (or never started): the files wait for the next round.
		for (const relative of relativeOf.values()) {
			queue.mark(relative, 'waiting');
		}

		options.log(`import failed, will retry: ${show(error instanceof Error ? error.message : String(error))}`);
	} finally {
		// Still under the round's lock, after the import committed: tagging failures are logged, never undo it.
		if (tagAfter) {
			await tagger.tagNew(opened.catalog);
		}

		opened.close();
	}
}
