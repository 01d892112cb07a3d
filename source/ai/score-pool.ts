import os from 'node:os';
import {Worker} from 'node:worker_threads';
import {integerQuery} from '../core/vectors.js';
import {dotModule, simdAvailable} from './dot-wasm.js';
import type {VectorSet} from './vector-cache.js';

/** Options of `VectorScorer.open`. */
export type ScorerOptions = {
	/** Threads that score (the calling thread is one); default: the cores, 1 below `parallelFrom` rows. */
	readonly threads?: number;
	/** Rows from which a second thread pays for its start-up (about 30 ms); default 200,000. */
	readonly parallelFrom?: number;
	/** Use the scalar JavaScript loop even where WebAssembly SIMD runs (tests compare the two). */
	readonly scalar?: boolean;
};

// Plain JavaScript evaluated as the worker, so the same code runs from source (tsx) and from the build; no execArgv,
// so a run through tsx does not load its loader into the worker (that alone cost 0.3-1 s per search).
const workerSource = `
const {parentPort, workerData} = require('node:worker_threads');
const instance = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes), {env: {memory: workerData.memory}});
parentPort.on('message', part => {
	instance.exports.score(part.matrix, part.rows, part.stride, part.query, part.mask, part.out);
	parentPort.postMessage(part.id);
});
`;

type Part = {id: number; matrix: number; rows: number; stride: number; query: number; mask: number; out: number};

/**
 * Scores every row of a `VectorSet` against a text embedding (issue 6): the int8 query against the int8 rows with
 * the WebAssembly SIMD kernel, the rows split between the calling thread and worker threads that share the memory,
 * so nothing is copied. Rows outside an optional mask are skipped and score -Infinity.
 */
export class VectorScorer {
	/** Starts the workers (when the set is large enough to want them). */
	static async open(vectors: VectorSet, options: ScorerOptions = {}): Promise<VectorScorer> {
		const simd = !options.scalar && simdAvailable();
		const wanted = options.threads ?? (vectors.rows >= (options.parallelFrom ?? 200_000) ? Math.max(1, os.availableParallelism()) : 1);
		const threads = simd ? Math.max(1, Math.min(wanted, vectors.rows)) : 1;
		let score: ((part: Part) => void) | undefined;
		const workers: Worker[] = [];
		if (simd) {
			const bytes = dotModule(vectors.layout.pages);
			const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {env: {memory: vectors.memory}});
			const kernel = instance.exports.score as (...args: number[]) => void;
			score = part => {
				kernel(part.matrix, part.rows, part.stride, part.query, part.mask, part.out);
			};

			for (let i = 1; i < threads; i++) {
				const worker = new Worker(workerSource, {eval: true, execArgv: [], workerData: {bytes, memory: vectors.memory}});
				workers.push(worker);
			}
		}

		return new VectorScorer(vectors, score, workers);
	}

	private readonly ints: Int32Array;
	private readonly maskBytes: Uint8Array;
	private readonly waiting = new Map<Worker, {resolve: () => void; reject: (error: Error) => void}>();
	private readonly dead = new Set<Worker>();

	private constructor(
		private readonly vectors: VectorSet,
		private readonly kernel: ((part: Part) => void) | undefined,
		private readonly workers: Worker[],
	) {
		this.ints = new Int32Array(vectors.memory.buffer, vectors.layout.out, vectors.rows);
		this.maskBytes = new Uint8Array(vectors.memory.buffer, vectors.layout.mask, vectors.rows);
		for (const worker of workers) {
			const settle = (error?: Error) => {
				const waiter = this.waiting.get(worker);
				this.waiting.delete(worker);
				if (error) {
					waiter?.reject(error);
				} else {
					waiter?.resolve();
				}
			};

			worker.on('message', () => {
				settle();
			});
			// A worker that died takes no more parts: this thread scores them instead of waiting forever.
			worker.on('error', error => {
				this.dead.add(worker);
				settle(error);
			});
			worker.on('exit', () => {
				this.dead.add(worker);
				settle(new Error('scoring worker stopped'));
			});
		}
	}

	/** Threads that score: this one and the workers. */
	get threads(): number {
		return 1 + this.workers.length;
	}

	/** Whether the SIMD kernel runs (false: the scalar loop). */
	get simd(): boolean {
		return this.kernel !== undefined;
	}

	/** The filter mask, one byte per row (1 = score the row); fill it, then score with `masked`. */
	get mask(): Uint8Array {
		return this.maskBytes;
	}

	/** Cosine-like scores of each row (`scale × query scale × Σ q·v`), -Infinity for rows the mask leaves out. */
	async score(query: Float32Array, masked = false): Promise<Float32Array> {
		const {rows, stride, dimensions, layout, scales, memory} = this.vectors;
		const {values, scale} = integerQuery(query.subarray(0, dimensions));
		const queryBytes = new Int8Array(memory.buffer, layout.query, stride);
		queryBytes.fill(0);
		queryBytes.set(values);
		if (this.kernel) {
			const per = Math.ceil(rows / this.threads);
			const part = (index: number): Part => {
				const start = Math.min(rows, index * per);
				return {id: index, matrix: start * stride, rows: Math.min(rows, start + per) - start, stride, query: layout.query, mask: masked ? layout.mask + start : 0, out: layout.out + start * 4};
			};

			const kernel = this.kernel;
			const done = this.workers.map(async (worker, index) => {
				if (!this.dead.has(worker)) {
					try {
						await new Promise<void>((resolve, reject) => {
							this.waiting.set(worker, {resolve, reject});
							worker.postMessage(part(index + 1));
						});
						return;
					} catch {}
				}

				kernel(part(index + 1));
			});
			kernel(part(0));
			await Promise.all(done);
		} else {
			this.scalar(values, masked);
		}

		const scores = new Float32Array(rows);
		for (let row = 0; row < rows; row++) {
			scores[row] = masked && this.maskBytes[row] === 0 ? Number.NEGATIVE_INFINITY : this.ints[row]! * scales[row]! * scale;
		}

		return scores;
	}

	/** Stops the workers. */
	async close(): Promise<void> {
		for (const worker of this.workers) {
			this.dead.add(worker);
		}

		await Promise.all(this.workers.map(async worker => worker.terminate()));
	}

	private scalar(query: Int32Array, masked: boolean): void {
		const {rows, stride, dimensions, matrix} = this.vectors;
		for (let row = 0; row < rows; row++) {
			if (masked && this.maskBytes[row] === 0) {
				continue;
			}

			const base = row * stride;
			let sum = 0;
			for (let j = 0; j < dimensions; j++) {
				sum = (sum + query[j]! * matrix[base + j]!) | 0;
			}

			this.ints[row] = sum;
		}
	}
}
