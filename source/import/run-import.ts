import fs from 'node:fs';
import path from 'node:path';
import type {Operation} from '../core/journal.js';
import type {FileRecord} from '../core/types.js';
import type {Catalog} from '../db/catalog.js';
import type {Journal} from '../journal/journal.js';
import type {Library} from '../library.js';
import {type PlacementOptions, planImport, type Transfer} from './plan-import.js';
import {readSources, type SourceEntry} from './sources.js';

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
};

/** What an import did. */
export type ImportResult = {
	readonly imported: ImportedFile[];
	readonly skipped: Array<{path: string; reason: string}>;
	readonly errors: Array<{path: string; error: string}>;
	/** The journal batch (undo it with `curate undo N`), or null when nothing was copied. */
	readonly batch: number | null;
	readonly dryRun: boolean;
};

/** Import progress: reading the sources, then checking and copying (or moving) them through the journal. */
export type ImportProgress = {
	readonly phase: 'reading' | 'checking' | 'copying' | 'moving' | 'cataloguing';
	readonly done: number;
	readonly total: number;
	readonly bytes?: number;
	readonly totalBytes?: number;
	readonly current?: string;
};

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
};

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
	const plan = planImport(library, report.files, options);
	const skipped = [
		...report.skipped.map(({path, reason}) => ({path, reason})),
		...plan.orphans.map(orphan => ({path: orphan.display, reason: 'sidecar whose photo is not being imported (already in the library, or absent)'})),
	].sort((a, b) => (a.path < b.path ? -1 : 1));
	const imported = plan.transfers.map(transfer => ({
		source: transfer.source.display,
		path: transfer.target,
		role: transfer.role,
		dateSource: transfer.dateSource,
		...(transfer.event ? {event: transfer.event} : {}),
	}));
	const result = {imported, skipped, errors: report.errors, batch: null, dryRun: Boolean(options.dryRun)};
	if (options.dryRun || plan.transfers.length === 0 || options.signal?.aborted) {
		return options.signal?.aborted && !options.dryRun ? {...result, imported: []} : result;
	}

	if (!journal) {
		throw new Error('importFiles needs a journal to change the library');
	}

	const operations: Operation[] = plan.transfers.map(transfer => ({
		kind: options.move ? 'move-in' : 'copy',
		source: transfer.source.absolute,
		to: transfer.target,
		sha256: transfer.source.sha256,
		size: transfer.source.size,
	}));
	const applied = await journal.apply(
		{
			command: options.command,
			label: `import ${operations.length} ${operations.length === 1 ? 'file' : 'files'}${options.move ? ' (moved)' : ''}`,
			operations,
		},
		{
			onProgress: ({phase, done, total, bytes, totalBytes}) =>
				options.onProgress?.({phase: phase === 'checking' ? 'checking' : options.move ? 'moving' : 'copying', done, total, bytes, totalBytes}),
		},
	);
	options.onProgress?.({phase: 'cataloguing', done: 0, total: operations.length});
	catalogueLanded(library, catalog, plan.transfers);
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
