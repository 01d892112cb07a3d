/**
 * What duplicate finding reads from the catalog, in the amounts a million photos allow (issue 15). A full row carries
 * about 1 KB of fingerprints (the 256-byte signature and 512 bytes of crop signatures) and a dozen strings the
 * finder never looks at; reading every row whole took several GB at a million photos. Here the finder gets:
 *
 *   - `light files`: every usable present file, in path order (the order `Catalog.allPresent` gives, so the stages see
 *     the same units in the same order), with only what grouping, candidate lookup and verification read; the
 *     signatures and the keeper-only fields (camera, GPS, keywords, captions…) are left out;
 *   - `verification`: signatures of the photos of candidate pairs, fetched a batch of ids at a time;
 *   - `full files`: the whole rows (signatures aside) of the photos that ended up in clusters, for keeper ranking and
 *     for what `curate dupes` and `curate review` show.
 */
import {connectionOf} from './connection.js';
import type {Format, MediaKind, TakenAtSource} from '../core/types.js';
import {type Catalog, type FileRow, rowToFile, type StoredFile} from './catalog.js';

/** Signatures of one photo, as verification compares them. */
export type SignatureData = {readonly signature: Uint8Array | null; readonly signatureCrops: Uint8Array | null};

/** What verification compares of one photo: its signatures and its 32x32 detail grid (null before migration 19). */
export type VerificationData = SignatureData & {readonly detail: Uint8Array | null};

/** The columns duplicate finding reads for every photo: a `files` row without signatures or keeper-only fields. */
type LightRow = Pick<FileRow, 'id' | 'path' | 'size' | 'mtime_ms' | 'sha256' | 'content_hash' | 'format' | 'kind' | 'width' | 'height' | 'orientation' | 'taken_at' | 'taken_at_source' | 'live_photo_id' | 'burst_id' | 'phash' | 'phash_rot' | 'phash_crop' | 'content_width' | 'content_height' | 'frames' | 'grey'>;

// Every files column except the two signature blobs, which only verification reads (and fetches by id).
const fullColumns = `id, path, size, mtime_ms, sha256, content_hash, format, kind, width, height, orientation, taken_at,
	taken_at_source, make, model, lens, gps_lat, gps_lon, gps_alt, keywords, rating, title, description, software,
	live_photo_id, burst_id, phash, dhash, phash_rot, NULL AS signature, content_width, content_height, phash_crop,
	NULL AS signature_crop, thumb, error, frames, grey, status`;

/** Ids per `IN (json_each)` query: bounds the size of one statement's result. */
const idBatch = 8192;

const noKeywords: string[] = [];
Object.freeze(noKeywords);

/** Reads duplicate-finding data from one catalog through statements prepared once. */
export class DupesData {
	private readonly statements;

	constructor(private readonly catalog: Catalog) {
		const db = connectionOf(catalog);
		this.statements = {
			// Same rows as usableFiles() keeps (present, hashed, not empty, a photo or a video), in allPresent's order.
			light: db.prepare<[], LightRow>(
				`SELECT id, path, size, mtime_ms, sha256, content_hash, format, kind, width, height, orientation, taken_at,
					taken_at_source, live_photo_id, burst_id, phash, phash_rot, phash_crop, content_width, content_height, frames, grey
					FROM files WHERE status = 'present' AND sha256 IS NOT NULL AND size > 0 AND kind NOT IN ('other', 'sidecar')
					ORDER BY path`,
			),
			verification: db.prepare<[string], {id: number; signature: Buffer | null; signature_crop: Buffer | null; detail: Buffer | null}>(
				'SELECT id, signature, signature_crop, detail FROM files WHERE id IN (SELECT value FROM json_each(?))',
			),
			full: db.prepare<[string], FileRow>(`SELECT ${fullColumns} FROM files WHERE id IN (SELECT value FROM json_each(?))`),
		};
	}

	/**
	 * Every file duplicate finding may use, light: the fields the finding stages read, without signatures and without
	 * the fields only keeper ranking reads (those are null or empty here; {@link fullFiles} has them).
	 */
	lightFiles(): StoredFile[] {
		// Formats, kinds and date sources repeat: one string each instead of one per row.
		const interned = new Map<string, string>();
		const intern = <T extends string | null>(value: T): T => {
			if (value === null) {
				return value;
			}

			const known = interned.get(value);
			if (known !== undefined) {
				return known as T;
			}

			interned.set(value, value);
			return value;
		};

		const files: StoredFile[] = [];
		for (const row of this.statements.light.iterate()) {
			files.push({
				id: row.id,
				path: row.path,
				size: row.size,
				mtimeMs: row.mtime_ms,
				sha256: row.sha256,
				contentHash: row.content_hash,
				format: intern(row.format) as Format,
				kind: intern(row.kind) as MediaKind,
				width: row.width,
				height: row.height,
				orientation: row.orientation,
				takenAt: row.taken_at,
				takenAtSource: intern(row.taken_at_source) as TakenAtSource | null,
				make: null,
				model: null,
				lens: null,
				gps: null,
				keywords: noKeywords,
				rating: null,
				title: null,
				description: null,
				software: null,
				livePhotoId: row.live_photo_id,
				burstId: row.burst_id,
				phash: row.phash,
				dhash: null,
				phashRotations: row.phash_rot,
				phashCrops: row.phash_crop,
				signatureCrops: null,
				contentWidth: row.content_width,
				contentHeight: row.content_height,
				signature: null,
				thumb: null,
				error: null,
				frames: row.frames,
				grey: row.grey === null ? null : row.grey === 1,
				status: 'present',
			});
		}

		return files;
	}

	/**
	 * Signatures and detail grids of these files (catalog ids), in one query per batch of ids (one pass over the rows
	 * where a query for each took two); ids not in the catalog are left out. The arrays are views of the rows' own
	 * buffers, not copies.
	 */
	verification(ids: readonly number[]): Map<number, VerificationData> {
		const out = new Map<number, VerificationData>();
		const bytes = (buffer: Buffer | null) => (buffer ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : null);
		for (let start = 0; start < ids.length; start += idBatch) {
			for (const row of this.statements.verification.iterate(JSON.stringify(ids.slice(start, start + idBatch)))) {
				out.set(row.id, {signature: bytes(row.signature), signatureCrops: bytes(row.signature_crop), detail: bytes(row.detail)});
			}
		}

		return out;
	}

	/** The whole records of these files (catalog ids), signatures and detail grids aside, by id. */
	fullFiles(ids: readonly number[]): Map<number, StoredFile> {
		const out = new Map<number, StoredFile>();
		for (let start = 0; start < ids.length; start += idBatch) {
			for (const row of this.statements.full.iterate(JSON.stringify(ids.slice(start, start + idBatch)))) {
				out.set(row.id, rowToFile(row));
			}
		}

		return out;
	}

	/** "Not duplicates" decisions, as `sha_a sha_b` keys. */
	distinctPairs(): Set<string> {
		return this.catalog.distinctPairs();
	}
}
