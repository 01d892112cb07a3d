// Types for build.mjs, so TypeScript tests can import the fixture builder without `any`.

export type FixtureRole = 'original' | 'exact' | 'variant' | 'orientation' | 'burst' | 'color' | 'broken' | 'clutter';

export type FixtureTransform =
	| 'resize50'
	| 'png'
	| 'webp'
	| 'strip'
	| 'rotate90-pixels'
	| 'rotate-exif'
	| 'crop92'
	| 'brightness'
	| 'grey'
	| 'border'
	| 'watermark'
	| `orient-${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`;

/** What a scanner should read from the file (originals, exact copies, orientation files, burst frames). */
export type FixtureExpect = {
	/** ISO 8601 with the capture offset, "Z" for +00:00. */
	takenAt: string;
	make: string;
	model: string;
	lens: string | null;
	gps: {lat: number; lon: number; alt: number} | null;
	keywords: string[];
	rating: number | null;
	description: string | null;
	/** EXIF Orientation, or null when the file has none. */
	orientation: number | null;
};

export type FixtureFile = {
	/** Relative to the library root, "/"-separated, NFC. */
	path: string;
	role: FixtureRole;
	/** The original this file duplicates (exact, variant, orientation). */
	of?: string;
	/** Provenance only, for broken and clutter files: not a duplicate. */
	derivedFrom?: string;
	transform?: FixtureTransform;
	expect?: FixtureExpect;
	/** Variants: whether the original's EXIF was kept. */
	keepsExif?: boolean;
	/** Variants: false when the displayed frame differs (rotated, cropped, bordered, watermarked). */
	sameFraming?: boolean;
	/** Burst frames of one moment share a group. */
	group?: string;
	/** Colour photos: "red" | "green" | "blue". */
	color?: string;
	/** Broken inputs: true when no reader can decode the image. */
	error?: boolean;
	/** Broken inputs whose content is a valid image of another format than the extension says. */
	actualFormat?: string;
	note?: string;
	bytes: number;
	sha256: string;
	/** Decoded format and stored (pre-orientation) size, for files sharp can read. */
	format?: string;
	width?: number;
	height?: number;
};

export type FixtureManifest = {
	generator: string;
	version: number;
	notes: string[];
	skipped: Array<{kind: string; reason: string}>;
	files: FixtureFile[];
};

export const DEFAULT_OUT_DIR: string;

/** Wipes `outDir` (only if empty or built by this script), builds the sample library there and returns its manifest. */
export function buildSampleLibrary(outDir?: string): Promise<FixtureManifest>;
