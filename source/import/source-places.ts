/**
 * Places of photos being imported (issue 17), before they are in the catalog: import names their events after where
 * they were taken and rules may file them by it. The geodata loads only when some new photo has GPS.
 */
import type {SourceFacts} from './plan-import.js';
import type {NewSource} from './sources.js';
import {loadGeodata} from '../places/geodata.js';
import {locateRows} from '../places/locate.js';

/** The place lookup of the new sources, or undefined when none has GPS. */
export async function sourcePlaces(files: readonly NewSource[]): Promise<SourceFacts | undefined> {
	const located = files.filter(file => file.record?.gps);
	if (located.length === 0) {
		return undefined;
	}

	const geodata = await loadGeodata();
	const rows = locateRows(
		geodata,
		located.map((file, index) => ({id: index, sha256: null, lat: file.record!.gps!.lat, lon: file.record!.gps!.lon, takenAt: file.record!.takenAt})),
	);
	const byFile = new Map(located.map((file, index) => [file, rows[index]!]));
	return file => {
		const row = byFile.get(file);
		return row ? {place: row, ...(row.utcOffset ? {offset: row.utcOffset} : {})} : {};
	};
}
