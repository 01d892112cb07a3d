import fs from 'node:fs';
import path from 'node:path';
import type {ImportProgress} from '../core/progress.js';
import type {Operation} from '../core/journal.js';
import type {FileRecord} from '../core/types.js';
import type {Catalog} from '../db/catalog.js';
import type {Journal} from '../journal/journal.js';
import {replacementOperations} from '../journal/replacement.js';
import {diskFullError, ensureFreeSpace, rethrowDiskFull} from '../disk-space.js';
import {isDiskFull} from '../errors.js';
import type {Library} from '../library.js';
import {locateCatalog} from '../places/locate.js';
import {sourcePlaces} from './source-places.js';
import {type PlacementOptions, planImport, type Transfer} from './plan-import.js';
import {type NewSource, readSources, type SourceEntry} from './sources.js';

/** One file placed (or, on a dry run, to be placed) in the library. */
export type ImportedFile = {
	/** The source as given. */
	readonly source: string;
	/** Library-relative path it landed at. */
	readonly path: string;
	readonly role: Transfer['role'];
	/** `mtime` when the folder came from the file time because the metadata has no date. */
	readonly dateSource: Transfer['dateSource'];
	readonly event?: string;
	/** The rule of `.curate/rules.txt` that chose its folder (issue 17), when one did. */
	readonly rule?: Transfer['rule'];
	readonly sha256: string;
	/** Why its pixels do not decode completely, when they do not: it was imported damaged. */
	readonly damage?: string;
	/** The library file (damaged) it replaced, now in the trash of the same batch. */
	readonly replaced?: string;
};

/** What an import did. */
export type ImportResult = {
	readonly imported: ImportedFile[];
	readonly skipped: Array<{path: string; reason: string}>;
	readonly errors: Array<{path: string; error: string}>;
	/** Files the caller held back (`hold`), with why: nothing of them was copied. */
	readonly held: Array<{path: string; reason: string}>;
	/** The journal batch (undo it with `curate undo N`), or null when nothing was copied. */
	readonly batch: number | null;
	readonly dryRun: boolean;
};

export type {ImportProgress} from '../core/progress.js';

/** Import options. */
export type ImportOptions = PlacementOptions & {
	/** The command line, recorded in the journal. */
	readonly command: string;
	readonly dryRun?: boolean;
	/** Remove each source once its copy in the library is verified (journal `move-in`: undo puts it back). */
	readonly move?: boolean;
	readonly concurrency?: number;
	readonly signal?: AbortSignal;
	readonly onProgress?: (progress: ImportProgress) => void;
	/** Why a new source must not be imported yet (e.g. `watch`: it does not decode completely), or undefined. */
	readonly hold?: (file: NewSource) => string | undefined;
	/**
	 * A library file this source replaces (`watch`: an earlier, damaged version of it). The file goes to the trash in the
	 * same batch as the new copy, so one undo brings it back.
	 */
	readonly replaces?: (file: NewSource) => {readonly path: string; readonly sha256: string; readonly size: number} | undefined;
};

/** Removes the thumbnails this import wrote for files it did not import: nothing of theirs stays behind. */
function removeThumbnails(files: readonly NewSource[]): void {
	for (const file of files) {
		if (file.thumbWritten) {
			fs.rmSync(file.thumbWritten, {force: true});
		}
	}
}

/** Bytes the copies will take on the library's disk: a move from the same filesystem takes none. */
function bytesNeeded(library: Library, transfers: readonly Transfer[], move: boolean): number {
	let libraryDevice: number | undefined;
	try {
		libraryDevice = fs.statSync(library.root).dev;
	} catch {}

	let total = 0;
	for (const transfer of transfers) {
		let sameDisk = false;
		try {
			sameDisk = move && fs.statSync(transfer.source.absolute).dev === libraryDevice;
		} catch {}

		total += sameDisk ? 0 : transfer.source.size;
	}

	return total;
}

/**
 * Imports files into the library (issue 8): each source is read once; files whose SHA-256 is catalogued are skipped;
 * the rest are placed by the pattern with their companions and copied in one journal batch (each copy verified by
 * SHA-256; the sources are never touched, unless `move`: then each source is removed once its copy is verified).
 * The new files are then catalogued from the analysis already done, so they need no rescan. Undoing the batch moves
 * exactly those copies to the trash (and, after a move, first copies each back to its source path).
 */
