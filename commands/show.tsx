import path from 'node:path';
import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import type {StoredFile} from '../source/db/catalog.js';
import {fileBackups} from '../source/health/file-backups.js';
import {PlaceStore, type StoredPlace} from '../source/db/places.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';
import {formatBytes} from '../source/core/format.js';

export {description, usage, examples, flags} from './show.spec.js';

/** The public JSON shape of one file (issue #2). */
export function fileJson(file: StoredFile) {
	return {
		path: file.path,
		sha256: file.sha256,
		phash: file.phash,
		dhash: file.dhash,
		format: file.format,
		width: file.width,
		height: file.height,
		orientation: file.orientation,
		takenAt: file.takenAt,
		takenAtSource: file.takenAtSource,
		make: file.make,
		model: file.model,
		lens: file.lens,
		gps: file.gps ? {lat: file.gps.lat, lon: file.gps.lon} : null,
		altitude: file.gps?.alt ?? null,
		keywords: file.keywords,
		rating: file.rating,
		title: file.title,
		description: file.description,
		livePhotoId: file.livePhotoId,
		burstId: file.burstId,
		size: file.size,
		status: file.status,
		error: file.error,
	};
}

/** The public JSON shape of a file's place (issue 17). */
function placeJson(place: StoredPlace) {
	return {
		country: place.country,
		countryCode: place.countryCode,
		region: place.region,
		city: place.city,
		distanceKm: place.distanceKm,
		timeZone: place.timeZone,
		utcOffset: place.utcOffset,
		offsetDerived: place.utcOffset !== null,
	};
}

/** `curate show PATH`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	const target = input[0];
	if (!target) {
		throw new UserError('show needs a PATH (see curate show --help)');
	}

	const library = findLibrary({library: options.library as string | undefined, cwd: path.resolve(cwd, path.dirname(target))});
	const relative = path.relative(library.root, path.resolve(cwd, target)).split(path.sep).join('/');
	const catalog = openForRead(library);
	try {
		const file = catalog.fileByPath(relative);
		if (!file) {
			// The shell hands over a name that is not valid UTF-8 with U+FFFD where the bad bytes were; scan reports such files.
			const hint = relative.includes('\uFFFD') ? 'its name is not valid UTF-8, so scan reports it instead of cataloguing it: rename it and scan again' : 'run curate scan first?';
			throw new UserError(`not in the catalog: ${relative} (${hint})`);
		}

		const backups = fileBackups(catalog, file.path);
		// Where it was taken and the offset derived from there (issue 17), once curate places (or scan) located it.
		const place = new PlaceStore(catalog).placeOf(file.id);
		const json = {...fileJson(file), place: place ? placeJson(place) : null, backups};
		if (options.json) {
			stdout.write(safeJson(json, 2) + '\n');
			return 0;
		}

		const rows: Array<[string, string]> = [
			['path', file.path],
			['status', file.status],
			['size', `${formatBytes(file.size)} (${file.size} bytes)`],
			['format', `${file.format}${file.width ? ` ${file.width}x${file.height}` : ''}`],
			['sha256', file.sha256 ?? '-'],
			['phash / dhash', `${file.phash ?? '-'} / ${file.dhash ?? '-'}`],
			['orientation', String(file.orientation ?? '-')],
			['taken', `${file.takenAt ?? '-'}${file.takenAtSource === 'mtime' ? ' (file time: no date in metadata)' : ''}`],
			['camera', [file.make, file.model].filter(Boolean).join(' ') || '-'],
			['lens', file.lens ?? '-'],
			['place', place ? [place.city, place.region, place.country ?? 'at sea'].filter(Boolean).join(', ') : '-'],
			['local time', place?.utcOffset ? `UTC${place.utcOffset} (derived from GPS: ${place.timeZone ?? '?'})` : '-'],
			['gps', file.gps ? `${Number(file.gps.lat).toFixed(5)}, ${Number(file.gps.lon).toFixed(5)}${file.gps.alt === undefined ? '' : ` (${Math.round(file.gps.alt)} m)`}` : '-'],
			// A catalog row is data written by other commands (and replayed journals): never trust its shape to print it.
			['keywords', (Array.isArray(file.keywords) ? file.keywords.map(String).join(', ') : String(file.keywords ?? '')) || '-'],
			['rating', String(file.rating ?? '-')],
			['title', String(file.title ?? '-')],
			['description', String(file.description ?? '-')],
			['error', file.error ?? '-'],
			...(backups.length === 0
				? [['backups', 'none (curate backup)'] as [string, string]]
				: backups.map((backup, index): [string, string] => [index === 0 ? 'backups' : '', `${backup.location}: ${backup.backedUpAt.slice(0, 16).replace('T', ' ')}${backup.snapshot ? `, snapshot ${backup.snapshot}` : ''}${backup.current ? '' : ' (an older version)'}`])),
		];
		stdout.write(rows.map(([key, value]) => `${key.padEnd(14)} ${sanitize(value)}`).join('\n') + '\n');
		return 0;
	} finally {
		catalog.close();
	}
}
