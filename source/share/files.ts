/**
 * The one way from a request to a shared copy (issue 20), for `curate serve`: a name is served only when it is a
 * safe shared-file name, is an item of that share in the catalog, and its path below the library root passes through
 * no symbolic link and ends at a regular file. Nothing else (the masters, the catalog, another share) can be named.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Share, ShareStore} from '../db/shares.js';
import type {Library} from '../library.js';
import {checkInside} from '../safe-path.js';
import {itemNamePattern} from './names.js';

/** The two sizes of a shared photo. */
export type SharedKind = 'large' | 'thumbs';

/**
 * An open file descriptor of a shared copy (opened without following a final symbolic link), with its size, or
 * undefined when the name does not name one. The caller closes it.
 */
export function openSharedFile(library: Library, store: ShareStore, share: Share, kind: SharedKind, name: string): {fd: number; size: number; file: string} | undefined {
	if (!itemNamePattern.test(name) || !store.item(share.id, name)) {
		return undefined;
	}

	const file = path.join(library.root, share.dir, kind, name);
	try {
		checkInside(library.root, file);
		const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) {
			fs.closeSync(fd);
			return undefined;
		}

		return {fd, size: stat.size, file};
	} catch {
		return undefined;
	}
}
