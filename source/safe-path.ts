/**
 * The one primitive for every path Curate writes inside a library (issue 13, A2): scratch files, the trash, sidecars,
 * move and copy targets, thumbnails and previews. A symbolic link anywhere below the library root could send a write
 * outside the library (a `.curate-partial` or `.curate/trash` replaced by a link to another disk), so every existing
 * component below the root is checked with `lstat` and a symlink is refused outright: resolving it and checking
 * where it lands would race with whoever made it, and Curate itself never creates one. Final files are opened with
 * O_CREAT | O_EXCL | O_NOFOLLOW, so a link planted between the check and the write is refused by the kernel.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A write refused because its path goes through a symbolic link or a non-folder; the message is for the user. */
export class UnsafePathError extends Error {
	override readonly name = 'UnsafePathError';
}

/** The components of `target` below `root`, or throws when `target` is not below it. */
function componentsBelow(root: string, target: string): string[] {
	const relative = path.relative(root, target);
	if (relative === '') {
		return [];
	}

	if (relative.startsWith('..') || path.isAbsolute(relative)) {
		throw new UnsafePathError(`${target} is outside the library`);
	}

	return relative.split(path.sep);
}

/**
 * Checks every existing component of `target` below `root` (the root itself is the user's choice and may be a link):
 * none may be a symlink, and every one but the last must be a folder. Missing components are fine (they will be
 * created by `makeFoldersInside`). Returns `target`.
 */
export function checkInside(root: string, target: string): string {
	let current = root;
	const parts = componentsBelow(root, target);
	for (const [index, part] of parts.entries()) {
		current = path.join(current, part);
		let stat: fs.Stats;
		try {
			stat = fs.lstatSync(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				return target;
			}

			throw error;
		}

		const shown = path.relative(root, current).split(path.sep).join('/');
		if (stat.isSymbolicLink()) {
			throw new UnsafePathError(`${shown} is a symbolic link; Curate never writes through one`);
		}

		if (index < parts.length - 1 && !stat.isDirectory()) {
			throw new UnsafePathError(`${shown} is not a folder`);
		}
	}

	return target;
}

/**
 * Creates the missing folders of `dir` below `root` one at a time (never following a link), and returns the ones it
 * created, outermost first, so that whoever made them can remove them again once they are empty.
 */
export function makeFoldersInside(root: string, dir: string): string[] {
	checkInside(root, dir);
	const made: string[] = [];
	let current = root;
	for (const part of componentsBelow(root, dir)) {
		current = path.join(current, part);
		try {
			fs.mkdirSync(current);
			made.push(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}

			// Something appeared between the check and here: it must still be a real folder.
			const stat = fs.lstatSync(current);
			if (!stat.isDirectory()) {
				throw new UnsafePathError(`${path.relative(root, current).split(path.sep).join('/')} is not a folder`);
			}
		}
	}

	return made;
}

const exclusive = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);

/**
 * Opens a new file below `root` for writing: its folders checked (and created), the file created exclusively and never
 * through a link. Whatever was at `file` (a stale scratch file, or a planted link) is removed first, so this is for
 * scratch and cache names only, never for a final name that may hold a user's file.
 */
export async function createScratch(root: string, file: string): Promise<fs.promises.FileHandle> {
	// Its folders are checked (and made); a link at the scratch name itself is removed (rm never follows one).
	makeFoldersInside(root, path.dirname(file));
	await fs.promises.rm(file, {force: true});
	return fs.promises.open(file, exclusive, 0o644);
}

/**
 * Writes `data` to `file` below `root` through a scratch name beside it and a rename, so neither the scratch file nor
 * any folder on the way can be a link out of the library, and nobody sees a half-written file under the final name.
 * For caches (thumbnails, previews); the journal's own writes also verify by SHA-256 (`source/journal/disk.ts`).
 */
export async function writeFileInside(root: string, file: string, data: Uint8Array, scratchSuffix: string): Promise<void> {
	const scratch = `${file}${scratchSuffix}`;
	const handle = await createScratch(root, scratch);
	try {
		await handle.writeFile(data);
	} finally {
		await handle.close();
	}

	try {
		checkInside(root, file);
		await fs.promises.rename(scratch, file);
	} catch (error) {
		await fs.promises.rm(scratch, {force: true});
		throw error;
	}
}
