/**
 * Helper threads for verification (verify.ts): at a million photos, judging 365,000 candidate pairs on their detail
 * grids and signatures took a quarter of a cold search's time on one core, while the machine's other cores idled.
 * Every pair is judged on its own (verify.ts), so a batch judged in a helper gives the links it would give here.
 *
 * Each helper is a worker thread with its own read-only connection to the catalog (WAL lets it read beside this one):
 * it is sent a batch's pairs and the few fields of their photos that judging reads, loads their verification data
 * itself and sends back the batch's links. The search is synchronous from end to end, so the caller waits on a shared
 * counter that a helper bumps after each answer, as the thumbnail reader does (media/thumbnail-gray.ts), and reads
 * the answers off the ports directly.
 */
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {MessageChannel, type MessagePort, receiveMessageOnPort, Worker} from 'node:worker_threads';
import type {CandidatePair, CandidateWay} from './candidates.js';
import {thumbnailCheckCounts} from './thumb-judge.js';
import type {Link} from './types.js';
import type {BatchHelpers, JudgeOptions, VerifiedFile, VerifiedUnit} from './verify.js';

/** Batches a helper holds at once: the one it judges and the next, so it never waits for the caller. */
const perHelper = 2;

/** Fewest batches worth starting helpers for: a helper takes a few hundred milliseconds to load and open the catalog. */
const fewestBatches = 16;

/** Most helpers: beyond the fourth core, reading the catalog and the caller's own work limit what more would bring. */
const mostHelpers = 3;

/** Longest wait for a helper's first word (it loads and opens the catalog), then for any answer, before its batches are judged here. */
const startTimeoutMs = 30_000;
const answerTimeoutMs = 120_000;

/** Ints per way in a batch message: i, j, rotation, crop, distance, flags. */
const wayInts = 6;
const windowFlag = 1;
const damagedFlag = 2;

/** A batch as a helper is sent it: its photos numbered from 0 in `files`, its pairs as (a, b, end of its ways) triples. */
export type BatchMessage = {readonly index: number; readonly files: VerifiedFile[]; readonly pairs: Int32Array; readonly ways: Int32Array};

/** What a helper answers: a batch's links (in its own numbering) with its thumbnail check counts, or a failure. */
export type HelperAnswer =
	| {readonly ready: true}
	| {readonly index: number; readonly links: Link[]; readonly counts: typeof thumbnailCheckCounts}
	| {readonly index?: number; readonly failed: string};

/** What a helper starts with. */
export type HelperData = {readonly catalogFile: string; readonly options: JudgeOptions; readonly signal: SharedArrayBuffer; readonly port: MessagePort};

/** Packs a batch for a helper; `locals[k]` is the caller's unit for the helper's photo k. */
export function packBatch(index: number, units: readonly VerifiedUnit[], slice: readonly CandidatePair[]): {message: BatchMessage; locals: Int32Array} {
	const local = new Map<number, number>();
	const files: VerifiedFile[] = [];
	const number = (unit: number) => {
		let k = local.get(unit);
		if (k === undefined) {
			k = files.length;
			local.set(unit, k);
			const {id, width, height, takenAt, takenAtSource, frames, burstId, contentWidth, contentHeight} = units[unit]!.file;
			files.push({id, width, height, takenAt, takenAtSource, frames, burstId, contentWidth, contentHeight});
		}

		return k;
	};

	const pairs = new Int32Array(slice.length * 3);
	const ways: number[] = [];
	for (const [p, pair] of slice.entries()) {
		pairs[3 * p] = number(pair.a);
		pairs[3 * p + 1] = number(pair.b);
		for (const way of pair.ways) {
			ways.push(number(way.i), number(way.j), way.rotation, way.crop, way.distance, (way.window ? windowFlag : 0) | (way.damaged ? damagedFlag : 0));
		}

		pairs[3 * p + 2] = ways.length / wayInts;
	}

	return {message: {index, files, pairs, ways: Int32Array.from(ways)}, locals: Int32Array.from(local.keys())};
}

/** A batch as judging reads it, in the helper's numbering. */
export function unpackBatch(message: BatchMessage): {units: VerifiedUnit[]; slice: CandidatePair[]} {
	const units = message.files.map(file => ({file}));
	const slice: CandidatePair[] = [];
	const {pairs, ways} = message;
	for (let p = 0, start = 0; p < pairs.length / 3; p++) {
		const end = pairs[3 * p + 2]!;
		const own: CandidateWay[] = [];
		for (let w = start; w < end; w++) {
			const at = w * wayInts;
			const flags = ways[at + 5]!;
			const way: CandidateWay = {i: ways[at]!, j: ways[at + 1]!, rotation: ways[at + 2] as CandidateWay['rotation'], crop: ways[at + 3]!, distance: ways[at + 4]!};
			if (flags & windowFlag) way.window = true;
			if (flags & damagedFlag) way.damaged = true;
			own.push(way);
		}

		slice.push({a: pairs[3 * p]!, b: pairs[3 * p + 1]!, ways: own});
		start = end;
	}

	return {units, slice};
}

