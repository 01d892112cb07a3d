/**
 * Derived UTC offsets at speed (issue 17's bench): `offsetFor` (core/place.ts) asks Intl several times per capture
 * time, which is most of the cost of locating a library. A zone keeps one offset for a whole day except on the few
 * days its clocks change, so the offset is worked out once per zone and calendar day; on a day near a change every
 * capture time is asked of `offsetFor` itself, so the answer is always the one it gives.
 */
import {formatOffset, offsetFor} from '../core/place.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** Steps between the instants sampled around a day: no zone changes its clocks twice within six hours. */
const stepMs = 6 * hourMs;

/** Minutes east of UTC at an instant in a zone, with one formatter per zone (building one is the slow part). */
function offsetReader(): (timeZone: string, utcMs: number) => number {
	const formats = new Map<string, Intl.DateTimeFormat>();
	return (timeZone, utcMs) => {
		let format = formats.get(timeZone);
		if (!format) {
			format = new Intl.DateTimeFormat('en-US', {timeZone, timeZoneName: 'longOffset', year: 'numeric'});
			formats.set(timeZone, format);
		}

		// `2019, GMT+02:00` (`GMT` alone at UTC): format is half the cost of formatToParts.
		const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(format.format(utcMs));
		return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
	};
}

/**
 * A memoised `offsetFor(timeZone, wallClock)`: the same answers, remembered per zone and day. Bounded: the memo is
 * dropped when it holds `limit` days.
 */
export function offsetMemo(limit = 100_000): (timeZone: string, wallClock: string) => string | undefined {
	const readAt = offsetReader();
	// Readings on a grid of six-hour steps, per zone: the days of a trip share most of their windows.
	const grids = new Map<string, Map<number, number>>();
	const read = (timeZone: string, step: number): number => {
		let grid = grids.get(timeZone);
		if (!grid) {
			grid = new Map();
			grids.set(timeZone, grid);
		}

		let offset = grid.get(step);
		if (offset === undefined) {
			offset = readAt(timeZone, step * stepMs);
			grid.set(step, offset);
		}

		return offset;
	};

	/** Per `zone|YYYY-MM-DD`: the day's one offset, or null on a day near a change of the clocks. */
	const days = new Map<string, string | null>();
	const dayOffset = (timeZone: string, dayStart: number): string | null => {
		// `offsetFor` reads the offsets a day either side of the time and at the time less each of them (offsets lie
		// within ±16 h): the grid steps around the day cover every instant it reads for any time of this day.
		const last = Math.ceil((dayStart + 2 * dayMs + 16 * hourMs) / stepMs);
		const first = Math.floor((dayStart - dayMs - 16 * hourMs) / stepMs);
		const offset = read(timeZone, first);
		for (let step = first + 1; step <= last; step++) {
			if (read(timeZone, step) !== offset) {
				return null;
			}
		}

		return formatOffset(offset);
	};

	return (timeZone, wallClock) => {
		const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wallClock);
		if (!match || Number(match[4]) > 23 || Number(match[5]) > 59) {
			return offsetFor(timeZone, wallClock);
		}

		const key = `${timeZone}|${wallClock.slice(0, 10)}`;
		let offset = days.get(key);
		if (offset === undefined) {
			const dayStart = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
			// A date that does not exist (February 30) is left to offsetFor, as is a zone Intl does not know.
			if (new Date(dayStart).toISOString().slice(0, 10) !== wallClock.slice(0, 10)) {
				return offsetFor(timeZone, wallClock);
			}

			try {
				offset = dayOffset(timeZone, dayStart);
			} catch {
				return offsetFor(timeZone, wallClock);
			}

			if (days.size >= limit) {
				days.clear();
				grids.clear();
			}

			days.set(key, offset);
		}

		return offset ?? offsetFor(timeZone, wallClock);
	};
}
