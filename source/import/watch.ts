import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {ImportTagger} from '../ai/import-tagger.js';
import {sanitize} from '../core/sanitize.js';
import {Catalog} from '../db/catalog.js';
import {type QueueEntry, WatchQueue} from '../db/watch-queue.js';
import {openJournal} from '../journal/journal.js';
import {type Library, UserError} from '../library.js';
import {loadPlacementRules} from '../rules/rules-file.js';
import type {PlacementOptions} from './plan-import.js';
import {importFiles} from './run-import.js';
import {listSources, type NewSource} from './sources.js';

/** Options of `curate watch`. */
export type WatchOptions = PlacementOptions & {
	/** A file is imported once its size and mtime have not changed for this long (and it decodes completely). */
	readonly settleMs: number;
	/**
	 * A file that has settled but does not decode completely waits for a new version this long (since it last changed),
	 * then is imported as it is and logged as damaged. Default 1 h.
	 */
	readonly settleLimitMs?: number;
	/** How often the inbox is looked at (polling works on NFS/SMB shares, where change events do not arrive). */
	readonly pollMs?: number;
	/** Process what is there (waiting once for it to settle) and return. */
	readonly once?: boolean;
	readonly signal?: AbortSignal;
	/** One line per thing done, already sanitised. */
	readonly log: (line: string) => void;
};

/** How long a file that does not decode completely waits for the rest of its upload, by default. */
export const defaultSettleLimitMs = 3_600_000;

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
 * settle interval it is imported (copied, verified, catalogued, one journal batch per round). A settled file that does
 * not decode completely (issue 13: an upload still arriving looks settled when the uploader pauses) is held back as
 * `incomplete` until a new version decodes, or until the settle limit passes (then it is imported and logged as
 * damaged); a complete version of a file imported damaged replaces it, the damaged one going to the trash in the same
 * batch. The queue survives
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
	const rules = {error: undefined as string | undefined};
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
			const ready = queue.ready(options.settleMs, now, options.settleLimitMs ?? defaultSettleLimitMs).filter(entry => byRelative.has(entry.path));
			if (ready.length > 0) {
				// eslint-disable-next-line no-await-in-loop
				await importRound(library, queue, ready.map(entry => ({relative: entry.path, queued: entry, entry: byRelative.get(entry.path)!})), options, totals, show, tagger, rules);
			}

			// `--once` does not wait out the settle limit for incomplete files: they stay queued for the next run.
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

/**
 * Why a settled file looks like an upload still arriving: its pixels do not decode completely. A format Curate cannot
 * decode at all, or a RAW whose embedded preview it cannot read, says nothing about completeness: those are imported
 * once settled, as before.
 */
function incompleteReason(file: NewSource): string | undefined {
	const error = file.record?.error;
	if (!error || error.startsWith('unsupported image format') || error === 'RAW file has no decodable embedded preview') {
		return undefined;
	}

	return error;
}

async function importRound(
	library: Library,
	queue: WatchQueue,
	ready: ReadonlyArray<{relative: string; queued: QueueEntry; entry: Awaited<ReturnType<typeof listSources>>['entries'][number]}>,
	options: WatchOptions,
	totals: WatchTotals,
	show: (file: string) => string,
	tagger: ImportTagger,
	rules: {error: string | undefined},
): Promise<void> {
	// The rules file is read again each round (issue 17): an edit applies to the next photo that arrives. A bad one
	// files nothing by half a rule set: the files wait, queued, until it is fixed.
	let placement: ReturnType<typeof loadPlacementRules>;
	try {
		placement = loadPlacementRules(library);
	} catch (error) {
		if (!(error instanceof UserError)) {
			throw error;
		}

		if (rules.error !== error.message) {
			options.log(`${show(error.message)}; nothing is imported until it is fixed`);
		}

		rules.error = error.message;
		return;
	}

	if (rules.error) {
		options.log('the rules file is fixed; importing again');
		rules.error = undefined;
	}

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
		const byDisplay = new Map(ready.map(({relative, entry}) => [entry.display, relative]));
		const queuedOf = new Map(ready.map(({queued, entry}) => [entry.display, queued]));
		const catalog = opened.catalog;
		const result = await importFiles(library, catalog, opened.journal, ready.map(({entry}) => entry), {
			...options,
			...placement,
			command: `watch ${queue.inbox}`,
			// Settled is not complete: an uploader that pauses longer than the settle time leaves a truncated file that
			// looks settled. The scan's own decode says whether the pixels are all there; only the settle limit overrides it.
			hold: file => (queuedOf.get(file.display)?.state === 'incomplete' ? undefined : incompleteReason(file)),
			replaces(file) {
				const queued = queuedOf.get(file.display);
				if (!queued?.target || !queued.sha256 || queued.sha256 === file.sha256 || file.record?.error) {
					return undefined;
				}

				// Only the damaged file this inbox path put there, still as it was imported, is replaced.
				const old = catalog.fileByPath(queued.target);
				return old?.status === 'present' && old.sha256 === queued.sha256 && old.error ? {path: old.path, sha256: old.sha256, size: old.size} : undefined;
			},
		});
		for (const held of result.held) {
			const relative = byDisplay.get(held.path)!;
			queue.mark(relative, 'incomplete', {error: held.reason});
			if (queuedOf.get(held.path)?.error !== held.reason) {
				options.log(`waiting for ${show(relative)} to be complete: ${show(held.reason)}`);
			}
		}

		for (const file of result.imported) {
			const relative = byDisplay.get(file.source)!;
			queue.mark(relative, 'imported', {sha256: file.sha256, target: file.path, batch: result.batch, error: file.damage ?? null});
			totals.imported++;
			const replaced = file.replaced ? `, replacing the damaged ${show(file.replaced)} (now in the trash)` : '';
			const rule = file.rule ? `rule ${file.rule.line}: ${show(file.rule.text)}, ` : '';
			options.log(`imported ${show(relative)} -> ${show(file.path)} (${rule}batch ${result.batch}${replaced})`);
			if (file.damage) {
				options.log(`damaged: ${show(relative)} still does not decode completely after the settle limit; imported as it is (${show(file.damage)}); a complete version replaces it`);
			}
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
		for (const {relative, queued} of ready) {
			queue.mark(relative, queued.state === 'incomplete' ? 'incomplete' : 'waiting', {error: queued.error});
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
