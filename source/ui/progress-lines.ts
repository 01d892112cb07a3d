import type {BatchProgress, DupeSearchProgress, FileTaskProgress, ImportProgress, ScanProgress, TagProgress} from '../core/progress.js';
import {formatBytes} from '../core/format.js';

/**
 * Which view draws a long-running command's progress, and with what words. The same spec drives the Ink view on a
 * terminal (`progress-view.tsx`, loaded only there) and the plain lines on stderr otherwise (here, no Ink).
 */
export type ProgressSpec =
	| {readonly kind: 'scan'}
	| {readonly kind: 'tag'; /** Model key, shown on the first line. */ readonly model: string}
	| {readonly kind: 'batch'; /** What applying means for this command, e.g. "Trashing". */ readonly verb: string}
	| {readonly kind: 'import'}
	| {readonly kind: 'files'; /** What is being done, e.g. "Verifying". */ readonly label: string; readonly problemLabel?: string};

/** The engine's progress type each view draws (one type per engine, from `core/progress.ts`). */
export type ProgressEvent<S extends ProgressSpec> = S extends {kind: 'scan'}
	? ScanProgress
	: S extends {kind: 'tag'}
		? TagProgress
		: S extends {kind: 'batch'}
			? BatchProgress
			: S extends {kind: 'import'}
				? ImportProgress
				: FileTaskProgress;

/** What a view shows before the engine's first event. */
export function initialProgress<S extends ProgressSpec>(spec: S): ProgressEvent<S> {
	const initial = {
		scan: {phase: 'walking', total: 0, done: 0, toRead: 0, read: 0, errors: 0},
		tag: {phase: 'embedding', total: 0, done: 0, errors: 0},
		batch: {phase: 'checking', done: 0, total: 0, bytes: 0, totalBytes: 0},
		import: {phase: 'reading', done: 0, total: 0},
		files: {done: 0, total: 0},
	} as const;
	return initial[spec.kind] as ProgressEvent<S>;
}

/** A batch phase as the user reads it. */
export function batchPhaseLabel(phase: BatchProgress['phase'], verb: string): string {
	return phase === 'checking' ? 'Checking' : phase === 'undoing' ? 'Undoing' : phase === 'redoing' ? 'Redoing' : verb;
}

/** Per second, never dividing by zero. */
const perSecond = (count: number, seconds: number) => count / Math.max(seconds, 0.001);

/**
 * The plain line (stderr, off a terminal or under --json) for one progress event, or undefined when the event is not
 * worth a line of its own (a per-file "now reading" event, a task with nothing to do). `final` marks the closing one.
 */
export function progressLine(spec: ProgressSpec, name: string, event: ProgressEvent<ProgressSpec>, seconds: number, final: boolean): string | undefined {
	switch (spec.kind) {
		case 'scan': {
			const scan = event as ScanProgress;
			return scan.phase === 'scanning' && !scan.current
				? `${name}: ${scan.done}/${scan.total} files, ${perSecond(scan.read, seconds).toFixed(1)} photos/s, ${scan.errors} errors`
				: undefined;
		}

		case 'tag': {
			const tag = event as TagProgress;
			return `${name}: ${tag.phase} ${tag.done}/${tag.total} photos, ${perSecond(tag.done, seconds).toFixed(1)} photos/s, ${tag.errors} errors`;
		}

		case 'batch': {
			const batch = event as BatchProgress;
			const bytes = batch.totalBytes > 0 ? `, ${formatBytes(batch.bytes)} of ${formatBytes(batch.totalBytes)}` : '';
			return `${name}: ${batchPhaseLabel(batch.phase, spec.verb).toLowerCase()} ${batch.done}/${batch.total}${bytes}`;
		}

		case 'import': {
			const transfer = event as ImportProgress;
			const bytes = transfer.totalBytes ? `, ${formatBytes(transfer.bytes ?? 0)} of ${formatBytes(transfer.totalBytes)}` : '';
			return transfer.current ? undefined : `${name}: ${transfer.phase} ${transfer.done}/${transfer.total}${bytes}`;
		}

		case 'files': {
			const task = event as FileTaskProgress;
			if (task.total === 0) {
				return undefined;
			}

			const throughput = task.bytes === undefined ? `${perSecond(task.done, seconds).toFixed(1)} files/s` : `${formatBytes(perSecond(task.bytes, seconds))}/s`;
			const problems = task.problems === undefined ? '' : `, ${task.problems} ${spec.problemLabel ?? 'problems'}`;
			return `${spec.label.toLowerCase()}: ${task.done}/${task.total} files, ${throughput}${problems}${final ? ', done' : ''}`;
		}
	}
}

