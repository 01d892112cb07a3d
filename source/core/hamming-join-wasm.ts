/**
 * The inner loop of the Hamming index's joins (hash-index.ts), as a hand-assembled WebAssembly module (issue 15). At
 * a million photos candidate lookup compares about a billion pairs of 32-bit hash halves, almost all of them rejected
 * by their first half's popcount. JavaScript counts bits with a dozen shifts and masks (SWAR); WebAssembly has
 * `i32.popcnt`, one instruction, and checks no array bounds. Assembled here rather than shipped as a binary (no
 * toolchain, no network), like source/ai/dot-wasm.ts; test/core/hamming-join-wasm.test.ts holds it to the JavaScript
 * join it replaces, hit for hit and in the same order.
 *
 * One function, `join`, joins bucket `value` of an index with bucket `(value ^ mask) & low` of a table of probes, for
 * the index's occupied buckets `occupied[u]`, u from `uStart` to `uEnd - 1` (skipping a value with a `top` bit set, so
 * that joining an index with itself meets each pair of buckets once), and writes each pair (p, x) whose first halves
 * differ in at most `radius` bits and whose whole hashes differ in at most `radius` bits as three words: p, x and the
 * distance. Pairs come in the order of the loops: u, then p, then x. When the output (`capacity` triples) has no room
 * for another row of probes, it stops before that row and returns where to go on: the bucket u it returns, from row
 * `state[0]` (-1 to start a bucket at its first row); `state[1]` is how many pairs it wrote.
 *
 * Every address is a byte offset into the one memory; arrays are of 32-bit words.
 */

import {leb, section, text} from './wasm-bytes.js';

// Opcodes (https://webassembly.github.io/spec/core/binary/instructions.html).
const op = {
	block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f, void: 0x40,
	get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41,
	eq: 0x46, ne: 0x47, ltU: 0x49, gtU: 0x4b, leU: 0x4d, geU: 0x4f,
	popcnt: 0x69, add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, xor: 0x73, shl: 0x74,
	load: (offset: number) => [0x28, 2, ...leb(offset)],
	store: (offset: number) => [0x36, 2, ...leb(offset)],
};

/** Parameters, in order, then locals. */
const names = [
	'occupied', 'uStart', 'uEnd', 'offsets', 'first', 'second', 'probeOffsets', 'probeFirst', 'probeSecond', 'mask', 'low', 'top', 'radius', 'out', 'capacity', 'state',
	'u', 'value', 'other', 'qs', 'qe', 'p', 'pe', 'x', 'fp', 'sp', 'd', 'n', 'o', 'resume',
] as const;
const parameters = 16;
const at = (name: (typeof names)[number]) => names.indexOf(name);
const get = (name: (typeof names)[number]) => [op.get, at(name)];
const set = (name: (typeof names)[number]) => [op.set, at(name)];
/** `array[index]`, both locals, the word at array + 4 * index (plus `offset` bytes). */
const element = (array: (typeof names)[number], index: (typeof names)[number], offset = 0) => [...get(array), ...get(index), op.i32Const, 2, op.shl, op.add, ...op.load(offset)];

/**
 * Structured control with named labels: a branch names the block or loop it leaves or repeats, and its depth is
 * counted here, not by hand.
 */
class Code {
	readonly bytes: number[] = [];
	private readonly labels: Array<string | undefined> = [];

	emit(...parts: Array<number | number[]>): this {
		for (const part of parts) {
			if (Array.isArray(part)) {
				this.bytes.push(...part);
			} else {
				this.bytes.push(part);
			}
		}

		return this;
	}

	open(kind: 'block' | 'loop' | 'if', label?: string): this {
		this.labels.push(label);
		return this.emit(op[kind], op.void);
	}

	close(): this {
		this.labels.pop();
		return this.emit(op.end);
	}

	/** Branches to `label` (unconditionally, or when the value on the stack is not 0). */
	branch(label: string, when: 'always' | 'if' = 'always'): this {
		const depth = this.labels.length - 1 - this.labels.lastIndexOf(label);
		if (depth >= this.labels.length) {
			throw new Error(`no label ${label}`);
		}

		return this.emit(when === 'always' ? op.br : op.brIf, depth);
	}
}

