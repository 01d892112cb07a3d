import {locateCatalog} from '../places/locate.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {ScanProgress} from '../core/progress.js';
import type {FileRecord} from '../core/types.js';
import type {Catalog, IndexEntry} from '../db/catalog.js';
import {HealthStore} from '../db/health.js';
import {UserError} from '../errors.js';
import type {Library} from '../library.js';
import {analyseFile, emptyRecord, readAndHash} from './analyse-file.js';
import {defaultIgnores, ignoreMatcher, walkLibrary, type WalkedFile} from './walk.js';
import {forEachConcurrent} from '../concurrency.js';

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
	/**
	 * Scan only this folder of the library (relative to its root, `/` separators): files elsewhere are neither read
	 * nor marked missing. Default: the whole library.
	 */
	readonly under?: string;
	/**
	 * Library-relative paths whose current bytes the user says are right: they are read and catalogued as they are,
	 * even when their content changed while size and mtime did not (which is otherwise reported as damage).
	 */
	readonly accept?: readonly string[];
};

export type {ScanProgress} from '../core/progress.js';

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
	/** The folder scanned, relative to the root ('' for the whole library). */
	folder: string;
	/** Files read this scan (all of them kept in the catalog, also when the scan was interrupted). */
	read: number;
	/** Files walked but not looked at: not media by their extension, or symbolic links not followed. */
	skipped: number;
	/**
	 * Files whose content changed while size and mtime did not (bit rot): the catalog keeps their old SHA-256 and
	 * records them damaged, as `curate verify` does, until restored or accepted with `--accept`.
	 */
	damaged: Array<{path: string; error: string}>;
	/** Catalogued files with an error that were not read again this scan (unchanged since): `curate status` lists them. */
	stillUnreadable: number;
	/** Files recorded damaged earlier (by verify or a scan) and not read again this scan. */
	stillDamaged: number;
};

type Work = {readonly file: WalkedFile; readonly existing?: IndexEntry};

/** What a scan says about a file whose bytes changed under an unchanged size and mtime. */
const damageReason = 'damaged: content changed while size and mtime did not (bit rot); the catalog keeps its SHA-256';

/** Checks that a folder to scan is a plain folder of the library, not one the scan skips (such as .curate). */
function scopeOf(under: string | undefined, ignore: readonly string[]): string {
	const scope = (under ?? '').split('/').filter(segment => segment !== '' && segment !== '.').join('/');
	if (scope.split('/').some(segment => segment === '..')) {
		throw new UserError(`${under} is outside the library`);
	}

	const isIgnored = ignoreMatcher(ignore);
	const skippedSegment = scope.split('/').find(segment => segment && isIgnored(segment));
	if (skippedSegment) {
		throw new UserError(`${scope} is inside ${skippedSegment}, which scan skips; nothing there is catalogued`);
	}

	return scope;
}

/**
 * Scans a library (or one folder of it) into its catalog. Unchanged files (same path, size, mtime) are not read; moved
 * files are found by SHA-256 and their rows updated; files that vanished are marked missing. A file whose bytes changed
 * while its size and mtime did not is bit rot, never an edit: it is recorded damaged and keeps its catalogued SHA-256
 * until the user accepts the new bytes. Results are committed in batches, so a scan that is interrupted or killed keeps
 * what it committed and the next one carries on from there.
 */
