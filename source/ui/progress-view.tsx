import {render} from 'ink';
import React, {useEffect, useState} from 'react';
import {BatchProgressView} from './batch-progress.js';
import {FileTaskProgressView} from './file-task-progress.js';
import {ImportProgressView} from './import-progress.js';
import {initialProgress, type ProgressEvent, type ProgressSink, type ProgressSpec} from './progress-lines.js';
import {ScanProgressView} from './scan-progress.js';
import {TagProgressView} from './tag-progress.js';

/** Props of the live progress view. */
export type Props = {
	/** Which view, with its words. */
	readonly spec: ProgressSpec;
	/** Where the work is. */
	readonly state: ProgressEvent<ProgressSpec>;
	/** Seconds since the work started. */
	readonly elapsed: number;
	/** Terminal width in columns. */
	readonly columns: number;
};

/** The view of one engine's progress. */
export function ProgressView({spec, state, elapsed, columns}: Props) {
	switch (spec.kind) {
		case 'scan': {
			return <ScanProgressView state={state as ProgressEvent<typeof spec>} elapsed={elapsed} columns={columns} />;
		}

		case 'tag': {
			return <TagProgressView state={state as ProgressEvent<typeof spec>} elapsed={elapsed} columns={columns} model={spec.model} />;
		}

		case 'batch': {
			return <BatchProgressView state={state as ProgressEvent<typeof spec>} verb={spec.verb} columns={columns} />;
		}

		case 'import': {
			return <ImportProgressView state={state as ProgressEvent<typeof spec>} columns={columns} />;
		}

		case 'files': {
			return <FileTaskProgressView state={state as ProgressEvent<typeof spec>} label={spec.label} problemLabel={spec.problemLabel} elapsed={elapsed} columns={columns} />;
		}
	}
}

/** Follows the channel and a 250 ms clock (ETA and rates move while the engine is busy on one large file). */
function LiveProgress({spec, subscribe, initial, started, columns}: {
	readonly spec: ProgressSpec;
	readonly subscribe: (listener: (state: ProgressEvent<ProgressSpec>) => void) => () => void;
	readonly initial: ProgressEvent<ProgressSpec>;
	readonly started: number;
	readonly columns: number;
}) {
	const [state, setState] = useState(initial);
	const [now, setNow] = useState(performance.now());
	useEffect(() => {
		const unsubscribe = subscribe(setState);
		const timer = setInterval(() => {
			setNow(performance.now());
		}, 250);
		return () => {
			unsubscribe();
			clearInterval(timer);
		};
	}, [subscribe]);
	return <ProgressView spec={spec} state={state} elapsed={(now - started) / 1000} columns={columns} />;
}

/**
 * Draws a command's progress live on the terminal with Ink. `finish` lets React draw the last counts, then unmounts,
 * so the closing summary prints below the final frame. This module is imported only when stdout is a terminal.
 */
export function liveProgress<S extends ProgressSpec>(spec: S, stdout: NodeJS.WriteStream): ProgressSink<ProgressEvent<S>> {
	let latest: ProgressEvent<ProgressSpec> = initialProgress(spec);
	const listeners = new Set<(state: ProgressEvent<ProgressSpec>) => void>();
	const subscribe = (listener: (state: ProgressEvent<ProgressSpec>) => void) => {
		listeners.add(listener);
		listener(latest);
		return () => {
			listeners.delete(listener);
		};
	};

	const ink = render(<LiveProgress spec={spec} subscribe={subscribe} initial={latest} started={performance.now()} columns={stdout.columns || 80} />, {
		stdout,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {
		update(event) {
			latest = event;
			for (const listener of listeners) {
				listener(event);
			}
		},
		async finish() {
			// Let React draw the final counts, then unmount. waitUntilExit() must be asked for before unmount: asked
			// after, its promise never settles.
			const exited = ink.waitUntilExit();
			await new Promise(resolve => setTimeout(resolve, 50));
			ink.unmount();
			await exited;
		},
	};
}
