import {UserError} from '../errors.js';

const units: Record<string, number> = {m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000};

/** The longest a link may stay open in one go: a share is for showing, not for publishing. */
export const maxDurationMs = 366 * units.d!;

/**
 * Parses a duration as `curate share --expires` and `share extend` take it: a whole number and a unit, `30m`, `12h`,
 * `7d` or `2w`. Returns milliseconds; anything else (no unit, zero, over a year) is a UserError naming the flag.
 */
export function parseDuration(text: string, what = '--expires'): number {
	const match = /^(\d{1,6})([mhdw])$/i.exec(text.trim());
	if (!match) {
		throw new UserError(`${what} takes a number and a unit: 30m, 12h, 7d or 2w (got "${text}")`);
	}

	const ms = Number(match[1]) * units[match[2]!.toLowerCase()]!;
	if (ms === 0 || ms > maxDurationMs) {
		throw new UserError(`${what} must be more than 0 and at most 366d (got "${text}")`);
	}

	return ms;
}
