import {Box, Text} from 'ink';
import React, {useEffect, useState} from 'react';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar} from './format.js';

/** Progress of an import: which phase, how far, and the file being read. */
export type TransferState = {
	readonly phase: 'reading' | 'copying' | 'cataloguing';
	readonly done: number;
	readonly total: number;
	readonly current?: string;
};

/** A value the engine pushes and the view follows, so the engine never imports React. */
export type ProgressSource = {
	readonly get: () => TransferState;
	readonly subscribe: (listener: (state: TransferState) => void) => () => void;
};

/** Props of the import progress view. */
export type Props = {
	/** Where progress comes from. */
	readonly source: ProgressSource;
	/** Terminal width in columns. */
	readonly columns: number;
};

const phaseText = {reading: 'Reading and hashing', copying: 'Copying and verifying', cataloguing: 'Cataloguing'} as const;

/** Two or three lines that fit 80 columns. */
export function TransferProgress({source, columns}: Props) {
	const [state, setState] = useState(source.get());
	useEffect(() => source.subscribe(setState), [source]);
	const width = Math.max(10, Math.min(40, columns - 40));
	return (
		<Box flexDirection="column">
			<Text>
				{phaseText[state.phase]} {bar(state.total ? state.done / state.total : 0, width)} {state.done}/{state.total}
			</Text>
			{state.current ? <Text dimColor>{middleEllipsis(sanitize(state.current), Math.max(10, columns - 2))}</Text> : null}
		</Box>
	);
}

/** A minimal observable value for `TransferProgress`. */
export function progressStore(initial: TransferState): ProgressSource & {set: (state: TransferState) => void} {
	let value = initial;
	const listeners = new Set<(state: TransferState) => void>();
	return {
		get: () => value,
		set(next) {
			value = next;
			for (const listener of listeners) {
				listener(value);
			}
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
	};
}
