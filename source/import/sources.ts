import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isSidecarName} from '../core/companions.js';
import type {FileRecord, MediaKind} from '../core/types.js';
import type {Catalog} from '../db/catalog.js';
import {type Library, UserError} from '../library.js';
import {analyseFile, readAndHash} from '../scan/analyse-file.js';
import {defaultIgnores, mediaExtensions, walkLibrary} from '../scan/walk.js';
import {forEachConcurrent} from '../concurrency.js';

/** A file offered for import: where it is, and how to name it in messages. */
export type SourceEntry = {
	readonly absolute: string;
	/** For messages and JSON: the path as the user would recognise it. */
	readonly display: string;
	readonly size: number;
	readonly mtimeMs: number;
};

/** A source file that will be imported, with everything the scan would record about it. */
export type NewSource = SourceEntry & {
	readonly sha256: string;
	readonly kind: MediaKind;
	/** The analysed record (path still the source's); null for sidecars, which the catalog does not hold. */
	readonly record: FileRecord | null;
	/** The thumbnail this read wrote (absolute), if it wrote one: removed again when the file is not imported. */
	readonly thumbWritten?: string;
};

/** What reading the sources found. */
export type SourceReport = {
	readonly files: NewSource[];
	readonly skipped: Array<{path: string; reason: string; sha256?: string}>;
	readonly errors: Array<{path: string; error: string}>;
};

/** Progress while sources are read. */
export type ReadProgress = {readonly done: number; readonly total: number; readonly current?: string};

const wanted = (name: string) => isSidecarName(name) || mediaExtensions.has(path.extname(name).slice(1).toLowerCase());

const isInside = (child: string, parent: string) => {
	const relative = path.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** One line saying why a source given on the command line cannot be read, in words rather than an errno code. */
function unreadableSource(source: string, error: unknown): UserError {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'ENOENT': {
			return new UserError(`${source} does not exist (nothing imported)`);
		}

		case 'EACCES':
		case 'EPERM': {
			return new UserError(`cannot read ${source}: permission denied (nothing imported)`);
		}

		case 'ENOTDIR': {
			return new UserError(`${source} is not a folder or a file: part of its path is a file (nothing imported)`);
		}

		default: {
			return new UserError(`cannot read ${source}: ${code ?? (error instanceof Error ? error.message : String(error))} (nothing imported)`);
		}
	}
}

/**
 * Lists the photos, videos and XMP sidecars under each source (a folder or a file), skipping NAS clutter. A source
 * inside the library is refused (that is `curate organize`), and so is one that contains the library.
 */
export async function listSources(library: Library, sources: readonly string[]): Promise<{entries: SourceEntry[]; errors: Array<{path: string; error: string}>}> {
	const entries: SourceEntry[] = [];
	const errors: Array<{path: string; error: string}> = [];
	const seen = new Set<string>();
	for (const source of sources) {
		const absolute = path.resolve(source);
		let stat;
		try {
			// eslint-disable-next-line no-await-in-loop
			stat = await fs.promises.stat(absolute);
			if (stat.isDirectory()) {
				// An unreadable folder would otherwise become one "cannot read folder: EACCES" line after a walk of nothing.
				// eslint-disable-next-line no-await-in-loop
				await (await fs.promises.opendir(absolute)).close();
			} else if (stat.isFile()) {
				// eslint-disable-next-line no-await-in-loop
				await (await fs.promises.open(absolute, 'r')).close();
			}
		} catch (error) {
			throw unreadableSource(source, error);
		}

		if (!stat.isDirectory() && !stat.isFile()) {
			// A FIFO or device would block the read or be read forever.
			throw new UserError(`${source} is not a folder or a regular file (nothing imported)`);
		}

		if (isInside(absolute, library.root)) {
			throw new UserError(`${source} is inside the library; use \`curate organize\` to rearrange the library`);
		}

		if (isInside(library.root, absolute)) {
			throw new UserError(`${source} contains the library itself; import a folder beside it`);
		}

		if (stat.isFile()) {
			if (!seen.has(absolute)) {
				seen.add(absolute);
				entries.push({absolute, display: source, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs)});
			}

			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		const walk = await walkLibrary(absolute, {ignore: defaultIgnores, allFiles: true});
		for (const problem of walk.problems) {
			errors.push({path: path.join(source, problem.path), error: problem.error});
		}

		for (const file of walk.files) {
			if (wanted(file.path) && !seen.has(file.absolute)) {
				seen.add(file.absolute);
				entries.push({absolute: file.absolute, display: path.join(source, file.path), size: file.size, mtimeMs: file.mtimeMs});
			}
		}
	}

	return {entries, errors};
}

