/**
 * The places table (issue 17): where each photo with GPS was taken and the derived UTC offset of its capture time,
 * and the place tags (`places/france/paris`, source `rule`, confirmed: a position is a fact, not a guess). All the
 * SQL of places lives here.
 */
import {connectionOf} from './connection.js';
import type Database from 'better-sqlite3';
import type {Place} from '../core/place.js';
import type {Catalog} from './catalog.js';

/** A photo to locate: its row, content, GPS and capture time. */
export type PendingPlace = {
	readonly id: number;
	readonly sha256: string | null;
	readonly lat: number;
	readonly lon: number;
	readonly takenAt: string | null;
	/** 1 when the photo had a place for another position. */
	readonly relocated?: number;
};

/** A located photo as stored. */
export type StoredPlace = Place & {
	readonly fileId: number;
	readonly regionCode: string | null;
	readonly cityId: number | null;
	readonly timeZone: string | null;
	/** The derived offset of the capture time (`+02:00`), when the file had none. */
	readonly utcOffset: string | null;
};

/** One located photo to record. */
export type PlaceRow = StoredPlace & {
	readonly lat: number;
	readonly lon: number;
	readonly sha256: string | null;
	readonly tags: readonly string[];
	/** The photo had a place before (its GPS changed), or its content may carry place tags from another copy. */
	readonly relocated?: boolean;
};

type Row = {
	file_id: number;
	country_code: string | null;
	country: string | null;
	region: string | null;
	region_code: string | null;
	city: string | null;
	city_id: number | null;
	distance_km: number | null;
	time_zone: string | null;
	utc_offset: string | null;
};

const toPlace = (row: Row): StoredPlace => ({
	fileId: row.file_id,
	countryCode: row.country_code,
	country: row.country,
	region: row.region,
	regionCode: row.region_code,
	city: row.city,
	cityId: row.city_id,
	distanceKm: row.distance_km,
	timeZone: row.time_zone,
	utcOffset: row.utc_offset,
});

/** Rows per multi-row INSERT (13 parameters each, far below SQLite's limit). */
const rowsPerStatement = 64;
const placeColumns = 13;
const tagColumns = 3;

/** An upsert of `count` places. */
const putPlaces = (count: number) => `INSERT INTO places (file_id, lat, lon, country_code, country, region, region_code, city, city_id, distance_km, time_zone, utc_offset, located_at)
	VALUES ${Array.from({length: count}, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
	ON CONFLICT(file_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon, country_code = excluded.country_code,
		country = excluded.country, region = excluded.region, region_code = excluded.region_code, city = excluded.city,
		city_id = excluded.city_id, distance_km = excluded.distance_km, time_zone = excluded.time_zone,
		utc_offset = excluded.utc_offset, located_at = excluded.located_at`;

/** `count` confirmed place tags (a tag already there stays as it is). */
const putTags = (count: number) => `INSERT INTO tags (sha256, tag, source, state, confidence, model, updated_at)
	VALUES ${Array.from({length: count}, () => "(?, ?, 'rule', 'confirmed', 1, NULL, ?)").join(', ')} ON CONFLICT(sha256, tag, source) DO NOTHING`;

/** Prepared statements over the places table. */
export class PlaceStore {
	private readonly db: Database.Database;
	private readonly statements;

	constructor(catalog: Catalog) {
		this.db = connectionOf(catalog);
		const db = this.db;
		this.statements = {
			// Present files with GPS and no place for that position yet, in id order from a key: a killed run resumes.
			pending: db.prepare<[number, number], PendingPlace>(`SELECT f.id, f.sha256, f.gps_lat AS lat, f.gps_lon AS lon, f.taken_at AS takenAt,
				p.file_id IS NOT NULL AS relocated
				FROM files f LEFT JOIN places p ON p.file_id = f.id
				WHERE f.id > ? AND f.status = 'present' AND f.gps_lat IS NOT NULL AND f.gps_lon IS NOT NULL
					AND (p.file_id IS NULL OR p.lat != f.gps_lat OR p.lon != f.gps_lon)
				ORDER BY f.id LIMIT ?`),
			countPending: db.prepare<[], number>(`SELECT count(*) FROM files f LEFT JOIN places p ON p.file_id = f.id
				WHERE f.status = 'present' AND f.gps_lat IS NOT NULL AND f.gps_lon IS NOT NULL
					AND (p.file_id IS NULL OR p.lat != f.gps_lat OR p.lon != f.gps_lon)`).pluck(),
			countLocated: db.prepare<[], number>("SELECT count(*) FROM places p JOIN files f ON f.id = p.file_id WHERE f.status = 'present'").pluck(),
			put: db.prepare(putPlaces(1)),
			putMany: db.prepare(putPlaces(rowsPerStatement)),
			// A place tag Curate gave that no longer fits goes; one the person rejected stays rejected.
			clearTags: db.prepare<[string]>("DELETE FROM tags WHERE sha256 = ? AND source = 'rule' AND tag LIKE 'places/%' AND state != 'rejected'"),
			putTag: db.prepare(putTags(1)),
			putTags: db.prepare(putTags(rowsPerStatement)),
			byFile: db.prepare<[number], Row>('SELECT * FROM places WHERE file_id = ?'),
			all: db.prepare<[], Row & {path: string}>("SELECT p.*, f.path FROM places p JOIN files f ON f.id = p.file_id WHERE f.status = 'present'"),
			countries: db.prepare<[], {country: string | null; count: number}>(`SELECT p.country, count(*) AS count FROM places p JOIN files f ON f.id = p.file_id
				WHERE f.status = 'present' GROUP BY p.country ORDER BY count DESC, p.country`),
		};
	}

