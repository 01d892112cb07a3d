import fs from 'node:fs';
import path from 'node:path';
import {defaultIgnores, ignoreMatcher, mediaExtensions} from '../scan/walk.js';

/** What the check needs of the catalog: present files per folder, and whether one path is a present catalogued file. */
export type CatalogFolders = {
	/** Present files directly in each folder ('' is the root), relative with `/` separators. */
	readonly counts: ReadonlyMap<string, number>;
	readonly isCatalogued: (relativePath: string) => boolean;
};

const ignored = ignoreMatcher(defaultIgnores);
const isMedia = (name: string) => mediaExtensions.has(path.extname(name).slice(1).toLowerCase());

/** Whether a folder the catalog does not know holds a photo a scan would catalogue (looks at up to `budget` entries). */
function holdsMedia(dir: string, budget = {entries: 2000}): boolean {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(dir, {withFileTypes: true});
	} catch {
		return false;
	}

	for (const entry of entries) {
		if (--budget.entries < 0) {
			return true;
		}

		if (ignored(entry.name)) {
			continue;
		}

		if (entry.isFile() ? isMedia(entry.name) : entry.isDirectory() && holdsMedia(path.join(dir, entry.name), budget)) {
			return true;
		}
	}

	return false;
}

/**
 * Folders where a scan would find something new or gone since `sinceMs`, the first `limit` of them: a catalogued
 * folder, or a new folder holding photos. A file
 * added, removed or renamed in a folder changes the folder's time, so only folders (and the folders above them) newer
 * than `sinceMs` are listed, and a listing counts only when it differs from the catalog: a photo file the catalog
 * lacks, a catalogued one gone, or a new folder holding photos (NAS indexers' `@eaDir` and the like, which also touch
 * folders, are ignored as the scan ignores them). Costs one stat per folder when nothing changed. An edit inside a
 * file keeps its folder's time and is not seen here: `curate verify` finds those.
 */
export function changedFolders(root: string, catalog: CatalogFolders, sinceMs: number, limit = 3): string[] {
	const known = new Set<string>(['']);
	for (const folder of catalog.counts.keys()) {
		for (let current = folder; current && !known.has(current); current = parentOf(current)) {
			known.add(current);
		}
	}

	const changed: string[] = [];
	for (const folder of [...known].sort()) {
		const dir = path.join(root, ...folder.split('/').filter(Boolean));
		let mtimeMs: number;
		try {
			mtimeMs = fs.statSync(dir).mtimeMs;
		} catch {
			mtimeMs = Number.POSITIVE_INFINITY;
		}

		const change = mtimeMs > sinceMs ? differs(dir, folder, known, catalog) : undefined;
		if (change !== undefined) {
			changed.push(change);
			if (changed.length >= limit) {
				break;
			}
		}
	}

	return changed;
}

function parentOf(folder: string): string {
	const parent = path.posix.dirname(folder);
	return parent === '.' ? '' : parent;
}

/** The folder (or its new subfolder holding photos) where the listing and the catalog differ, or undefined. */
function differs(dir: string, folder: string, known: ReadonlySet<string>, catalog: CatalogFolders): string | undefined {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(dir, {withFileTypes: true});
	} catch {
		// Gone or unreadable: the scan will mark its files missing.
		return folder;
	}

	let present = 0;
	for (const entry of entries) {
		if (ignored(entry.name)) {
			continue;
		}

		const relative = folder ? `${folder}/${entry.name}` : entry.name;
		if (entry.isDirectory()) {
			if (!known.has(relative) && holdsMedia(path.join(dir, entry.name))) {
				return relative;
			}
		} else if (isMedia(entry.name)) {
			if (!catalog.isCatalogued(relative)) {
				return folder;
			}

			present++;
		}
	}

	return present < (catalog.counts.get(folder) ?? 0) ? folder : undefined;
}