/** The body of `join`. */
function body(): number[] {
	const code = new Code();
	// -1 pushed: no row to go on from (state[0] between joins).
	const pushNoRow = [op.i32Const, 0x7f];
	code.emit(op.i32Const, 0, set('n'));
	code.emit(get('state'), op.load(0), set('resume'));
	code.emit(get('uStart'), set('u'));
	code.open('block', 'exit').open('loop', 'buckets');
	code.emit(get('u'), get('uEnd'), op.geU).branch('exit', 'if');
	code.emit(element('occupied', 'u'), set('value'));
	code.open('block', 'next');
	code.emit(get('value'), get('top'), op.and).branch('next', 'if');
	code.emit(get('value'), get('mask'), op.xor, get('low'), op.and, set('other'));
	code.emit(element('probeOffsets', 'other'), set('qs'));
	code.emit(element('probeOffsets', 'other', 4), set('qe'));
	code.emit(get('qs'), get('qe'), op.eq).branch('next', 'if');
	code.emit(element('offsets', 'value'), set('p'));
	code.emit(element('offsets', 'value', 4), set('pe'));
	// Going on within the bucket it stopped in.
	code.emit(get('resume'), pushNoRow, op.ne).open('if');
	code.emit(get('resume'), set('p'), pushNoRow, set('resume'));
	code.close();
	code.emit(get('p'), get('pe'), op.geU).branch('next', 'if');
	code.open('loop', 'rows');
	// No room for this row's probes: stop before it.
	code.emit(get('qe'), get('qs'), op.sub, get('capacity'), get('n'), op.sub, op.gtU).open('if');
	code.emit(get('state'), get('p'), op.store(0), get('state'), get('n'), op.store(4), get('u'), op.return);
	code.close();
	code.emit(element('first', 'p'), set('fp'), element('second', 'p'), set('sp'));
	code.emit(get('qs'), set('x'));
	code.open('loop', 'probes');
	code.emit(get('fp'), element('probeFirst', 'x'), op.xor, op.popcnt, set('d'));
	code.emit(get('d'), get('radius'), op.leU).open('if');
	code.emit(get('d'), get('sp'), element('probeSecond', 'x'), op.xor, op.popcnt, op.add, set('d'));
	code.emit(get('d'), get('radius'), op.leU).open('if');
	code.emit(get('out'), get('n'), op.i32Const, 12, op.mul, op.add, set('o'));
	code.emit(get('o'), get('p'), op.store(0), get('o'), get('x'), op.store(4), get('o'), get('d'), op.store(8));
	code.emit(get('n'), op.i32Const, 1, op.add, set('n'));
	code.close().close();
	code.emit(get('x'), op.i32Const, 1, op.add, op.tee, at('x'), get('qe'), op.ltU).branch('probes', 'if');
	code.close();
	code.emit(get('p'), op.i32Const, 1, op.add, op.tee, at('p'), get('pe'), op.ltU).branch('rows', 'if');
	code.close();
	code.close(); // next
	code.emit(get('u'), op.i32Const, 1, op.add, set('u'));
	code.branch('buckets');
	code.close().close();
	code.emit(get('state'), pushNoRow, op.store(0), get('state'), get('n'), op.store(4), get('u'));
	code.emit(op.end);
	return code.bytes;
}

/** The module's bytes; it imports `env.memory`. */
export function joinModule(): Uint8Array {
	const locals = names.length - parameters;
	const code = [1, ...leb(locals), 0x7f, ...body()];
	return Uint8Array.from([
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		...section(1, [1, 0x60, parameters, ...Array.from({length: parameters}, () => 0x7f), 1, 0x7f]),
		...section(2, [1, ...text('env'), ...text('memory'), 0x02, 0x00, 1]),
		...section(3, [1, 0]),
		...section(7, [1, ...text('join'), 0x00, 0]),
		...section(10, [1, ...leb(code.length), ...code]),
	]);
}

/**
 * The compiled module, made on first use (a command that never looks hashes up never compiles it), or undefined where
 * this runtime cannot compile it (then the JavaScript join runs).
 */
let compiled: WebAssembly.Module | undefined | false = false;
function compiledModule(): WebAssembly.Module | undefined {
	if (compiled === false) {
		try {
			compiled = new WebAssembly.Module(joinModule());
		} catch {
			compiled = undefined;
		}
	}

	return compiled;
}

/** A bucketed table of hashes as the joins read it: bucket v's items are offsets[v] .. offsets[v + 1] - 1. */
export type Buckets = {readonly offsets: Uint32Array; readonly first: Uint32Array; readonly second: Uint32Array};

type JoinFunction = (...words: number[]) => number;

const page = 65_536;
/** No row to go on from: `state[0]` between joins. */
const noRow = 0xff_ff_ff_ff;

/**
 * One instance of the module with its own memory, into which an index's buckets and a table of probes are copied once
 * and then joined under many masks. Not shared between threads: each makes its own.
 */
export class WasmJoin {
	/** A join, or undefined where WebAssembly cannot run it (no module, or no memory for an instance). */
	static create(): WasmJoin | undefined {
		try {
			const module = compiledModule();
			return module ? new WasmJoin(module) : undefined;
		} catch {
			return undefined;
		}
	}

