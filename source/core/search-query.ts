/**
 * `curate search` queries (issue 6): free text plus filters, e.g. `beach tag:people year:2019 camera:pixel`. Pure.
 */

/** A parsed query. Every filter list is AND-ed; values within one key are OR-ed (year:2018 year:2019). */
export type SearchQuery = {
	/** The words CLIP ranks by; empty for a filter-only query. */
	readonly text: string;
	readonly tags: readonly string[];
	/** Inclusive year ranges. */
	readonly years: ReadonlyArray<readonly [number, number]>;
	readonly cameras: readonly string[];
	readonly paths: readonly string[];
	/** `place:` terms (issue 17): a country code, or a country, region or town name; AND-ed like the others. */
	readonly places?: readonly string[];
	/** People named on faces (issue 19), each required, matched without regard to case. */
	readonly persons?: readonly string[];
};

/** The filters a query may hold, in the order help lists them. */
export const filterKeys = ['tag', 'year', 'camera', 'path', 'place', 'person'] as const;
const keys = filterKeys;

/** Splits on spaces, keeping "quoted parts" (also `camera:"EOS R5"`) together; `quoted` when the token starts with a quote. */
function tokens(input: string): Array<{text: string; quoted: boolean}> {
	return [...input.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map(match => ({text: match[0].replaceAll('"', ''), quoted: match[0].startsWith('"')}));
}

/**
 * Whether `token` looks like a filter (`yr:2019`, `Camera:pixel`): a short word of letters, a colon and a value that is
 * not a path or a time (`http://…`, `10:30` and `"note: this"` stay free text).
 */
function looksLikeFilter(key: string, value: string): boolean {
	return /^[a-z]{2,12}$/i.test(key) && value !== '' && !value.startsWith('/');
}

/** Parses a query; throws an Error for a malformed filter value (e.g. `year:soon`). */
export function parseQuery(input: string): SearchQuery {
	const text: string[] = [];
	const query = {tags: [] as string[], years: [] as Array<[number, number]>, cameras: [] as string[], paths: [] as string[], places: [] as string[], persons: [] as string[]};
	for (const {text: token, quoted} of tokens(input)) {
		const colon = quoted ? -1 : token.indexOf(':');
		const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
		const value = token.slice(colon + 1).trim();
		if (!(keys as readonly string[]).includes(key)) {
			if (colon > 0 && looksLikeFilter(key, value)) {
				// `yr:2019` used to become free text in silence, and found photos of something else.
				throw new Error(`${token.slice(0, colon)}: is not a filter; the filters are ${filterKeys.map(name => `${name}:`).join(', ')} (put "${token}" in quotes to search for the words)`);
			}

			text.push(token);
			continue;
		}

		if (!value) {
			throw new Error(`${key}: needs a value, e.g. ${key === 'year' ? 'year:2019' : `${key}:something`}`);
		}

		switch (key) {
			case 'tag': {
				query.tags.push(value.toLowerCase());
				break;
			}

			case 'year': {
				const match = /^(\d{4})(?:(?:-|\.\.)(\d{4}))?$/.exec(value);
				if (!match) {
					throw new Error(`year:${value} is not a year or a range (year:2019, year:2018-2020)`);
				}

				const from = Number(match[1]);
				const to = match[2] ? Number(match[2]) : from;
				query.years.push([Math.min(from, to), Math.max(from, to)]);
				break;
			}

			case 'camera': {
				query.cameras.push(value.toLowerCase());
				break;
			}

			case 'place': {
				query.places.push(value);
				break;
			}

			case 'person': {
				query.persons.push(value);
				break;
			}

			default: {
				query.paths.push(value.toLowerCase());
			}
		}
	}

	const {places, persons, ...rest} = query;
	return {text: text.join(' '), ...rest, ...(places.length > 0 ? {places} : {}), ...(persons.length > 0 ? {persons} : {})};
}

/** Whether the query has any filter. */
export const hasFilters = (query: SearchQuery) =>
	query.tags.length + query.years.length + query.cameras.length + query.paths.length + (query.places?.length ?? 0) + (query.persons?.length ?? 0) > 0;