export async function scanLibrary(
	library: Library,
	catalog: Catalog,
	options: ScanOptions = {},
	onProgress: (progress: ScanProgress) => void = () => {},
): Promise<ScanSummary> {
	const started = performance.now();
	const ignore = options.ignore ?? defaultIgnores;
	const scope = scopeOf(options.under, ignore);
	const inScope = (filePath: string) => scope === '' || filePath === scope || filePath.startsWith(`${scope}/`);
	onProgress({phase: 'walking', total: 0, done: 0, toRead: 0, read: 0, errors: 0});
	const walk = await walkLibrary(library.root, {ignore, followSymlinks: options.followSymlinks, under: scope, signal: options.signal});
	const errors: Array<{path: string; error: string}> = [...walk.problems];
	const damaged: Array<{path: string; error: string}> = [];

	const index = catalog.fileIndex();
	const walked = new Set(walk.files.map(file => file.path));
	const accepted = new Set(options.accept ?? []);
	for (const acceptedPath of accepted) {
		// An interrupted walk saw only part of the folder: the file may well be there.
		if (!walked.has(acceptedPath) && !options.signal?.aborted) {
			throw new UserError(
				inScope(acceptedPath) ? `cannot accept ${acceptedPath}: no such photo in the library` : `cannot accept ${acceptedPath}: it is outside the folder being scanned (${scope})`,
			);
		}
	}

	const scanId = catalog.beginScan();
	const health = new HealthStore(catalog);
	const work: Work[] = [];
	const present: number[] = [];
	let unchanged = 0;
	let stillUnreadable = 0;
	let stillDamaged = 0;
	for (const file of walk.files) {
		const existing = index.get(file.path);
		// A file we could not read last time is retried: its permissions may have been fixed without touching mtime.
		const retry = /^(cannot read file|unexpected error)/.test(existing?.error ?? '');
		if (existing && !options.force && !retry && !existing.stale && !accepted.has(file.path) && existing.size === file.size && existing.mtimeMs === file.mtimeMs) {
			unchanged++;
			if (existing.error) {
				stillUnreadable++;
			}

			if (existing.checked === 'damaged') {
				stillDamaged++;
			}

			if (existing.status === 'missing') {
				present.push(existing.id);
			}
		} else {
			work.push({file, existing});
		}
	}

	// Rows of this folder whose path was not walked: either the file moved (found again by SHA-256) or it is missing.
	const vanishedBySha = new Map<string, IndexEntry[]>();
	const vanished: IndexEntry[] = [];
	for (const [filePath, entry] of index) {
		if (!walked.has(filePath) && inScope(filePath)) {
			vanished.push(entry);
			if (entry.sha256) {
				const list = vanishedBySha.get(entry.sha256) ?? [];
				list.push(entry);
				vanishedBySha.set(entry.sha256, list);
			}
		}
	}

	const claimed = new Set<number>();
	/**
	 * A new file in a folder scan may have moved in from elsewhere in the library: a present row with its content whose
	 * file is gone from disk is that file (outside the folder nothing else was walked, so only disk can say).
	 */
	const movedInFromOutside = (sha256: string): IndexEntry | undefined => {
		if (scope === '') {
			return undefined;
		}

		for (const row of catalog.filesBySha(sha256)) {
			if (!inScope(row.path) && !claimed.has(row.id) && !fs.existsSync(path.join(library.root, row.path))) {
				return index.get(row.path);
			}
		}

		return undefined;
	};

	const total = walk.files.length;
	let done = unchanged;
	let read = 0;
	let added = 0;
	let updated = 0;
	let moved = 0;

	let pendingRecords: FileRecord[] = [];
	let pendingMoves: Array<{id: number; path: string; size: number; mtimeMs: number}> = [];
	let pendingPresent: number[] = present;
	let pendingChecks: Array<{id: number; outcome: string}> = [];
	let lastFlush = performance.now();
	const batchSize = options.batchSize ?? 200;
	const flush = () => {
		if (pendingRecords.length === 0 && pendingMoves.length === 0 && pendingPresent.length === 0 && pendingChecks.length === 0) {
			return;
		}

		catalog.commitBatch({records: pendingRecords, moves: pendingMoves, present: pendingPresent}, scanId);
		// The same record verify keeps (file_checks): status, verify and restore --damaged read it from there.
		health.markChecked(pendingChecks);
		pendingRecords = [];
		pendingMoves = [];
		pendingPresent = [];
		pendingChecks = [];
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

		// Editors and sync tools change the mtime when they write; decaying sectors and bad RAM on the copy path do not.
		// Taking such bytes as the new content would make the rot the catalog's truth, and the backup's next.
		if (existing?.sha256 && !accepted.has(file.path) && existing.size === file.size && existing.mtimeMs === file.mtimeMs && readResult.sha256 !== existing.sha256) {
			damaged.push({path: file.path, error: damageReason});
			pendingChecks.push({id: existing.id, outcome: 'damaged'});
			return;
		}

		if (!existing) {
			const candidates = vanishedBySha.get(readResult.sha256)?.filter(entry => !claimed.has(entry.id));
			const source = candidates?.[0] ?? movedInFromOutside(readResult.sha256);
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
			// The bytes on disk are now the catalog's (accepted, restored, or edited since): an old damage record no longer holds.
			if (existing.checked === 'damaged') {
				pendingChecks.push({id: existing.id, outcome: 'ok'});
			}
		} else {
			added++;
		}

		pendingRecords.push(record);
	};

	const concurrency = options.concurrency ?? os.availableParallelism() + 2;
	await forEachConcurrent(
		work,
		concurrency,
		async item => {
			report(item.file.path);
			try {
				await processOne(item);
			} catch (error) {
				// A bug or an unexpected failure on one file must not end a scan of a million.
				const message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
				errors.push({path: item.file.path, error: message});
				pendingRecords.push(unreadableRecord(item.file, message));
			}

			read++;
			done++;
			if (pendingRecords.length + pendingMoves.length + pendingChecks.length >= batchSize || performance.now() - lastFlush > 2000) {
				flush();
			}

			report();
		},
		{signal: options.signal},
	);
	onProgress({phase: 'finishing', total, done, toRead: work.length, read, errors: errors.length});
	flush();

	const interrupted = options.signal?.aborted ?? false;
	let missing = 0;
	if (!interrupted) {
		const toMark = vanished.filter(entry => !claimed.has(entry.id) && entry.status === 'present').map(entry => entry.id);
		catalog.markMissing(toMark);
		missing = toMark.length;
	}

	const byPath = (a: {path: string}, b: {path: string}) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
	errors.sort(byPath);
	damaged.sort(byPath);
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
		folder: scope,
		read,
		skipped: walk.skipped,
		damaged,
		stillUnreadable,
		stillDamaged,
	};
	catalog.finishScan(scanId, interrupted ? 'interrupted' : 'done', {...summary, errors: errors.length, damaged: damaged.length});
	if (!interrupted) {
		// Where new photos with GPS were taken (issue 17); nothing loads when none is new.
		await locateCatalog(catalog, options.signal ? {signal: options.signal} : {});
	}

	return summary;
}

function unreadableRecord(file: WalkedFile, error: string): FileRecord {
	return emptyRecord(file, {takenAt: new Date(file.mtimeMs).toISOString(), takenAtSource: 'mtime', error});
}
