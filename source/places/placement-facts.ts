/**
 * What organize needs of the catalog beyond a file's own fields (issue 17): where it was taken, the capture time's
 * derived UTC offset, and its confirmed tags, for event names, `{country}`/`{city}`/`{tag:GROUP}` and rules.
 */
import type {Catalog} from '../db/catalog.js';
import {confirmedPeople} from '../db/faces.js';
import {confirmedTags, PlaceStore} from '../db/places.js';
import type {LayoutFile} from '../core/layout-plan.js';

/** Lookups by path and content. */
export type PlacementFacts = {readonly of: (path: string, sha256: string | null) => Pick<LayoutFile, 'place' | 'offset' | 'tags' | 'people'>};

/** Reads the places and confirmed tags of the catalog once. */
export function placementFacts(catalog: Catalog): PlacementFacts {
	const places = new PlaceStore(catalog).byPath();
	const tags = confirmedTags(catalog);
	const people = confirmedPeople(catalog);
	return {
		of(path, sha256) {
			const place = places.get(path);
			return {
				...(place ? {place, ...(place.utcOffset ? {offset: place.utcOffset} : {})} : {}),
				tags: (sha256 ? tags.get(sha256) : undefined) ?? [],
				people: (sha256 ? people.get(sha256) : undefined) ?? [],
			};
		},
	};
}
