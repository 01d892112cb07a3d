/**
 * Small real JPEGs with a capture time, GPS and keywords written by exiftool (issue 17's places, events and rules
 * tests). Each photo's pixels differ, so none is a duplicate of another.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import {exiftool} from '../../source/adapters/exif.js';

/** One photo to make. */
export type GeoPhoto = {
	/** Library-relative path. */
	readonly path: string;
	/** EXIF `YYYY:MM:DD HH:MM:SS`, local time without an offset (as most cameras write it). */
	readonly taken: string;
	readonly lat?: number;
	readonly lon?: number;
	readonly keywords?: readonly string[];
	readonly make?: string;
	readonly model?: string;
	/** Where the photo really is, written by hand from the coordinates (not by Curate): the tests' expectation. */
	readonly truth?: {readonly country: string; readonly city: string};
};

/** Writes the photos under `root`. */
export async function makeGeoPhotos(root: string, photos: readonly GeoPhoto[]): Promise<void> {
	for (const [index, photo] of photos.entries()) {
		const file = path.join(root, ...photo.path.split('/'));
		fs.mkdirSync(path.dirname(file), {recursive: true});
		// A different two-colour split per photo: distinct pixels, distinct perceptual hashes.
		const width = 64;
		const left = Math.round(((index * 37) % 60) + 2);
		const pixels = Buffer.alloc(width * 48 * 3);
		for (let y = 0; y < 48; y++) {
			for (let x = 0; x < width; x++) {
				const offset = (y * width + x) * 3;
				const on = (x < left) !== (y < ((index * 13) % 40) + 4);
				pixels[offset] = on ? (index * 53) % 256 : 255 - ((index * 29) % 256);
				pixels[offset + 1] = on ? (index * 97) % 256 : (index * 11) % 256;
				pixels[offset + 2] = on ? 40 : 200;
			}
		}

		// eslint-disable-next-line no-await-in-loop
		await sharp(pixels, {raw: {width, height: 48, channels: 3}}).jpeg({quality: 90}).toFile(file);
		const tags: Record<string, unknown> = {DateTimeOriginal: photo.taken, CreateDate: photo.taken, Make: photo.make ?? 'Canon', Model: photo.model ?? 'Canon EOS 80D'};
		if (photo.lat !== undefined && photo.lon !== undefined) {
			Object.assign(tags, {
				GPSLatitude: Math.abs(photo.lat),
				GPSLatitudeRef: photo.lat < 0 ? 'S' : 'N',
				GPSLongitude: Math.abs(photo.lon),
				GPSLongitudeRef: photo.lon < 0 ? 'W' : 'E',
			});
		}

		if (photo.keywords) {
			tags['XMP-dc:Subject'] = [...photo.keywords];
		}

		// eslint-disable-next-line no-await-in-loop
		await exiftool().write(file, tags as never, {writeArgs: ['-overwrite_original']});
	}
}

/** A library with one trip to Paris (an event), other French and foreign photos, and birthday photos without GPS. */
export const tripPhotos: readonly GeoPhoto[] = [
	// One event in Paris (the Eiffel Tower, the Louvre, Montmartre), keyworded "friends": the place names it, not the keyword.
	{path: 'inbox/a/IMG_0001.JPG', taken: '2019:05:03 10:00:00', lat: 48.8584, lon: 2.2945, keywords: ['friends'], truth: {country: 'FR', city: 'Paris'}},
	{path: 'inbox/a/IMG_0002.JPG', taken: '2019:05:03 12:30:00', lat: 48.8606, lon: 2.3376, keywords: ['friends'], truth: {country: 'FR', city: 'Paris'}},
	{path: 'inbox/b/IMG_0003.JPG', taken: '2019:05:03 16:00:00', lat: 48.8867, lon: 2.3431, keywords: ['friends'], truth: {country: 'FR', city: 'Paris'}},
	// Paris in summer (Notre-Dame) and in winter (the Arc de Triomphe): +02:00 and +01:00.
	{path: 'inbox/b/IMG_0004.JPG', taken: '2019:07:14 10:00:00', lat: 48.853, lon: 2.3499, truth: {country: 'FR', city: 'Paris'}},
	{path: 'inbox/c/IMG_0005.JPG', taken: '2019:01:10 15:00:00', lat: 48.8738, lon: 2.295, truth: {country: 'FR', city: 'Paris'}},
	// Lyon: France in 2019; Paris in 2018 and Berlin in 2019 are not "place:france year:2019".
	{path: 'inbox/c/IMG_0006.JPG', taken: '2019:03:01 11:00:00', lat: 45.764, lon: 4.8357, truth: {country: 'FR', city: 'Lyon'}},
	{path: 'inbox/c/IMG_0007.JPG', taken: '2018:06:01 11:00:00', lat: 48.8566, lon: 2.3522, truth: {country: 'FR', city: 'Paris'}},
	{path: 'inbox/d/IMG_0008.JPG', taken: '2019:06:01 11:00:00', lat: 52.52, lon: 13.405, truth: {country: 'DE', city: 'Berlin'}},
	// A birthday without GPS, keyworded "birthday".
	{path: 'inbox/d/IMG_0009.JPG', taken: '2019:09:01 18:00:00', keywords: ['birthday']},
	{path: 'inbox/e/IMG_0010.JPG', taken: '2019:09:01 18:30:00', keywords: ['Birthday', 'cake']},
];
