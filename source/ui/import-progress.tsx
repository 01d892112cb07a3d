import {Box, Text} from 'ink';
import React from 'react';
import type {ImportProgress} from '../core/progress.js';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatBytes} from '../core/format.js';

/** Props of the import progress view. */
export type Props = {
	/** Where the import is. */
	readonly state: ImportProgress;
	/** Terminal width in columns. */
	readonly columns: number;
};

const phaseText = {
	reading: 'Reading and hashing',
	checking: 'Checking',
	copying: 'Copying and verifying',
	moving: 'Moving and verifying',
	cataloguing: 'Cataloguing',
} as const;

/** Two or three lines that fit 80 columns. */
export function ImportProgressView({state, columns}: Props) {
	const width = Math.max(10, Math.min(40, columns - (state.totalBytes ? 58 : 40)));
	return (
		<Box flexDirection="column">
			<Text>
				{phaseText[state.phase]} {bar(state.total ? state.done / state.total : 0, width)} {state.done}/{state.total}
				{state.totalBytes ? ` ${formatBytes(state.bytes ?? 0)}/${formatBytes(state.totalBytes)}` : ''}
			</Text>
			{state.current ? <Text dimColor>{middleEllipsis(sanitize(state.current), Math.max(10, columns - 2))}</Text> : null}
		</Box>
	);
}
