/**
 * Issue 17's acceptance on the real-photo corpus: every file of it with GPS gets the right country and town, with no
 * network. The expectations are a table written by hand from the coordinates (and a map), not from Curate: each row
 * names the country, the town and the town centre's coordinates; the test also checks the table itself (the town centre
 * must be near the photo), so a wrong row cannot hide.
 */
import assert from 'node:assert/strict';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, test} from 'node:test';
import {endExiftool, readMetadata} from '../../source/adapters/exif.js';
import {loadGeodata} from '../../source/places/geodata.js';
import {corpusDir, needsCorpus} from '../helpers/temp.js';

type Truth = {
	readonly country: string;
	/** The town, or null when none of 1000+ people is within 30 km. */
	readonly town: string | null;
	/** The town centre (or, without a town, the nearest one), from a map: degrees. */
	readonly centre: readonly [number, number];
	readonly region?: string;
	readonly note?: string;
};

const milan: Truth = {country: 'IT', town: 'Milan', centre: [45.4642, 9.19], note: 'Gallaratese, north-west Milan: Pero\'s centre is nearer, Milan\'s city limits hold it'};
const arezzo: Truth = {country: 'IT', town: 'Arezzo', centre: [43.4633, 11.8796], note: 'a walk through the old town'};

/** Every corpus file with GPS (as exiftool reads it), by path. */
const truth: Record<string, Truth> = {
	'broken/iPhoneXR_1x1_gps.jpg': {country: 'HR', town: 'Pakoštane', centre: [43.9097, 15.5097], note: 'Dalmatian coast south of Pakoštane'},
	'cameras/Apple_iPhone_4.jpg': {country: 'IT', town: 'Rome', centre: [41.8933, 12.4829]},
	'cameras/Apple_iPhone_5.jpg': {country: 'US', town: 'Seattle', centre: [47.6062, -122.3321], region: 'Washington'},
	// The longitude was written without its W reference (Los Angeles is 118 W): as written it lies in rural Jiangsu,
	// where the data's nearest town (Pizhou) is 38 km off.
	'cameras/FLIR_iPhone_device.jpg': {country: 'CN', town: null, centre: [34.3114, 117.9542]},
	'cameras/FujiFilm_FinePixS1Pro.jpg': {country: 'GB', town: 'Prudhoe', centre: [54.9614, -1.852], region: 'England', note: 'Tyne valley, Northumberland'},
	'cameras/HTC_Desire.jpg': milan,
	'similar/HTC_Desire.webp': milan,
	'cameras/Nikon_D70s_GPS.jpg': {country: 'IT', town: 'Florence', centre: [43.7696, 11.2558]},
	'cameras/Nokia_Lumia_800.jpg': {country: 'IE', town: 'Dublin', centre: [53.3498, -6.2603]},
	'cameras/Olympus_FE230-X790.jpg': {country: 'CA', town: 'Revelstoke', centre: [50.9981, -118.1957], note: 'Trans-Canada Highway east of Revelstoke'},
	'cameras/Sony_DSC-HX5V.jpg': {country: 'DE', town: 'Langenberg', centre: [51.7706, 8.3192], note: 'Gütersloh district'},
	'exif-makers/Kodak_CX7530.jpg': {country: 'KE', town: 'Nakuru', centre: [-0.3031, 36.08], note: 'Lake Nakuru'},
	'exif-makers/Samsung_SM-G930F_zero_length_string.jpg': {country: 'DE', town: 'Gummersbach', centre: [51.0266, 7.5644]},
	'formats/raw/iPhone12Pro_ProRAW_stub.dng': {country: 'US', town: 'Acworth', centre: [34.0662, -84.6769], region: 'Georgia'},
	'formats/webp/iPhoneX_exif_orient6.webp': {country: 'US', town: 'Sunnyvale', centre: [37.3688, -122.0363], region: 'California'},
	'gps/DSCN0010.jpg': arezzo,
	'gps/DSCN0012.jpg': arezzo,
	'gps/DSCN0021.jpg': arezzo,
	'gps/DSCN0025.jpg': arezzo,
	'gps/DSCN0027.jpg': arezzo,
	'gps/DSCN0029.jpg': arezzo,
	'gps/DSCN0038.jpg': arezzo,
	'gps/DSCN0040.jpg': arezzo,
	'gps/DSCN0042.jpg': arezzo,
	'heic/HMD_Nokia_8.3_5G_hdr.heif': {country: 'ES', town: 'Colmenar Viejo', centre: [40.659, -3.7676], note: 'north of Madrid'},
	'heic/Nikon_D5300_Stonehenge.heic': {country: 'GB', town: 'Lark Hill', centre: [51.2001, -1.8124], region: 'England', note: 'Stonehenge: Larkhill 2.5 km north, Amesbury 3 km east'},
	'heic/iPhone11ProMax_IMG_5195.HEIC': {country: 'US', town: 'Blue Springs', centre: [39.0169, -94.2816], region: 'Missouri'},
	// Töv province, 80 km from Ulaanbaatar's centre: no town of the data within 30 km.
	'heic/iPhone11Pro_exif-at-eof.heic': {country: 'MN', town: null, centre: [47.9077, 106.8832]},
	'heic/iPhone8_IMG_1034.heic': {country: 'CN', town: 'Guangzhou', centre: [23.1291, 113.2644], note: 'eastern Tianhe district'},
};

