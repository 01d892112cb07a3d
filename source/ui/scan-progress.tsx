import {Box, Text} from 'ink';
import React from 'react';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatDuration} from '../core/format.js';

/** Props of the scan progress view. */
export type Props = {
	/** Scan phase: walking the folders, reading files, or committing the tail. */
	readonly phase: 'walking' | 'scanning' | 'finishing';
	/** Files found by the walk. */
	readonly total: number;
	/** Files examined so far, unchanged ones included. */
	readonly done: number;
	/** Files that need reading in this scan (new or changed). */
	readonly toRead: number;
	/** Of those, how many have been read. */
	readonly read: number;
	/** Per-file errors so far. */
	readonly errors: number;
	/** Seconds since the reading started. */
	readonly elapsed: number;
	/** Terminal width in columns. */
	readonly columns: number;
	/** File being read now. */
	readonly current?: string;
};

/** Files done / total, photos per second, ETA and errors, in a few lines that fit 80 columns. */
export function ScanProgress({phase, total, done, toRead, read, errors, elapsed, columns, current}: Props) {
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
