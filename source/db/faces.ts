import type Database from 'better-sqlite3';
import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';

/** A photo content without a face scan for a model: one file that holds it. */
export type FacePending = {readonly sha256: string; readonly path: string; readonly thumb: string | null; readonly format: string};

/** A face found in a content, as `curate faces` stores it. */
export type NewFace = {
	readonly x: number;
	readonly y: number;
	readonly width: number;
	readonly height: number;
	readonly score: number;
	readonly embedding: Float32Array;
};

/** A stored face with its descriptor, for clustering and suggestions. */
export type FaceVector = {readonly id: number; readonly cluster: number | null; readonly person: string | null; readonly embedding: Float32Array};

/** A stored face as listings show it. */
export type FaceRow = {
	readonly id: number;
	readonly sha256: string;
	readonly path: string | null;
	readonly x: number;
	readonly y: number;
	readonly w: number;
	readonly h: number;
	readonly score: number;
	readonly cluster: number | null;
	readonly person: string | null;
};

function vectorOf(blob: Buffer): Float32Array {
	// Copied: a Buffer from SQLite need not be 4-byte aligned.
	const bytes = new Uint8Array(blob);
	return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
}

/**
 * Faces in the catalog (issue 19), keyed by content SHA-256. Statements are prepared once; each batch of results is
 * one transaction, so an interrupted `curate faces` keeps every batch it committed.
 */
export class FaceStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(readonly catalog: Catalog) {
		const db = connectionOf(catalog);
		this.db = db;
		this.statements = {
			pending: db.prepare<[string], FacePending>(`SELECT f.sha256 AS sha256, MIN(f.path) AS path, MAX(f.thumb) AS thumb, MIN(f.format) AS format
				FROM files f WHERE f.status = 'present' AND f.sha256 IS NOT NULL AND f.kind IN ('image', 'raw')
				AND NOT EXISTS (SELECT 1 FROM face_scans s WHERE s.model = ? AND s.sha256 = f.sha256)
				GROUP BY f.sha256 ORDER BY path`),
			done: db.prepare<[string], number>(
				"SELECT COUNT(*) FROM face_scans s WHERE s.model = ? AND s.sha256 IN (SELECT sha256 FROM files WHERE status = 'present')",
			).pluck(),
			clearContent: db.prepare<[string, string]>('DELETE FROM faces WHERE sha256 = ? AND model = ?'),
			putScan: db.prepare<[string, string, number, string]>(
				'INSERT INTO face_scans (sha256, model, faces, scanned_at) VALUES (?, ?, ?, ?) ON CONFLICT(sha256, model) DO UPDATE SET faces = excluded.faces, scanned_at = excluded.scanned_at',
			),
			putFace: db.prepare<{sha256: string; model: string; x: number; y: number; w: number; h: number; score: number; embedding: Buffer; now: string}>(
				'INSERT INTO faces (sha256, model, x, y, w, h, score, embedding, created_at) VALUES (@sha256, @model, @x, @y, @w, @h, @score, @embedding, @now)',
			),
			vectors: db.prepare<[string], {id: number; cluster: number | null; person: string | null; embedding: Buffer}>(
				'SELECT id, cluster, person, embedding FROM faces WHERE model = ? ORDER BY id',
			),
			setCluster: db.prepare<[number, number]>('UPDATE faces SET cluster = ? WHERE id = ?'),
			maxCluster: db.prepare<[], number | null>('SELECT MAX(cluster) FROM faces').pluck(),
			faces: db.prepare<[string], FaceRow>(`SELECT fa.id, fa.sha256, (SELECT MIN(path) FROM files WHERE sha256 = fa.sha256 AND status = 'present') AS path,
				fa.x, fa.y, fa.w, fa.h, fa.score, fa.cluster, fa.person FROM faces fa WHERE fa.model = ? ORDER BY fa.id`),
			face: db.prepare<[number], {id: number; person: string | null}>('SELECT id, person FROM faces WHERE id = ?'),
			clusterFaces: db.prepare<[number], number>('SELECT id FROM faces WHERE cluster = ? AND person IS NULL ORDER BY id').pluck(),
			name: db.prepare<[string, string, number]>('UPDATE faces SET person = ?, named_at = ? WHERE id = ?'),
			photosOf: db.prepare<[string], {path: string}>(`SELECT DISTINCT f.path FROM faces fa JOIN files f ON f.sha256 = fa.sha256 AND f.status = 'present'
				WHERE fa.person = ? ORDER BY f.path`),
		};
	}

	/** Contents among present photos with no face scan by `model`, one file each, in path order. */
	pending(model: string): FacePending[] {
		return this.statements.pending.all(model);
	}

	/** How many present contents `model` has scanned. */
	doneCount(model: string): number {
		return this.statements.done.get(model)!;
	}

	/** One batch of scanned contents in one transaction: their faces (replacing any earlier ones) and their scan rows. */
	commit(model: string, results: ReadonlyArray<{readonly sha256: string; readonly faces: readonly NewFace[]}>): void {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			for (const result of results) {
				this.statements.clearContent.run(result.sha256, model);
				for (const face of result.faces) {
					const {embedding} = face;
					this.statements.putFace.run({
						sha256: result.sha256,
						model,
						x: face.x,
						y: face.y,
						w: face.width,
						h: face.height,
						score: face.score,
						embedding: Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength),
						now,
					});
				}

				this.statements.putScan.run(result.sha256, model, result.faces.length, now);
			}
		})();
	}

	/** Every face of `model` with its descriptor, in id order. */
	vectors(model: string): FaceVector[] {
		return this.statements.vectors.all(model).map(row => ({id: row.id, cluster: row.cluster, person: row.person, embedding: vectorOf(row.embedding)}));
	}

	/** The highest cluster number in use, or 0. */
	maxCluster(): number {
		return this.statements.maxCluster.get() ?? 0;
	}

	/** Cluster numbers of faces, in one transaction. */
	setClusters(assignments: ReadonlyMap<number, number>): void {
		this.db.transaction(() => {
			for (const [id, cluster] of assignments) {
				this.statements.setCluster.run(cluster, id);
			}
		})();
	}

	/** Every face of `model` with one present file that shows it. */
	faces(model: string): FaceRow[] {
		return this.statements.faces.all(model);
	}

	/** The face with this id, if any. */
	face(id: number): {id: number; person: string | null} | undefined {
		return this.statements.face.get(id);
	}

	/** The faces of a cluster that no one has named. */
	unnamedInCluster(cluster: number): number[] {
		return this.statements.clusterFaces.all(cluster);
	}

	/** Names faces, in one transaction. */
	name(ids: readonly number[], person: string): void {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			for (const id of ids) {
				this.statements.name.run(person, now, id);
			}
		})();
	}

	/** Present photos with a face named `person`. */
	photosOf(person: string): string[] {
		return this.statements.photosOf.all(person).map(row => row.path);
	}
}

/** Whether the catalog has the face tables yet: a read-only open never migrates, so an older catalog lacks them. */
export function hasFaceTables(catalog: Catalog): boolean {
	return connectionOf(catalog).prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'faces'").get() !== undefined;
}

/** `person:NAME` in search and selections (issue 19): a condition on `files f`, one parameter, the name (any case). */
export const personFilter = 'f.sha256 IN (SELECT sha256 FROM faces WHERE person = ? COLLATE NOCASE)';
