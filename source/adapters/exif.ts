import os from 'node:os';
import {ExifDateTime, ExifTool, type Tags} from 'exiftool-vendored';
import type {PhotoMetadata, TakenAtSource} from '../core/types.js';

/**
 * The only place that talks to exiftool. One long-lived exiftool per core in `-stay_open` batch mode, so a scan
 * pays the Perl start-up once, not per file.
 */
let shared: ExifTool | undefined;

/** The shared ExifTool instance (created on first use). */
export function exiftool(): ExifTool {
	shared ??= new ExifTool({
		maxProcs: Math.max(1, Math.min(4, os.availableParallelism())),
		taskTimeoutMillis: 60_000,
		// Capture times must not be invented from the machine's own zone.
		backfillTimezones: false,
	});
	return shared;
}

/** Stops exiftool's child processes; every command calls this before exit. */
export async function endExiftool(): Promise<void> {
	if (shared) {
		const instance = shared;
		shared = undefined;
		await instance.end();
	}
}

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** ISO 8601 from an exiftool date, with the UTC offset only when the file (or its GPS position) tells it. */
export function isoFromExifDate(value: unknown): string | undefined {
	if (!(value instanceof ExifDateTime)) {
		return undefined;
	}

	const {year, month, day, hour, minute, second, millisecond, tzoffsetMinutes} = value;
	if (!year || year < 1800 || year > 2200 || !month || !day) {
		return undefined;
	}

	let iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
	if (millisecond) {
		iso += `.${pad(millisecond, 3)}`;
	}

	if (typeof tzoffsetMinutes === 'number' && Number.isFinite(tzoffsetMinutes)) {
		iso += tzoffsetMinutes === 0 ? 'Z' : `${tzoffsetMinutes < 0 ? '-' : '+'}${pad(tzoffsetMinutes / 60)}:${pad(tzoffsetMinutes % 60)}`;
	}

	return iso;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number') {
		return String(value);
	}

	if (typeof value !== 'string') {
		return undefined;
	}

	const trimmed = value.replaceAll('\0', '').trim();
	return trimmed === '' ? undefined : trimmed;
}

function number(value: unknown): number | undefined {
	const n = typeof value === 'string' ? Number.parseFloat(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function list(value: unknown): string[] {
	const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
	return items.map(item => text(item)).filter((item): item is string => item !== undefined);
}

/** Maps exiftool's tags to Curate's metadata. Pure: used by the scanner and by tests on real files. */
export function metadataFromTags(tags: Tags): PhotoMetadata {
	const t = tags as Record<string, unknown>;
	const candidates: Array<[unknown, TakenAtSource]> = [
		[t.SubSecDateTimeOriginal, 'original'],
		[t.DateTimeOriginal, 'original'],
		[t.CreateDate, 'digitized'],
		[t.DateTimeDigitized, 'digitized'],
		[t.CreationDate, 'other'],
		[t.MediaCreateDate, 'other'],
		[t.GPSDateTime, 'other'],
		[t.DateCreated, 'other'],
		[t.ModifyDate, 'other'],
	];
	let takenAt: string | undefined;
	let takenAtSource: TakenAtSource | undefined;
	for (const [value, source] of candidates) {
		const iso = isoFromExifDate(value);
		if (iso) {
			takenAt = iso;
			takenAtSource = source;
			break;
		}
	}

	const lat = number(t.GPSLatitude);
	const lon = number(t.GPSLongitude);
	// (0, 0) is what broken phone firmware writes when it had no fix, not a photo taken in the Gulf of Guinea.
	const gps =
		lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0)
			? {lat, lon, ...(number(t.GPSAltitude) === undefined ? {} : {alt: number(t.GPSAltitude)})}
			: undefined;

	const keywords = [...new Set([...list(t.Keywords), ...list(t.Subject)])];
	const orientation = number(t.Orientation);
	const rating = number(t.Rating);

	return {
		takenAt,
		takenAtSource,
		orientation: orientation !== undefined && orientation >= 1 && orientation <= 8 ? orientation : undefined,
		make: text(t.Make),
		model: text(t.Model),
		lens: text(t.LensModel) ?? text(t.LensID) ?? text(t.Lens),
		gps,
		keywords,
		rating: rating !== undefined && rating >= -1 && rating <= 5 ? Math.round(rating) : undefined,
		title: text(t.Title) ?? text(t.ObjectName),
		description: text(t.ImageDescription) ?? text(t.Description) ?? text(t['Caption-Abstract']),
		software: text(t.Software),
		livePhotoId: text(t.ContentIdentifier) ?? text(t.MediaGroupUUID),
		burstId: text(t.BurstUUID),
		width: number(t.ImageWidth),
		height: number(t.ImageHeight),
		durationSeconds: number(t.Duration),
	};
}

/** Reads a file's metadata. Odd or invalid EXIF is never an error: what can be read is returned. */
export async function readMetadata(file: string): Promise<PhotoMetadata> {
	const tags = await exiftool().read(file, {readArgs: ['-fast']});
	return metadataFromTags(tags);
}

/** Names of binary tags that may hold a RAW file's embedded JPEG preview, largest first. */
const previewTags = ['JpgFromRaw', 'PreviewImage', 'OtherImage', 'ThumbnailImage'] as const;

/** The largest embedded JPEG preview of a RAW file, or undefined when it has none worth decoding. */
export async function extractRawPreview(file: string): Promise<Buffer | undefined> {
	let best: Buffer | undefined;
	for (const tag of previewTags) {
		try {
			// eslint-disable-next-line no-await-in-loop
			const buffer = await exiftool().extractBinaryTagToBuffer(tag, file);
			if (buffer.length > 1024 && buffer[0] === 0xff && buffer[1] === 0xd8 && (!best || buffer.length > best.length)) {
				best = buffer;
			}
		} catch {}
	}

	return best;
}
