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
import type Database from 'better-sqlite3';
import {connectionOf} from './connection.js';
import type {Format, MediaKind, TakenAtSource} from '../core/types.js';
import {grown} from '../core/grown.js';
import {PackedHex} from './packed-hex.js';
import {type WindowHashLookup, WindowHashesById} from './window-hashes-by-id.js';
import type {Catalog, StoredFile} from './catalog.js';

/** Signatures of one photo, as verification compares them. */
export type SignatureData = {readonly signature: Uint8Array | null; readonly signatureCrops: Uint8Array | null};

/**
 * What verification compares of one photo: its signatures and its 32x32 detail grid (null before migration 19), and
 * where its cached thumbnail is, for the thumbnail check (source/dupes/thumb-judge.ts).
 */
export type VerificationData = SignatureData & {readonly detail: Uint8Array | null; readonly thumbnail: () => string | undefined};

/** One photo of a batch of verification data: its id, the byte lengths of its blobs (null for none), its thumbnail. */
type VerificationRow = [id: number, signature: number | null, signatureCrops: number | null, detail: number | null, thumb: string | null];

/**
 * The blobs of a batch read as one buffer, end to end (see {@link everyBatchSql}), taken in order: each call gives a
 * view of the next `length` bytes, not a copy, or null for a blob the row does not have.
 */
function blobReader(buffer: Uint8Array | null): (length: number | null) => Uint8Array | null {
	let at = 0;
	return length => {
		if (length === null) {
			return null;
		}

		const view = new Uint8Array(buffer!.buffer, buffer!.byteOffset + at, length);
		at += length;
		return view;
	};
}

/**
 * One photo's verification data. `thumbnail` is made when asked (by the thumbnail check, for the few pairs the grids
 * pass near their limit), not a closure for every record of every batch.
 */
class Verified implements VerificationData {
	constructor(
		readonly signature: Uint8Array | null,
		readonly signatureCrops: Uint8Array | null,
		readonly detail: Uint8Array | null,
		private readonly thumb: string | null,
		private readonly where: ((thumb: string) => string | undefined) | undefined,
	) {}

	get thumbnail(): () => string | undefined {
		const {thumb, where} = this;
		return () => (thumb && where ? where(thumb) : undefined);
	}
}

/**
 * What duplicate finding reads of each photo, one array a row in a batch's JSON (see {@link everyBatchSql}): a `files`
 * row without signatures or keeper-only fields, whether its pixels decoded only in part, whether its five hex
 * fingerprints are in the batch's buffer (1 when each is missing or lowercase hex of its width, as Curate writes them;
 * else they are read again as stored), which of them are missing (bit f for field f of {@link hexFields}), and the byte
 * lengths of its window hashes and of its signature (read only when it has no window hashes, to make them from) in the
 * buffer after its fingerprints.
 */
type EveryRow = [
	id: number,
	path: string,
	size: number,
	format: string,
	kind: string,
	width: number | null,
	height: number | null,
	takenAt: string | null,
	takenAtSource: string | null,
	livePhotoId: string | null,
	burstId: string | null,
	contentWidth: number | null,
	contentHeight: number | null,
	frames: number | null,
	damaged: number | null,
	packed: number,
	missing: number,
	windowHashes: number | null,
	signature: number | null,
];

/**
 * What keeper ranking and a cluster's text read of a `files` row ({@link RankedFile}), as `.raw()` gives it: an array,
 * which the rows of every cluster member cost half as much to read as objects.
 */
type RankRow = [
	id: number,
	path: string,
	size: number,
	mtimeMs: number,
	sha256: string | null,
	contentHash: string | null,
	format: string,
	kind: string,
	width: number | null,
	height: number | null,
	orientation: number | null,
	takenAt: string | null,
	takenAtSource: string | null,
	make: string | null,
	model: string | null,
	gpsLat: number | null,
	gpsLon: number | null,
	keywords: string,
	rating: number | null,
	software: string | null,
	contentWidth: number | null,
	contentHeight: number | null,
	error: string | null,
	grey: number | null,
];

/**
 * The fields of a file that keeper ranking (source/core/keeper.ts, through source/dupes/rank.ts `keeperMember`) and a
 * cluster's text read. Ranking reads them for every cluster member: at a million photos, 387,000 rows, where the
 * whole records' other thirteen fields (four hex hashes, the thumbnail, titles among them) took a quarter of reading
 * them.
 */
