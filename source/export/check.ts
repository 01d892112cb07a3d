import type {StripMode} from '../adapters/exif-write.js';

/**
 * Judges an exported file's tags (as exiftool reads them back, keyed `Group:Tag`) against what its strip mode
 * promises. Pure, so the rules are tested without files. Returns the offending tag keys, empty when clean.
 */
export function leakedTags(tags: Readonly<Record<string, unknown>>, mode: StripMode): string[] {
	const keys = Object.keys(tags).filter(key => key.includes(':'));
	if (mode === 'none') {
		return [];
	}

	if (mode === 'all') {
		// What any file has (its name, size, type, the encoder's own header) is not metadata from the master.
		const structural = /^(ExifTool|System|File|Composite|JFIF|RIFF|VP8L?X?|WebP):/;
		return keys.filter(key => !structural.test(key));
	}

	const identifying = [
		/(^|:)GPS/i,
		/serial/i,
		/(^|:)(OwnerName|CameraOwnerName|Artist|By-line|By-lineTitle|ImageUniqueID|CameraID)$/i,
		/:Creator/i,
		/:(City|Sub-location|Province-State|State|Country|CountryCode|Country-PrimaryLocationName|Country-PrimaryLocationCode|Location)$/i,
		/:Location(Shown|Created)/i,
		/^MakerNotes|^(Apple|Canon|Nikon|Sony|Olympus|Panasonic|Pentax|Samsung|FujiFilm|Minolta|Ricoh|Sigma|Kodak|Casio|Sanyo|Leica):/i,
	];
	return keys.filter(key => identifying.some(pattern => pattern.test(key)));
}

/** Whether a file's tags still hold a capture date (EXIF DateTimeOriginal or CreateDate, or their XMP forms). */
export function hasCaptureDate(tags: Readonly<Record<string, unknown>>): boolean {
	return Object.keys(tags).some(key => /^(ExifIFD|XMP-exif|XMP-xmp|XMP-photoshop):(DateTimeOriginal|CreateDate|DateCreated)$/.test(key));
}
