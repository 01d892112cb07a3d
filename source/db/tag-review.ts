import type Database from 'better-sqlite3';
import type {TagRowValue} from '../core/journal.js';
import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';

/** Where a tag comes from: CLIP zero-shot, a metadata rule, or a person (review's `t`, CSV import). */
export type TagSource = 'clip' | 'rule' | 'user';

/** A tag's state as the user sees it. */
export type TagState = 'suggested' | 'confirmed' | 'rejected';

/** One stored tag row. */
export type TagRow = {readonly tag: string; readonly source: TagSource; readonly state: TagState; readonly confidence: number};

/** A photo content waiting for review under one tag. */
export type QueueRow = {
	readonly sha256: string;
	/** The best confidence among the tag's sources. */
	readonly confidence: number;
	/** One present file holding the content (the first by path). */
	readonly path: string;
	/** The scan thumbnail, relative to `.curate/`. */
	readonly thumb: string | null;
	readonly rating: number | null;
};

/** Per tag: contents by effective state, split by who proposed the tag. */
export type TagCountsRow = {
	readonly tag: string;
	/**
	 * Contents Curate ever suggested the tag for (CLIP or rule), whatever happened since. Not `suggested`, which
	 * everywhere else (tag states, `tags list`, CSV) means still waiting for review (issue 14).
	 */
	readonly everSuggested: number;
	/** Of those: still waiting for review. */
	readonly pending: number;
	/** Of those: confirmed / rejected by a person. */
	readonly confirmed: number;
	readonly rejected: number;
	/** Contents a person tagged without a suggestion. */
	readonly added: number;
};

/** One line of an export: a present file and one of its content's tags. */
export type ExportRow = {readonly path: string; readonly tag: string; readonly confidence: number; readonly state: TagState};

// A content's state under one tag: a rejection anywhere wins, then a confirmation, else it is only suggested.
const effectiveState = "CASE WHEN MAX(t.state = 'rejected') THEN 'rejected' WHEN MAX(t.state = 'confirmed') THEN 'confirmed' ELSE 'suggested' END";
const present = "EXISTS (SELECT 1 FROM files f INDEXED BY files_sha256 WHERE f.sha256 = t.sha256 AND f.status = 'present')";

/**
 * SQL of tag review (issue 7) over the `tags` table of issue 6: the review queue, decided rows, counts, and
 * export. Tag rows are keyed by content (SHA-256), so a decision follows the photo through moves and renames.
 */
export class TagReviewStore {
	private readonly db: Database.Database;
	private readonly s;

	constructor(readonly catalog: Catalog) {
		const db = connectionOf(catalog);
		this.db = db;
		this.s = {
			rows: db.prepare<[string, string], TagRow>('SELECT tag, source, state, confidence FROM tags WHERE sha256 = ? AND tag = ? ORDER BY source'),
			rowsOfContent: db.prepare<[string], TagRow>('SELECT tag, source, state, confidence FROM tags WHERE sha256 = ? ORDER BY tag, source'),
			put: db.prepare<{sha256: string; tag: string; source: string; state: string; confidence: number; now: string}>(
				`INSERT INTO tags (sha256, tag, source, state, confidence, model, updated_at) VALUES (@sha256, @tag, @source, @state, @confidence, NULL, @now)
				ON CONFLICT(sha256, tag, source) DO UPDATE SET state = excluded.state, confidence = excluded.confidence, updated_at = excluded.updated_at`,
			),
			remove: db.prepare<[string, string, string]>('DELETE FROM tags WHERE sha256 = ? AND tag = ? AND source = ?'),
			// One row per content: its best-confidence row (ties: the first source) when no row of it is decided. Read in
			// confidence order straight from the tags_review index, so the first page costs the same in a million photos.
			// INDEXED BY: without statistics SQLite would look files up by status, one scan per tag row.
			queue: db.prepare<{tag: string; below: number; limit: number}, QueueRow>(
				`SELECT t.sha256 AS sha256, t.confidence AS confidence,
					(SELECT MIN(f.path) FROM files f INDEXED BY files_sha256 WHERE f.sha256 = t.sha256 AND f.status = 'present') AS path,
					(SELECT MAX(f.thumb) FROM files f INDEXED BY files_sha256 WHERE f.sha256 = t.sha256 AND f.status = 'present') AS thumb,
					(SELECT MAX(f.rating) FROM files f INDEXED BY files_sha256 WHERE f.sha256 = t.sha256 AND f.status = 'present') AS rating
				FROM tags t INDEXED BY tags_review
				WHERE t.tag = @tag AND t.state = 'suggested'
				-- "Below 1 reviews all": rule tags (events, panorama) are suggested at exactly 1.00, which "< 1" would skip.
				AND (t.confidence < @below OR @below >= 1)
				AND NOT EXISTS (SELECT 1 FROM tags d WHERE d.sha256 = t.sha256 AND d.tag = t.tag
					AND (d.state != 'suggested' OR d.confidence > t.confidence OR (d.confidence = t.confidence AND d.source < t.source)))
				AND EXISTS (SELECT 1 FROM files f INDEXED BY files_sha256 WHERE f.sha256 = t.sha256 AND f.status = 'present')
				ORDER BY t.confidence, t.sha256 LIMIT @limit`,
			),
			counts: db.prepare<[], TagCountsRow>(
				`WITH per AS (
					SELECT t.tag AS tag, ${effectiveState} AS state, MAX(t.source != 'user') AS ai FROM tags t WHERE ${present} GROUP BY t.tag, t.sha256
				)
				SELECT tag, SUM(ai) AS everSuggested, SUM(ai AND state = 'suggested') AS pending, SUM(ai AND state = 'confirmed') AS confirmed,
					SUM(ai AND state = 'rejected') AS rejected, SUM(NOT ai AND state != 'rejected') AS added
				FROM per GROUP BY tag ORDER BY tag`,
			),
			examples: db.prepare<[], {tag: string; state: 'confirmed' | 'rejected'; confidence: number}>(
				`SELECT t.tag AS tag, t.state AS state, t.confidence AS confidence FROM tags t
				WHERE t.source = 'clip' AND t.state IN ('confirmed', 'rejected') ORDER BY t.tag, t.confidence`,
			),
			exportRows: db.prepare<[], ExportRow>(
				`SELECT f.path AS path, t.tag AS tag, MAX(t.confidence) AS confidence, ${effectiveState} AS state
				FROM tags t JOIN files f ON f.sha256 = t.sha256 AND f.status = 'present'
				GROUP BY f.path, t.tag ORDER BY f.path, t.tag`,
			),
			presentPaths: db.prepare<[string], {path: string}>("SELECT path FROM files WHERE sha256 = ? AND status = 'present' ORDER BY path"),
		};
	}

