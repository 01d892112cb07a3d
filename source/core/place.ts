/**
 * Places and local time from GPS (issue 17): what a located photo carries, and the pure rules about it — its tags,
 * its label, whether a `place:` term matches it, and the UTC offset of a wall-clock time in a time zone. Pure.
 */

/** Where a photo was taken, derived offline from its GPS position. */
export type Place = {
	/** ISO 3166-1 alpha-2 (`FR`), or null at sea. */
	readonly countryCode: string | null;
	/** English country name (`France`), or null at sea. */
	readonly country: string | null;
	/** Region or state (`Scotland`, `Washington`), when the data names one. */
	readonly region: string | null;
	/** Nearest town or city (`Paris`), or null when none is near. */
	readonly city: string | null;
	/** Kilometres from the town's centre. */
	readonly distanceKm: number | null;
};

/** What a photo at sea is called. */
export const atSea = 'at sea';

/** The most specific name of a place: the town, else the country, else "at sea". */
export function placeLabel(place: Place): string {
	return place.city ?? place.country ?? atSea;
}

/** Place tag names (lowercase, as the tags table keeps them): `places/france` and `places/france/paris`. */
export function placeTags(place: Place): string[] {
	const clean = (name: string) => name.toLowerCase().replaceAll('/', '-').replaceAll(/\s+/g, ' ').trim();
	if (!place.country) {
		return [`places/${atSea}`];
	}

	const country = `places/${clean(place.country)}`;
	return place.city ? [country, `${country}/${clean(place.city)}`] : [country];
}

/** Keywords as Lightroom writes a place: `Places|France` and `Places|France|Paris`, with `France` and `Paris` as leaves. */
export function placeKeywords(place: Place): {subject: string[]; hierarchical: string[]} {
	if (!place.country) {
		return {subject: [], hierarchical: []};
	}

	const country = place.country.replaceAll('|', '-');
	const city = place.city?.replaceAll('|', '-');
	return {
		subject: city ? [country, city] : [country],
		hierarchical: city ? [`Places|${country}`, `Places|${country}|${city}`] : [`Places|${country}`],
	};
}

const fold = (text: string) => text.normalize('NFD').replaceAll(/\p{M}/gu, '').toLowerCase().trim();

/**
 * Whether a `place:` term names this place: its country code (`FR`), or its country, region or town, compared
 * without case or accents (`place:zurich` finds Zürich). `aliases` maps other words to a name (`nyc` → `new york`).
 */
export function placeMatches(place: Place, term: string, aliases: ReadonlyMap<string, string> = new Map()): boolean {
	const wanted = fold(term);
	const names = [place.country, place.region, place.city].filter((name): name is string => name !== null).map(name => fold(name));
	if (names.length === 0) {
		names.push(atSea);
	}

	const alias = aliases.get(wanted);
	return (place.countryCode !== null && wanted.length === 2 && place.countryCode.toLowerCase() === wanted) || names.includes(wanted) || (alias !== undefined && names.includes(fold(alias)));
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC in `timeZone` at the instant `utcMs`. */
function offsetAtInstant(timeZone: string, utcMs: number): number {
	let format = offsetFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {timeZone, timeZoneName: 'longOffset', year: 'numeric'});
		offsetFormats.set(timeZone, format);
	}

	const name = format.formatToParts(utcMs).find(part => part.type === 'timeZoneName')?.value ?? 'GMT';
	const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
	return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
}

/** `+02:00` from minutes east of UTC. */
export function formatOffset(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const absolute = Math.abs(minutes);
	return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

/** Whether an ISO capture time carries its UTC offset (`…+02:00`, `…Z`). */
export const hasOffset = (iso: string) => /(?:Z|[+-]\d{2}:\d{2})$/.test(iso);

/**
 * The UTC offset of a wall-clock time (`2019-07-14T10:00:00`, no offset) in an IANA time zone on that date, daylight
 * saving included: `Europe/Paris` gives `+02:00` in July and `+01:00` in January. In the hour a clock skips or repeats
 * the offset before the change is taken. Undefined for a time it cannot read.
 */
export function offsetFor(timeZone: string, wallClock: string): string | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(wallClock);
	if (!match) {
		return undefined;
	}

	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(value => Number(value ?? 0)) as [number, number, number, number, number, number];
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
	try {
		// The offsets in force a day either side cover any change on this date; a candidate fits when the instant it
		// gives has that offset. Two fit in the hour a clock repeats, none in the hour it skips: then the earlier offset.
		const before = offsetAtInstant(timeZone, asUtc - 86_400_000);
		const after = offsetAtInstant(timeZone, asUtc + 86_400_000);
		const fitting = [...new Set([before, after])].filter(candidate => offsetAtInstant(timeZone, asUtc - candidate * 60_000) === candidate);
		return formatOffset(fitting.includes(before) || fitting.length === 0 ? before : fitting[0]!);
	} catch {
		return undefined;
	}
}

/** Milliseconds since the epoch of a wall-clock time with an offset (`+02:00`), or undefined. */
export function instantOf(wallClock: string, offset: string): number | undefined {
	const ms = Date.parse(`${wallClock.slice(0, 19)}${offset}`);
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A `place:` term through the taxonomy's aliases (issue 17): a `places/…` tag listing the term as an alias (`places/
 * united states of america/new york | nyc`) stands for its last level (`new york`); any other term is itself.
 */
export function placeAlias(term: string, taxonomy: ReadonlyArray<{readonly name: string; readonly aliases: readonly string[]}>): string {
	const wanted = term.trim().toLowerCase();
	const tag = taxonomy.find(candidate => candidate.name.startsWith('places/') && candidate.aliases.includes(wanted));
	return tag ? tag.name.slice(tag.name.lastIndexOf('/') + 1) : term.trim();
}
