import process from 'node:process';
import {safeJson} from '../core/sanitize.js';
import {plainProgress, type ProgressEvent, type ProgressSink, type ProgressSpec} from '../ui/progress-lines.js';

/**
 * One lifecycle for every long-running command (issue 14: the SIGINT block, five ways to feed progress to Ink and
 * "wait 50 ms, then unmount" had been copied into each command). A command gives its flags to one engine call inside
 * `runCommand`, and gets back: an AbortSignal tied to Ctrl-C and SIGTERM (a second one ends the process at once), one
 * progress channel (Ink on a terminal, plain lines on stderr otherwise), teardown in reverse order, the closing
 * summary (--json or text) and the exit code (130 when interrupted).
 */

/** How a command reacts to Ctrl-C and SIGTERM. */
export type Interruption = {
	/** Said on stderr when a second signal ends the process at once (what is kept, how to carry on). */
	readonly forced?: string;
	/** Called on the first signal, just before the signal is aborted (e.g. watch logs that it is stopping). */
	readonly onStop?: () => void;
};

/** Options of `runCommand`. */
export type LifecycleOptions = {
	/** The command, for plain progress lines (`undo: …`) and the forced-exit message. */
	readonly name: string;
	readonly stdout: NodeJS.WriteStream;
	readonly stderr: NodeJS.WritableStream;
	/** --json: the summary is one JSON object on stdout, and progress never draws on stdout. */
	readonly json?: boolean;
	/**
	 * Tie the signal to SIGINT/SIGTERM. `false` for work that cannot stop part-way and is settled by the journal if
	 * killed (undo, redo, restore, dupes --apply): there Ctrl-C keeps its default meaning.
	 */
	readonly interrupt?: false | Interruption;
	/** Where signals come from and how a forced stop exits; the process unless a test says otherwise. */
	readonly process?: Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;
	/** Clock and interval of the plain lines (tests). */
	readonly now?: () => number;
	readonly intervalMs?: number;
};

/** What the work gets. */
export type Run = {
	/** Aborted by the first Ctrl-C or SIGTERM (never, with `interrupt: false`). */
	readonly signal: AbortSignal;
	/**
	 * Opens the progress channel drawn by `spec`'s view and returns the function the engine calls with each event.
	 * Opening another closes the previous one (restore checks, then restores).
	 */
	readonly progress: <S extends ProgressSpec>(spec: S) => Promise<(event: ProgressEvent<S>) => void>;
	/** Runs `teardown` when the work ends, however it ends; the last registered runs first. */
	readonly defer: (teardown: () => unknown) => void;
};

/** What the work returns: the closing summary and the exit code. */
export type Outcome = {
	/** The --json object. */
	readonly json: unknown;
	/** The lines for a person. */
	readonly text: () => readonly string[];
	/** The exit code when not interrupted (default 0). */
	readonly code?: number;
	/** Whether the work stopped early (default: whether the signal was aborted). */
	readonly interrupted?: boolean;
	/** Under --json, said on stderr when interrupted: the JSON goes to a file, the person reads the terminal. */
	readonly interruptedNote?: string;
};

/** The exit code of an interrupted command, as a shell reports Ctrl-C. */
export const interruptedCode = 130;

/** Opens one progress channel: Ink (imported only now) on a terminal without --json, plain lines otherwise. */
async function openProgress<S extends ProgressSpec>(spec: S, options: LifecycleOptions): Promise<ProgressSink<ProgressEvent<S>>> {
	if (!options.json && options.stdout.isTTY) {
		const {liveProgress} = await import('../ui/progress-view.js');
		return liveProgress(spec, options.stdout);
	}

	return plainProgress(spec, {name: options.name, stderr: options.stderr, intervalMs: options.intervalMs, now: options.now});
}

/** Ties an AbortController to SIGINT and SIGTERM until `detach`; a second signal exits at once with 130. */
function attachSignals(controller: AbortController, options: LifecycleOptions): () => void {
	if (options.interrupt === false) {
		return () => {};
	}

	const host = options.process ?? process;
	const {forced, onStop} = options.interrupt ?? {};
	const stop = () => {
		if (controller.signal.aborted) {
			options.stderr.write(`\ncurate: ${options.name} stopped at once${forced ? `; ${forced}` : ''}\n`);
			host.exit(interruptedCode);
			return;
		}

		onStop?.();
		controller.abort();
	};

	// process.on, not once, and kept until the work ends: Ink's exit handler re-raises SIGINT when it sees no other
	// listener, which killed a scan with exit 130 and not a word.
	host.on('SIGINT', stop);
	host.on('SIGTERM', stop);
	return () => {
		host.off('SIGINT', stop);
		host.off('SIGTERM', stop);
	};
}

/** Runs a long command's work under one lifecycle and returns its exit code. */
export async function runCommand(options: LifecycleOptions, work: (run: Run) => Promise<Outcome>): Promise<number> {
	const controller = new AbortController();
	const detach = attachSignals(controller, options);
	const teardowns: Array<() => unknown> = [];
	let sink: ProgressSink<never> | undefined;
	const closeProgress = async () => {
		const open = sink;
		sink = undefined;
		await open?.finish();
	};

	let outcome: Outcome;
	try {
		outcome = await work({
			signal: controller.signal,
			async progress(spec) {
				await closeProgress();
				const opened = await openProgress(spec, options);
				sink = opened as ProgressSink<never>;
				return event => {
					opened.update(event);
				};
			},
			defer(teardown) {
				teardowns.push(teardown);
			},
		});
	} finally {
		// The last frame is drawn before anything else is said; then the signal handlers go, then the resources.
		await closeProgress();
		detach();
		for (const teardown of teardowns.reverse()) {
			// eslint-disable-next-line no-await-in-loop -- in order: the catalog closes before its lock is released
			await teardown();
		}
	}

	const interrupted = outcome.interrupted ?? controller.signal.aborted;
	if (options.json) {
		options.stdout.write(safeJson(outcome.json) + '\n');
		if (interrupted && outcome.interruptedNote) {
			options.stderr.write(`${outcome.interruptedNote}\n`);
		}
	} else {
		const lines = outcome.text();
		if (lines.length > 0) {
			options.stdout.write(lines.join('\n') + '\n');
		}
	}

	return interrupted ? interruptedCode : (outcome.code ?? 0);
}
