import {Box, Text} from 'ink';
import React from 'react';
import type {TagProgress} from '../core/progress.js';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatDuration} from '../core/format.js';

/** Props of the tagging progress view. */
export type Props = {
	/** Where tagging is. */
	readonly state: TagProgress;
	/** Seconds since tagging started. */
	readonly elapsed: number;
	/** Terminal width in columns. */
	readonly columns: number;
	/** Model key, shown on the first line. */
	readonly model: string;
};

/** Photos embedded / total, photos per second, ETA and errors, fitting 80 columns. */
export function TagProgressView({state: {phase, total, done, errors, current}, elapsed, columns, model}: Props) {
	const rate = elapsed > 0 ? done / elapsed : 0;
	const eta = rate > 0 ? (total - done) / rate : Number.NaN;
	const width = Math.max(10, Math.min(40, columns - 40));
	const label = phase === 'embedding' ? 'Embedding photos' : phase === 'scoring' ? 'Scoring stored embeddings against the new taxonomy' : 'Applying metadata rules';
	return (
		<Box flexDirection="column">
			<Text>
				{label} · {middleEllipsis(sanitize(model), Math.max(10, columns - label.length - 4))}
			</Text>
			<Text>
				{bar(total ? done / total : 1, width)} {done}/{total} photos
			</Text>
			<Text>
				{rate.toFixed(1)} photos/s · ETA {phase === 'embedding' ? formatDuration(eta) : '0s'} · <Text color={errors ? 'yellow' : undefined}>{errors} errors</Text>
			</Text>
			{current ? <Text dimColor>{middleEllipsis(sanitize(current), Math.max(10, columns - 2))}</Text> : null}
		</Box>
	);
}
