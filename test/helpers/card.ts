import fs from 'node:fs';
import path from 'node:path';
import {ExifTool} from 'exiftool-vendored';
import sharp from 'sharp';

/**
 * Builds camera-card-like folders of real files for import tests (issue 8): JPEGs with EXIF dates, a Live Photo
 * (JPEG still with an Apple maker note ContentIdentifier + a QuickTime movie with the same Keys:ContentIdentifier),
 * a DNG with an embedded preview beside its JPEG, and XMP sidecars. Every photo has its own pixels, so its own hash.
 */

/** A QuickTime movie exiftool accepts (ftyp qt + a movie header), small enough to build by hand. */
function tinyMov(): Buffer {
	const box = (type: string, body: Buffer) => {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(8 + body.length);
		header.write(type, 4, 'latin1');
		return Buffer.concat([header, body]);
	};

	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(600, 12);
	mvhd.writeUInt32BE(0x0001_0000, 20);
	mvhd.writeUInt16BE(0x0100, 24);
	for (const [index, value] of [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000].entries()) {
		mvhd.writeUInt32BE(value, 36 + index * 4);
	}

	mvhd.writeUInt32BE(2, 96);
	return Buffer.concat([box('ftyp', Buffer.from('qt  \0\0\0\0qt  ', 'latin1')), box('moov', box('mvhd', mvhd)), box('mdat', Buffer.alloc(0))]);
}

/** Apple's maker note with a Live Photo ContentIdentifier (tag 0x0011), as iPhones write it. */
function appleMakerNote(contentId: string): Buffer {
	const text = Buffer.from(`${contentId}\0`, 'latin1');
	const ifd = Buffer.alloc(18);
	ifd.writeUInt16BE(1, 0);
	ifd.writeUInt16BE(0x0011, 2);
	ifd.writeUInt16BE(2, 4);
	ifd.writeUInt32BE(text.length, 6);
	ifd.writeUInt32BE(14 + ifd.length, 10);
	return Buffer.concat([Buffer.from('Apple iOS\0\0\u0001MM', 'latin1'), ifd, text]);
}

let seed = 0;

/** A small JPEG whose pixels differ from every other one this process makes. */
export async function uniqueJpeg(): Promise<Buffer> {
	seed++;
	const width = 96;
	const height = 64;
	const pixels = Buffer.alloc(width * height * 3);
	for (let i = 0; i < pixels.length; i++) {
		pixels[i] = (i * (seed * 37 + 11) + seed * 101) % 251;
	}

	return sharp(pixels, {raw: {width, height, channels: 3}}).jpeg({quality: 85}).toBuffer();
}

/** What `buildCard` puts where (paths relative to the card). */
export type CardFile = {
	readonly path: string;
	/** Wall-clock capture time written to the file, `YYYY:MM:DD HH:MM:SS`; none for sidecars. */
	readonly date?: string;
	readonly kind: 'jpeg' | 'dng' | 'mov' | 'xmp' | 'bytes';
	readonly make?: string;
	readonly model?: string;
	readonly contentId?: string;
	/** For `bytes`: the exact content (e.g. a copy of a library photo, or an empty file). */
	readonly bytes?: Buffer;
};

/** Writes the files into `dir` with real metadata; returns absolute paths by card path. */
export async function buildCard(dir: string, files: readonly CardFile[]): Promise<Map<string, string>> {
	const exiftool = new ExifTool({maxProcs: 1, backfillTimezones: false});
	const written = new Map<string, string>();
	try {
		for (const file of files) {
			const absolute = path.join(dir, file.path);
			fs.mkdirSync(path.dirname(absolute), {recursive: true});
			const tags: Record<string, string> = {};
			if (file.make) {
				tags.Make = file.make;
			}

			if (file.model) {
				tags.Model = file.model;
			}

			const args = ['-overwrite_original'];
			switch (file.kind) {
				case 'jpeg': {
					// eslint-disable-next-line no-await-in-loop
					fs.writeFileSync(absolute, await uniqueJpeg());
					if (file.date) {
						tags.DateTimeOriginal = file.date;
					}

					if (file.contentId) {
						const note = `${absolute}.makernote`;
						fs.writeFileSync(note, appleMakerNote(file.contentId));
						args.push(`-MakerNotes<=${note}`);
					}

					break;
				}

				case 'dng': {
					// A TIFF made a DNG by its DNGVersion tag, with an embedded JPEG preview as raws carry.
					const preview = `${absolute}.preview.jpg`;
					// eslint-disable-next-line no-await-in-loop
					fs.writeFileSync(preview, await uniqueJpeg());
					// eslint-disable-next-line no-await-in-loop
					await sharp({create: {width: 64, height: 48, channels: 3, background: {r: seed % 255, g: 90, b: 30}}}).tiff().toFile(absolute);
					tags.DNGVersion = '1.4.0.0';
					if (file.date) {
						tags.DateTimeOriginal = file.date;
					}

					args.push(`-PreviewImage<=${preview}`);
					break;
				}

				case 'mov': {
					fs.writeFileSync(absolute, tinyMov());
					if (file.date) {
						tags['QuickTime:CreateDate'] = file.date;
					}

					if (file.contentId) {
						tags['Keys:ContentIdentifier'] = file.contentId;
					}

					break;
				}

				case 'xmp': {
					fs.writeFileSync(absolute, `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4"/></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>\n`);
					break;
				}

				case 'bytes': {
					fs.writeFileSync(absolute, file.bytes ?? Buffer.alloc(0));
					break;
				}
			}

			if (Object.keys(tags).length > 0 || args.length > 1) {
				// eslint-disable-next-line no-await-in-loop
				await exiftool.write(absolute, tags as any, {writeArgs: args});
			}

			for (const leftover of [`${absolute}.makernote`, `${absolute}.preview.jpg`]) {
				fs.rmSync(leftover, {force: true});
			}

			written.set(file.path, absolute);
		}
	} finally {
		await exiftool.end();
	}

	return written;
}
