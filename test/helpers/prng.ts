/**
 * The seeded pseudo-random generator tests and benches draw from (mulberry32), so a failure or a measurement
 * reproduces from its seed. One copy: each test and bench had its own.
 */

/** Unsigned 32-bit integers. */
export function prng32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	};
}

/** Numbers in [0, 1): the same sequence as {@link prng32}, divided by 2^32. */
export function prngUnit(seed: number): () => number {
	const next = prng32(seed);
	return () => next() / 4_294_967_296;
}
