import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Catalog} from '../db/catalog.js';
import {HealthStore} from '../db/health.js';
import {type Library, UserError} from '../library.js';
import {defaultIgnores, walkLibrary} from '../scan/walk.js';
import {backupDirName, type Manifest, readManifest, writeManifest} from './backup-manifest.js';
import {copyToTemporary} from './copy-verified.js';
import {hashFile} from './hash-file.js';

/** Options of one backup run. */
export type BackupOptions = {
	/** Move target files the library no longer has into `.curate-backup/pruned/<time>/` (never unlinked). */
	readonly prune?: boolean;
	/** Plan only: read and compare, write nothing. */
	readonly dryRun?: boolean;
	readonly signal?: AbortSignal;
};

/** Progress as the run goes. */
export type BackupProgress = {readonly total: number; readonly done: number; readonly copiedBytes: number; readonly current?: string};

/** What a backup run did (or, with dryRun, would do). Paths are relative to the library root and the target. */
export type BackupReport = {
	target: string;
	library: string;
	/** Masters and sidecars considered. */
	files: number;
	sidecars: number;
	copied: number;
	/** Already in the target with the right hash. */
	unchanged: number;
	/** Older versions moved aside into `.curate-backup/replaced/<time>/` before their new version was renamed in. */
	replaced: number;
	copiedBytes: number;
	/** Target files the library does not have (kept unless --prune). */
	extra: string[];
	pruned: number;
	/** Where replaced and pruned files went this run, when any did. */
	movedAsideTo: string | null;
	catalogSnapshot: string | null;
	errors: Array<{path: string; error: string}>;
	/** With dryRun: what would be copied. */
	toCopy?: string[];
	dryRun: boolean;
	interrupted: boolean;
	seconds: number;
};

type Item = {readonly path: string; readonly sha256: string | null; readonly sidecar: boolean};

