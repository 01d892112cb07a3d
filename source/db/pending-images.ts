import type Database from 'better-sqlite3';

/** A photo content a model has not processed yet: one file that holds it, and its cached thumbnail. */
export type PendingImage = {readonly sha256: string; readonly path: string; readonly thumb: string | null; readonly format: string};

/**
 * The statement listing present image contents (one row each, by its first path) that the model given as its
 * parameter has not processed: `done` is the table of processed contents (`sha256`, `model` columns), embeddings for
 * `curate tag` (issue 6), face scans for `curate faces` (issue 19).
 */
export function preparePendingImages(db: Database.Database, done: 'embeddings' | 'face_scans'): Database.Statement<[string], PendingImage> {
	return db.prepare<[string], PendingImage>(`SELECT f.sha256 AS sha256, MIN(f.path) AS path, MAX(f.thumb) AS thumb, MIN(f.format) AS format
		FROM files f WHERE f.status = 'present' AND f.sha256 IS NOT NULL AND f.kind IN ('image', 'raw')
		AND NOT EXISTS (SELECT 1 FROM ${done} d WHERE d.model = ? AND d.sha256 = f.sha256)
		GROUP BY f.sha256 ORDER BY path`);
}