export type RankedFile = Pick<
	StoredFile,
	| 'id'
	| 'path'
	| 'size'
	| 'mtimeMs'
	| 'sha256'
	| 'contentHash'
	| 'format'
	| 'kind'
	| 'width'
	| 'height'
	| 'orientation'
	| 'takenAt'
	| 'takenAtSource'
	| 'make'
	| 'model'
	| 'gps'
	| 'keywords'
	| 'rating'
	| 'software'
	| 'contentWidth'
	| 'contentHeight'
	| 'error'
	| 'grey'
>;

/** A ranked file from its row, each field as `rowToFile` (source/db/catalog.ts) makes it from a row object. */
function rankedFile(row: RankRow): RankedFile {
	const [id, path, size, mtimeMs, sha256, contentHash, format, kind, width, height, orientation, takenAt, takenAtSource, make, model, lat, lon] = row;
	return {
		id,
		path,
		size,
		mtimeMs,
		sha256,
		contentHash,
		format: format as Format,
		kind: kind as MediaKind,
		width,
		height,
		orientation,
		takenAt,
		takenAtSource: takenAtSource as TakenAtSource | null,
		make,
		model,
		// Ranking asks only whether there is a position: the altitude is not read.
		gps: lat === null || lon === null ? null : {lat, lon},
		keywords: JSON.parse(row[17]) as string[],
		rating: row[18],
		software: row[19],
		contentWidth: row[20],
		contentHeight: row[21],
		error: row[22],
		grey: row[23] === null ? null : row[23] === 1,
	};
}

/** Ids per `IN (json_each)` query: bounds the size of one statement's result. */
const idBatch = 8192;

/** The hash fields a light record gives 32-bit words of (LightFile `hashWord`). */
export type HashWordField = 'sha256' | 'phash' | 'phashRotations' | 'phashCrops';

/** The hex fingerprints of a light record, by field number in its {@link PackedHex}, and their widths in bytes. */
const hexFields = {sha256: 0, contentHash: 1, phash: 2, phashRotations: 3, phashCrops: 4} as const;
const hexWidths = [32, 32, 8, 24, 16];
/** Bytes of a light record's hex fingerprints, packed. */
const packedBytes = hexWidths.reduce((sum, width) => sum + width, 0);
/** Every field of {@link hexFields}, as `PackedHex.setPacked` takes them. */
const allHexFields = (1 << hexWidths.length) - 1;

/** What finding the partners of new photos reads of a photo: its lookup hashes and the byte lengths of its blobs. */
type LookupRow = [
	id: number,
	phash: string | null,
	phashRotations: string | null,
	phashCrops: string | null,
	takenAt: string | null,
	takenAtSource: string | null,
	windowHashes: number | null,
	signature: number | null,
];

/** A light record's hex fingerprints as stored, in the order of {@link hexFields}. */
type HexRow = [sha256: string | null, contentHash: string | null, phash: string | null, phashRotations: string | null, phashCrops: string | null];

/**
 * A light record: the fields the finding stages read are its own; the keeper-only fields and the signatures, null for
 * every light record, sit once on the prototype. Fifteen fewer slots a record: 120 bytes a photo, 120 MB at a million.
 * The file's time, EXIF orientation and whether it is greyscale are keeper-only too (only `keeperMember` reads them,
 * of cluster members, which ranking gets whole): three slots and the boxed number the time took, 40 MB at a million.
 * A light record's time is NaN, no time at all, rather than a made-up one.
 *
 * Its five hex fingerprints are kept as bytes in one table for all records (source/db/packed-hex.ts) and read as the
 * same strings: 344 bytes of strings and slots a photo become 122, 220 MB less at a million. Each read makes its
 * string anew; the stages read each a few times a photo and keep what they index only while they need it (measured:
 * the same CPU time at 100,000 photos).
 */
class LightFile {
	declare readonly make: null;
	declare readonly model: null;
	declare readonly lens: null;
	declare readonly gps: null;
	declare readonly keywords: string[];
	declare readonly rating: null;
	declare readonly title: null;
	declare readonly description: null;
	declare readonly software: null;
	declare readonly dhash: null;
	declare readonly signatureCrops: null;
	declare readonly signature: null;
	declare readonly thumb: null;
	declare readonly error: null;
	declare readonly status: 'present';
	declare readonly mtimeMs: number;
	declare readonly orientation: null;
	declare readonly grey: null;
	/** The table of the search that read this record (on the prototype of that search's records). */
	declare protected readonly hexes: PackedHex;
	readonly id: number;
	readonly path: string;
	readonly size: number;
	readonly format: Format;
	readonly kind: MediaKind;
	readonly width: number | null;
	readonly height: number | null;
	readonly takenAt: string | null;
	readonly takenAtSource: TakenAtSource | null;
	readonly livePhotoId: string | null;
	readonly burstId: string | null;
	readonly contentWidth: number | null;
	readonly contentHeight: number | null;
	readonly frames: number | null;
	/** This record's number in `hexes`. */
	readonly #hex: number;

