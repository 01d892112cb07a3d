import fs from 'node:fs';
import path from 'node:path';
import {type Operation, trashRoot} from '../core/journal.js';
import {hashAt} from './disk.js';
import type {Journal} from './journal.js';

/** One file in the trash. */
export type TrashItem = {readonly trashPath: string; readonly size: number; readonly batch: number | undefined; readonly trashedAt: Date};

/**
 * Every file in the trash, with when it got there: the time its batch last changed (the file's mtime for anything
 * the journal does not know). Backups of files written by `write-embedded` and undone copies are trash too.
 */
export function listTrash(journal: Pick<Journal, 'library' | 'store'>): TrashItem[] {
	const root = path.join(journal.library.root, ...trashRoot.split('/'));
	const items: TrashItem[] = [];
	const walk = (dir: string, batch: number | undefined, trashedAt: Date | undefined) => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, {withFileTypes: true});
		} catch {
			return;
		}

		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (batch === undefined) {
					const id = /^\d+$/.test(entry.name) ? Number(entry.name) : undefined;
					const row = id === undefined ? undefined : journal.store.batch(id);
					walk(full, id, row ? new Date(row.updatedAt) : undefined);
				} else {
					walk(full, batch, trashedAt);
				}
			} else if (entry.isFile()) {
				const stat = fs.statSync(full);
				items.push({trashPath: path.relative(journal.library.root, full).split(path.sep).join('/'), size: stat.size, batch, trashedAt: trashedAt ?? stat.mtime});
			}
		}
	};

	walk(root, undefined, undefined);
	return items.sort((a, b) => a.trashPath.localeCompare(b.trashPath));
}

/** What a purge would delete, and what it keeps because it is younger than the cut-off. */
export type PurgePlan = {readonly operations: Array<Extract<Operation, {kind: 'purge'}>>; readonly bytes: number; readonly kept: number; readonly keptBytes: number};

/**
 * Plans purging trash items that have been there at least `olderThanMs`; each is hashed so the purge is verified.
 * Reads only, so a dry run can plan beside another command that holds the library's lock.
 */
export async function planPurge(journal: Pick<Journal, 'library' | 'store'>, olderThanMs: number, now = new Date()): Promise<PurgePlan> {
	const operations: PurgePlan['operations'] = [];
	let kept = 0;
	let keptBytes = 0;
	for (const item of listTrash(journal)) {
		if (now.getTime() - item.trashedAt.getTime() < olderThanMs) {
			kept++;
			keptBytes += item.size;
			continue;
		}

		// eslint-disable-next-line no-await-in-loop
		const sha256 = await hashAt(path.join(journal.library.root, ...item.trashPath.split('/')));
		if (sha256 && !sha256.startsWith('not-a-file')) {
			operations.push({kind: 'purge', trashPath: item.trashPath, sha256, size: item.size});
		}
	}

	return {operations, bytes: operations.reduce((sum, op) => sum + op.size, 0), kept, keptBytes};
}
