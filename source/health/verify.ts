import fs from 'node:fs';
import path from 'node:path';
import type {VerifyProgress} from '../core/progress.js';
import type {Catalog} from '../db/catalog.js';
import {FullDecodeStore} from '../db/full-decode.js';
import {HealthStore, type VerifyCandidate} from '../db/health.js';
import type {Library} from '../library.js';
import {readManifest} from './backup-manifest.js';
import {hashFile, Throttle} from './hash-file.js';
import {forEachConcurrent} from '../concurrency.js';

/** Options of one verify run. */
export type VerifyOptions = {
	/** Share of the files to read (0–1]; the never- or longest-unverified files go first. Default: all. */
	readonly sample?: number;
	/** Read budget in MB/s (decimal megabytes) for the whole run. Default: unthrottled. */
	readonly rateMBps?: number;
	/** Verify this backup folder (made by `curate backup`) against the catalog instead of the library. */
	readonly backup?: string;
	/** Files read at once. Default 2: more only makes a spinning disk seek. */
	readonly concurrency?: number;
	readonly signal?: AbortSignal;
	/**
	 * Also decode in full every intact HEIC whose scan took its fingerprints from the thumbnail item (issue 16): data
	 * damaged inside the coded picture, which no container check sees, is reported as undecodable.
	 */
	readonly deep?: boolean;
};

/** One file that did not verify. */
export type Finding = {
	readonly path: string;
	/** SHA-256 in the catalog. */
	readonly expected: string;
	/** SHA-256 read now (absent for missing and unreadable files). */
	readonly actual?: string;
	readonly reason: string;
};

export type {VerifyProgress} from '../core/progress.js';

/** What a verify run found. Paths are relative to the library root. */
export type VerifyReport = {
	target: 'library' | 'backup';
	root: string;
	/** Present, hashed files in the catalog. */
	catalogued: number;
	/** Files read in this run (all of them, or the sample). */
	checked: number;
	ok: number;
	/** Bytes changed while size and mtime did not: bit rot (or, in a backup, a copy that no longer matches what was written). */
	damaged: Finding[];
	/** Bytes and mtime changed: edited since the last scan (in a backup: an older version; run curate backup). */
	modified: Finding[];
	missing: Finding[];
	/** Exists but cannot be read (permissions, I/O errors). */
	unreadable: Finding[];
	/** `--deep`: intact files never decoded in full that were decoded now. */
	decoded: number;
	/** `--deep`: files whose bytes are as catalogued but whose picture does not decode, or only in part. */
	undecodable: Finding[];
	bytes: number;
	seconds: number;
	sample: number | null;
	interrupted: boolean;
};

type Outcome = {kind: 'ok' | 'damaged' | 'modified' | 'missing' | 'unreadable'; finding?: Finding; bytes: number};

async function checkLibraryFile(root: string, file: VerifyCandidate, read: (file: string) => Promise<{sha256: string; bytes: number}>): Promise<Outcome> {
	const absolute = path.join(root, file.path);
	let stat;
	try {
		stat = await fs.promises.stat(absolute);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT' || code === 'ENOTDIR'
			? {kind: 'missing', finding: {path: file.path, expected: file.sha256, reason: 'not on disk'}, bytes: 0}
			: {kind: 'unreadable', finding: {path: file.path, expected: file.sha256, reason: `cannot stat: ${code ?? String(error)}`}, bytes: 0};
	}

	let result;
	try {
		result = await read(absolute);
	} catch (error) {
		if ((error as Error).name === 'AbortError') {
			throw error;
		}

		const code = (error as NodeJS.ErrnoException).code;
		return {kind: 'unreadable', finding: {path: file.path, expected: file.sha256, reason: `cannot read: ${code ?? String(error)}`}, bytes: 0};
	}

	if (result.sha256 === file.sha256) {
		return {kind: 'ok', bytes: result.bytes};
	}

	// Editors and sync tools change the mtime when they write; decaying sectors and bad RAM on the copy path do not.
	const untouched = stat.size === file.size && Math.trunc(stat.mtimeMs) === file.mtimeMs;
	return untouched
		? {kind: 'damaged', finding: {path: file.path, expected: file.sha256, actual: result.sha256, reason: 'content changed while size and mtime did not (bit rot)'}, bytes: result.bytes}
		: {kind: 'modified', finding: {path: file.path, expected: file.sha256, actual: result.sha256, reason: 'edited since the last scan (run curate scan)'}, bytes: result.bytes};
}

function backupChecker(backupDir: string) {
	const manifest = readManifest(backupDir);
	return async (file: VerifyCandidate, read: (file: string) => Promise<{sha256: string; bytes: number}>): Promise<Outcome> => {
		const absolute = path.join(backupDir, file.path);
		const written = manifest.files[file.path];
		let result;
		try {
			result = await read(absolute);
		} catch (error) {
			if ((error as Error).name === 'AbortError') {
				throw error;
			}

			const code = (error as NodeJS.ErrnoException).code;
			return code === 'ENOENT' || code === 'ENOTDIR'
				? {kind: 'missing', finding: {path: file.path, expected: file.sha256, reason: 'not in the backup (run curate backup)'}, bytes: 0}
				: {kind: 'unreadable', finding: {path: file.path, expected: file.sha256, reason: `cannot read: ${code ?? String(error)}`}, bytes: 0};
		}

		if (result.sha256 === file.sha256) {
			return {kind: 'ok', bytes: result.bytes};
		}

		// The backup wrote (and verified) this file with the hash in its manifest: matching it means an older version,
		// differing from it means the copy changed after it was written.
		return written && written.sha256 === result.sha256
			? {kind: 'modified', finding: {path: file.path, expected: file.sha256, actual: result.sha256, reason: 'the backup holds an older version (run curate backup)'}, bytes: result.bytes}
			: {kind: 'damaged', finding: {path: file.path, expected: file.sha256, actual: result.sha256, reason: 'the backup copy no longer matches what was written'}, bytes: result.bytes};
	};
}