	/**
	 * A record from its row, its hex fingerprints from `packed` (as {@link PackedHex} keeps them; see {@link EveryRow}),
	 * or as `stored` gives them when they are not there.
	 */
	constructor(row: EveryRow, packed: Uint8Array, stored: (id: number) => HexRow, intern: <T extends string | null>(value: T) => T) {
		this.id = row[0];
		this.path = row[1];
		this.size = row[2];
		// Formats, kinds and date sources repeat: one string each instead of one per row.
		this.format = intern(row[3]) as Format;
		this.kind = intern(row[4]) as MediaKind;
		this.width = row[5];
		this.height = row[6];
		this.takenAt = row[7];
		this.takenAtSource = intern(row[8]) as TakenAtSource | null;
		this.livePhotoId = row[9];
		this.burstId = row[10];
		this.contentWidth = row[11];
		this.contentHeight = row[12];
		this.frames = row[13];
		const {hexes} = this;
		const hex = hexes.add();
		if (row[15]) {
			hexes.setPacked(hex, allHexFields & ~row[16], packed);
		} else {
			for (const [field, value] of stored(this.id).entries()) {
				hexes.set(hex, field, value);
			}
		}

		this.#hex = hex;
	}

	get sha256(): string | null {
		return this.hexes.get(this.#hex, hexFields.sha256);
	}

	get contentHash(): string | null {
		return this.hexes.get(this.#hex, hexFields.contentHash);
	}

	get phash(): string | null {
		return this.hexes.get(this.#hex, hexFields.phash);
	}

	get phashRotations(): string | null {
		return this.hexes.get(this.#hex, hexFields.phashRotations);
	}

	get phashCrops(): string | null {
		return this.hexes.get(this.#hex, hexFields.phashCrops);
	}

	/**
	 * A 32-bit word of a hash field without its string (source/dupes/lookups.ts `HashWords`): candidate lookup reads
	 * five million of them at a million photos, and the "not duplicates" check a SHA-256's first for every candidate.
	 */
	hashWord(field: HashWordField, word: number): number {
		return this.hexes.word(this.#hex, hexFields[field], word);
	}
}

const noKeywords: string[] = [];
Object.freeze(noKeywords);
Object.assign(LightFile.prototype, {
	make: null,
	model: null,
	lens: null,
	gps: null,
	keywords: noKeywords,
	rating: null,
	title: null,
	description: null,
	software: null,
	dhash: null,
	signatureCrops: null,
	signature: null,
	thumb: null,
	error: null,
	status: 'present',
	mtimeMs: Number.NaN,
	orientation: null,
	grey: null,
});

/** Light records whose hex fingerprints go to `hexes`: one class a search, its table on the prototype, not in every record. */
function lightFileClass(hexes: PackedHex): typeof LightFile {
	class SearchFile extends LightFile {}
	Object.defineProperty(SearchFile.prototype, 'hexes', {value: hexes});
	return SearchFile;
}

/** What duplicate finding reads of every photo, in one pass over the files. */
export type EveryPhoto = {
	/** Every file finding may use, light (see {@link DupesData.lightFiles}), in path order. */
	readonly files: StoredFile[];
	/**
	 * The window hashes of those files, packed, by catalog id (source/db/window-hashes-by-id.ts), until released by the
	 * finder, which reads them once.
	 */
	readonly windowHashes: WindowHashLookup;
	/** Ids of those files whose pixels decoded only in part. */
	readonly damaged: Set<number>;
	/** Which files may share their bytes or pixels with another (see {@link SharedContents}); read with the files. */
	readonly shared?: SharedContents;
};

/**
 * Catalog ids of the files whose SHA-256 (`sha256`) or content hash (`contentHash`) some other catalogued file has
 * too, present or not: a superset of the files exact and same-pixel grouping can link. Read from the two hash indexes
 * alone (0.4 s at a million photos), it spares grouping a hex string and a map entry for each of the other files
 * (about 2 s there: source/dupes/group.ts).
 */
export type SharedContents = {readonly sha256: ReadonlySet<number>; readonly contentHash: ReadonlySet<number>};

/** What usableFiles() keeps (source/dupes/units.ts), as SQL: hashed, not empty, a photo or a video. */
const usableSql = "sha256 IS NOT NULL AND size > 0 AND kind NOT IN ('other', 'sidecar')";

/** A file whose pixels decoded only in part (isDamaged in source/dupes/candidates.ts), as SQL. */
const damagedSql = "error LIKE 'damaged image data%'";

/** A photo's signature when it has no window hashes stored (scanned before migration 19), to make them from. */
const signatureWithoutWindowsSql = 'CASE WHEN window_hashes IS NULL THEN signature END';

/** The hex fingerprint columns of a light record, in the order of {@link hexFields}. */
const hexColumns = ['sha256', 'content_hash', 'phash', 'phash_rot', 'phash_crop'];

/**
 * One batch of what duplicate finding reads of each photo, as two values: an {@link EveryRow} a photo as JSON, and
 * every photo's bytes end to end in one buffer, in the same order. A photo's bytes are its five hex fingerprints packed
 * as {@link PackedHex} keeps them (112 bytes, zeros for a missing one; all zeros unless each is missing or lowercase
 * hex of its width, and the row's flag then says to read them again as stored), then its window hashes, then its
 * signature when it has no window hashes.
 *
 * Twenty-three values a row, six of them strings and buffers, cost more than SQLite's reading of the rows: at a million
 * photos the rows one by one took about 8 s. `||` joins blobs as their bytes, the CAST gives them back as a blob, and
 * octet_length counts bytes as the join does. The five fingerprints are checked joined, with one lower() and one
 * unhex(): checked one by one (or with GLOB) they took longer than the values they spare. Both aggregates are stepped
 * row by row in one pass, so their rows come in the same order.
 */
function everyBatchSql(where: string): string {
	// A missing field (a video has no pHash) is packed as zeros and named in the row's mask of missing fields.
	const joined = hexColumns.map((column, field) => `ifnull(${column}, '${'0'.repeat(hexWidths[field]! * 2)}')`).join(' || ');
	const widths = hexColumns.map((column, field) => `ifnull(length(${column}) = ${hexWidths[field]! * 2}, 1)`).join(' AND ');
	const packed = `ifnull(${widths} AND (${joined}) = lower(${joined}) AND unhex(${joined}) IS NOT NULL, 0)`;
	const missing = hexColumns.map((column, field) => `((${column} IS NULL) << ${field})`).join(' | ');
	const signature = signatureWithoutWindowsSql;
	return `SELECT
		json_group_array(json_array(id, path, size, format, kind, width, height, taken_at, taken_at_source, live_photo_id, burst_id,
			content_width, content_height, frames, ${damagedSql}, ${packed}, ${missing}, octet_length(window_hashes), octet_length(${signature}))),
		CAST(group_concat(CASE WHEN length(${joined}) = ${packedBytes * 2} THEN ifnull(unhex(${joined}), zeroblob(${packedBytes})) ELSE zeroblob(${packedBytes}) END
			|| ifnull(window_hashes, X'') || ifnull(${signature}, X''), '') AS BLOB)
		FROM files WHERE +status = 'present' AND ${usableSql} AND ${where}`;
}

/** Ids a batch of {@link everyBatchSql} covers when it reads every photo (a range of ids; fewer where some are gone). */
const everyBatch = 8192;

/**
 * One batch of {@link DupesData.everyPhoto}'s reads as {@link everyBatchSql} gives it (its rows as JSON, its blobs end
 * to end), with the catalog's generation when it was read. Every change to a file or to a "not duplicates" decision
 * bumps the generation in the same transaction (source/db/migrations.ts), so two reads at one generation read the same
 * rows, whichever connection made them.
 */
export type EveryBatch = {readonly generation: number | undefined; readonly rows: string; readonly bytes: Uint8Array | null};

/**
 * Which read of every photo a batch is of: the light records ({@link DupesData.everyPhoto}) or the lookup rows
 * ({@link DupesData.eachLookupRow}).
 */
export type EveryRead = 'records' | 'lookups';

/**
 * Reads batches 0 to `count` - 1 of a read of every photo elsewhere (a helper thread with its own connection:
 * source/dupes/read-helpers.ts) and gives them in order; `here` reads one on this connection, for a batch it keeps for
 * itself or one it could not have read. What it gives is checked: a batch read at another generation than this
 * connection's read, or one it did not give, is read here.
 */
export type EveryBatchesAway = (read: EveryRead, count: number, here: (index: number) => EveryBatch) => Iterable<EveryBatch>;

/** Reads duplicate-finding data from one catalog through statements prepared once. */
export class DupesData {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(private readonly catalog: Catalog) {
		const db = connectionOf(catalog);
		this.db = db;
		this.statements = {
			// One pass over the present files, a range of ids a batch (no sort): what lightFiles, the window hashes and the
			// damaged ids each read in a pass of their own, three reads of every row (most of it signatures and grids) and a sort.
			every: db.prepare<[number, number], [rows: string, bytes: Buffer | null]>(everyBatchSql('id >= ? AND id < ?')).raw(),
			// Every id in path order, from the path index alone: the order allPresent gives, so the stages see the same
			// units in the same order (BINARY, byte order, as SQLite compares; not JavaScript's).
			byPath: db.prepare<[], number>('SELECT id FROM files ORDER BY path').pluck(),
			// The same two reads for some files only (catalog ids as a JSON array), and a file's id by its path.
			everyAmong: db.prepare<[string], [rows: string, bytes: Buffer | null]>(everyBatchSql('id IN (SELECT value FROM json_each(?))')).raw(),
			// A photo's hex fingerprints as stored, when they are not all lowercase hex of their widths (see everyBatchSql).
			hexesOf: db.prepare<[number], HexRow>('SELECT sha256, content_hash, phash, phash_rot, phash_crop FROM files WHERE id = ?').raw(),
			byPathAmong: db.prepare<[string], number>('SELECT id FROM files WHERE id IN (SELECT value FROM json_each(?)) ORDER BY path').pluck(),
			idAt: db.prepare<[string], number>('SELECT id FROM files WHERE path = ?').pluck(),
			// Each of these reads a few rows through the index named; status is left unindexed (+status), else the planner
			// reads every present file through files_summary (a million rows) instead.
			withContents: db.prepare<[string], string>("SELECT path FROM files WHERE +status = 'present' AND sha256 IN (SELECT value FROM json_each(?))").pluck(),
			// A folder's files (and its subfolders', which the caller leaves out) through the path index: every path that
			// starts with the folder and a slash sorts from 'folder/' up to, not including, 'folder0' ('0' follows '/').
			inFolder: db.prepare<[string, string], [string, string | null]>("SELECT path, live_photo_id FROM files WHERE +status = 'present' AND path >= ? AND path < ?").raw(),
			atTop: db.prepare<[], [string, string | null]>("SELECT path, live_photo_id FROM files WHERE status = 'present' AND instr(path, '/') = 0").raw(),
			// Files whose hash another file has too, from each hash's index alone (no row is read): see SharedContents.
			sharedSha256: db
				.prepare<[], number>(
					'SELECT id FROM files INDEXED BY files_sha256 WHERE sha256 IN (SELECT sha256 FROM files INDEXED BY files_sha256 WHERE sha256 IS NOT NULL GROUP BY sha256 HAVING count(*) > 1)',
				)
				.pluck(),
			sharedContentHash: db
				.prepare<[], number>(
					'SELECT id FROM files INDEXED BY files_content_hash WHERE content_hash IN (SELECT content_hash FROM files INDEXED BY files_content_hash WHERE content_hash IS NOT NULL GROUP BY content_hash HAVING count(*) > 1)',
				)
				.pluck(),
			// The sizes of the damaged photos, from the index of read errors (a few rows, not every file).
			damagedSizes: db
				.prepare<[], [number | null, number | null]>(
					`SELECT DISTINCT width, height FROM files INDEXED BY files_read_errors WHERE status = 'present' AND error IS NOT NULL AND ${damagedSql}`,
				)
				.raw(),
			// What finding the partners of new photos reads of every photo (source/dupes/partners.ts): its lookup hashes, a
			// range of ids a batch as two values, as everyBatchSql reads the light records: each row as JSON with the byte
			// lengths of its window hashes and of its signature (when it has no window hashes), and those blobs end to end.
			lookupRows: db
				.prepare<[number, number], [rows: string, blobs: Buffer | null]>(
					`SELECT json_group_array(json_array(id, phash, phash_rot, phash_crop, taken_at, taken_at_source,
							octet_length(window_hashes), octet_length(${signatureWithoutWindowsSql}))),
						CAST(group_concat(ifnull(window_hashes, X'') || ifnull(${signatureWithoutWindowsSql}, X''), '') AS BLOB)
						FROM files WHERE +status = 'present' AND ${usableSql} AND id >= ? AND id < ?`,
				)
				.raw(),
			largestId: db.prepare<[], number | null>('SELECT max(id) FROM files').pluck(),
			generation: db.prepare<[], number>('SELECT generation FROM dupe_state WHERE id = 1').pluck(),
			// The usable present files with the same bytes as one of these (catalog ids), or the same pixels (pictures).
			sameContents: db
				.prepare<[string, string], number>(
					`SELECT id FROM files WHERE +status = 'present' AND ${usableSql}
						AND (sha256 IN (SELECT sha256 FROM files WHERE id IN (SELECT value FROM json_each(?)))
							OR content_hash IN (SELECT content_hash FROM files WHERE id IN (SELECT value FROM json_each(?))))`,
				)
				.pluck(),
			presentById: db.prepare<[string], [string]>("SELECT path FROM files WHERE +status = 'present' AND id IN (SELECT value FROM json_each(?))").raw(),
			withLiveId: db.prepare<[string], [string, string | null]>("SELECT path, live_photo_id FROM files WHERE +status = 'present' AND live_photo_id = ?").raw(),
			// A batch's rows as two values: each row's id, blob lengths (null for none) and thumbnail as JSON, and every row's
			// blobs end to end in one buffer, in the same order (both aggregates are stepped row by row in one pass; an ORDER
			// BY in each sorted them twice for nothing). Three buffers a row (a million and a half in a search at a million
			// photos) cost more than the reads themselves: 300,000 rows took 2.8-3.2 s read row by row, 1.2-1.5 s so. `||`
			// joins blobs as their bytes and the CAST gives them back as a blob; octet_length counts bytes, as the join does.
			verification: db
				.prepare<[string], [rows: string, blobs: Buffer | null]>(
					`SELECT json_group_array(json_array(id, octet_length(signature), octet_length(signature_crop), octet_length(detail), thumb)),
						CAST(group_concat(ifnull(signature, X'') || ifnull(signature_crop, X'') || ifnull(detail, X''), '') AS BLOB)
						FROM files WHERE id IN (SELECT value FROM json_each(?))`,
				)
				.raw(),
			ranked: db
				.prepare<[string], RankRow>(
					`SELECT id, path, size, mtime_ms, sha256, content_hash, format, kind, width, height, orientation, taken_at,
						taken_at_source, make, model, gps_lat, gps_lon, keywords, rating, software, content_width, content_height, error, grey
						FROM files WHERE id IN (SELECT value FROM json_each(?))`,
				)
				.raw(),
		};
	}

	/**
	 * Every file duplicate finding may use, light: the fields the finding stages read, without signatures and without
	 * the fields only keeper ranking reads (those are null or empty here; {@link rankedFiles} has them).
	 */
	lightFiles(): StoredFile[] {
		return this.everyPhoto().files;
	}

	/**
	 * The light files, with their window hashes (made by `fromSignature` from the signature of a photo scanned before
	 * migration 19, which has none stored) and which of them decoded only in part, in one pass over the files.
	 */
	everyPhoto(fromSignature?: (signature: Uint8Array) => Uint8Array, away?: EveryBatchesAway): EveryPhoto {
		return this.photos(
			() => this.statements.byPath.iterate(),
			maxId => this.batches('records', Math.floor(maxId / everyBatch) + 1, away),
			fromSignature,
			() => ({sha256: new Set(this.statements.sharedSha256.all()), contentHash: new Set(this.statements.sharedContentHash.all())}),
		);
	}

	/**
	 * What {@link everyPhoto} reads, for the files at these paths only (the photos of a few clusters, when a kept search
	 * is brought up to date: source/dupes/refresh.ts); paths not in the catalog are left out.
	 */
	photosAt(paths: readonly string[], fromSignature?: (signature: Uint8Array) => Uint8Array): EveryPhoto {
		const ids = this.idsAt(paths);
		const among = JSON.stringify(ids);
		const {everyAmong} = this.statements;
		return this.photos(
			() => this.statements.byPathAmong.iterate(among),
			function* () {
				for (let start = 0; start < ids.length; start += idBatch) {
					const [rows, bytes] = everyAmong.get(JSON.stringify(ids.slice(start, start + idBatch)))!;
					yield {rows, bytes};
				}
			},
			fromSignature,
		);
	}

	/**
	 * Batch `index` of a read of every photo (ids from `index` times its batch), with the generation it was read at, in
	 * one read transaction (inside a transaction already open, in that one): what a helper thread reads for
	 * {@link EveryBatchesAway}.
	 */
	batchAt(read: EveryRead, index: number): EveryBatch {
		const {generation} = this.statements;
		const statement = read === 'records' ? this.statements.every : this.statements.lookupRows;
		return this.db.transaction(() => {
			const [rows, bytes] = statement.get(index * everyBatch, (index + 1) * everyBatch)!;
			return {generation: generation.get(), rows, bytes};
		})();
	}

	/**
	 * Batches 0 to `count` - 1 of a read of every photo, in order: from `away` when it read them at the generation this
	 * connection reads (called inside the read's transaction), else read here.
	 */
	private *batches(read: EveryRead, count: number, away: EveryBatchesAway | undefined): Generator<EveryBatch> {
		const now = away ? this.statements.generation.get() : undefined;
		const here = (index: number) => this.batchAt(read, index);
		const given = away && now !== undefined ? away(read, count, here)[Symbol.iterator]() : undefined;
		try {
			for (let index = 0; index < count; index++) {
				const next = given?.next();
				// A batch read at another generation (a change came between the two reads) is read again here.
				yield next && !next.done && next.value.generation === now ? next.value : here(index);
			}
		} finally {
			given?.return?.();
		}
	}

	/** The paths of the present files with these contents (SHA-256). */
	pathsWithContents(sha256s: readonly string[]): string[] {
		return sha256s.length === 0 ? [] : this.statements.withContents.all(JSON.stringify(sha256s));
	}

	/**
	 * The present files in a folder of the library ('' for its top), with their Live Photo ids: where a photo's
	 * companions with its name are (source/dupes/units.ts).
	 */
	presentInFolder(folder: string): Array<{readonly path: string; readonly livePhotoId: string | null}> {
		const rows = folder === '' ? this.statements.atTop.all() : this.statements.inFolder.all(`${folder}/`, `${folder}0`).filter(([file]) => !file.slice(folder.length + 1).includes('/'));
		return rows.map(([file, livePhotoId]) => ({path: file, livePhotoId}));
	}

	/**
	 * Every usable present photo's lookup hashes, one row at a time, with its window hashes (stored, or made by
	 * `fromSignature` from the signature of a photo scanned before migration 19), with no record kept: a refresh reads
	 * them for the whole library to find the partners of a few new photos (source/dupes/refresh.ts). `away` may read
	 * most of the batches, as for {@link everyPhoto}.
	 */
	eachLookupRow(
		fromSignature: (signature: Uint8Array) => Uint8Array,
		each: (id: number, file: {phash: string | null; phashRotations: string | null; phashCrops: string | null; takenAt: string | null; takenAtSource: TakenAtSource | null}, windows: Uint8Array | undefined) => void,
		away?: EveryBatchesAway,
	): void {
		const {largestId} = this.statements;
		// One read transaction, as one statement over every row was.
		this.db.transaction(() => {
			const largest = largestId.get() ?? -1;
			for (const {rows, bytes} of this.batches('lookups', Math.floor(largest / everyBatch) + 1, away)) {
				const take = blobReader(bytes);
				for (const [id, phash, phashRotations, phashCrops, takenAt, takenAtSource, windowBytes, signatureBytes] of JSON.parse(rows) as LookupRow[]) {
					const windows = take(windowBytes);
					const signature = take(signatureBytes);
					each(id, {phash, phashRotations, phashCrops, takenAt, takenAtSource: takenAtSource as TakenAtSource | null}, windows ?? (signature ? fromSignature(signature) : undefined));
				}
			}
		})();
	}

	/** The usable present files (catalog ids) with the same SHA-256 or content hash as one of these. */
	sameContents(ids: readonly number[]): number[] {
		const list = JSON.stringify(ids);
		return ids.length === 0 ? [] : this.statements.sameContents.all(list, list);
	}

	/** The catalog ids of the files at these paths (those in the catalog). */
	idsAt(paths: readonly string[]): number[] {
		const ids: number[] = [];
		for (const file of paths) {
			const id = this.statements.idAt.get(file);
			if (id !== undefined) {
				ids.push(id);
			}
		}

		return ids;
	}

	/** The paths of the present files among these (catalog ids). */
	presentPaths(ids: readonly number[]): string[] {
		const out: string[] = [];
		for (let start = 0; start < ids.length; start += idBatch) {
			for (const [file] of this.statements.presentById.iterate(JSON.stringify(ids.slice(start, start + idBatch)))) {
				out.push(file);
			}
		}

		return out;
	}

	/** The sizes (`WIDTHxHEIGHT`) of the present photos that decoded only in part. */
	damagedSizes(): Set<string> {
		return new Set(this.statements.damagedSizes.all().map(([width, height]) => `${width}x${height}`));
	}

	/** The present files of a Live Photo (its still and its movie share the id). */
	presentWithLiveId(livePhotoId: string): string[] {
		return this.statements.withLiveId.all(livePhotoId).map(([file]) => file);
	}

	/**
	 * The light files of the ids `inPathOrder` gives, from the batches `batches` gives (of ids up to the largest in path
	 * order), with their window hashes and damaged ids.
	 */
	private photos(
		inPathOrder: () => Iterable<number>,
		batches: (maxId: number) => Iterable<Pick<EveryBatch, 'rows' | 'bytes'>>,
		fromSignature?: (signature: Uint8Array) => Uint8Array,
		sharedContents?: () => SharedContents,
	): EveryPhoto {
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

		let windows = new WindowHashesById();
		const damaged = new Set<number>();
		let shared: SharedContents | undefined;
		// One read transaction: the order and the rows come from the same state of the catalog.
		const placed = this.db.transaction(() => {
			// Place of each id in path order (+1; 0 for none), indexed by id.
			let place = new Int32Array(1 << 16);
			let count = 0;
			let maxId = 0;
			for (const id of inPathOrder()) {
				if (id >= place.length) {
					place = grown(place, id);
				}

				place[id] = ++count;
				maxId = Math.max(maxId, id);
			}

			windows = new WindowHashesById(count, maxId);
			const Light = lightFileClass(new PackedHex(hexWidths, count));
			const {hexesOf} = this.statements;
			const stored = (id: number) => hexesOf.get(id)!;

			const inOrder: Array<StoredFile | undefined> = new Array(count);
			for (const {rows, bytes} of batches(maxId)) {
				const take = blobReader(bytes);
				for (const row of JSON.parse(rows) as EveryRow[]) {
					const id = row[0];
					// Every row's blobs are taken, read or not, so that the next row's start where they end.
					const packed = take(packedBytes)!;
					const windowHashes = take(row[17]);
					const signature = take(row[18]);
					if (id >= place.length || place[id] === 0) {
						continue;
					}

					inOrder[place[id]! - 1] = new Light(row, packed, stored, intern) as StoredFile;
					const hashes = fromSignature && (windowHashes ?? (signature ? fromSignature(signature) : undefined));
					if (hashes) {
						windows.add(id, hashes);
					}

					if (row[14]) {
						damaged.add(id);
					}
				}
			}

			// In the same transaction: a copy written between the two reads would be missing from the shared ones.
			shared = sharedContents?.();
			return inOrder;
		})();
		const files: StoredFile[] = [];
		for (const file of placed) {
			if (file) {
				files.push(file);
			}
		}

		return {files, windowHashes: windows.lookup(), damaged, ...(shared && {shared})};
	}

	/**
	 * Signatures and detail grids of these files (catalog ids), in one query per batch of ids (one pass over the rows
	 * where a query for each took two); ids not in the catalog are left out. The arrays are views of their batch's one
	 * buffer, not copies. Each record's `thumbnail()` gives where `where` places its cached thumbnail (the stored path
	 * is read with the grids, so the thumbnail check asks the catalog nothing more).
	 */
	verification(ids: readonly number[], where?: (thumb: string) => string | undefined): Map<number, VerificationData> {
		const out = new Map<number, VerificationData>();
		for (let start = 0; start < ids.length; start += idBatch) {
			const [rows, blobs] = this.statements.verification.get(JSON.stringify(ids.slice(start, start + idBatch)))!;
			const take = blobReader(blobs);
			for (const [id, signature, signatureCrops, detail, thumb] of JSON.parse(rows) as VerificationRow[]) {
				out.set(id, new Verified(take(signature), take(signatureCrops), take(detail), thumb, where));
			}
		}

		return out;
	}

	/**
	 * The catalog file a second connection may read beside this one (a helper thread of verification), or undefined:
	 * an in-memory catalog, or one opened with exclusive locking (a reader on a nearly full disk), where a second
	 * connection would fail busy.
	 */
	sharedFile(): string | undefined {
		if (this.db.memory || !this.db.name) {
			return undefined;
		}

		return this.db.pragma('locking_mode', {simple: true}) === 'exclusive' ? undefined : this.db.name;
	}

	/** What keeper ranking and a cluster's text read of these files (catalog ids), by id. */
	rankedFiles(ids: readonly number[]): Map<number, RankedFile> {
		const out = new Map<number, RankedFile>();
		for (let start = 0; start < ids.length; start += idBatch) {
			for (const row of this.statements.ranked.iterate(JSON.stringify(ids.slice(start, start + idBatch)))) {
				out.set(row[0], rankedFile(row));
			}
		}

		return out;
	}

	/** "Not duplicates" decisions, as `sha_a sha_b` keys. */
	distinctPairs(): Set<string> {
		return this.catalog.distinctPairs();
	}
}
