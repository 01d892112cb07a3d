import {exiftool} from './exif.js';

/**
 * Tags never copied from a master, whatever the mode: the export's pixels are already turned upright and converted
 * to sRGB (with their own sRGB profile), so the master's orientation, pixel sizes, colour profile and embedded
 * thumbnails would now be wrong.
 */
const staleTags: readonly string[] = [
	'Orientation', 'ExifImageWidth', 'ExifImageHeight', 'PixelXDimension', 'PixelYDimension', 'ImageWidth', 'ImageHeight',
	'ICC_Profile:all', 'ColorSpace', 'ThumbnailImage', 'PreviewImage', 'JpgFromRaw', 'OtherImage', 'IFD1:all',
];

/** How one copy's metadata is written: the strip rule's arguments and what the library adds from a sidecar. */
export type MetadataCopy = {
	/** Whether anything is copied from the master at all (`--strip all` copies nothing). */
	readonly copy: boolean;
	/** exiftool `--TAG` arguments: the strip rule's exclusions and the master's tags a sidecar replaces. */
	readonly exclude: readonly string[];
	/** exiftool `-TAG=` arguments run on the copy afterwards (serials inside a kept maker-note block). */
	readonly delete: readonly string[];
	/** Tags to set on the copy afterwards (the sidecar's curation), as exiftool-vendored writes them. */
	readonly set: Readonly<Record<string, unknown>>;
};

/**
 * Copies a master's metadata onto an exported file (which sharp wrote with nothing but its colour profile), leaving
 * out the stale tags and what `copy.exclude` names; then states the export's own orientation (upright), size and
 * colour space. A second write, only when needed, deletes `copy.delete` and sets `copy.set`.
 */
export async function copyMetadata(master: string, output: string, copy: MetadataCopy, size: {readonly width: number; readonly height: number}): Promise<void> {
	if (copy.copy) {
		await exiftool().write(
			output,
			{},
			{
				writeArgs: [
					'-overwrite_original',
					'-TagsFromFile', master, '-all:all', '-unsafe', ...staleTags.map(tag => `--${tag}`), ...copy.exclude,
					// Assignments after the copy win over copied values.
					'-IFD0:Orientation#=1', `-ExifIFD:ExifImageWidth#=${size.width}`, `-ExifIFD:ExifImageHeight#=${size.height}`, '-ExifIFD:ColorSpace#=1',
				],
			},
		);
	}

	if (copy.delete.length > 0 || Object.keys(copy.set).length > 0) {
		// A separate write: deletions in the copying command do not reach into a maker-note block copied whole.
		await exiftool().write(output, {...copy.set} as never, {writeArgs: ['-overwrite_original', '-charset', 'iptc=UTF8', ...copy.delete]});
	}
}

/** Every tag exiftool finds in a file, keyed `Group:Tag` (family 1 groups, duplicates included), numeric values. */
export async function readAllTags(file: string): Promise<Record<string, unknown>> {
	return (await exiftool().readRaw(file, ['-json', '-a', '-G1', '-n', '-charset', 'filename=utf8'])) as Record<string, unknown>;
}

/**
 * Every tag exiftool finds in a file, unknown ones included, keyed `Family0:Family1:Tag` (`MakerNotes:Canon:MacroMode`,
 * `Composite:GPSPosition`), so a rule can name either family.
 */
export async function readTagsByGroups(file: string): Promise<Record<string, unknown>> {
	return (await exiftool().readRaw(file, ['-json', '-a', '-u', '-G0:1', '-n', '-charset', 'filename=utf8'])) as Record<string, unknown>;
}

/** Sets tags on an exported copy (exiftool-vendored's encoding of values and lists). */
export async function writeTags(output: string, tags: Readonly<Record<string, unknown>>): Promise<void> {
	await exiftool().write(output, {...tags} as never, {writeArgs: ['-overwrite_original', '-charset', 'iptc=UTF8']});
}
