/** Human durations for flags and config (`6h`, `90m`, `10s`, `1d`, `500ms`, `1h30m`). Pure. */

const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** Milliseconds of a duration such as `6h` or `1h30m`; a bare number means seconds. Throws on anything else. */
export function parseDuration(text: string): number {
	const trimmed = text.trim().toLowerCase();
	if (/^\d+(\.\d+)?$/.test(trimmed)) {
		return Math.round(Number(trimmed) * 1000);
	}

	const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
	if (parts.length === 0 || parts.map(part => part[0]).join('') !== trimmed.replaceAll(/\s+/g, '')) {
		throw new Error(`not a duration: "${text}" (use e.g. 6h, 90m, 10s)`);
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
