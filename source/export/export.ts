import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fitName} from '../core/file-name.js';
import type {ExportProgress} from '../core/progress.js';
import {metadataFromTags, metadataWriteTags, sidecarOf} from '../adapters/exif.js';
import {copyMetadata, readTagsByGroups, writeTags} from '../adapters/exif-write.js';
import type {Catalog, StoredFile} from '../db/catalog.js';
import {HealthStore} from '../db/health.js';
import {hashFile} from '../health/hash-file.js';
import type {Library} from '../library.js';
import {curationTags, readCuration, type Curation} from './curation.js';
import {canRender, readMaster, render, type RenderSettings} from '../media/render.js';
import {deletionArgs, exclusionArgs, leakedTags, stripRule, type StripMode, type StripRule} from './strip-rule.js';
import {forEachConcurrent} from '../concurrency.js';
import {diskFullError, roomFor} from '../disk-space.js';
import {isDiskFull} from '../errors.js';

/** How shareable copies are made. */
export type ExportSettings = RenderSettings & {
	readonly strip: StripMode;
	/** With `strip: 'gps'`: keep the maker notes exiftool decodes, minus their serial and owner tags. */
	readonly keepMakerNotes?: boolean;
	/** With `strip: 'gps'`: keep face regions (turned upright with the copy) and person names (issue 19). */
	readonly keepFaces?: boolean;
	/** With `strip: 'gps'`: keep the location tags (`curate share --keep-gps`). */
	readonly keepLocation?: boolean;
};

/** What happened (or, in a dry run, would happen) to one selected file. */
export type ExportItem = {
	/** The master, relative to the library root. */
	readonly path: string;
	/** `write`: a new copy; `reuse`: an intact earlier export with the same settings is there; `skip`: cannot be exported. */
	readonly action: 'write' | 'reuse' | 'skip' | 'failed';
	/** The shareable copy (absolute); absent for skipped and failed files. */
	readonly output?: string;
	readonly sha256?: string;
	readonly bytes?: number;
	readonly reason?: string;
};

/** What an export run did. */
export type ExportReport = {
	to: string;
	settings: ExportSettings;
	items: ExportItem[];
	written: number;
	reused: number;
	skipped: number;
	failed: number;
	dryRun: boolean;
	seconds: number;
};

export type {ExportProgress} from '../core/progress.js';

/**
 * The settings as canonical text: two exports are the same export when this text is equal. Version 2: copies made
 * before issue 13 may hold maker notes and lack the sidecar's curation, so they are never reused; version 3: copies made
 * before issue 19 may hold face regions and person names, which are now stripped by default. The sidecar's hash
 * is part of it: a copy made before the sidecar changed carries stale keywords.
 */
export function settingsKey(settings: ExportSettings, sidecarSha256: string | null = null): string {
	return JSON.stringify({
		v: 3,
		maxSize: settings.maxSize ?? null,
		format: settings.format,
		quality: settings.quality,
		strip: settings.strip,
		keepMakerNotes: settings.strip === 'gps' && Boolean(settings.keepMakerNotes),
		...(settings.strip === 'gps' && settings.keepFaces ? {keepFaces: true} : {}),
		sidecar: sidecarSha256,
		// Only when set, so the keys of earlier exports (and their reuse) stay as they were.
		...(settings.strip === 'gps' && settings.keepLocation ? {keepLocation: true} : {}),
	});
}

/** The wall-clock part of a catalog date (`2019-05-03T10:41:17`): offsets derived from a stripped GPS time may go. */
const wallClock = (iso: string | undefined) => iso?.slice(0, 19);

const extensionOf = (format: ExportSettings['format']) => (format === 'jpeg' ? '.jpg' : '.webp');

/**
 * A free output name in `dir` for a master: its base name with the export's extension, suffixed `-1`, `-2`… when a
 * file of that name exists or was given out earlier in this run. Existing files are never overwritten.
 */
