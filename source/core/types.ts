/**
 * Shared plain-data types of the engine. Pure: no I/O imports here.
 */

/** Container formats Curate recognises by content (magic bytes), never by file extension. */
export type Format =
	| 'jpeg'
	| 'png'
	| 'gif'
	| 'webp'
	| 'tiff'
	| 'bmp'
	| 'avif'
	| 'heic'
	| 'dng'
	| 'cr2'
	| 'cr3'
	| 'nef'
	| 'arw'
	| 'orf'
	| 'rw2'
	| 'raf'
	| 'raw'
	| 'mov'
	| 'mp4'
	| 'xmp'
	| 'html'
	| 'text'
	| 'empty'
	| 'unknown';

/** What a file is to the library: a decodable image, a camera raw (decoded via its preview), a video, or something else. */
export type MediaKind = 'image' | 'raw' | 'video' | 'sidecar' | 'other';

/** Where a capture time came from. `mtime` marks the fallback when no metadata date exists. */
export type TakenAtSource = 'original' | 'digitized' | 'other' | 'mtime';

export type Gps = {
	readonly lat: number;
	readonly lon: number;
	readonly alt?: number | undefined;
};

/** Metadata read from EXIF/IPTC/XMP, normalised. Every field is optional: odd EXIF is never an error. */
export type PhotoMetadata = {
	takenAt?: string | undefined;
	takenAtSource?: TakenAtSource | undefined;
	orientation?: number | undefined;
	make?: string | undefined;
	model?: string | undefined;
	lens?: string | undefined;
	gps?: Gps | undefined;
	keywords?: string[] | undefined;
	rating?: number | undefined;
	title?: string | undefined;
	description?: string | undefined;
	software?: string | undefined;
	livePhotoId?: string | undefined;
	burstId?: string | undefined;
	/** Stored (pre-orientation) size as reported by metadata; used for RAW and video. */
	width?: number | undefined;
	height?: number | undefined;
	durationSeconds?: number | undefined;
};

/** Everything a scan learns about one file. */
export type FileRecord = {
	path: string;
	size: number;
	mtimeMs: number;
	sha256: string | null;
	contentHash: string | null;
	format: Format;
	kind: MediaKind;
	width: number | null;
	height: number | null;
	orientation: number | null;
	takenAt: string | null;
	takenAtSource: TakenAtSource | null;
	make: string | null;
	model: string | null;
	lens: string | null;
	gps: Gps | null;
	keywords: string[];
	rating: number | null;
	title: string | null;
	description: string | null;
	software: string | null;
	livePhotoId: string | null;
	burstId: string | null;
	phash: string | null;
	dhash: string | null;
	/** pHashes of the picture turned 90, 180 and 270 degrees clockwise (48 hex digits), to match rotated copies. */
	phashRotations: string | null;
	/** pHashes of the centre 95% and 90% of the picture (32 hex digits): what a cropped copy looks like. */
	phashCrops: string | null;
	/** Signatures of those two centre crops (2 x 256 bytes). */
	signatureCrops: Uint8Array | null;
	/** Displayed size without a uniform frame (equal to width/height for unframed pictures). */
	contentWidth: number | null;
	contentHeight: number | null;
	/** 16x16 grey thumbnail of the (border-trimmed) picture, the second-stage check of near duplicates. */
	signature: Uint8Array | null;
	/**
	 * 32x32 grey grid of the (border-trimmed) picture, for aligning cropped copies (issue 15); written by scan, read by
	 * verification with the signatures of candidate pairs (`DupesData.verification`), so catalog rows leave it out. Null before it existed.
	 */
	detail?: Uint8Array | null;
	/** Hashes of the signature and of its crop windows (source/dupes/window-hash.ts), for finding uneven crops. */
	windowHashes?: Uint8Array | null;
	thumb: string | null;
	error: string | null;
	/** Frames or pages (animated GIF/WebP/APNG, multi-page TIFF); 1 for a still, null when not analysed. */
	frames?: number | null;
	/** True when the picture has no colour (greyscale), false when it has; null when not analysed. */
	grey?: boolean | null;
	/**
	 * HEIC only: whether the scan decoded the full picture (false: its fingerprints came from the thumbnail item, and
	 * `curate verify --deep` has the full decode left to do, issue 16); null for other formats and before analysis.
	 */
	decodedFully?: boolean | null;
};
