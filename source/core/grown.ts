/** A copy of `array` twice as long, or longer, so that it holds index `at`: for tables filled as rows are read. */
export function grown<T extends Int32Array | Uint32Array | Uint8Array | Uint16Array | Int8Array | Float64Array>(array: T, at: number): T {
	let length = array.length * 2;
	while (at >= length) {
		length *= 2;
	}

	const copy = new (array.constructor as new (length: number) => T)(length);
	copy.set(array);
	return copy;
}