	/** Every row (one per source) of one content's tag. */
	rows(sha256: string, tag: string): TagRow[] {
		return this.s.rows.all(sha256, tag);
	}

	/** Every tag row of one content. */
	rowsOfContent(sha256: string): TagRow[] {
		return this.s.rowsOfContent.all(sha256);
	}

	/** Sets tag rows of one content (null removes a row), in one transaction. The journal's `set-tags` calls this. */
	setRows(sha256: string, rows: ReadonlyArray<{readonly tag: string; readonly source: TagSource; readonly value: TagRowValue}>): void {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			for (const row of rows) {
				if (row.value) {
					this.s.put.run({sha256, tag: row.tag, source: row.source, state: row.value.state, confidence: row.value.confidence, now});
				} else {
					this.s.remove.run(sha256, row.tag, row.source);
				}
			}
		})();
	}

	/**
	 * Contents of present photos still only suggested for `tag` with confidence below `below` (every one when `below`
	 * is 1), lowest first (at most `limit`).
	 */
	queue(tag: string, below: number, limit: number): QueueRow[] {
		return this.s.queue.all({tag, below, limit});
	}

	/** Per tag: contents ever suggested, pending, confirmed, rejected and added by hand (present photos only). */
	counts(): TagCountsRow[] {
		return this.s.counts.all();
	}

	/** CLIP suggestions a person decided, per tag, with the confidence they had: what thresholds learn from. */
	reviewedExamples(): Map<string, Array<{state: 'confirmed' | 'rejected'; confidence: number}>> {
		const byTag = new Map<string, Array<{state: 'confirmed' | 'rejected'; confidence: number}>>();
		for (const row of this.s.examples.iterate()) {
			const list = byTag.get(row.tag) ?? [];
			list.push({state: row.state, confidence: row.confidence});
			byTag.set(row.tag, list);
		}

		return byTag;
	}

	/** Every (present file, tag) with the content's best confidence and effective state, by path then tag. */
	exportRows(): IterableIterator<ExportRow> {
		return this.s.exportRows.iterate();
	}

	/** Present files holding a content, by path. */
	presentPaths(sha256: string): string[] {
		return this.s.presentPaths.all(sha256).map(row => row.path);
	}
}

const stores = new WeakMap<Catalog, TagReviewStore>();

/** The tag review statements of a catalog, prepared once per connection. */
export function tagRowsOf(catalog: Catalog): TagReviewStore {
	let store = stores.get(catalog);
	if (!store) {
		store = new TagReviewStore(catalog);
		stores.set(catalog, store);
	}

	return store;
}