export function outputName(dir: string, masterPath: string, format: ExportSettings['format'], taken: Set<string>): string {
	const base = path.parse(masterPath).name;
	const extension = extensionOf(format);
	for (let n = 0; ; n++) {
		const suffix = `${n ? `-${n}` : ''}${extension}`;
		// A name may take 255 bytes: a master's name that long, given `-1` or a longer extension, is cut short first.
		const name = fitName(base, suffix);
		const key = name.normalize('NFC').toLowerCase();
		// Names are compared case-insensitively: the copies often land on macOS, Windows or a phone.
		if (!taken.has(key) && !fs.existsSync(path.join(dir, name))) {
			taken.add(key);
			return path.join(dir, name);
		}
	}
}

async function intactEarlierExport(store: HealthStore, master: StoredFile, key: string, to: string): Promise<{output: string; sha256: string; bytes: number} | undefined> {
	for (const earlier of store.derivativesOf(master.sha256!, key, to)) {
		try {
			// eslint-disable-next-line no-await-in-loop
			const {sha256, bytes} = await hashFile(earlier.outputPath);
			if (sha256 === earlier.outputSha256) {
				return {output: earlier.outputPath, sha256, bytes};
			}
		} catch {}
	}

	return undefined;
}

/**
 * Places a finished copy at its final name without ever replacing a file: a hard link fails if the name exists. File
 * systems without hard links (some NAS shares, FUSE mounts) fall back to a checked rename.
 */
function placeWithoutOverwrite(temporary: string, destination: string): void {
	try {
		fs.linkSync(temporary, destination);
		fs.unlinkSync(temporary);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			throw new Error(`${destination} appeared while exporting; not overwritten`);
		}

		if (fs.existsSync(destination)) {
			throw new Error(`${destination} exists; not overwritten`);
		}

		fs.renameSync(temporary, destination);
	}
}

/**
 * Writes shareable copies of `files` into `to`: upright, sRGB with an embedded profile, resized if asked, metadata
 * kept or stripped by the strip rule (source/export/strip-rule.ts), with the curation of the photo's XMP sidecar
 * (keywords, hierarchical keywords, rating, title, description, capture date) winning over the file's own, as in the
 * scan. Every written copy is read back with exiftool and judged by the same rule: it is refused (and removed) if it
 * still holds what the rule removes, or does not carry the capture date the library shows. Copies are recorded in
 * the catalog with their master's SHA-256 and the sidecar's, so an export with the same settings into the same folder
 * reuses an intact earlier copy instead of writing another.
 */
