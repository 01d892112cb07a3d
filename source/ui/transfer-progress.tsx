import {Box, Text} from 'ink';
import React, {useEffect, useState} from 'react';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatBytes} from '../core/format.js';

/** Progress of an import: which phase, how far (files, and bytes while copying), and the file being read. */
export type TransferState = {
	readonly phase: 'reading' | 'checking' | 'copying' | 'moving' | 'cataloguing';
	readonly done: number;
	readonly total: number;
	readonly bytes?: number;
	readonly totalBytes?: number;
	readonly current?: string;
};

/** A value the engine pushes and the view follows, so the engine never imports React. */
export type ProgressSource<T = TransferState> = {
	readonly get: () => T;
	readonly subscribe: (listener: (state: T) => void) => () => void;
};

/** Props of the import progress view. */
export type Props = {
	/** Where progress comes from. */
	readonly source: ProgressSource;
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
export function TransferProgress({source, columns}: Props) {
	const [state, setState] = useState(source.get());
	useEffect(() => source.subscribe(setState), [source]);
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

/** A minimal observable value for the progress views. */
export function progressStore<T = TransferState>(initial: T): ProgressSource<T> & {set: (state: T) => void} {
	let value = initial;
	const listeners = new Set<(state: T) => void>();
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
