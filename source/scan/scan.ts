import os from 'node:os';
import type {FileRecord} from '../core/types.js';
import type {Catalog, IndexEntry} from '../db/catalog.js';
import type {Library} from '../library.js';
import {analyseFile, emptyRecord, readAndHash} from './analyse-file.js';
import {defaultIgnores, walkLibrary, type WalkedFile} from './walk.js';

/** Options of one scan. */
export type ScanOptions = {
	readonly ignore?: readonly string[];
	readonly followSymlinks?: boolean;
	/** Re-read every file, even unchanged ones (e.g. after a Curate upgrade that decodes more formats). */
	readonly force?: boolean;
	/** Files analysed at once; sharp and libheif spread them over the cores. */
	readonly concurrency?: number;
	readonly signal?: AbortSignal;
	/** Read every file's metadata with exiftool (slower; adds lens names that only maker notes hold). */
	readonly fullMetadata?: boolean;
	/** Files per catalog transaction. */
	readonly batchSize?: number;
};

/** Progress as the scan goes; `done` counts files examined, including unchanged ones. */
export type ScanProgress = {
	readonly phase: 'walking' | 'scanning' | 'finishing';
	readonly total: number;
	readonly done: number;
	readonly toRead: number;
	readonly read: number;
	readonly errors: number;
	readonly current?: string;
};

/** What a scan did. Paths are relative to the library root. */
export type ScanSummary = {
	root: string;
	catalog: string;
	files: number;
	added: number;
	updated: number;
	unchanged: number;
	moved: number;
	missing: number;
	errors: Array<{path: string; error: string}>;
	seconds: number;
	interrupted: boolean;
};

type Work = {readonly file: WalkedFile; readonly existing?: IndexEntry};

/**
 * Scans a library into its catalog. Unchanged files (same path, size, mtime) are not read; moved files are found by
 * SHA-256 and their rows updated; files that vanished are marked missing. Results are committed in batches, so a scan
 * that is interrupted or killed keeps what it committed and the next one carries on from there.
 */
