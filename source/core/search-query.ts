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
};

const keys = ['tag', 'year', 'camera', 'path'] as const;

/** Splits on spaces, keeping "quoted parts" (also `camera:"EOS R5"`) together. */
function tokens(input: string): string[] {
	return [...input.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map(match => match[0].replaceAll('"', ''));
}

/** Parses a query; throws an Error for a malformed filter value (e.g. `year:soon`). */
export function parseQuery(input: string): SearchQuery {
	const text: string[] = [];
	const query = {tags: [] as string[], years: [] as Array<[number, number]>, cameras: [] as string[], paths: [] as string[]};
	for (const token of tokens(input)) {
		const colon = token.indexOf(':');
		const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
		const value = token.slice(colon + 1).trim();
		if (!(keys as readonly string[]).includes(key)) {
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

			default: {
				query.paths.push(value.toLowerCase());
			}
		}
	}

	return {text: text.join(' '), ...query};
}

/** Whether the query has any filter. */
export const hasFilters = (query: SearchQuery) => query.tags.length + query.years.length + query.cameras.length + query.paths.length > 0;