/**
 * Reads every source once: its SHA-256 decides whether it is already in the library (skipped and counted) or a copy
 * of another source (imported once); new photos are analysed as the scan would, so they are catalogued the moment
 * they land. Unreadable, empty and non-photo files become errors; nothing about them is copied.
 */
export async function readSources(
	library: Library,
	catalog: Catalog,
	entries: readonly SourceEntry[],
	options: {readonly concurrency?: number; readonly signal?: AbortSignal; readonly onProgress?: (progress: ReadProgress) => void} = {},
): Promise<SourceReport> {
	const results: Array<NewSource | undefined> = Array.from({length: entries.length});
	const skipped: SourceReport['skipped'] = [];
	const errors: SourceReport['errors'] = [];
	const claimed = new Map<string, string>();
	let done = 0;
	const readOne = async (index: number) => {
		const entry = entries[index]!;
		const walked = {path: entry.display, absolute: entry.absolute, size: entry.size, mtimeMs: entry.mtimeMs};
		let read;
		try {
			read = await readAndHash(walked);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			errors.push({path: entry.display, error: `cannot read file: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? (error as Error).message}`});
			return;
		}

		const sidecar = isSidecarName(entry.absolute);
		if (!sidecar && (read.kind === 'other' || read.kind === 'sidecar')) {
			errors.push({path: entry.display, error: read.format === 'empty' ? 'empty file (0 bytes)' : `not a photo or video (${read.format})`});
			return;
		}

		if (!sidecar && catalog.filesBySha(read.sha256).length > 0) {
			skipped.push({path: entry.display, reason: 'already in the library', sha256: read.sha256});
			return;
		}

		const twin = claimed.get(read.sha256);
		if (twin !== undefined && !sidecar) {
			skipped.push({path: entry.display, reason: `same content as ${twin}`, sha256: read.sha256});
			return;
		}

		claimed.set(read.sha256, entry.display);
		const thumb = path.join(library.thumbsDir, read.sha256.slice(0, 2), `${read.sha256}.jpg`);
		const hadThumb = fs.existsSync(thumb);
		const record = sidecar ? null : await analyseFile(walked, read, library.thumbsDir);
		const thumbWritten = record?.thumb && !hadThumb ? thumb : undefined;
		results[index] = {...entry, sha256: read.sha256, kind: sidecar ? 'sidecar' : read.kind, record, ...(thumbWritten ? {thumbWritten} : {})};
	};

	await forEachConcurrent(
		entries,
		options.concurrency ?? os.availableParallelism() + 2,
		async (entry, index) => {
			options.onProgress?.({done, total: entries.length, current: entry.display});
			try {
				await readOne(index);
			} catch (error) {
				errors.push({path: entry.display, error: `unexpected error: ${error instanceof Error ? error.message : String(error)}`});
			}

			done++;
			options.onProgress?.({done, total: entries.length});
		},
		{signal: options.signal},
	);
	const byPath = (a: {path: string}, b: {path: string}) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
	return {files: results.filter((file): file is NewSource => file !== undefined), skipped: skipped.sort(byPath), errors: errors.sort(byPath)};
}
