/**
 * The encodings hand-assembled WebAssembly modules are written in (source/ai/dot-wasm.ts,
 * source/core/hamming-join-wasm.ts): unsigned LEB128 numbers, names, sections
 * (https://webassembly.github.io/spec/core/binary/).
 */

/** An unsigned 32-bit number as LEB128 bytes. */
export const leb = (value: number): number[] => {
	const bytes: number[] = [];
	let rest = value >>> 0;
	do {
		let byte = rest & 0x7f;
		rest >>>= 7;
		if (rest !== 0) {
			byte |= 0x80;
		}

		bytes.push(byte);
	} while (rest !== 0);
	return bytes;
};

/** A name: its length, then its bytes. */
export const text = (value: string): number[] => [...leb(value.length), ...Buffer.from(value, 'latin1')];

/** A section: its id, its length, its body. */
export const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
