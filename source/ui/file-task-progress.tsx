import {Box, Text} from 'ink';
import React from 'react';
import type {FileTaskProgress} from '../core/progress.js';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatBytes, formatDuration} from '../core/format.js';

/** Props of the progress view of verify, export, backup and restore's checking. */
export type Props = {
	/** Where the task is. */
	readonly state: FileTaskProgress;
	/** What is being done, e.g. "Verifying". */
	readonly label: string;
	/** What problems are called, e.g. "problems". */
	readonly problemLabel?: string;
	/** Seconds since the work started. */
	readonly elapsed: number;
	/** Terminal width in columns. */
	readonly columns: number;
};

/** Done/total with a bar, throughput, ETA and problems, in at most three lines that fit 80 columns. */
export function FileTaskProgressView({state: {done, total, bytes, totalBytes, problems, current}, label, problemLabel = 'problems', elapsed, columns}: Props) {
	const byBytes = bytes !== undefined && totalBytes !== undefined && totalBytes > 0;
	const fraction = byBytes ? bytes / totalBytes : total ? done / total : 1;
	const rate = elapsed > 0 ? (byBytes ? bytes / elapsed : done / elapsed) : 0;
	const eta = rate > 0 ? (byBytes ? (totalBytes - bytes) / rate : (total - done) / rate) : Number.NaN;
	const width = Math.max(10, Math.min(40, columns - 40));
	return (
		<Box flexDirection="column">
			<Text>
				{label} {bar(fraction, width)} {done}/{total} files
			</Text>
			<Text>
				{byBytes ? `${formatBytes(rate)}/s` : `${rate.toFixed(1)} files/s`} · ETA {formatDuration(eta)}
				{problems === undefined ? null : (
					<>
						{' · '}
						<Text color={problems ? 'yellow' : undefined}>
							{problems} {problemLabel}
						</Text>
					</>
				)}
			</Text>
			{current ? <Text dimColor>{middleEllipsis(sanitize(current), Math.max(10, columns - 2))}</Text> : null}
		</Box>
	);
}