export async function importFiles(library: Library, catalog: Catalog, journal: Journal | undefined, entries: readonly SourceEntry[], options: ImportOptions): Promise<ImportResult> {
	const report = await readSources(library, catalog, entries, {
		concurrency: options.concurrency,
		signal: options.signal,
		onProgress: progress => options.onProgress?.({phase: 'reading', ...progress}),
	});
	const held: ImportResult['held'] = [];
	const files = report.files.filter(file => {
		const reason = options.hold?.(file);
		if (reason) {
			held.push({path: file.display, reason});
		}

		return !reason;
	});
	// Where the new photos were taken (issue 17): their events are named after it and rules may file by it.
	const facts = await sourcePlaces(files);
	const plan = planImport(library, files, {...options, ...(facts ? {facts} : {})});
	const skipped = [
		...report.skipped.map(({path, reason}) => ({path, reason})),
		...plan.orphans.map(orphan => ({path: orphan.display, reason: 'sidecar whose photo is not being imported (already in the library, or absent)'})),
	].sort((a, b) => (a.path < b.path ? -1 : 1));
	// A complete version of a damaged import takes the damaged file's own path (not `NAME (1).jpg` beside it), and the
	// damaged file goes to the trash in the same batch.
	const placed = plan.transfers.map(transfer => {
		const old = transfer.role === 'sidecar' ? undefined : options.replaces?.(transfer.source);
		return {transfer: old ? {...transfer, target: old.path} : transfer, old};
	});
	const transfers = placed.map(({transfer}) => transfer);
	const imported = placed.map(({transfer, old}) => ({
		source: transfer.source.display,
		path: transfer.target,
		role: transfer.role,
		dateSource: transfer.dateSource,
		...(transfer.event ? {event: transfer.event} : {}),
		...(transfer.rule ? {rule: transfer.rule} : {}),
		sha256: transfer.source.sha256,
		...(transfer.source.record?.error ? {damage: transfer.source.record.error} : {}),
		...(old ? {replaced: old.path} : {}),
	}));
	const result = {imported, skipped, errors: report.errors, held, batch: null, dryRun: Boolean(options.dryRun)};
	if (options.dryRun || plan.transfers.length === 0 || options.signal?.aborted) {
		removeThumbnails(report.files);
		return options.signal?.aborted && !options.dryRun ? {...result, imported: []} : result;
	}

	removeThumbnails(report.files.filter(file => !transfers.some(transfer => transfer.source === file)));
	if (!journal) {
		throw new Error('importFiles needs a journal to change the library');
	}

	// The copies' bytes are known now: a disk that cannot hold them is said before anything is written.
	const needed = bytesNeeded(library, transfers, Boolean(options.move));
	const landed = transfers.map(transfer => transfer.source);
	try {
		ensureFreeSpace(library.root, needed);
	} catch (error) {
		removeThumbnails(landed);
		throw error;
	}

	const operations: Operation[] = placed.flatMap(({transfer, old}): Operation[] => {
		const incoming = {kind: options.move ? 'move-in' : 'copy', source: transfer.source.absolute, sha256: transfer.source.sha256, size: transfer.source.size} as const;
		return old ? replacementOperations(incoming, transfer.target, old) : [{...incoming, to: transfer.target}];
	});
	const replaced = placed.filter(({old}) => old).length;
	const count = transfers.length;
	let applied;
	try {
		applied = await journal.apply(
			{
				command: options.command,
				label: `import ${count} ${count === 1 ? 'file' : 'files'}${options.move ? ' (moved)' : ''}${replaced > 0 ? `, replacing ${replaced} damaged` : ''}`,
				operations,
			},
			{
				onProgress: ({phase, done, total, bytes, totalBytes}) =>
					options.onProgress?.({phase: phase === 'checking' ? 'checking' : options.move ? 'moving' : 'copying', done, total, bytes, totalBytes}),
			},
		);
	} catch (error) {
		// The journal rolled the batch back: the library is as it was, and so is its thumbnail folder.
		removeThumbnails(landed);
		rethrowDiskFull(error, library.root, needed);
	}

	options.onProgress?.({phase: 'cataloguing', done: 0, total: count});
	try {
		catalogueLanded(library, catalog, transfers);
	} catch (error) {
		if (!isDiskFull(error)) {
			throw error;
		}

		// The copies landed but the catalog cannot grow: take the batch back (its copies to the trash) rather than leave
		// files the catalog does not know.
		await journal.undo(applied.batch).catch(() => undefined);
		removeThumbnails(landed);
		throw diskFullError(library.root, needed);
	}

	// The imported photos' places go into the catalog now, as a scan would put them (the geodata is loaded already).
	await locateCatalog(catalog);
	return {...result, batch: applied.batch};
}

/**
 * Catalogues the landed files from their analysis, under their new paths. The copy keeps the source's mtime (a
 * camera's file time is its best date when EXIF has none), so the next scan sees the file as unchanged.
 */
function catalogueLanded(library: Library, catalog: Catalog, transfers: readonly Transfer[]): void {
	const records: FileRecord[] = [];
	for (const transfer of transfers) {
		const absolute = path.join(library.root, ...transfer.target.split('/'));
		try {
			const mtime = new Date(transfer.source.mtimeMs);
			fs.utimesSync(absolute, mtime, mtime);
		} catch {}

		const record = transfer.source.record;
		if (!record) {
			continue;
		}

		const stat = fs.statSync(absolute);
		records.push({...record, path: transfer.target, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs)});
	}

	const scanId = catalog.beginScan();
	catalog.commitBatch({records, moves: [], present: []}, scanId);
	catalog.finishScan(scanId, 'done', {import: records.length});
}
