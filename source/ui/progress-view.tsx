import {render} from 'ink';
import React from 'react';
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

/**
 * Draws a command's progress live on the terminal with Ink, redrawn with the latest event every 100 ms (so ETA and
 * rates move while the engine is busy on one large file, and a flood of events costs one frame). `finish` draws the
 * last event and unmounts, both synchronously, so the closing summary prints below the final counts: no wait that a
 * busy machine could outlast. This module is imported only when stdout is a terminal.
 */
export function liveProgress<S extends ProgressSpec>(spec: S, stdout: NodeJS.WriteStream): ProgressSink<ProgressEvent<S>> {
	const started = performance.now();
	let latest: ProgressEvent<ProgressSpec> = initialProgress(spec);
	const view = () => <ProgressView spec={spec} state={latest} elapsed={(performance.now() - started) / 1000} columns={stdout.columns || 80} />;
	const ink = render(view(), {stdout, exitOnCtrlC: false, patchConsole: false});
	const timer = setInterval(() => {
		ink.rerender(view());
	}, 100);
	return {
		update(event) {
			latest = event;
		},
		async finish() {
			clearInterval(timer);
			// waitUntilExit() must be asked for before unmount: asked after, its promise never settles.
			const exited = ink.waitUntilExit();
			ink.rerender(view());
			ink.unmount();
			await exited;
		},
	};
}
