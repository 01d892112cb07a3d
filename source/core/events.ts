/**
 * Events from capture-time gaps (issue #8): photos sorted by time, and a gap longer than `gapMs` (6 h by default)
 * starts a new event. An event is named from its first day and, when its photos carry labels (keywords, AI tags or a
 * place, supplied by the caller), the most common one: `2022-08-20 Beach`. Pure.
 */
import {cleanSegment, cutAtWord, wallClock} from './pattern.js';

/** The default gap that starts a new event. */
export const defaultEventGapMs = 6 * 3_600_000;

/** One timed thing to group. */
export type EventItem = {
	readonly key: string;
	/** ISO 8601 wall-clock time, or null when unknown (undated items form no event). */
	readonly takenAt: string | null;
	/** Labels that may name the event when it has no place: keywords, confirmed tags. */
	readonly labels?: readonly string[];
	/** Where it was taken (a town, else a country), from GPS (issue 17): an event is named after its places first. */
	readonly place?: string | undefined;
	/** The UTC offset of `takenAt` (its own or derived from GPS), so photos of cameras in other zones line up. */
	readonly offset?: string | undefined;
};

/** A run of items without a long gap. */
export type PhotoEvent = {
	readonly name: string;
	readonly start: string;
	readonly end: string;
	readonly keys: readonly string[];
};

/** Wall-clock time as a number, so gaps are measured in the photos' own local time (timezones of a trip aside). */
function wallMs(iso: string): number | undefined {
	const clock = wallClock(iso);
	return clock ? Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second) : undefined;
}

/**
 * Capture instants for ordering and gaps (issue 17): an item with an offset is placed on the UTC timeline; one without
 * (a camera that records none, and no GPS) keeps its local time, read in the offset of the nearest item that has one
 * (the phone shot alongside it), or as written when none does.
 */
function instants(items: ReadonlyArray<{item: EventItem; wall: number}>): number[] {
	const offsetMs = (offset: string) => {
		const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
		return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : undefined;
	};

	const own = items.map(({item}) => {
		const fromTime = item.takenAt ? /(?:Z|[+-]\d{2}:\d{2})$/.exec(item.takenAt)?.[0] : undefined;
		const offset = fromTime === 'Z' ? '+00:00' : fromTime ?? item.offset;
		return offset === undefined ? undefined : offsetMs(offset);
	});
	const known = items.map((entry, index) => ({wall: entry.wall, offset: own[index]})).filter((entry): entry is {wall: number; offset: number} => entry.offset !== undefined).sort((a, b) => a.wall - b.wall);
	return items.map(({wall}, index) => {
		let offset = own[index];
		if (offset === undefined && known.length > 0) {
			let best = known[0]!;
			for (const candidate of known) {
				if (Math.abs(candidate.wall - wall) < Math.abs(best.wall - wall)) {
					best = candidate;
				}
			}

			offset = best.offset;
		}

		return wall - (offset ?? 0);
	});
}

/** Places an event is named after: the two most visited (ties: the first visited), in the order they were visited. */
function placeNames(places: ReadonlyArray<string | undefined>): string[] {
	const seen = new Map<string, {name: string; count: number; first: number}>();
	for (const [index, place] of places.entries()) {
		if (place) {
			const key = place.toLowerCase();
			const entry = seen.get(key) ?? {name: place, count: 0, first: index};
			entry.count++;
			seen.set(key, entry);
		}
	}

	return [...seen.values()]
		.sort((a, b) => b.count - a.count || a.first - b.first)
		.slice(0, 2)
		.sort((a, b) => a.first - b.first)
		.map(entry => entry.name);
}

/** How long the label part of an event name may be; it is cut between words, never inside one. */
const maxLabelLength = 40;

/**
 * The single keywords in a label: some apps store a whole list in one keyword (`Autumn, tree, leaves`), and a
 * hierarchical keyword (`Places|France|Paris`) names its leaf.
 */
function keywordsOf(label: string): string[] {
	return label.split(/[,;]/).map(part => part.split('|').at(-1)!.trim()).filter(part => part !== '');
}

/**
 * The most common single keyword of the labels (ties: alphabetical, case-insensitive counting), or undefined when
 * none. One keyword, not a list: a folder name is read at a glance.
 */
export function commonLabel(labels: readonly string[]): string | undefined {
	const counts = new Map<string, {label: string; count: number}>();
	for (const label of labels.flatMap(label => keywordsOf(label))) {
		const trimmed = label.trim();
		if (!trimmed) {
			continue;
		}

		const key = trimmed.toLowerCase();
		const entry = counts.get(key) ?? {label: trimmed, count: 0};
		entry.count++;
		counts.set(key, entry);
	}

	return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))[0]?.label;
}

/**
 * Groups items into events. Items without a date are left out (they have no event; the pattern shows `unknown`).
 * Two events starting on the same day with the same name get `-2`, `-3` … so they stay apart.
 */
export function groupEvents(items: readonly EventItem[], gapMs = defaultEventGapMs): PhotoEvent[] {
	const walled = items
		.map(item => ({item, wall: item.takenAt ? wallMs(item.takenAt) : undefined}))
		.filter((entry): entry is {item: EventItem; wall: number} => entry.wall !== undefined);
	const at = instants(walled);
	const timed = walled.map((entry, index) => ({item: entry.item, ms: at[index]!})).sort((a, b) => a.ms - b.ms || (a.item.key < b.item.key ? -1 : 1));
	const runs: Array<typeof timed> = [];
	for (const entry of timed) {
		const current = runs.at(-1);
		if (current && entry.ms - current.at(-1)!.ms <= gapMs) {
			current.push(entry);
		} else {
			runs.push([entry]);
		}
	}

	const used = new Map<string, number>();
	return runs.map(run => {
		const first = run[0]!.item.takenAt!;
		// Named after where it happened (`Lisbon – Sintra`), else its most common keyword or confirmed tag, else the date.
		const places = placeNames(run.map(entry => entry.item.place));
		const common = places.length > 0 ? places.map(place => cleanSegment(place, Number.POSITIVE_INFINITY, '')).join(' – ') : commonLabel(run.flatMap(entry => entry.item.labels ?? []));
		// A keyword too long for a folder is cut between words; one that is a single overlong word is left out.
		const label = common === undefined ? '' : cutAtWord(cleanSegment(common, Number.POSITIVE_INFINITY, ''), maxLabelLength, true);
		let name = `${first.slice(0, 10)}${label ? ` ${label}` : ''}`;
		const seen = (used.get(name) ?? 0) + 1;
		used.set(name, seen);
		if (seen > 1) {
			name = `${name}-${seen}`;
		}

		return {name, start: first, end: run.at(-1)!.item.takenAt!, keys: run.map(entry => entry.item.key)};
	});
}