/** How a progress channel draws: `update` per engine event, `finish` once the work ended (before the summary). */
export type ProgressSink<E> = {
	readonly update: (event: E) => void;
	readonly finish: () => Promise<void>;
};

/**
 * Plain progress lines on stderr: at most one every `intervalMs`, and only once the work has run that long, so short
 * work prints nothing; a new phase once lines were shown gets its line at once; and once lines were shown, the last
 * says where the work ended. Lines go to stderr, never stdout, which may hold --json.
 */
export function plainProgress<S extends ProgressSpec>(
	spec: S,
	options: {readonly name: string; readonly stderr: NodeJS.WritableStream; readonly intervalMs?: number; readonly now?: () => number},
): ProgressSink<ProgressEvent<S>> {
	const now = options.now ?? (() => performance.now());
	const interval = options.intervalMs ?? 2000;
	const started = now();
	const clock = lineClock(now, interval, interval);
	let printed: ProgressEvent<S> | undefined;
	let latest: ProgressEvent<S> | undefined;
	const line = (event: ProgressEvent<S>, time: number, final: boolean) => {
		const text = progressLine(spec, options.name, event, (time - started) / 1000, final);
		if (text !== undefined) {
			options.stderr.write(`${text}\n`);
			printed = event;
		}
	};

	return {
		update(event) {
			if (progressLine(spec, options.name, event, 0, false) === undefined) {
				return;
			}

			latest = event;
			if (clock.due('phase' in event ? event.phase : undefined)) {
				line(event, now(), false);
			}
		},
		async finish() {
			if (printed && latest && latest !== printed) {
				line(latest, now(), true);
			}
		},
	};
}

/**
 * When a progress line is due: none before `delay` of work (so short work prints nothing), then at most one every
 * `interval`, and at once when the phase changes after a line was shown. After `reset` the next line is due as the first one was.
 */
function lineClock(now: () => number, interval: number, delay: number): {readonly due: (phase: unknown) => boolean; readonly shown: () => boolean; readonly reset: () => void} {
	const started = now();
	let last = Number.NEGATIVE_INFINITY;
	let shown = false;
	let current: unknown;
	return {
		due(phase) {
			const time = now();
			const changed = phase !== current;
			current = phase;
			if (time - started < delay || (time - last < interval && !(shown && changed))) {
				return false;
			}

			last = time;
			shown = true;
			return true;
		},
		shown: () => shown,
		reset() {
			last = Number.NEGATIVE_INFINITY;
			shown = false;
			current = undefined;
		},
	};
}

/** A duplicate search's progress as the user reads it. */
export function dupeSearchLine(event: DupeSearchProgress): string {
	const count = (value: number) => value.toLocaleString('en');
	switch (event.phase) {
		case 'reading': {
			return 'finding duplicates: reading the catalog';
		}

		case 'lookup': {
			return `finding duplicates: looking up near copies among ${count(event.total)} photos`;
		}

		case 'verifying': {
			return `finding duplicates: verified ${count(event.done)}/${count(event.total)} candidate pairs`;
		}

		case 'ranking': {
			return `finding duplicates: ranked ${count(event.done)}/${count(event.total)} clusters`;
		}

		case 'keeping': {
			return `finding duplicates: keeping ${count(event.total)} clusters`;
		}
	}
}

/**
 * Where a duplicate search says how far it is, on stderr. The search is synchronous (minutes at a million photos), so
 * no Ink view can draw meanwhile. On a terminal one line is rewritten in place, at most every 100 ms and at once for a
 * new phase, and erased when the search ends. Elsewhere (a log, a pipe) a plain line at most every `intervalMs` and at
 * once for a new phase, but only once the search has run that long: a short search prints nothing.
 */
export function dupeSearchProgress(
	stderr: NodeJS.WritableStream & {readonly isTTY?: boolean},
	options: {readonly intervalMs?: number; readonly now?: () => number} = {},
): {readonly update: (event: DupeSearchProgress) => void; readonly finish: () => void} {
	const terminal = Boolean(stderr.isTTY);
	const interval = terminal ? 100 : (options.intervalMs ?? 2000);
	const clock = lineClock(options.now ?? (() => performance.now()), interval, terminal ? 0 : interval);
	return {
		update(event) {
			if (clock.due(event.phase)) {
				stderr.write(terminal ? `\r${dupeSearchLine(event)}\u001B[K` : `${dupeSearchLine(event)}\n`);
			}
		},
		finish() {
			if (terminal && clock.shown()) {
				stderr.write('\r\u001B[K');
			}

			// Said once; a later search on the same sink starts its lines afresh.
			clock.reset();
		},
	};
}