/** Great-circle kilometres. */
function km(a: readonly [number, number], b: readonly [number, number]): number {
	const rad = Math.PI / 180;
	const h = Math.sin(((b[0] - a[0]) * rad) / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(((b[1] - a[1]) * rad) / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function walk(dir: string): string[] {
	return fs.readdirSync(dir, {withFileTypes: true}).flatMap(entry => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

after(async () => endExiftool());

test('every GPS photo of the corpus gets the right country and nearest town, with no network', {skip: needsCorpus}, async () => {
	// Any attempt to reach the network fails loudly (the geodata must be on disk).
	const refuse = () => {
		throw new Error('network access while locating places');
	};

	const saved = {connect: net.Socket.prototype.connect, lookup: dns.lookup, fetch: globalThis.fetch};
	net.Socket.prototype.connect = refuse as never;
	dns.lookup = refuse as never;
	globalThis.fetch = refuse as never;
	try {
		const geodata = await loadGeodata();
		const seen: string[] = [];
		for (const file of walk(corpusDir).sort()) {
			const relative = path.relative(corpusDir, file).split(path.sep).join('/');
			let gps;
			try {
				// eslint-disable-next-line no-await-in-loop
				gps = (await readMetadata(file)).gps;
			} catch {
				continue;
			}

			if (!gps) {
				continue;
			}

			seen.push(relative);
			const expected = truth[relative];
			assert.ok(expected, `${relative} has GPS (${gps.lat}, ${gps.lon}) but no row in the table`);
			assert.ok(km([gps.lat, gps.lon], expected.centre) < (expected.town ? 20 : 100), `the table's centre for ${relative} is near its coordinates`);
			const place = geodata.locate(gps.lat, gps.lon);
			assert.equal(place.countryCode, expected.country, `${relative}: country`);
			assert.equal(place.city, expected.town, `${relative}: town`);
			if (expected.region) {
				assert.equal(place.region, expected.region, `${relative}: region`);
			}
		}

		assert.deepEqual(seen, Object.keys(truth).sort(), 'every row of the table is a corpus file with GPS');
	} finally {
		net.Socket.prototype.connect = saved.connect;
		dns.lookup = saved.lookup;
		globalThis.fetch = saved.fetch;
	}
});

test('a photo far out at sea is "at sea", and one far from any town gets its country only', async () => {
	const geodata = await loadGeodata();
	const atlantic = geodata.locate(35, -40);
	assert.deepEqual([atlantic.countryCode, atlantic.country, atlantic.city], [null, null, null]);
	// The Ténéré, in Niger: hundreds of kilometres from Agadez and Bilma.
	const sahara = geodata.locate(18.5, 10.5);
	assert.equal(sahara.countryCode, 'NE');
	assert.equal(sahara.city, null);
	// A photo in southern Paris is Paris, though Gentilly's centre is nearer; one in Gentilly's centre is Gentilly.
	assert.equal(geodata.locate(48.831, 2.355).city, 'Paris');
	assert.equal(geodata.locate(48.8133, 2.3444).city, 'Gentilly');
	// Near a border the country is the one the photo is in, and so is its town: Strasbourg, not Kehl across the Rhine.
	assert.deepEqual([geodata.locate(48.5734, 7.7521).countryCode, geodata.locate(48.5734, 7.7521).city], ['FR', 'Strasbourg']);
	assert.deepEqual([geodata.locate(48.5725, 7.8156).countryCode, geodata.locate(48.5725, 7.8156).city], ['DE', 'Kehl']);
});
