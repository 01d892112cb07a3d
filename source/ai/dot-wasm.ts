/**
 * A hand-assembled WebAssembly module for `curate search` (issue 6: well under 1 s per query at a million photos on
 * 2 cores). One function, `score(matrix, rows, dims, query, mask, out)`, writes the integer dot product of each int8
 * row with the int8 query: 16 bytes at a time, sign-extended to 16 bits and multiplied pairwise with
 * `i32x4.dot_i16x8_s`, about ten times the speed of the best scalar JavaScript loop. Rows whose mask byte is 0 are
 * skipped (when `mask` is not 0). Memory is imported and shared, so two workers score halves of one matrix.
 * Assembled here rather than shipped as a binary (no toolchain, no network); test/ai/dot-wasm.test.ts checks it
 * against the scalar loop.
 */

import {leb, section, text} from '../core/wasm-bytes.js';

// Opcodes (https://webassembly.github.io/spec/core/binary/instructions.html).
const op = {
	block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, brIf: 0x0d, void: 0x40,
	get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41, eqz: 0x45, ltU: 0x49, add: 0x6a, shl: 0x74,
	load8U: [0x2d, 0, 0], store: [0x36, 2, 0],
	v128Load: [0xfd, 0x00, 0, 0], v128Zero: [0xfd, 0x0c, ...Array.from({length: 16}, () => 0)],
	extractLane: (lane: number) => [0xfd, 0x1b, lane],
	extendLow: [0xfd, 0x87, 0x01], extendHigh: [0xfd, 0x88, 0x01], dot: [0xfd, 0xba, 0x01], add32x4: [0xfd, 0xae, 0x01],
};

// Parameters 0-5, then locals.
const [matrix, rows, dims, query, mask, out, row, column, pointer, acc, a, b] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

const body = [
	2, 3, 0x7f, 3, 0x7b, // locals: row, column, pointer (i32); acc, a, b (v128)
	op.block, op.void,
	op.get, rows, op.eqz, op.brIf, 0,
	op.get, matrix, op.set, pointer,
	op.loop, op.void,
	op.block, op.void,
	op.get, mask, op.if, op.void,
	op.get, mask, op.get, row, op.add, ...op.load8U, op.eqz, op.brIf, 1,
	op.end,
	...op.v128Zero, op.set, acc,
	op.i32Const, 0, op.set, column,
	op.loop, op.void,
	op.get, pointer, op.get, column, op.add, ...op.v128Load, op.set, a,
	op.get, query, op.get, column, op.add, ...op.v128Load, op.set, b,
	op.get, acc,
	op.get, a, ...op.extendLow, op.get, b, ...op.extendLow, ...op.dot, ...op.add32x4,
	op.get, a, ...op.extendHigh, op.get, b, ...op.extendHigh, ...op.dot, ...op.add32x4,
	op.set, acc,
	op.get, column, op.i32Const, 16, op.add, op.tee, column, op.get, dims, op.ltU, op.brIf, 0,
	op.end,
	op.get, out, op.get, row, op.i32Const, 2, op.shl, op.add,
	op.get, acc, ...op.extractLane(0),
	op.get, acc, ...op.extractLane(1), op.add,
	op.get, acc, ...op.extractLane(2), op.add,
	op.get, acc, ...op.extractLane(3), op.add,
	...op.store,
	op.end,
	op.get, pointer, op.get, dims, op.add, op.set, pointer,
	op.get, row, op.i32Const, 1, op.add, op.tee, row, op.get, rows, op.ltU, op.brIf, 0,
	op.end,
	op.end,
	op.end,
];

/** The module's bytes; it imports `env.memory`, a shared memory of exactly `pages` 64 KiB pages. */
export function dotModule(pages: number): Uint8Array {
	return Uint8Array.from([
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
		...section(2, [1, ...text('env'), ...text('memory'), 0x02, 0x03, ...leb(pages), ...leb(pages)]),
		...section(3, [1, 0]),
		...section(7, [1, ...text('score'), 0x00, 0]),
		...section(10, [1, ...leb(body.length), ...body]),
	]);
}

/** Whether this runtime runs the module (WebAssembly SIMD and shared memory). */
export function simdAvailable(): boolean {
	try {
		return typeof SharedArrayBuffer === 'function' && WebAssembly.validate(dotModule(1));
	} catch {
		return false;
	}
}