	private readonly memory = new WebAssembly.Memory({initial: 1});
	private readonly join: JoinFunction;
	private words = new Uint32Array(this.memory.buffer);
	/** Byte addresses of the index's arrays and of the probes'. */
	private index = {occupied: 0, offsets: 0, first: 0, second: 0, end: 0};
	private probes = {offsets: 0, first: 0, second: 0, out: 0, capacity: 0, state: 0};

	private constructor(module: WebAssembly.Module) {
		const instance = new WebAssembly.Instance(module, {env: {memory: this.memory}});
		this.join = instance.exports.join as JoinFunction;
	}

	/** Copies the index's occupied bucket values and its buckets in (and forgets any probes). */
	placeIndex(occupied: Uint32Array, buckets: Buckets): void {
		let end = 0;
		const next = (words: number) => {
			const start = end;
			end += words * 4;
			return start;
		};

		this.index = {occupied: next(occupied.length), offsets: next(buckets.offsets.length), first: next(buckets.first.length), second: next(buckets.second.length), end};
		this.reserve(end);
		this.words.set(occupied, this.index.occupied / 4);
		this.words.set(buckets.offsets, this.index.offsets / 4);
		this.words.set(buckets.first, this.index.first / 4);
		this.words.set(buckets.second, this.index.second / 4);
		this.probes = {offsets: 0, first: 0, second: 0, out: 0, capacity: 0, state: 0};
	}

	/**
	 * Copies a table of probes in, after the index, or takes the index's own buckets as the probes (a self-join). The
	 * output holds `capacity` pairs (65,536 by default), and at least the largest probe bucket, so that a row always fits.
	 */
	placeProbes(probes: Buckets | 'index', options: {readonly capacity?: number} = {}): void {
		const own = probes === 'index';
		let largest = 0;
		const offsets = own ? undefined : probes.offsets;
		if (offsets) {
			for (let v = 0; v + 1 < offsets.length; v++) largest = Math.max(largest, offsets[v + 1] - offsets[v]);
		} else {
			const from = this.index.offsets / 4;
			const buckets = (this.index.first - this.index.offsets) / 4 - 1;
			for (let v = 0; v < buckets; v++) largest = Math.max(largest, this.words[from + v + 1] - this.words[from + v]);
		}

		// Smaller outputs (a test's) stop and go on more often, with the same pairs in the same order.
		const capacity = Math.max(options.capacity ?? 1 << 16, largest, 1);
		let end = this.index.end;
		const next = (words: number) => {
			const start = end;
			end += words * 4;
			return start;
		};

		this.probes = own
			? {offsets: this.index.offsets, first: this.index.first, second: this.index.second, out: next(capacity * 3), capacity, state: next(2)}
			: {offsets: next(probes.offsets.length), first: next(probes.first.length), second: next(probes.second.length), out: next(capacity * 3), capacity, state: next(2)};
		this.reserve(end);
		if (!own) {
			this.words.set(probes.offsets, this.probes.offsets / 4);
			this.words.set(probes.first, this.probes.first / 4);
			this.words.set(probes.second, this.probes.second / 4);
		}
	}

	/**
	 * Joins the index's buckets occupied[uStart .. uEnd - 1] (but those with a `top` bit set) with the probes' buckets
	 * (value ^ mask) & low, calling `report(p, x, distance)` for each pair within `radius`, in the order of the loops.
	 */
	run(uStart: number, uEnd: number, mask: number, low: number, top: number, radius: number, report: (p: number, x: number, distance: number) => void): void {
		const {index, probes} = this;
		const state = probes.state / 4;
		this.words[state] = noRow;
		let u = uStart;
		while (u < uEnd) {
			const next = this.join(
				index.occupied, u, uEnd, index.offsets, index.first, index.second, probes.offsets, probes.first, probes.second,
				mask >>> 0, low >>> 0, top >>> 0, radius, probes.out, probes.capacity, probes.state,
			) >>> 0;
			const written = this.words[state + 1];
			if (next < uEnd && written === 0) {
				throw new Error('a row of probes does not fit the join\'s output');
			}

			const {words} = this;
			for (let h = 0, at = probes.out / 4; h < written; h++, at += 3) report(words[at], words[at + 1], words[at + 2]);
			u = next;
		}
	}

	/** Grows the memory to at least `bytes`. */
	private reserve(bytes: number): void {
		const have = this.memory.buffer.byteLength;
		if (bytes > have) {
			// @types/node's WebAssembly.Memory lacks grow(), which every runtime has.
			(this.memory as unknown as {grow(pages: number): number}).grow(Math.ceil((bytes - have) / page));
			this.words = new Uint32Array(this.memory.buffer);
		}
	}
}
