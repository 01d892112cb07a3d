/**
 * Face regions for an export that keeps them (`curate export --keep-faces`, issue 19). The copy is upright (its
 * orientation applied, then 1) and perhaps smaller, so regions copied as they are would sit in the wrong place on a
 * photo shown turned. The regions come from the photo's sidecar when it holds any (where Curate writes confirmed
 * people; the sidecar wins, as in the scan), else from the master itself, and are turned upright; normalised areas
 * survive a resize, and `AppliedToDimensions` becomes the copy's size.
 */
import {readStructTags, sidecarOf} from '../adapters/exif.js';
import {mwgArea, shownBox} from './regions.js';

type Region = {Area?: {X?: unknown; Y?: unknown; W?: unknown; H?: unknown; Unit?: unknown}} & Record<string, unknown>;

const asList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** The region tags to set on an upright copy, and the exiftool `--TAG` arguments that keep the master's own out. */
export async function uprightFaceTags(
	master: string,
	orientation: number | null,
	size: {readonly width: number; readonly height: number},
): Promise<{readonly tags: Record<string, unknown>; readonly replaces: readonly string[]}> {
	const wanted = ['XMP-mwg-rs:RegionInfo', 'XMP-iptcExt:PersonInImage'];
	const sidecar = sidecarOf(master);
	let source = sidecar ? await readStructTags(sidecar, wanted) : {};
	if (source.RegionInfo === undefined && source.PersonInImage === undefined) {
		source = await readStructTags(master, wanted);
	}

	const info = (source.RegionInfo ?? {}) as {RegionList?: unknown};
	const regions = asList(info.RegionList).flatMap(item => {
		const region = item as Region;
		const area = region.Area;
		const numbers = [area?.X, area?.Y, area?.W, area?.H].map(Number);
		// Only normalised areas can be turned; a region in pixels or without an area is left out rather than misplaced.
		if (!area || (area.Unit !== undefined && area.Unit !== 'normalized') || numbers.some(value => !Number.isFinite(value))) {
			return [];
		}

		const [x, y, w, h] = numbers as [number, number, number, number];
		const upright = mwgArea(shownBox({x, y, w, h}, orientation), 1);
		return [{...region, Area: {X: upright.x, Y: upright.y, W: upright.w, H: upright.h, Unit: 'normalized'}}];
	});
	const people = asList(source.PersonInImage).map(String);
	return {
		tags: {
			RegionInfo: regions.length > 0 ? {AppliedToDimensions: {W: size.width, H: size.height, Unit: 'pixel'}, RegionList: regions} : null,
			PersonInImage: people.length > 0 ? people : null,
		},
		// The master's own regions (any scheme) would not be turned: only the ones set here go into the copy.
		replaces: ['--XMP-mwg-rs:all', '--XMP-MP:all', '--XMP-iptcExt:PersonInImage'],
	};
}