export async function exportFiles(
	library: Library,
	catalog: Catalog,
	files: readonly StoredFile[],
	toDir: string,
	settings: ExportSettings,
	options: {
		readonly dryRun?: boolean;
		readonly signal?: AbortSignal;
		readonly concurrency?: number;
		/** Record the copies as derivatives for reuse (default); `curate share` keeps its own record instead. */
		readonly record?: boolean;
	} = {},
	onProgress: (progress: ExportProgress) => void = () => {},
): Promise<ExportReport> {
	const started = performance.now();
	const to = path.resolve(toDir);
	const store = new HealthStore(catalog);
	const rule = stripRule(settings.strip, {keepMakerNotes: settings.keepMakerNotes, keepFaces: settings.keepFaces, keepLocation: settings.keepLocation});
	const taken = new Set<string>();
	const items: ExportItem[] = [];
	const inFlight = new Map<string, Promise<ExportItem>>();
	if (!options.dryRun) {
		fs.mkdirSync(to, {recursive: true});
	}

	// A full disk stops the run: every copy after it would fail the same way, each with exiftool's own words.
	const diskFull = new AbortController();
	const signal = options.signal ? AbortSignal.any([options.signal, diskFull.signal]) : diskFull.signal;
	// Decoding (sharp, libheif) and exiftool's copy and read-back overlap across a few photos at once; output names
	// are handed out synchronously, so two photos never race for one name.
	const results: Array<ExportItem | undefined> = Array.from({length: files.length});
	let done = 0;
	await forEachConcurrent(
		files,
		options.concurrency ?? os.availableParallelism() + 1,
		async (file, index) => {
			onProgress({total: files.length, done, current: file.path});
			results[index] = await exportOne(file);
			done++;
		},
		{signal},
	);
	if (diskFull.signal.aborted) {
		// About what the copies not made would take, one of them twice (exiftool writes its own beside it).
		const left = files.filter((file, index) => results[index] === undefined || results[index]!.action === 'failed').map(file => copyBytes(file, settings));
		throw diskFullError(to, left.reduce((sum, bytes) => sum + bytes, Math.max(0, ...left)));
	}

	items.push(...results.filter((item): item is ExportItem => item !== undefined));
	onProgress({total: files.length, done});
	const count = (action: ExportItem['action']) => items.filter(item => item.action === action).length;
	return {
		to,
		settings,
		items,
		written: count('write'),
		reused: count('reuse'),
		skipped: count('skip'),
		failed: count('failed'),
		dryRun: Boolean(options.dryRun),
		seconds: Math.round((performance.now() - started) / 10) / 100,
	};

	async function exportOne(file: StoredFile): Promise<ExportItem> {
		if (!canRender(file) || !file.sha256) {
			return {path: file.path, action: 'skip', reason: file.kind === 'video' ? 'videos are not exported' : `not an exportable photo (${file.format})`};
		}

		if (file.error) {
			return {path: file.path, action: 'skip', reason: `cannot be exported: ${file.error}`};
		}

		// Exact copies in one selection share one export, as they would across runs; not when one has a sidecar, whose
		// curation belongs to that photo alone. Decided synchronously, so two workers never both start one content.
		const shared = settings.strip === 'all' || !sidecarOf(path.join(library.root, file.path)) ? file.sha256 : `${file.sha256}:${file.path}`;
		const twin = inFlight.get(shared);
		if (twin) {
			const first = await twin;
			return first.action === 'write' || first.action === 'reuse' ? {...first, path: file.path, action: 'reuse'} : {...first, path: file.path};
		}

		const pending = exportContent(file as StoredFile & {sha256: string});
		inFlight.set(shared, pending);
		return pending;
	}

	async function exportContent(file: StoredFile & {sha256: string}): Promise<ExportItem> {
		const master = path.join(library.root, file.path);
		let curation: Curation;
		try {
			curation = await readCuration(master, rule);
		} catch (error) {
			return {path: file.path, action: 'failed', reason: `cannot read its sidecar: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`};
		}

		const key = settingsKey(settings, curation.sidecarSha256);
		const earlier = await intactEarlierExport(store, file, key, to);
		if (earlier) {
			return {path: file.path, action: 'reuse', ...earlier};
		}

		const output = outputName(to, file.path, settings.format, taken);
		if (options.dryRun) {
			return {path: file.path, action: 'write', output};
		}

		// Named with the export's extension: exiftool picks the writer by it.
		// Not built from the master's name: a 255-byte name would leave no room for the marks, and the run would stop.
		const temporary = path.join(to, `.curate-tmp-${process.pid}-${randomBytes(4).toString('hex')}${path.extname(output)}`);
		try {
			const buffer = await readMaster(master);
			if (createHash('sha256').update(buffer).digest('hex') !== file.sha256) {
				throw new Error('changed since the last scan (run curate scan, or curate verify if you did not edit it)');
			}

			// The capture date the library shows: the sidecar's, else the catalogued one unless it is only the file's mtime.
			const expectedDate = rule.mode === 'all' ? undefined : (curation.update.takenAt ?? (file.takenAtSource === 'mtime' ? undefined : file.takenAt) ?? undefined);
			const rendered = await render({absolute: master, format: file.format, kind: file.kind, orientation: file.orientation}, buffer, settings);
			await fs.promises.writeFile(temporary, rendered.data);
			// Kept faces are turned upright with the copy, from the sidecar's regions (else the master's) (issue 19).
			const faces = rule.keepFaces ? await (await import('../faces/export-faces.js')).uprightFaceTags(master, file.orientation, rendered) : undefined;
			await copyMetadata(
				master,
				temporary,
				{
					copy: rule.mode !== 'all',
					exclude: [...exclusionArgs(rule), ...curation.replaces, ...(faces ? faces.replaces : [])],
					delete: rule.keepMakerNotes ? deletionArgs(rule) : [],
					set: {...curationTags(curation), ...faces?.tags},
				},
				rendered,
			);
			const tags = expectedDate ? await keepCaptureDate(temporary, expectedDate) : await readTagsByGroups(temporary);
			// The same rule that built the exiftool arguments judges what exiftool actually wrote.
			const leaked = leakedTags(tags, rule);
			if (leaked.length > 0) {
				throw new Error(
					`the copy still holds ${leaked.slice(0, 5).join(', ')}${rule.keepMakerNotes ? ' (exiftool cannot remove these from the maker notes; export without --keep-maker-notes)' : ''}; not exported`,
				);
			}

			const {sha256, bytes} = await hashFile(temporary);
			placeWithoutOverwrite(temporary, output);
			if (options.record !== false) {
				store.addDerivative({
					masterSha256: file.sha256,
					masterPath: file.path,
					settings: key,
					outputDir: to,
					outputPath: output,
					outputSha256: sha256,
					outputSize: bytes,
					createdAt: new Date().toISOString(),
				});
			}

			return {path: file.path, action: 'write', output, sha256, bytes};
		} catch (error) {
			// A failure that does not say why (exiftool's "Error creating file") asks the disk whether exiftool's copy
			// of the temporary file would fit beside it.
			const size = await fs.promises.stat(temporary).then(stats => stats.size, () => undefined);
			if (isDiskFull(error) || (size !== undefined && !roomFor(to, size))) {
				diskFull.abort();
			}

			// The temporary file is Curate's own unfinished copy (possibly with the GPS it failed to strip), never a photo.
			await fs.promises.rm(temporary, {force: true});
			return {path: file.path, action: 'failed', reason: error instanceof Error ? error.message.split('\n')[0] : String(error)};
		}
	}
}

