/**
 * Free space, and the one sentence Curate says when a disk is full (issue 13): "the disk holding X is full (N MB free,
 * about M MB needed)". Every command that writes uses these, so a full disk always reads the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import {UserError, isDiskFull} from './errors.js';

/** Bytes an unprivileged writer may still use on the filesystem holding `target` (or its nearest existing parent). */
export function freeBytes(target: string): number {
	let dir = path.resolve(target);
	for (;;) {
		try {
			const stats = fs.statfsSync(dir);
			return stats.bavail * stats.bsize;
		} catch (error) {
			const parent = path.dirname(dir);
			if (parent === dir || (error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}

			dir = parent;
		}
	}
}

function megabytes(bytes: number): string {
	const value = bytes / 1e6;
	// 27 KB free reads "0.03 MB", not "0.0 MB": the user should see that something is left, and how little.
	return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2);
}

/** The error to show when the disk holding `target` is full; `neededBytes` when known. */
export function diskFullError(target: string, neededBytes?: number): UserError {
	let free = 0;
	try {
		free = freeBytes(target);
	} catch {}

	const needed = neededBytes === undefined ? '' : `, about ${megabytes(neededBytes)} MB needed`;
	const error = new UserError(`the disk holding ${target} is full (${megabytes(free)} MB free${needed})`, 1);
	// Still a disk-full error to `isDiskFull`: a caller that writes into a folder of its own (a share's staging folder)
	// names its own target instead of this one.
	(error as UserError & {code: string}).code = 'ENOSPC';
	return error;
}

let probes = 0;

/**
 * Whether `bytes` (and 64 KB more) can still be written in `dir`: false only when the disk itself says it is full
 * (bytes or inodes). For failures that do not say why: exiftool reports only "Error creating file" or "Error writing
 * output file" when it cannot write its own temporary copy beside the file it edits.
 */
export function roomFor(dir: string, bytes: number): boolean {
	const probe = path.join(dir, `.curate-space-probe-${process.pid}-${++probes}`);
	try {
		fs.writeFileSync(probe, Buffer.alloc(bytes + 64 * 1024), {flag: 'wx'});
		return true;
	} catch (error) {
		return !isDiskFull(error);
	} finally {
		fs.rmSync(probe, {force: true});
	}
}

/** Throws `diskFullError` unless `neededBytes` (plus a margin for the catalog's own files) fit on the disk holding `target`. */
export function ensureFreeSpace(target: string, neededBytes: number, marginBytes = 1024 * 1024): void {
	if (freeBytes(target) < neededBytes + marginBytes) {
		throw diskFullError(target, neededBytes + marginBytes);
	}
}

/** Rethrows a disk-full `error` as `diskFullError(target)`; any other error as it is. */
export function rethrowDiskFull(error: unknown, target: string, neededBytes?: number): never {
	if (isDiskFull(error)) {
		throw diskFullError(target, neededBytes);
	}

	throw error;
}

/**
 * What to throw when exiftool failed to rewrite `file` in place: a disk-full error (code ENOSPC) when a copy of `file`
 * would not fit beside it (exiftool writes its result as a temporary file there first, and says only "Error creating
 * file" or "Error writing output file" when the disk is full); otherwise `error` as it is.
 */
export function explainRewriteFailure(error: unknown, file: string): unknown {
	let size = 0;
	try {
		size = fs.statSync(file).size;
	} catch {
		return error;
	}

	if (isDiskFull(error) || roomFor(path.dirname(file), size)) {
		return error;
	}

	const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
	return Object.assign(new Error(`no space left on device for a copy of ${file} (${message})`, {cause: error}), {code: 'ENOSPC'});
}