/** Picks the files of a run: all of them, or the first share in never/longest-unverified order. */
export function pickSample(candidates: readonly VerifyCandidate[], sample: number | undefined): VerifyCandidate[] {
	if (sample === undefined || sample >= 1) {
		return [...candidates];
	}

	return candidates.slice(0, Math.max(1, Math.ceil(candidates.length * sample)));
}

/**
 * Re-reads catalogued files and compares their SHA-256 with the catalog's. Each file is one of: ok, damaged (bit rot:
 * content changed, size and mtime did not), modified (edited: mtime changed too), missing, or unreadable. Library runs
 * record when each file was verified, so sampled runs rotate through the library; every run is recorded for status.
 */
export async function verifyLibrary(
	library: Library,
	catalog: Catalog,
	options: VerifyOptions = {},
	onProgress: (progress: VerifyProgress) => void = () => {},
): Promise<VerifyReport> {
	const started = performance.now();
	const store = new HealthStore(catalog);
	const target = options.backup ? 'backup' : 'library';
	const root = options.backup ? path.resolve(options.backup) : library.root;
	const candidates = store.verifyCandidates();
	// A backup has no per-file verification times: sample it at random.
	const ordered = options.backup ? shuffle(candidates) : candidates;
	const files = pickSample(ordered, options.sample);
	const runId = store.beginVerifyRun(target, root);
	const throttle = options.rateMBps ? new Throttle(options.rateMBps * 1_000_000) : undefined;
	const read = async (file: string) => hashFile(file, {throttle, signal: options.signal});
	const checkBackup = options.backup ? backupChecker(root) : undefined;
	const check = async (file: VerifyCandidate) => (checkBackup ? checkBackup(file, read) : checkLibraryFile(root, file, read));

	const report = emptyVerifyReport(target, root, candidates.length, options.sample === undefined || options.sample >= 1 ? null : options.sample);
	const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
	let pending: Array<{id: number; outcome: string}> = [];
	const fullDecodes = options.deep && target === 'library' ? new FullDecodeStore(catalog) : undefined;
	const toDecode = fullDecodes?.pending() ?? new Set<number>();
	let decodedIds: number[] = [];
	const flush = () => {
		if (target === 'library' && pending.length > 0) {
			store.markChecked(pending);
		}

		if (decodedIds.length > 0) {
			fullDecodes?.markDecoded(decodedIds);
		}

		pending = [];
		decodedIds = [];
	};

	const progress = (current?: string) => {
		const problems = report.damaged.length + report.modified.length + report.missing.length + report.unreadable.length + report.undecodable.length;
		onProgress({total: files.length, done: report.checked, bytes: report.bytes, totalBytes, problems, current});
	};

	const verifyOne = async (file: (typeof files)[number]) => {
		progress(file.path);
		let outcome: Outcome;
		try {
			outcome = await check(file);
		} catch (error) {
			if ((error as Error).name === 'AbortError') {
				return;
			}

			throw error;
		}

		report.checked++;
		report.bytes += outcome.bytes;
		if (outcome.kind === 'ok' && toDecode.has(file.id)) {
			const problem = await decodeInFull(path.join(root, file.path));
			if (problem) {
				report.undecodable.push({path: file.path, expected: file.sha256, reason: problem});
			} else {
				report.decoded++;
				decodedIds.push(file.id);
			}
		}

		if (outcome.kind === 'ok') {
			report.ok++;
		} else {
			report[outcome.kind].push(outcome.finding!);
		}

		pending.push({id: file.id, outcome: outcome.kind});
		if (pending.length >= 500) {
			flush();
		}

		progress();
	};

	try {
		await forEachConcurrent(files, options.concurrency ?? 2, verifyOne, {signal: options.signal});
	} finally {
		flush();
		report.interrupted = options.signal?.aborted ?? false;
		report.seconds = Math.round((performance.now() - started) / 10) / 100;
		for (const list of [report.damaged, report.modified, report.missing, report.unreadable, report.undecodable]) {
			list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		}

		store.finishVerifyRun(runId, report.interrupted ? 'interrupted' : 'done', summarise(report));
	}

	return report;
}

/** Decodes a HEIC's full picture (the fastest decoder the system has); the problem found, or undefined when it decodes whole. */
async function decodeInFull(file: string): Promise<string | undefined> {
	const {analyseHeic} = await import('../media/decode.js');
	try {
		const analysis = await analyseHeic(await fs.promises.readFile(file), {file, full: true});
		return analysis.damage;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** A report before anything is checked: the one starting point of a library, backup or restic check. */
export function emptyVerifyReport(target: VerifyReport['target'], root: string, catalogued: number, sample: number | null): VerifyReport {
	return {target, root, catalogued, checked: 0, ok: 0, damaged: [], modified: [], missing: [], unreadable: [], decoded: 0, undecodable: [], bytes: 0, seconds: 0, sample, interrupted: false};
}

/** The counts of a report, as recorded for `curate status`. */
export function summarise(report: VerifyReport) {
	return {
		checked: report.checked,
		ok: report.ok,
		damaged: report.damaged.length,
		modified: report.modified.length,
		missing: report.missing.length,
		unreadable: report.unreadable.length,
		undecodable: report.undecodable.length,
		bytes: report.bytes,
		seconds: report.seconds,
		sample: report.sample,
	};
}

function shuffle<T>(items: readonly T[]): T[] {
	const result = [...items];
	for (let i = result.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[result[i], result[j]] = [result[j]!, result[i]!];
	}

	return result;
}
