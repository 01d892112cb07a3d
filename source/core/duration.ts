/**
 * Human durations for flags and config (`6h`, `90m`, `10s`, `30d`, `500ms`, `1h30m`). Pure. The one duration parser
 * (issue 14): `purge --older-than`, `watch --settle`, `--settle-limit` and `--gap` all read durations here.
 */

const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** The units a duration may use, for messages and help. */
export const durationUnits = 'ms, s, m, h, d';

/**
 * Milliseconds of a duration such as `6h`, `30d` or `1h30m`. Every number needs its unit: a bare number is an
 * error (only `0` stands alone), because Curate once read `30` as 30 days in one flag and 30 seconds in another, and
 * `purge --older-than 30` taken as seconds would delete a month of trash. Throws on anything else.
 */
export function parseDuration(text: string): number {
	const trimmed = text.trim().toLowerCase();
	if (/^0+(\.0+)?$/.test(trimmed)) {
		return 0;
	}

	if (/^\d+(\.\d+)?$/.test(trimmed)) {
		throw new Error(`"${text.trim()}" needs a unit (${durationUnits}): e.g. ${trimmed}s, ${trimmed}m, ${trimmed}h or ${trimmed}d`);
	}

	const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
	if (parts.length === 0 || parts.map(part => part[0]).join('') !== trimmed.replaceAll(/\s+/g, '')) {
		throw new Error(`not a duration: "${text}" (use e.g. 30d, 6h, 90m, 10s)`);
	}

	return Math.round(parts.reduce((total, part) => total + Number(part[1]) * units[part[2]!]!, 0));
}

/** Milliseconds as the shortest exact text (`21600000` → `6h`). */
export function formatDurationText(ms: number): string {
	for (const unit of ['d', 'h', 'm', 's'] as const) {
		if (ms >= units[unit]! && ms % units[unit]! === 0) {
			return `${ms / units[unit]!}${unit}`;
		}
	}

	return `${ms}ms`;
}
