/** Small text formatters shared by the engine, the Ink views and plain output: pure, so every layer may import them (issue 14). */

/** 1536 → "1.5 KB"; decimal units, as file managers and NAS UIs show them. */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as "1h 02m", "3m 05s" or "42s". */
export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) {
		return '?';
	}

	const s = Math.round(seconds);
	if (s >= 3600) {
		return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
	}

	if (s >= 60) {
		return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
	}

	return `${s}s`;
}

/** A text progress bar of `width` cells. */
export function bar(fraction: number, width: number): string {
	const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
	const full = Math.round(clamped * width);
	return '█'.repeat(full) + '░'.repeat(width - full);
}
