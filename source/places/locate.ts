/**
 * `curate places` and the place step of scan and import (issue 17): every present photo with GPS and no place for
 * its position gets one, in batches of one transaction each, so a killed run keeps what it committed and the next
 * run goes on from there. The geodata is loaded only when there is something to locate.
 */
import {hasOffset, offsetFor, placeTags} from '../core/place.js';
import type {Catalog} from '../db/catalog.js';
import {type PendingPlace, type PlaceRow, PlaceStore} from '../db/places.js';
import {type Geodata, loadGeodata} from './geodata.js';

/** Progress of a locate run. */
export type LocateProgress = {readonly done: number; readonly total: number};

/** What a run did. */
export type LocateResult = {readonly located: number; readonly countries: number; readonly atSea: number; readonly offsets: number; readonly seconds: number};

/** Photos per transaction. */
const batchSize = 10_000;

/** Rounds a position to about a metre: photos of one spot (a burst, copies) are looked up once. */
const cellKey = (lat: number, lon: number) => `${Math.round(lat * 1e5)},${Math.round(lon * 1e5)}`;

/**
 * The place and derived offset of each photo. Time zones are looked up per position and offsets per zone and time,
 * each remembered for the run.
 */
export function locateRows(geodata: Geodata, photos: readonly PendingPlace[], memo = new Map<string, {place: ReturnType<Geodata['locate']>; zone?: string | null}>(), offsets = new Map<string, string | null>()): PlaceRow[] {
	return photos.map(photo => {
		const key = cellKey(photo.lat, photo.lon);
		let entry = memo.get(key);
		if (!entry) {
			// Bounded: the memo is for bursts and copies of one spot, not a second index of the world.
			if (memo.size >= 50_000) {
				memo.clear();
			}

			entry = {place: geodata.locate(photo.lat, photo.lon)};
			memo.set(key, entry);
		}

		// A capture time that carries its offset keeps it; only one without gets an offset from where it was taken.
		let utcOffset: string | null = null;
		if (photo.takenAt && !hasOffset(photo.takenAt)) {
			if (entry.zone === undefined) {
				entry.zone = geodata.timeZone(photo.lat, photo.lon);
			}

			// Offsets change on the hour (or half hour, in a few zones) at most: one lookup per zone and hour of the clock.
			if (entry.zone) {
				const key = `${entry.zone}|${photo.takenAt.slice(0, 13)}${Number(photo.takenAt.slice(14, 16)) >= 30 ? '½' : ''}`;
				utcOffset = offsets.get(key) ?? null;
				if (!offsets.has(key)) {
					if (offsets.size >= 50_000) {
						offsets.clear();
					}

					utcOffset = offsetFor(entry.zone, photo.takenAt) ?? null;
					offsets.set(key, utcOffset);
				}
			}
		}

		const place = entry.place;
		return {
			...place,
			fileId: photo.id,
			lat: photo.lat,
			lon: photo.lon,
			sha256: photo.sha256,
			timeZone: entry.zone ?? null,
			utcOffset,
			tags: placeTags(place),
			relocated: photo.relocated === 1,
		};
	});
}

/** Locates every photo still without a place; `signal` stops between batches (what was committed stays). */
export async function locateCatalog(catalog: Catalog, options: {readonly onProgress?: (progress: LocateProgress) => void; readonly signal?: AbortSignal; readonly geodata?: Geodata} = {}): Promise<LocateResult> {
	const started = performance.now();
	const store = new PlaceStore(catalog);
	const total = store.counts().pending;
	const result = {located: 0, countries: new Set<string>(), atSea: 0, offsets: 0};
	if (total > 0) {
		const geodata = options.geodata ?? (await loadGeodata());
		const memo = new Map();
		const offsets = new Map<string, string | null>();
		let after = 0;
		options.onProgress?.({done: 0, total});
		while (!options.signal?.aborted) {
			const photos = store.pending(after, batchSize);
			if (photos.length === 0) {
				break;
			}

			const rows = locateRows(geodata, photos, memo, offsets);
			store.putBatch(rows);
			after = photos.at(-1)!.id;
			for (const row of rows) {
				result.located++;
				if (row.countryCode) {
					result.countries.add(row.countryCode);
				} else {
					result.atSea++;
				}

				if (row.utcOffset) {
					result.offsets++;
				}
			}

			options.onProgress?.({done: result.located, total});
		}
	}

	return {located: result.located, countries: result.countries.size, atSea: result.atSea, offsets: result.offsets, seconds: (performance.now() - started) / 1000};
}
