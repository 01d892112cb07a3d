import type Database from 'better-sqlite3';
import type {Catalog} from './catalog.js';
import {connectionOf} from './connection.js';
import {type PendingImage, preparePendingImages} from './pending-images.js';

/** A photo content without a face scan for a model: one file that holds it. */
export type FacePending = PendingImage;

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

/** What a person decided about one face (issue 19): its name, when it was named, its group, and who it is not. */
export type FaceState = {
	readonly person: string | null;
	readonly namedAt: string | null;
	readonly cluster: number | null;
	/** People this face was rejected for, sorted. */
	readonly rejected: readonly string[];
};

/** What `curate faces` found for one face: kept whole in a journal operation that takes faces out and back. */
export type FaceData = {
	readonly model: string;
	readonly x: number;
	readonly y: number;
	readonly w: number;
	readonly h: number;
	readonly score: number;
	/** The descriptor's float32 bytes, base64. */
	readonly embedding: string;
	readonly createdAt: string;
};

/** One face whole: the journal's record of a face it removes or restores. */
export type FaceRecord = FaceState & {readonly data?: FaceData};

/** A content's face scan row. */
export type FaceScanRow = {readonly model: string; readonly faces: number; readonly scannedAt: string};

/** A present file of a content, with what the MWG regions need: its displayed size and EXIF orientation. */
export type FacePhoto = {readonly path: string; readonly width: number | null; readonly height: number | null; readonly orientation: number | null};

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
			pending: preparePendingImages(db, 'face_scans'),
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
			state: db.prepare<[number], {id: number; sha256: string; person: string | null; named_at: string | null; cluster: number | null}>(
				'SELECT id, sha256, person, named_at, cluster FROM faces WHERE id = ?',
			),
			rejectedOf: db.prepare<[number], string>('SELECT person FROM face_rejections WHERE face_id = ? ORDER BY person').pluck(),
			setState: db.prepare<[string | null, string | null, number | null, number]>('UPDATE faces SET person = ?, named_at = ?, cluster = ? WHERE id = ?'),
			clearRejections: db.prepare<[number]>('DELETE FROM face_rejections WHERE face_id = ?'),
			reject: db.prepare<[number, string]>('INSERT OR IGNORE INTO face_rejections (face_id, person) VALUES (?, ?)'),
			record: db.prepare<[number], {model: string; x: number; y: number; w: number; h: number; score: number; embedding: Buffer; created_at: string}>(
				'SELECT model, x, y, w, h, score, embedding, created_at FROM faces WHERE id = ?',
			),
			insertWhole: db.prepare<{id: number; sha256: string; model: string; x: number; y: number; w: number; h: number; score: number; embedding: Buffer; cluster: number | null; person: string | null; namedAt: string | null; createdAt: string}>(
				'INSERT INTO faces (id, sha256, model, x, y, w, h, score, embedding, cluster, person, named_at, created_at) VALUES (@id, @sha256, @model, @x, @y, @w, @h, @score, @embedding, @cluster, @person, @namedAt, @createdAt)',
			),
			deleteFace: db.prepare<[number]>('DELETE FROM faces WHERE id = ?'),
			scansOf: db.prepare<[string], {model: string; faces: number; scanned_at: string}>('SELECT model, faces, scanned_at FROM face_scans WHERE sha256 = ? ORDER BY model'),
			putScanRow: db.prepare<[string, string, number, string]>('INSERT OR REPLACE INTO face_scans (sha256, model, faces, scanned_at) VALUES (?, ?, ?, ?)'),
			deleteScan: db.prepare<[string, string]>('DELETE FROM face_scans WHERE sha256 = ? AND model = ?'),
			idsOfContent: db.prepare<[string], number>('SELECT id FROM faces WHERE sha256 = ? ORDER BY id').pluck(),
			contents: db.prepare<[], string>('SELECT sha256 FROM faces UNION SELECT sha256 FROM face_scans ORDER BY 1').pluck(),
			idsOfPerson: db.prepare<[string], number>('SELECT id FROM faces WHERE person = ? ORDER BY id').pluck(),
			rejectionsOfPerson: db.prepare<[string], number>('SELECT face_id FROM face_rejections WHERE person = ? ORDER BY face_id').pluck(),
			named: db.prepare<[string], {id: number; x: number; y: number; w: number; h: number; person: string}>(
				'SELECT id, x, y, w, h, person FROM faces WHERE sha256 = ? AND person IS NOT NULL ORDER BY id',
			),
			photosOfContent: db.prepare<[string], FacePhoto>(
				"SELECT path, width, height, orientation FROM files WHERE sha256 = ? AND status = 'present' AND kind IN ('image', 'raw') ORDER BY path",
			),
			rejections: db.prepare<[], {face_id: number; person: string}>('SELECT face_id, person FROM face_rejections'),
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

	/** A face's decision state, or undefined when there is no such face. */
	state(id: number): (FaceState & {readonly id: number; readonly sha256: string}) | undefined {
		const row = this.statements.state.get(id);
		return row ? {id: row.id, sha256: row.sha256, person: row.person, namedAt: row.named_at, cluster: row.cluster, rejected: this.statements.rejectedOf.all(id)} : undefined;
	}

	/** A face whole (its state and what was found), for an operation that takes it out. */
	record(id: number): FaceRecord | undefined {
		const state = this.state(id);
		const row = this.statements.record.get(id);
		if (!state || !row) {
			return undefined;
		}

		const {id: _id, sha256: _sha, ...rest} = state;
		const data = {model: row.model, x: row.x, y: row.y, w: row.w, h: row.h, score: row.score, embedding: row.embedding.toString('base64'), createdAt: row.created_at};
		return {...rest, data};
	}

	/**
	 * Sets one face of content `sha256` to `record` (null: takes it out with its rejections). A record with `data` and
	 * no face row puts the face back whole under its old id. Callers run this inside the journal's transaction.
	 */
	setRecord(sha256: string, id: number, record: FaceRecord | null): void {
		if (record === null) {
			this.statements.clearRejections.run(id);
			this.statements.deleteFace.run(id);
			return;
		}

		if (!this.statements.state.get(id)) {
			if (!record.data) {
				throw new Error(`face ${id} is not in the catalog and the journal does not hold it whole`);
			}

			const {data} = record;
			this.statements.insertWhole.run({
				id, sha256, model: data.model, x: data.x, y: data.y, w: data.w, h: data.h, score: data.score, embedding: Buffer.from(data.embedding, 'base64'),
				cluster: record.cluster, person: record.person, namedAt: record.namedAt, createdAt: data.createdAt,
			});
		} else {
			this.statements.setState.run(record.person, record.namedAt, record.cluster, id);
		}

		this.statements.clearRejections.run(id);
		for (const person of record.rejected) {
			this.statements.reject.run(id, person);
		}
	}

	/** The scan rows of a content. */
	scansOf(sha256: string): FaceScanRow[] {
		return this.statements.scansOf.all(sha256).map(row => ({model: row.model, faces: row.faces, scannedAt: row.scanned_at}));
	}

	/** Sets (or, with null, removes) a content's scan row for `model`. */
	setScan(sha256: string, model: string, row: FaceScanRow | null): void {
		if (row === null) {
			this.statements.deleteScan.run(sha256, model);
		} else {
			this.statements.putScanRow.run(sha256, row.model, row.faces, row.scannedAt);
		}
	}

	/** The face ids of a content. */
	idsOfContent(sha256: string): number[] {
		return this.statements.idsOfContent.all(sha256);
	}

	/** Every content with a face or a face scan. */
	contents(): string[] {
		return this.statements.contents.all();
	}

	/** The faces named `person` (exact name). */
	idsOfPerson(person: string): number[] {
		return this.statements.idsOfPerson.all(person);
	}

	/** The faces rejected for `person`. */
	rejectedFor(person: string): number[] {
		return this.statements.rejectionsOfPerson.all(person);
	}

	/** Every rejection, as `faceId person` keys. */
	rejectionKeys(): Set<string> {
		return new Set(this.statements.rejections.all().map(row => `${row.face_id} ${row.person}`));
	}

	/** The named faces of a content, with their boxes (normalised to the oriented picture). */
	namedFaces(sha256: string): Array<{readonly id: number; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly person: string}> {
		return this.statements.named.all(sha256);
	}

	/** The present photo files holding a content. */
	photosOfContent(sha256: string): FacePhoto[] {
		return this.statements.photosOfContent.all(sha256);
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

const stores = new WeakMap<Catalog, FaceStore>();

/** The face statements of a catalog, prepared once per connection (journal kinds call this per operation). */
export function faceStoreOf(catalog: Catalog): FaceStore {
	let store = stores.get(catalog);
	if (!store) {
		store = new FaceStore(catalog);
		stores.set(catalog, store);
	}

	return store;
}

/** The people named on each content's faces (issue 19), for `person:` rules; empty without face tables. */
export function confirmedPeople(catalog: Catalog): Map<string, string[]> {
	const people = new Map<string, string[]>();
	if (!hasFaceTables(catalog)) {
		return people;
	}

	const rows = connectionOf(catalog).prepare<[], {sha256: string; person: string}>('SELECT DISTINCT sha256, person FROM faces WHERE person IS NOT NULL ORDER BY sha256, person').all();
	for (const row of rows) {
		people.set(row.sha256, [...(people.get(row.sha256) ?? []), row.person]);
	}

	return people;
}
