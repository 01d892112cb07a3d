import {Box, render, Text} from 'ink';
import React, {useEffect, useState} from 'react';
import {middleEllipsis, sanitize} from '../core/sanitize.js';
import {bar, formatBytes, formatDuration} from '../core/format.js';

/** Props of the progress view of verify, export and backup. */
export type Props = {
	/** What is being done, e.g. "Verifying". */
	readonly label: string;
	readonly done: number;
	readonly total: number;
	/** Bytes processed so far and in all, when the work is measured in bytes (verify, backup). */
	readonly bytes?: number;
	readonly totalBytes?: number;
	/** Problems found so far (damaged, failed…), shown in yellow when there are any. */
	readonly problems?: number;
	readonly problemLabel?: string;
	/** Seconds since the work started. */
	readonly elapsed: number;
	readonly columns: number;
	readonly current?: string;
};

/** Done/total with a bar, throughput, ETA and problems, in at most three lines that fit 80 columns. */
export function TaskProgress({label, done, total, bytes, totalBytes, problems, problemLabel = 'problems', elapsed, columns, current}: Props) {
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

/** Progress numbers a running task reports. */
export type TaskState = Omit<Props, 'label' | 'elapsed' | 'columns' | 'problemLabel'>;

/**
 * Shows a task's progress: a live Ink view on a terminal, else a plain line on stderr every few seconds (for logs and
 * cron mail). `stop()` renders the final state and unmounts.
 */
export function showProgress(options: {
	readonly label: string;
	readonly problemLabel?: string;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WriteStream;
	/** Live Ink view (a terminal, no --json); otherwise plain lines on stderr. */
	readonly live: boolean;
}): {update: (state: TaskState) => void; stop: () => Promise<void>} {
	const started = performance.now();
	let state: TaskState = {done: 0, total: 0};
	const listeners = new Set<(state: TaskState) => void>();
	if (options.live) {
		function Live() {
			const [current, setCurrent] = useState(state);
			const [now, setNow] = useState(performance.now());
			useEffect(() => {
				listeners.add(setCurrent);
				const timer = setInterval(() => {
					setNow(performance.now());
				}, 250);
				return () => {
					listeners.delete(setCurrent);
					clearInterval(timer);
				};
			}, []);
			return <TaskProgress {...current} label={options.label} problemLabel={options.problemLabel} elapsed={(now - started) / 1000} columns={options.stdout.columns || 80} />;
		}

		const ink = render(<Live />, {stdout: options.stdout, exitOnCtrlC: false, patchConsole: false});
		return {
			update(next) {
				state = next;
				for (const listener of listeners) {
					listener(next);
				}
			},
			async stop() {
				const exited = ink.waitUntilExit();
				await new Promise(resolve => setTimeout(resolve, 50));
				ink.unmount();
				await exited;
			},
		};
	}

	let last = performance.now();
	const line = (final: boolean) => {
		const seconds = (performance.now() - started) / 1000;
		const throughput = state.bytes === undefined ? `${(state.done / Math.max(seconds, 0.001)).toFixed(1)} files/s` : `${formatBytes(state.bytes / Math.max(seconds, 0.001))}/s`;
		const problems = state.problems === undefined ? '' : `, ${state.problems} ${options.problemLabel ?? 'problems'}`;
		options.stderr.write(`${options.label.toLowerCase()}: ${state.done}/${state.total} files, ${throughput}${problems}${final ? ', done' : ''}\n`);
	};

	return {
		update(next) {
			state = next;
			const now = performance.now();
			if (now - last > 2000 && next.total > 0) {
				last = now;
				line(false);
			}
		},
		async stop() {
			if (state.total > 0) {
				line(true);
			}
		},
	};
}
