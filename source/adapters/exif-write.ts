import {exiftool} from './exif.js';

/** What an export keeps of its master's metadata. */
export type StripMode = 'gps' | 'all' | 'none';

/**
 * Tags an export with `--strip gps` leaves out: where the photo was taken (GPS in EXIF and XMP, place names), which
 * device took it (body, lens and internal serial numbers, unique ids that embed them) and who owns it (owner, artist
 * and creator contact names). Maker notes go too: they are undocumented per vendor and some hold serials or places.
 * Edit history (XMP-xmpMM) can name folders on the owner's disk. Wildcards match the tag name in every group.
 */
export const identifyingTags: readonly string[] = [
	'GPS:all', 'GPS*', 'XMP-exif:GPS*',
	'*SerialNumber', '*Serial', 'ImageUniqueID', 'CameraID', 'InternalSerialNumber',
	'OwnerName', 'CameraOwnerName', 'Artist', 'Creator', 'By-line', 'By-lineTitle', 'Creator*', 'XMP-iptcCore:all',
	'City', 'Sub-location', 'Province-State', 'Country*', 'State', 'Location*', 'XMP-iptcExt:Location*',
	'MakerNotes:all', 'XMP-xmpMM:all',
];

/**
 * Tags never copied from a master, whatever the mode: the export's pixels are already turned upright and converted
 * to sRGB, so the master's orientation, pixel sizes, colour profile and embedded thumbnails would now be wrong.
 */
const staleTags: readonly string[] = [
	'Orientation', 'ExifImageWidth', 'ExifImageHeight', 'PixelXDimension', 'PixelYDimension', 'ImageWidth', 'ImageHeight',
	'ICC_Profile:all', 'ColorSpace', 'ThumbnailImage', 'PreviewImage', 'JpgFromRaw', 'OtherImage', 'IFD1:all',
];

/**
 * Copies a master's metadata onto an exported file (which sharp wrote without any), leaving out the stale tags and,
 * for `gps`, the identifying ones; then states the export's own orientation (upright), size and colour space.
 * `all` copies nothing.
 */
export async function copyMetadata(master: string, output: string, mode: StripMode, size: {readonly width: number; readonly height: number}): Promise<void> {
	if (mode === 'all') {
		return;
	}

	const excluded = [...staleTags, ...(mode === 'gps' ? identifyingTags : [])].map(tag => `--${tag}`);
	await exiftool().write(
		output,
		{},
		{
			writeArgs: [
				'-overwrite_original',
				'-TagsFromFile', master, '-all:all', '-unsafe', ...excluded,
				// Assignments after the copy win over copied values.
				'-IFD0:Orientation#=1', `-ExifIFD:ExifImageWidth#=${size.width}`, `-ExifIFD:ExifImageHeight#=${size.height}`, '-ExifIFD:ColorSpace#=1',
			],
		},
	);
}

/** Every tag exiftool finds in a file, keyed `Group:Tag` (family 1 groups, duplicates included), numeric values. */
export async function readAllTags(file: string): Promise<Record<string, unknown>> {
	return (await exiftool().readRaw(file, ['-json', '-a', '-G1', '-n', '-charset', 'filename=utf8'])) as Record<string, unknown>;
}
