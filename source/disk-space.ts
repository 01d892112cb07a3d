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
	return new UserError(`the disk holding ${target} is full (${megabytes(free)} MB free${needed})`, 1);
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