/** A link in the helper's numbering, in the caller's. */
function placed(link: Link, locals: Int32Array): Link {
	const out: Link = {a: locals[link.a]!, b: locals[link.b]!, kind: link.kind, distance: link.distance};
	if (link.damaged) out.damaged = {unit: locals[link.damaged.unit]!, decodes: link.damaged.decodes};
	return out;
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
	const entry = path.join(path.dirname(here), `verify-worker${extension}`);
	if (extension === '.js') {
		return {source: entry, eval: false};
	}

	const tsx = import.meta.resolve('tsx/esm/api');
	return {source: `import(${JSON.stringify(tsx)}).then(tsx => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`, eval: true};
}

/** The helpers of one verification run. */
class Helpers implements BatchHelpers {
	private readonly signal = new Int32Array(new SharedArrayBuffer(4));
	private readonly helpers: Helper[] = [];
	/** The caller's units of each batch away, by batch. */
	private readonly locals = new Map<number, Int32Array>();
	private readonly owner = new Map<number, Helper>();
	/** Batches answered and not yet handed back (undefined: its helper failed). */
	private readonly answered = new Map<number, Link[] | undefined>();

	constructor(catalogFile: string, options: JudgeOptions, count: number) {
		const entry = helperEntry();
		try {
			for (let h = 0; h < count; h++) {
				const channel = new MessageChannel();
				const data: HelperData = {catalogFile, options, signal: this.signal.buffer as SharedArrayBuffer, port: channel.port2};
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

	offer(index: number, units: readonly VerifiedUnit[], slice: readonly CandidatePair[]): boolean {
		this.read();
		const helper = this.helpers.find(candidate => !candidate.dead && candidate.holding.size < perHelper);
		if (!helper) {
			return false;
		}

		const {message, locals} = packBatch(index, units, slice);
		helper.port.postMessage(message, [message.pairs.buffer as ArrayBuffer, message.ways.buffer as ArrayBuffer]);
		helper.holding.add(index);
		this.owner.set(index, helper);
		this.locals.set(index, locals);
		return true;
	}

	finished(): ReadonlyMap<number, Link[] | undefined> {
		this.read();
		const done = new Map<number, Link[]>();
		for (const [index, links] of this.answered) {
			if (links) {
				done.set(index, links);
				this.answered.delete(index);
			}
		}

		return done;
	}

	wait(index: number): Link[] | undefined {
		for (;;) {
			const seen = Atomics.load(this.signal, 0);
			this.read();
			if (this.answered.has(index)) {
				const links = this.answered.get(index);
				this.answered.delete(index);
				return links;
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
					// A helper that failed once (no catalog to open, a bug) is not trusted with more: what it holds is judged here.
					this.fail(helper);
				} else {
					const locals = this.locals.get(answer.index)!;
					this.answered.set(
						answer.index,
						answer.links.map(link => placed(link, locals)),
					);
					helper.holding.delete(answer.index);
					this.locals.delete(answer.index);
					for (const [key, value] of Object.entries(answer.counts) as Array<[keyof typeof thumbnailCheckCounts, number]>) {
						thumbnailCheckCounts[key] += value;
					}
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

/** How many helpers this machine gives a verification: one fewer than its cores, at most {@link mostHelpers}. */
export function helperCount(): number {
	return Math.max(0, Math.min(mostHelpers, os.availableParallelism() - 1));
}

/**
 * Helpers for the verifications of searches over the catalog in `catalogFile`: started only for a run of at least
 * {@link fewestBatches} batches (or `fewest`), on a machine with more than one core (or `count` of them).
 */
export function verifyHelpers(catalogFile: string, settings: {readonly count?: number; readonly fewest?: number} = {}): (options: JudgeOptions, batches: number) => BatchHelpers | undefined {
	return (options, batches) => {
		const count = settings.count ?? helperCount();
		if (count === 0 || batches < (settings.fewest ?? fewestBatches)) {
			return undefined;
		}

		try {
			return new Helpers(catalogFile, options, count);
		} catch {
			// No thread to be had (a process limit): every batch is judged here, as on one core.
			return undefined;
		}
	};
}
