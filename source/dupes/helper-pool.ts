/**
 * Helper threads for the stages of a duplicate search that split into batches judged on their own: verification
 * (verify-helpers.ts) and ranking (rank-helpers.ts). At a million photos a cold search ran on one core of the
 * machine's two; these stages are arithmetic and object work on data each batch reads for itself, so they share well.
 *
 * Each helper is a worker thread (helper-worker.ts) with its own read-only connection to the catalog (WAL lets it read
 * beside the search's): it is sent a batch, reads what the batch needs and answers with the batch's result. The search
 * is synchronous from end to end, so the caller waits on a shared counter that a helper bumps after each answer, as the
 * thumbnail reader does (media/thumbnail-gray.ts), and reads the answers off the helpers' ports directly.
 */
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {MessageChannel, type MessagePort, receiveMessageOnPort, Worker} from 'node:worker_threads';

/** Batches a helper holds at once: the one it works on and the next, so it never waits for the caller. */
const perHelper = 2;

/** Most helpers: beyond the fourth core, reading the catalog and the caller's own work limit what more would bring. */
const mostHelpers = 3;

/** Longest wait for a helper's first word (it loads and opens the catalog), then for any answer, before its batches are done here. */
const startTimeoutMs = 30_000;
const answerTimeoutMs = 120_000;

/**
 * What helpers did in this process: jobs answered, by kind (tests and benchmarks read it). `scale` multiplies each
 * stage's least work worth a helper: tests set it to 0 so that a small catalog starts them.
 */
export const helperCounts: {scale: number; answered: Record<string, number>} = {scale: 1, answered: {}};

/** How a stage's helpers may be set (tests): how many, and the least work worth them, in the stage's own unit. */
export type HelperSettings = {readonly count?: number; readonly fewest?: number};

/**
 * How many helpers a stage starts for `work` (batches, photos): `settings.count`, else one fewer than the machine's
 * cores; none below `settings.fewest`, else below the stage's own least work `fewest`, as {@link helperCounts} scales it.
 */
export function helpersFor(work: number, fewest: number, settings: HelperSettings): number {
	const count = settings.count ?? helperCount();
	return work < (settings.fewest ?? fewest * helperCounts.scale) ? 0 : count;
}

/** What a helper starts with. */
export type HelperData = {readonly catalogFile: string; readonly signal: SharedArrayBuffer; readonly port: MessagePort};

/** A batch as a helper is sent it: which stage's (`kind`) and its number in the caller's run. */
export type HelperJob = {readonly kind: string; readonly index: number};

/** What a helper answers: that it is ready, a batch's result, or a failure (of a batch, or of its start). */
export type HelperAnswer = {readonly ready: true} | {readonly index: number; readonly result: unknown} | {readonly index?: number; readonly failed: string};

/**
 * Batches shared between the caller and helper threads, as a stage sees them: a batch offered and taken is done in a
 * helper; its result comes back under its number.
 */
export type BatchPool<T> = {
	/** Takes batch `index` when a helper has room for it; false leaves it to the caller. */
	offer(index: number): boolean;
	/** Batches finished so far, without waiting (undefined: its helper failed, and the caller does it). */
	finished(): ReadonlyMap<number, T | undefined>;
	/** Waits for batch `index`; undefined when its helper failed, and the caller does it itself. */
	wait(index: number): T | undefined;
	close(): void;
};

/**
 * Results of batches 0 to count - 1 in order, each done by `here` unless the pool took it; `onDone` is told how many
 * batches from the first are done, as that grows. The pool is closed at the end.
 */
export function inBatches<T>(count: number, here: (index: number) => T, pool: BatchPool<T> | undefined, onDone?: (done: number) => void): T[] {
	const results: Array<T | undefined> = [];
	const finished: boolean[] = [];
	const away = new Set<number>();
	let reported = 0;
	const done = (index: number, result: T) => {
		results[index] = result;
		finished[index] = true;
		while (reported < count && finished[reported]) reported++;
	};

	try {
		for (let index = 0; index < count; index++) {
			if (pool?.offer(index)) {
				away.add(index);
				continue;
			}

			done(index, here(index));
			for (const [taken, result] of pool?.finished() ?? []) {
				if (result !== undefined && away.delete(taken)) done(taken, result);
			}

			onDone?.(reported);
		}

		for (const index of away) {
			done(index, pool!.wait(index) ?? here(index));
			onDone?.(reported);
		}
	} finally {
		pool?.close();
	}

	return results as T[];
}

type Helper = {
	readonly worker: Worker;
	readonly port: MessagePort;
	readonly holding: Set<number>;
	ready: boolean;
	dead: boolean;
};

/**
 * How a helper thread starts: the module beside this one when built (.js); run from the sources (the tests, under
 * tsx), a worker does not inherit tsx's loader on Node 20, so it registers tsx first and then imports the .ts module.
 */
function helperEntry(): {source: string; eval: boolean} {
	const here = fileURLToPath(import.meta.url);
	const extension = path.extname(here);
	const entry = path.join(path.dirname(here), `helper-worker${extension}`);
	if (extension === '.js') {
		return {source: entry, eval: false};
	}

	const tsx = import.meta.resolve('tsx/esm/api');
	return {source: `import(${JSON.stringify(tsx)}).then(tsx => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`, eval: true};
}

/** How many helpers this machine gives a stage: one fewer than its cores, at most {@link mostHelpers}. */
function helperCount(): number {
	return Math.max(0, Math.min(mostHelpers, os.availableParallelism() - 1));
}

