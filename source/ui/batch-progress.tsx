import {Box, render, Text} from 'ink';
import React, {useEffect, useState} from 'react';
import {bar, formatBytes} from '../core/format.js';
import {type ProgressSource, progressStore} from './transfer-progress.js';

/** Progress of a journal batch (the shape `Journal.apply/undo/redo` report, kept structural: the UI knows no engine). */
export type BatchState = {
	readonly phase: 'checking' | 'applying' | 'undoing' | 'redoing';
	readonly done: number;
	readonly total: number;
	readonly bytes: number;
	readonly totalBytes: number;
};

/** Props of the batch progress view. */
export type Props = {
	/** Where progress comes from. */
	readonly source: ProgressSource<BatchState>;
	/** What applying means for this command, e.g. "Trashing"; undoing and redoing say so themselves. */
	readonly verb: string;
	/** Terminal width in columns. */
	readonly columns: number;
};

/** The phase as the user reads it. */
export function phaseLabel(phase: BatchState['phase'], verb: string): string {
	return phase === 'checking' ? 'Checking' : phase === 'undoing' ? 'Undoing' : phase === 'redoing' ? 'Redoing' : verb;
}

/** One line that fits 80 columns: phase, bar, operations and bytes. */
export function BatchProgress({source, verb, columns}: Props) {
	const [state, setState] = useState(source.get());
	useEffect(() => source.subscribe(setState), [source]);
	const width = Math.max(10, Math.min(40, columns - 50));
	const bytes = state.totalBytes > 0 ? ` ${formatBytes(state.bytes)}/${formatBytes(state.totalBytes)}` : '';
	return (
		<Box>
			<Text>
				{phaseLabel(state.phase, verb)} {bar(state.total ? state.done / state.total : 0, width)} {state.done}/{state.total}
				{bytes}
			</Text>
		</Box>
	);
}

/** How a command shows a batch's progress. */
export type BatchReporter = {
	/** Pass to `journal.apply/undo/redo`. */
	readonly onProgress: (state: BatchState) => void;
	/** Ends the live view (call before printing the result). */
	readonly finish: () => Promise<void>;
};

/**
 * Shows a batch's progress: a live view on a terminal (stdout, never under --json), else plain lines on stderr,
 * at most one every `intervalMs` and only once the batch has run that long, so short batches print nothing.
 */
export function batchReporter(options: {
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WritableStream;
	readonly json: boolean;
	/** The command, for the plain lines (`undo: …`). */
	readonly name: string;
	readonly verb: string;
	readonly intervalMs?: number;
	readonly now?: () => number;
}): BatchReporter {
	const now = options.now ?? (() => performance.now());
	const interval = options.intervalMs ?? 2000;
	if (!options.json && options.stdout.isTTY) {
		const store = progressStore<BatchState>({phase: 'checking', done: 0, total: 0, bytes: 0, totalBytes: 0});
		const ink = render(<BatchProgress source={store} verb={options.verb} columns={options.stdout.columns || 80} />, {stdout: options.stdout, exitOnCtrlC: false, patchConsole: false});
		return {
			onProgress: state => {
				store.set(state);
			},
			async finish() {
				// Let React draw the final counts before unmounting; waitUntilExit() must be asked for before unmount.
				const exited = ink.waitUntilExit();
				await new Promise(resolve => setTimeout(resolve, 50));
				ink.unmount();
				await exited;
			},
		};
	}

	let last = now();
	let printed: BatchState | undefined;
	let phase: BatchState['phase'] | undefined;
	let latest: BatchState | undefined;
	const line = (state: BatchState) => {
		const bytes = state.totalBytes > 0 ? `, ${formatBytes(state.bytes)} of ${formatBytes(state.totalBytes)}` : '';
		options.stderr.write(`${options.name}: ${phaseLabel(state.phase, options.verb).toLowerCase()} ${state.done}/${state.total}${bytes}\n`);
		printed = state;
	};

	return {
		onProgress(state) {
			latest = state;
			const time = now();
			if (time - last >= interval || (printed && state.phase !== phase)) {
				last = time;
				line(state);
			}

			phase = state.phase;
		},
		async finish() {
			// Once lines were shown, the last one says where it ended.
			if (printed && latest && latest !== printed) {
				line(latest);
			}
		},
	};
}