const isInside = (child: string, parent: string) => {
	const relative = path.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** Refuses targets that would mirror a library into itself, or mix two libraries into one target. */
export function checkTarget(library: Library, target: string, manifest: Manifest): void {
	const real = (dir: string) => {
		try {
			return fs.realpathSync(dir);
		} catch {
			return path.resolve(dir);
		}
	};

	const root = real(library.root);
	const destination = real(target);
	if (isInside(destination, root)) {
		throw new UserError(`the backup target ${target} is inside the library ${library.root}: choose a folder on another disk`);
	}

	if (isInside(root, destination)) {
		throw new UserError(`the library ${library.root} is inside the backup target ${target}: choose a separate folder`);
	}

	if (manifest.library && manifest.library !== library.root) {
		throw new UserError(`${target} holds a backup of another library (${manifest.library}); choose another folder`);
	}
}

const stamp = () => new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');

/**
 * Mirrors a library's masters (every present catalogued file), its XMP sidecars (catalogued or not) and a consistent
 * snapshot of its catalog into `target`. Incremental by SHA-256: the target's manifest says what was written and
 * verified, so unchanged files are recognised by stat alone. Each copy is written under a temporary name, fsynced,
 * read back and hashed, then renamed into place; a file it replaces is moved aside, and nothing is ever unlinked.
 * `.curate/` (trash, thumbnails) is not backed up.
 */
export async function backupLibrary(
	library: Library,
	catalog: Catalog,
	targetDir: string,
	options: BackupOptions = {},
	onProgress: (progress: BackupProgress) => void = () => {},
): Promise<BackupReport> {
	const started = performance.now();
	const target = path.resolve(targetDir);
	const manifest = readManifest(target);
	checkTarget(library, target, manifest);
	if (!options.dryRun) {
		fs.mkdirSync(target, {recursive: true});
	}

	const store = new HealthStore(catalog);
	const items: Item[] = store.presentFiles().map(file => ({path: file.path, sha256: file.sha256, sidecar: false}));
	const known = new Set(items.map(item => item.path));
	const walk = await walkLibrary(library.root, {ignore: defaultIgnores, allFiles: true});
	for (const file of walk.files) {
		if (file.path.toLowerCase().endsWith('.xmp') && !known.has(file.path)) {
			items.push({path: file.path, sha256: null, sidecar: true});
			known.add(file.path);
		}
	}

	const report: BackupReport = {
		target,
		library: library.root,
		files: items.length,
		sidecars: items.filter(item => item.sidecar).length,
		copied: 0,
		unchanged: 0,
		replaced: 0,
		copiedBytes: 0,
		extra: [],
		pruned: 0,
		movedAsideTo: null,
		catalogSnapshot: null,
		errors: [],
		...(options.dryRun ? {toCopy: []} : {}),
		dryRun: Boolean(options.dryRun),
		interrupted: false,
		seconds: 0,
	};
	const asideRoot = path.join(target, backupDirName, stamp());
	const moveAside = (relative: string, kind: 'replaced' | 'pruned') => {
		const destination = path.join(asideRoot, kind, relative);
		fs.mkdirSync(path.dirname(destination), {recursive: true});
		fs.renameSync(path.join(target, relative), destination);
		report.movedAsideTo = asideRoot;
	};

	manifest.library = library.root;
	let done = 0;
	try {
		for (const item of items) {
			if (options.signal?.aborted) {
				break;
			}

			onProgress({total: items.length, done, copiedBytes: report.copiedBytes, current: item.path});
			try {
				// eslint-disable-next-line no-await-in-loop
				await backupOne(item);
			} catch (error) {
				report.errors.push({path: item.path, error: error instanceof Error ? error.message : String(error)});
			}

			done++;
			onProgress({total: items.length, done, copiedBytes: report.copiedBytes});
		}

		report.interrupted = options.signal?.aborted ?? false;
		if (!report.interrupted) {
			// eslint-disable-next-line no-await-in-loop
			await findExtra();
			if (!options.dryRun) {
				report.catalogSnapshot = await snapshotCatalog();
			}
		}
	} finally {
		if (!options.dryRun) {
			writeManifest(target, manifest);
		}

		report.seconds = Math.round((performance.now() - started) / 10) / 100;
	}

	return report;

	async function backupOne(item: Item): Promise<void> {
		const source = path.join(library.root, item.path);
		const destination = path.join(target, item.path);
		const sourceStat = await fs.promises.stat(source);
		const written = manifest.files[item.path];
		const targetStat = await fs.promises.stat(destination).catch(() => undefined);
		const sameAsWritten = written && targetStat && targetStat.size === written.size && Math.trunc(targetStat.mtimeMs) === written.mtimeMs;
		// A master is identified by its catalogued hash; a sidecar (not catalogued) by its size and mtime, which the
		// copy keeps.
		const unchanged = item.sidecar
			? // Compared with the source's own recorded mtime: the copy's mtime goes through a Date and a float of seconds
				// in utimes, which can land a millisecond lower.
				sameAsWritten && sourceStat.size === written.size && written.sourceMtimeMs === sourceStat.mtimeMs
			: sameAsWritten && written.sha256 === item.sha256;
		if (unchanged) {
			report.unchanged++;
			return;
		}

		let expected = item.sha256 ?? undefined;
		if (targetStat && !sameAsWritten) {
			// Already in the target but not (or differently) in the manifest, e.g. after an interrupted run or a copy
			// made by hand: adopt it if its bytes are right rather than copying again.
			expected ??= (await hashFile(source)).sha256;
			const there = await hashFile(destination);
			if (there.sha256 === expected) {
				manifest.files[item.path] = {sha256: there.sha256, size: targetStat.size, mtimeMs: Math.trunc(targetStat.mtimeMs)};
				report.unchanged++;
				return;
			}
		}

		if (options.dryRun) {
			report.toCopy!.push(item.path);
			report.copied++;
			report.copiedBytes += sourceStat.size;
			return;
		}

		const copy = await copyToTemporary(source, destination, item.sha256);
		if (targetStat) {
			moveAside(item.path, 'replaced');
			report.replaced++;
		}

		await fs.promises.utimes(copy.temporary, sourceStat.atime, sourceStat.mtime);
		await fs.promises.rename(copy.temporary, destination);
		const finalStat = await fs.promises.stat(destination);
		manifest.files[item.path] = {sha256: copy.sha256, size: finalStat.size, mtimeMs: Math.trunc(finalStat.mtimeMs), sourceMtimeMs: sourceStat.mtimeMs};
		report.copied++;
		report.copiedBytes += copy.bytes;
	}

	async function findExtra(): Promise<void> {
		if (!fs.existsSync(target)) {
			return;
		}

		const inTarget = await walkLibrary(target, {ignore: [backupDirName, '.*.curate-tmp-*'], allFiles: true});
		report.extra = inTarget.files.map(file => file.path).filter(file => !known.has(file));
		if (options.prune && !options.dryRun) {
			for (const relative of report.extra) {
				moveAside(relative, 'pruned');
				delete manifest.files[relative];
				report.pruned++;
			}
		}
	}

	async function snapshotCatalog(): Promise<string> {
		// Snapshot to local disk first, then copy sequentially: SQLite's page writes are random access, which mounts
		// such as rclone without a write cache do not support.
		const local = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-snapshot-'));
		try {
			const snapshot = path.join(local, 'catalog.db');
			await store.snapshotTo(snapshot);
			const destination = path.join(target, backupDirName, 'catalog.db');
			const copy = await copyToTemporary(snapshot, destination);
			if (fs.existsSync(destination)) {
				// The snapshot before this one stays as catalog.previous.db (older ones are superseded).
				fs.renameSync(destination, path.join(target, backupDirName, 'catalog.previous.db'));
			}

			fs.renameSync(copy.temporary, destination);
			return destination;
		} finally {
			fs.rmSync(local, {recursive: true, force: true});
		}
	}
}
