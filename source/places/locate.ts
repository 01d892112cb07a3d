/**
 * `curate places` and the place step of scan and import (issue 17): every present photo with GPS and no place for
 * its position gets one, in batches of one transaction each, so a killed run keeps what it committed and the next
 * run goes on from there. The geodata is loaded only when there is something to locate.
 */
import {hasOffset, placeTags} from '../core/place.js';
import type {Catalog} from '../db/catalog.js';
import {type PendingPlace, type PlaceRow, PlaceStore} from '../db/places.js';
import {type Geodata, loadGeodata} from './geodata.js';
import {offsetMemo} from './offsets.js';

/** Progress of a locate run. */
export type LocateProgress = {readonly done: number; readonly total: number};

/** What a run did. */
export type LocateResult = {readonly located: number; readonly countries: number; readonly atSea: number; readonly offsets: number; readonly seconds: number};

/** Photos per transaction. */
const batchSize = 10_000;

/** Rounds a position to about a metre: photos of one spot (a burst, copies) are looked up once. */
const cellKey = (lat: number, lon: number) => Math.round(lat * 1e5) * 1e8 + Math.round(lon * 1e5);

type Spot = {place: ReturnType<Geodata['locate']>; tags: string[]; zone?: string | null};

/**
 * The place and derived offset of each photo. Places are remembered per spot for the batch (bursts, copies), time
 * zones per spot, and offsets per zone and day (`offsetMemo`).
 */
export function locateRows(geodata: Geodata, photos: readonly PendingPlace[], offsets = offsetMemo()): PlaceRow[] {
	// Per batch only: kept longer, a memo of positions that rarely repeat is garbage the collector keeps walking.
	const spots = new Map<number, Spot>();
	return photos.map(photo => {
		const key = cellKey(photo.lat, photo.lon);
		let spot = spots.get(key);
		if (!spot) {
			const place = geodata.locate(photo.lat, photo.lon);
			spot = {place, tags: placeTags(place)};
			spots.set(key, spot);
		}

		// A capture time that carries its offset keeps it; only one without gets an offset from where it was taken.
		// The zone is recorded with the offset it gave (whatever other photos of the spot were taken with).
		let utcOffset: string | null = null;
		let timeZone: string | null = null;
		if (photo.takenAt && !hasOffset(photo.takenAt)) {
			spot.zone ??= geodata.timeZone(photo.lat, photo.lon);
			timeZone = spot.zone;
			if (timeZone) {
				utcOffset = offsets(timeZone, photo.takenAt) ?? null;
			}
		}

		const {place} = spot;
		return {
			countryCode: place.countryCode,
			country: place.country,
			region: place.region,
			regionCode: place.regionCode,
			city: place.city,
			cityId: place.cityId,
			distanceKm: place.distanceKm,
			fileId: photo.id,
			lat: photo.lat,
			lon: photo.lon,
			sha256: photo.sha256,
			timeZone,
			utcOffset,
			tags: spot.tags,
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
		const offsets = offsetMemo();
		let after = 0;
		options.onProgress?.({done: 0, total});
		while (!options.signal?.aborted) {
			const photos = store.pending(after, batchSize);
			if (photos.length === 0) {
				break;
			}

			const rows = locateRows(geodata, photos, offsets);
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
