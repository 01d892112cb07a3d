import {connectionOf} from './connection.js';
import type Database from 'better-sqlite3';
import {BackupStore} from './backups.js';
import type {Catalog} from './catalog.js';

/** Present files and bytes of one kind (image, raw, video, other). */
export type KindTally = {readonly kind: string; readonly files: number; readonly bytes: number};

/** Present files taken with one camera, as EXIF names it. */
export type CameraTally = {readonly make: string | null; readonly model: string; readonly files: number};

/** The last finished backup: where, when, and how many files it holds. */
export type BackupRecord = {readonly target: string; readonly finishedAt: string; readonly files: number};

/**
 * The read-only aggregates of the home screen (issue 14) that `curate status` does not already gather: files by kind,
 * cameras, tag suggestions waiting for review, the folders the catalog knows, and when the journal last changed the
 * library. Built on an open catalog's connection.
 */
export class HomeStore {
	private readonly db: Database.Database;
	private readonly s;

	constructor(catalog: Catalog) {
		const db = connectionOf(catalog);
		this.db = db;
		this.s = {
			kinds: db.prepare<[], KindTally>(
				"SELECT kind, count(*) AS files, coalesce(sum(size), 0) AS bytes FROM files WHERE status = 'present' GROUP BY kind ORDER BY files DESC, kind",
			),
			cameras: db.prepare<[], CameraTally>(
				`SELECT nullif(trim(make), '') AS make, trim(model) AS model, count(*) AS files FROM files
				WHERE status = 'present' AND nullif(trim(model), '') IS NOT NULL GROUP BY 1, 2 ORDER BY files DESC, model`,
			),
			// A content waits under a tag when no row of it under that tag is decided and its best suggestion is below the
			// threshold: the same rows `curate tags review --below` queues (db/tag-review.ts), counted rather than listed.
			pending: db.prepare<{below: number}, {contents: number; tags: number}>(
				`SELECT count(*) AS contents, count(DISTINCT tag) AS tags FROM (
					SELECT t.sha256 AS sha256, t.tag AS tag FROM tags t GROUP BY t.sha256, t.tag
					HAVING MAX(t.state != 'suggested') = 0 AND (MAX(t.confidence) < @below OR @below >= 1)
				) g WHERE EXISTS (SELECT 1 FROM files f INDEXED BY files_sha256 WHERE f.sha256 = g.sha256 AND f.status = 'present')`,
			),
			// rtrim(path, <path without its slashes>) strips the file name: each folder once, with its trailing slash.
			folders: db.prepare<[], {folder: string; files: number}>(
				"SELECT rtrim(path, replace(path, '/', '')) AS folder, count(*) AS files FROM files WHERE status = 'present' GROUP BY folder",
			),
			catalogued: db.prepare<[string], {n: number}>("SELECT count(*) AS n FROM files WHERE path = ? AND status = 'present'"),
			lastChange: db.prepare<[], {at: string | null}>('SELECT max(updated_at) AS at FROM journal_batches'),
		};
	}

	/** Present files and bytes by kind, most files first. */
	kinds(): KindTally[] {
		return this.s.kinds.all();
	}

	/** Present files by camera (files without a camera model aside), most files first. */
	cameras(): CameraTally[] {
		return this.s.cameras.all();
	}

	/** Photo contents (and how many tags) with a tag suggestion below `below` that nobody decided yet. */
	pendingSuggestions(below: number): {contents: number; tags: number} {
		const any = this.db.prepare('SELECT EXISTS (SELECT 1 FROM tags) AS any').get() as {any: number};
		return any.any ? this.s.pending.get({below})! : {contents: 0, tags: 0};
	}

	/** Present files directly in each folder that holds any, by folder relative to the root ('' is the root itself). */
	folderCounts(): Map<string, number> {
		return new Map(this.s.folders.all().map(row => [row.folder.replace(/\/$/, ''), row.files]));
	}

	/** Whether a present catalogued file has this library-relative path. */
	isCatalogued(relativePath: string): boolean {
		return this.s.catalogued.get(relativePath)!.n > 0;
	}

	/** When a journal batch last changed state (the library's folders may have changed then), or null. */
	lastJournalChange(): string | null {
		return this.s.lastChange.get()?.at ?? null;
	}
}

/**
 * The last finished backup over every target (mirror folders and restic repositories, from the backup records of
 * issue 18), or null when no backup ever finished for this library.
 */
export function lastBackup(catalog: Catalog): BackupRecord | null {
	const latest = new BackupStore(catalog).targets()
		.filter(target => target.lastSuccessAt !== null)
		.sort((a, b) => (a.lastSuccessAt! < b.lastSuccessAt! ? 1 : -1))[0];
	return latest ? {target: latest.location, finishedAt: latest.lastSuccessAt!, files: latest.lastFiles ?? 0} : null;
}
