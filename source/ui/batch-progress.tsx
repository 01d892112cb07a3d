import {Box, Text} from 'ink';
import React from 'react';
import type {BatchProgress} from '../core/progress.js';
import {bar, formatBytes} from '../core/format.js';
import {batchPhaseLabel} from './progress-lines.js';

/** Props of the batch progress view. */
export type Props = {
	/** Where the batch is. */
	readonly state: BatchProgress;
	/** What applying means for this command, e.g. "Trashing"; undoing and redoing say so themselves. */
	readonly verb: string;
	/** Terminal width in columns. */
	readonly columns: number;
};

/** One line that fits 80 columns: phase, bar, operations and bytes. */
export function BatchProgressView({state, verb, columns}: Props) {
	const width = Math.max(10, Math.min(40, columns - 50));
	const bytes = state.totalBytes > 0 ? ` ${formatBytes(state.bytes)}/${formatBytes(state.totalBytes)}` : '';
	return (
		<Box>
			<Text>
				{batchPhaseLabel(state.phase, verb)} {bar(state.total ? state.done / state.total : 0, width)} {state.done}/{state.total}
				{bytes}
			</Text>
		</Box>
	);
}
