/**
 * Opens a share's copy for reading without ever leaving the share's folder (issue 20). The name comes from the share's
 * item rows, never from the URL; all the same, every component below the library root is checked with `lstat` and a
 * symbolic link anywhere on the way is refused (`checkInside`, the same rule Curate writes by), the file itself is
 * opened with O_NOFOLLOW, and on Linux the opened descriptor's real path must still lie inside the share's folder, so a
 * link or a folder swapped in between the check and the open is caught too.
 */
import fs from 'node:fs';
import path from 'node:path';
import {checkInside, UnsafePathError} from '../safe-path.js';
import {itemNamePattern} from '../share/names.js';

const readFlags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0);

/** An opened copy: its handle (the caller closes it, or hands it to a stream) and its size. */
export type OpenedCopy = {readonly handle: fs.promises.FileHandle; readonly size: number; readonly mtimeMs: number};

/** Why a copy could not be opened: it is not there, or it is not safe to serve. */
export type CopyRefusal = 'missing' | 'unsafe';

/** The share folder `dir` (relative to the library root) as an absolute path, or undefined when it leaves the root. */
export function shareFolder(root: string, dir: string): string | undefined {
	if (path.isAbsolute(dir)) {
		return undefined;
	}

	const absolute = path.resolve(root, dir);
	const relative = path.relative(root, absolute);
	return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : absolute;
}

/**
 * Opens `kind/name` in the share folder `dir`: `name` must be a shared copy's name (one path component, ASCII,
 * `.jpg`), as `curate share` makes them.
 */
export async function openCopy(root: string, dir: string, kind: 'large' | 'thumbs', name: string): Promise<OpenedCopy | CopyRefusal> {
	const folder = shareFolder(root, dir);
	// `curate share` names its copies by this rule; a row is data, not code, so anything else is refused here too.
	if (!folder || !itemNamePattern.test(name)) {
		return 'unsafe';
	}

	const file = path.join(folder, kind, name);
	try {
		checkInside(root, file);
	} catch (error) {
		if (error instanceof UnsafePathError) {
			return 'unsafe';
		}

		return 'missing';
	}

	let handle: fs.promises.FileHandle;
	try {
		handle = await fs.promises.open(file, readFlags);
	} catch (error) {
		// ELOOP: the name itself became a link after the check.
		return (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'unsafe' : 'missing';
	}

	try {
		const stat = await handle.stat();
		if (!stat.isFile() || !(await landsInside(handle, folder))) {
			await handle.close();
			return 'unsafe';
		}

		return {handle, size: stat.size, mtimeMs: stat.mtimeMs};
	} catch (error) {
		await handle.close();
		throw error;
	}
}

/** Whether the opened file really lies inside `folder` (Linux: through /proc/self/fd; elsewhere the lstat check stands). */
async function landsInside(handle: fs.promises.FileHandle, folder: string): Promise<boolean> {
	let real: string;
	try {
		real = await fs.promises.readlink(`/proc/self/fd/${handle.fd}`);
	} catch {
		return true;
	}

	let realFolder: string;
	try {
		realFolder = await fs.promises.realpath(folder);
	} catch {
		return false;
	}

	const relative = path.relative(realFolder, real);
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