	/** Up to `limit` photos still to locate, after row id `afterId`. */
	pending(afterId: number, limit: number): PendingPlace[] {
		return this.statements.pending.all(afterId, limit);
	}

	/** How many present photos with GPS are still to locate, and how many are located. */
	counts(): {pending: number; located: number} {
		return {pending: this.statements.countPending.get()!, located: this.statements.countLocated.get()!};
	}

	/**
	 * Records one batch of located photos and their place tags in one transaction. Rows go in `rowsPerStatement` at a
	 * time, with positional parameters: one call into SQLite per row was most of the cost of `curate places`.
	 */
	readonly putBatch = (rows: readonly PlaceRow[]): void => {
		const now = new Date().toISOString();
		this.db.transaction(() => {
			const places: unknown[] = [];
			const tags: unknown[] = [];
			const tagged = new Set<string>();
			const flush = (force: boolean) => {
				while (places.length >= (force ? placeColumns : placeColumns * rowsPerStatement)) {
					const many = places.length >= placeColumns * rowsPerStatement;
					const chunk = places.splice(0, many ? placeColumns * rowsPerStatement : placeColumns);
					(many ? this.statements.putMany : this.statements.put).run(chunk);
				}

				while (tags.length >= (force ? tagColumns : tagColumns * rowsPerStatement)) {
					const many = tags.length >= tagColumns * rowsPerStatement;
					const chunk = tags.splice(0, many ? tagColumns * rowsPerStatement : tagColumns);
					(many ? this.statements.putTags : this.statements.putTag).run(chunk);
				}
			};

			for (const row of rows) {
				places.push(row.fileId, row.lat, row.lon, row.countryCode, row.country, row.region, row.regionCode, row.city, row.cityId, row.distanceKm, row.timeZone, row.utcOffset, now);
				if (row.sha256 && !tagged.has(row.sha256)) {
					tagged.add(row.sha256);
					// A photo located for the first time has no place tags to clear.
					if (row.relocated) {
						// Its new tags may be queued already under another copy's row: write what is queued first.
						flush(true);
						this.statements.clearTags.run(row.sha256);
					}

					for (const tag of row.tags) {
						tags.push(row.sha256, tag, now);
					}
				}

				flush(false);
			}

			flush(true);
		})();
	};

	/** The place of one file, if located. */
	placeOf(fileId: number): StoredPlace | undefined {
		const row = this.statements.byFile.get(fileId);
		return row ? toPlace(row) : undefined;
	}

	/** Every located present file's place, by library-relative path. */
	byPath(): Map<string, StoredPlace> {
		const map = new Map<string, StoredPlace>();
		for (const row of this.statements.all.iterate()) {
			map.set(row.path, toPlace(row));
		}

		return map;
	}

	/** Located present photos per country (null: at sea), most first. */
	countries(): Array<{country: string | null; count: number}> {
		return this.statements.countries.all();
	}

	/** `sha256 + ' ' + tag` of every place tag the user rejected: never written to a sidecar again. */
	rejectedPlaceTags(): string[] {
		return this.db.prepare<[], string>("SELECT sha256 || ' ' || tag FROM tags WHERE source = 'rule' AND state = 'rejected' AND tag LIKE 'places/%'").pluck().all();
	}
}

/**
 * The SQL condition (over `files f`) of one `place:` term — a country code, or a country, region or town name, without
 * case — and its parameters. Accents are compared as written; `placeMatches` (core/place.ts) folds them in memory.
 */
export function placeCondition(term: string): {sql: string; parameters: string[]} {
	const wanted = term.trim();
	return {
		sql: `f.id IN (SELECT file_id FROM places WHERE ${wanted.length === 2 ? 'upper(country_code) = upper(?) OR ' : ''}lower(country) = lower(?) OR lower(region) = lower(?) OR lower(city) = lower(?)${wanted.toLowerCase() === 'at sea' ? ' OR country_code IS NULL' : ''})`,
		parameters: wanted.length === 2 ? [wanted, wanted, wanted, wanted] : [wanted, wanted, wanted],
	};
}

/**
 * Confirmed tags per content (a tag a person added counts as confirmed; rejected ones never do), for rules and
 * `{tag:GROUP}` (issue 17).
 */
export function confirmedTags(catalog: Catalog): Map<string, string[]> {
	const map = new Map<string, string[]>();
	const rows = connectionOf(catalog)
		.prepare<[], {sha256: string; tag: string}>("SELECT DISTINCT sha256, tag FROM tags WHERE state = 'confirmed' OR (source = 'user' AND state != 'rejected') ORDER BY sha256, tag")
		.iterate();
	for (const row of rows) {
		const list = map.get(row.sha256) ?? [];
		list.push(row.tag);
		map.set(row.sha256, list);
	}

	return map;
}