/** A generous guess at a copy's size: about the master's at full size, under half a byte per pixel when resized. */
function copyBytes(file: StoredFile, settings: ExportSettings): number {
	return Math.round(settings.maxSize ? Math.min(file.size * 1.2, settings.maxSize * settings.maxSize * 0.5) : file.size * 1.2);
}

/**
 * Makes sure a copy reads back with the capture date the library shows. The copied tags usually carry it
 * (DateTimeOriginal, CreateDate, or only ModifyDate, which the copy keeps as it is); when the date lived only where a
 * JPEG or WebP cannot hold it (PNG text, QuickTime keys) or in a tag the strip removes (GPSDateTime), it is written as
 * EXIF DateTimeOriginal.
 */
async function keepCaptureDate(copy: string, expected: string): Promise<Record<string, unknown>> {
	const tags = await readTagsByGroups(copy);
	if (dateOf(tags) === wallClock(expected)) {
		return tags;
	}

	await writeTags(copy, metadataWriteTags({takenAt: expected}, false));
	const after = await readTagsByGroups(copy);
	const date = dateOf(after);
	if (date !== wallClock(expected)) {
		throw new Error(date ? `the copy's capture date ${date} differs from ${wallClock(expected)}; not exported` : 'the copy lost its capture date; not exported');
	}

	return after;
}

/**
 * The capture date a scan would read from a copy, from its tags as read back for the strip check (one exiftool read
 * per copy, not two): each tag name keeps its first value, which in a copy is EXIF's, then the scan's own mapping.
 */
function dateOf(tags: Readonly<Record<string, unknown>>): string | undefined {
	const byName: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(tags)) {
		const name = key.slice(key.lastIndexOf(':') + 1);
		byName[name] ??= value;
	}

	return wallClock(metadataFromTags(byName).takenAt);
}
