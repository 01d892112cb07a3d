import {Box, Text} from 'ink';
import React from 'react';
import type {ScanProgress} from '../core/progress.js';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatDuration} from '../core/format.js';

/** Props of the scan progress view. */
export type Props = {
	/** Where the scan is. */
	readonly state: ScanProgress;
	/** Seconds since the scan started. */
	readonly elapsed: number;
	/** Terminal width in columns. */
	readonly columns: number;
};

/** Files done / total, photos per second, ETA and errors, in a few lines that fit 80 columns. */
export function ScanProgressView({state: {phase, total, done, toRead, read, errors, current}, elapsed, columns}: Props) {
	if (phase === 'walking') {
		return <Text>Looking for photos…</Text>;
	}

	const rate = elapsed > 0 ? read / elapsed : 0;
	const eta = rate > 0 ? (toRead - read) / rate : Number.NaN;
	const width = Math.max(10, Math.min(40, columns - 40));
	return (
		<Box flexDirection="column">
			<Text>
				{bar(total ? done / total : 1, width)} {done}/{total} files
			</Text>
			<Text>
				{rate.toFixed(1)} photos/s · ETA {phase === 'finishing' ? '0s' : formatDuration(eta)} ·{' '}
				<Text color={errors ? 'yellow' : undefined}>{errors} errors</Text> · {total - toRead} unchanged
			</Text>
			{current ? <Text dimColor>{middleEllipsis(sanitize(current), Math.max(10, columns - 2))}</Text> : null}
		</Box>
	);
}