export async function scanLibrary(
	library: Library,
	catalog: Catalog,
	options: ScanOptions = {},
	onProgress: (progress: ScanProgress) => void = () => {},
): Promise<ScanSummary> {
	const started = performance.now();
	const scanId = catalog.beginScan();
	onProgress({phase: 'walking', total: 0, done: 0, toRead: 0, read: 0, errors: 0});
	const walk = await walkLibrary(library.root, {ignore: options.ignore ?? defaultIgnores, followSymlinks: options.followSymlinks});
	const errors: Array<{path: string; error: string}> = [...walk.problems];

	const index = catalog.fileIndex();
	const walked = new Set<string>();
	const work: Work[] = [];
	const present: number[] = [];
	let unchanged = 0;
	for (const file of walk.files) {
		walked.add(file.path);
		const existing = index.get(file.path);
		// A file we could not read last time is retried: its permissions may have been fixed without touching mtime.
		const retry = /^(cannot read file|unexpected error)/.test(existing?.error ?? '');
		if (existing && !options.force && !retry && !existing.stale && existing.size === file.size && existing.mtimeMs === file.mtimeMs) {
			unchanged++;
			if (existing.status === 'missing') {
				present.push(existing.id);
			}
		} else {
			work.push({file, existing});
		}
	}

	// Rows whose path was not walked: either the file moved (found again by SHA-256) or it is missing.
	const vanishedBySha = new Map<string, IndexEntry[]>();
	const vanished: IndexEntry[] = [];
	for (const [filePath, entry] of index) {
		if (!walked.has(filePath)) {
			vanished.push(entry);
			if (entry.sha256) {
				const list = vanishedBySha.get(entry.sha256) ?? [];
				list.push(entry);
				vanishedBySha.set(entry.sha256, list);
			}
		}
	}

	const claimed = new Set<number>();
	const total = walk.files.length;
	let done = unchanged;
	let read = 0;
	let added = 0;
	let updated = 0;
	let moved = 0;

	let pendingRecords: FileRecord[] = [];
	let pendingMoves: Array<{id: number; path: string; size: number; mtimeMs: number}> = [];
	let pendingPresent: number[] = present;
	let lastFlush = performance.now();
	const batchSize = options.batchSize ?? 200;
	const flush = () => {
		if (pendingRecords.length === 0 && pendingMoves.length === 0 && pendingPresent.length === 0) {
			return;
		}

		catalog.commitBatch({records: pendingRecords, moves: pendingMoves, present: pendingPresent}, scanId);
		pendingRecords = [];
		pendingMoves = [];
		pendingPresent = [];
		lastFlush = performance.now();
	};

	flush();
	const report = (current?: string) => {
		onProgress({phase: 'scanning', total, done, toRead: work.length, read, errors: errors.length, current});
	};

	report();

	const processOne = async ({file, existing}: Work) => {
		let readResult;
		try {
			readResult = await readAndHash(file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			const message = code === 'EACCES' || code === 'EPERM' ? 'cannot read file: permission denied' : `cannot read file: ${code ?? (error as Error).message}`;
			errors.push({path: file.path, error: message});
			// An unreadable file is still catalogued, so the user sees it in `show` and in status.
			pendingRecords.push(unreadableRecord(file, message));
			return;
		}

		if (!existing) {
			const candidates = vanishedBySha.get(readResult.sha256)?.filter(entry => !claimed.has(entry.id));
			const source = candidates?.[0];
			if (source) {
				claimed.add(source.id);
				moved++;
				pendingMoves.push({id: source.id, path: file.path, size: file.size, mtimeMs: file.mtimeMs});
				return;
			}
		}

		const record = await analyseFile(file, readResult, library.thumbsDir, {fullMetadata: options.fullMetadata});
		if (record.error) {
			errors.push({path: file.path, error: record.error});
		}

		if (existing) {
			updated++;
		} else {
			added++;
		}

		pendingRecords.push(record);
	};

	const concurrency = options.concurrency ?? os.availableParallelism() + 2;
	let next = 0;
	const runner = async () => {
		while (next < work.length && !options.signal?.aborted) {
			const item = work[next++]!;
			report(item.file.path);
			try {
				// eslint-disable-next-line no-await-in-loop
				await processOne(item);
			} catch (error) {
				// A bug or an unexpected failure on one file must not end a scan of a million.
				const message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
				errors.push({path: item.file.path, error: message});
				pendingRecords.push(unreadableRecord(item.file, message));
			}

			read++;
			done++;
			if (pendingRecords.length + pendingMoves.length >= batchSize || performance.now() - lastFlush > 2000) {
				flush();
			}

			report();
		}
	};

	await Promise.all(Array.from({length: Math.min(concurrency, Math.max(1, work.length))}, async () => runner()));
	onProgress({phase: 'finishing', total, done, toRead: work.length, read, errors: errors.length});
	flush();

	const interrupted = options.signal?.aborted ?? false;
	let missing = 0;
	if (!interrupted) {
		const toMark = vanished.filter(entry => !claimed.has(entry.id) && entry.status === 'present').map(entry => entry.id);
		catalog.markMissing(toMark);
		missing = toMark.length;
	}

	errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const summary: ScanSummary = {
		root: library.root,
		catalog: library.catalogPath,
		files: total,
		added,
		updated,
		unchanged,
		moved,
		missing,
		errors,
		seconds: Math.round((performance.now() - started) / 10) / 100,
		interrupted,
	};
	catalog.finishScan(scanId, interrupted ? 'interrupted' : 'done', {...summary, errors: errors.length});
	return summary;
}

function unreadableRecord(file: WalkedFile, error: string): FileRecord {
	return emptyRecord(file, {takenAt: new Date(file.mtimeMs).toISOString(), takenAtSource: 'mtime', error});
}