/**
 * The helper threads of one run of a stage over the catalog in `catalogFile`. Answers are read raw; the stage turns
 * them into its results ({@link BatchPool}).
 */
export class HelperPool {
	private readonly signal = new Int32Array(new SharedArrayBuffer(4));
	private readonly helpers: Helper[] = [];
	private readonly owner = new Map<number, Helper>();
	private readonly kinds = new Map<number, string>();
	/** Batches answered and not yet handed back (undefined: its helper failed). */
	private readonly answered = new Map<number, unknown>();

	/**
	 * `count` helpers, or undefined when there are none to start or a thread cannot be had (a process limit): the
	 * stage is then done here, as on one core.
	 */
	static start(catalogFile: string, count: number): HelperPool | undefined {
		if (count === 0) {
			return undefined;
		}

		try {
			return new HelperPool(catalogFile, count);
		} catch {
			return undefined;
		}
	}

	/** Starts `count` helpers; throws when a thread cannot be had, having ended those it started. */
	private constructor(catalogFile: string, count: number) {
		const entry = helperEntry();
		try {
			for (let h = 0; h < count; h++) {
				const channel = new MessageChannel();
				const data: HelperData = {catalogFile, signal: this.signal.buffer as SharedArrayBuffer, port: channel.port2};
				const worker = new Worker(entry.source, {eval: entry.eval, workerData: data, transferList: [channel.port2]});
				// The caller waits on the counter, never on the worker; an error shows as no answer (and a timeout) there.
				worker.on('error', () => {});
				worker.unref();
				this.helpers.push({worker, port: channel.port1, holding: new Set(), ready: false, dead: false});
			}
		} catch (error) {
			this.close();
			throw error;
		}
	}

	/**
	 * Sends batch `index` to a helper with room for it, as the job `make` makes (only then: packing a batch costs), with
	 * the buffers to transfer; false when none has room.
	 */
	offer(index: number, make: () => {readonly job: HelperJob; readonly transfer?: readonly ArrayBuffer[]}): boolean {
		this.read();
		const helper = this.helpers.find(candidate => !candidate.dead && candidate.holding.size < perHelper);
		if (!helper) {
			return false;
		}

		const {job, transfer = []} = make();
		if (job.index !== index) throw new RangeError(`job ${job.index} offered as batch ${index}`);
		helper.port.postMessage(job, [...transfer]);
		helper.holding.add(job.index);
		this.owner.set(job.index, helper);
		this.kinds.set(job.index, job.kind);
		return true;
	}

	/** Results answered so far, each handed back once; batches whose helper failed stay for {@link wait}. */
	finished(): Map<number, unknown> {
		this.read();
		const done = new Map<number, unknown>();
		for (const [index, result] of this.answered) {
			if (result !== undefined) {
				done.set(index, result);
				this.answered.delete(index);
			}
		}

		return done;
	}

	/** Waits for batch `index`'s result; undefined when its helper failed. */
	wait(index: number): unknown {
		for (;;) {
			const seen = Atomics.load(this.signal, 0);
			this.read();
			if (this.answered.has(index)) {
				const result = this.answered.get(index);
				this.answered.delete(index);
				return result;
			}

			const helper = this.owner.get(index);
			if (!helper || helper.dead) {
				return undefined;
			}

			if (Atomics.wait(this.signal, 0, seen, helper.ready ? answerTimeoutMs : startTimeoutMs) === 'timed-out') {
				this.fail(helper);
			}
		}
	}

	close(): void {
		for (const helper of this.helpers) {
			void helper.worker.terminate();
			helper.port.close();
		}
	}

	/** Takes every answer waiting on the helpers' ports. */
	private read(): void {
		for (const helper of this.helpers) {
			for (let received = receiveMessageOnPort(helper.port); received; received = receiveMessageOnPort(helper.port)) {
				const answer = received.message as HelperAnswer;
				if ('ready' in answer) {
					helper.ready = true;
				} else if ('failed' in answer) {
					// A helper that failed once (no catalog to open, a bug) is not trusted with more: what it holds is done here.
					this.fail(helper);
				} else {
					this.answered.set(answer.index, answer.result);
					helper.holding.delete(answer.index);
					const kind = this.kinds.get(answer.index) ?? '';
					helperCounts.answered[kind] = (helperCounts.answered[kind] ?? 0) + 1;
				}
			}
		}
	}

	private fail(helper: Helper): void {
		helper.dead = true;
		void helper.worker.terminate();
		for (const index of helper.holding) {
			this.answered.set(index, undefined);
		}

		helper.holding.clear();
	}
}

/**
 * A stage's pool over `count` helper threads: `make` makes batch `index`'s job when a helper has room for it, `decode`
 * turns a helper's result into the stage's. Undefined when there are none (see {@link HelperPool.start}).
 */
export function batchPool<T>(
	catalogFile: string,
	count: number,
	make: (index: number) => {readonly job: HelperJob; readonly transfer?: readonly ArrayBuffer[]},
	decode: (index: number, result: unknown) => T,
): BatchPool<T> | undefined {
	const pool = HelperPool.start(catalogFile, count);
	if (!pool) {
		return undefined;
	}

	const decoded = (index: number, result: unknown) => (result === undefined ? undefined : decode(index, result));
	return {
		offer: index => pool.offer(index, () => make(index)),
		finished: () => new Map([...pool.finished()].map(([index, result]) => [index, decoded(index, result)])),
		wait: index => decoded(index, pool.wait(index)),
		close: () => pool.close(),
	};
}
