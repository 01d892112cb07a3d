/**
 * Stage 3 of duplicate finding: candidate pairs for the near tier, from the 64-bit pHashes alone (the light
 * fingerprints), through a multi-index Hamming index rather than all pairs. Nothing here decides; the verification
 * stage judges every candidate on its pixels.
 */
import {HammingIndex, popcount64} from '../core/hash-index.js';
import type {StoredFile} from '../db/catalog.js';
import {grown} from '../core/grown.js';
import {halvesOf, type HashWords, turnedAndCropLookups} from './lookups.js';

/** The fingerprints candidate lookup reads: hex pHashes of the picture, of it turned, and of its centre crops. */
export type CandidateFingerprint = Pick<StoredFile, 'phash' | 'phashRotations' | 'phashCrops' | 'takenAt' | 'takenAtSource' | 'burstId' | 'error' | 'width' | 'height'> & HashWords;

/**
 * One way a pair was found: picture `i` (turned by `rotation`, or its centre crop number `crop`, -1 for none) looks
 * like `j`; `window` when one of i's crop windows hashed like the whole of j (an uneven crop: verify by aligning).
 */
export type CandidateWay = {i: number; j: number; rotation: 0 | 90 | 180 | 270; crop: number; distance: number; window?: boolean; damaged?: boolean};

/** Per unit: the signature hashes of the whole picture and of its crop windows (see window-hash.ts). */
export type WindowHashes = (unit: number) => {readonly whole: bigint; readonly windows: readonly bigint[]} | undefined;

/**
 * The same hashes for every unit that has them, packed (a million photos would otherwise make a million objects of
 * nine bigints): `units` in ascending order, and for unit k of them `perUnit` hashes as 32-bit halves from
 * `k * perUnit`, the whole picture's first, then its crop windows'.
 */
export type WindowHashTable = {readonly units: Uint32Array; readonly perUnit: number; readonly hi: Uint32Array; readonly lo: Uint32Array};

/** A {@link WindowHashes} function's hashes for units 0 to count - 1, packed. */
export function windowHashTable(count: number, of: WindowHashes): WindowHashTable {
	const listed: number[] = [];
	const all: bigint[] = [];
	let perUnit = 0;
	for (let unit = 0; unit < count; unit++) {
		const hashes = of(unit);
		if (hashes) {
			perUnit = 1 + hashes.windows.length;
			listed.push(unit);
			all.push(hashes.whole, ...hashes.windows);
		}
	}

	return {
		units: Uint32Array.from(listed),
		perUnit,
		hi: Uint32Array.from(all, hash => Number(hash >> 32n)),
		lo: Uint32Array.from(all, hash => Number(hash & 0xff_ff_ff_ffn)),
	};
}

/**
 * Two units (indexes, a < b) that may be near duplicates, with every way they were found. The pairs candidate lookup
 * returns make their ways when asked (see {@link FoundPair}): read them, do not keep or change them.
 */
export type CandidatePair = {readonly a: number; readonly b: number; readonly ways: readonly CandidateWay[]};

/** How wide candidate lookup searches. */
export type CandidateOptions = {
	/** pHash radius of the plain lookup. */
	readonly radius: number;
	/** Radius of the turned and cropped lookups. */
	readonly lookupRadius: number;
	/** When set, also proposes every pair taken within this many milliseconds (the `similar` tier). */
	readonly similarWindowMs?: number;
	/**
	 * With window hashes, uneven crops are looked up too, within `windowRadius`: the table, or how to make it, called
	 * once the plain, turned and cropped lookups are done so that their index and the table never take memory at once.
	 */
	readonly windowHashes?: WindowHashTable | (() => WindowHashTable);
	readonly windowRadius?: number;
	/** Where the window lookup may run beside the others (a helper thread); without it, it runs here after them. */
	readonly windowLookupAway?: WindowLookupAway;
};

/** Capture time in ms, or undefined when unknown or only a file date. */
export function takenMs(file: Pick<StoredFile, 'takenAt' | 'takenAtSource'>): number | undefined {
	if (!file.takenAt || file.takenAtSource === 'mtime') {
		return undefined;
	}

	// Local wall-clock times without an offset compare as if UTC: both photos of a pair come from one camera clock.
	const ms = Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(file.takenAt) ? file.takenAt : `${file.takenAt}Z`);
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Proposes candidate pairs among units with a pHash: plain neighbours within `radius`; copies a viewer turned (each
 * picture's turned hashes looked up); copies cut down to a centre crop (each picture's crop hashes looked up); and,
 * for the `similar` tier, pictures taken close together. Pairs come out in the order first found.
 */
export function findCandidates(units: ReadonlyArray<{readonly file: CandidateFingerprint}>, options: CandidateOptions): CandidatePair[] {
	// The pHashes as 32-bit halves: a light record's from its packed bytes, any other's parsed from its hex (halvesOf).
	const hashed: number[] = [];
	const hi = new Uint32Array(units.length);
	const lo = new Uint32Array(units.length);
	for (const [unit, {file}] of units.entries()) {
		const packed = file.hashWord?.('phash', 0) ?? -1;
		if (packed >= 0) {
			hi[hashed.length] = packed;
			lo[hashed.length] = file.hashWord!('phash', 1);
		} else {
			const phash = file.phash;
			if (!phash) {
				continue;
			}

			[hi[hashed.length], lo[hashed.length]] = halvesOf(phash);
		}

		hashed.push(unit);
	}

	const halves = {hi: hi.subarray(0, hashed.length), lo: lo.subarray(0, hashed.length)};
	const pairs = new PairTable();
	// i and j are positions in `hashed`; the pair records unit indexes.
	const consider = (i: number, j: number, rotation: 0 | 90 | 180 | 270, distance: number, crop = -1, window = false) => {
		if (i === j) {
			return;
		}

		const ui = window ? i : hashed[i]!;
		const uj = window ? j : hashed[j]!;
		if (ui === uj) {
			return;
		}

		pairs.add(ui, uj, rotation, crop, distance, window);
	};

	// Uneven crops: each picture's crop windows, hashed from its signature, looked up among the whole-picture hashes;
	// in a helper thread beside the lookups below when one can be had (the table is then made first).
	const windowRadius = options.windowRadius ?? 8;
	const tableOf = (hashes: WindowHashTable | (() => WindowHashTable)) => (typeof hashes === 'function' ? hashes() : hashes);
	const early = options.windowHashes && options.windowLookupAway ? tableOf(options.windowHashes) : undefined;
	const away = early && options.windowLookupAway!(early, windowRadius);
	try {
		lookUpNear(halves, hashed.map(unitIndex => units[unitIndex]!.file), options, consider);
	} catch (error) {
		away?.cancel();
		throw error;
	}

	if (options.windowHashes) {
		const table = early ?? tableOf(options.windowHashes);
		const hits = away?.wait();
		if (hits) {
			const way = windowWay(table, consider);
			for (let h = 0; h < hits.count; h++) way(hits.query[h]!, hits.hit[h]!, hits.distance[h]!);
		} else {
			lookUpWindows(table, windowRadius, consider);
		}
	}

	// Different shots of one moment: taken within a short window (or one burst), compared on their signatures.
	if (options.similarWindowMs !== undefined) {
		const windowMs = options.similarWindowMs;
		const timed = [...hashed.keys()]
			.map(i => ({i, ms: takenMs(units[hashed[i]!]!.file)}))
			.filter((entry): entry is {i: number; ms: number} => entry.ms !== undefined)
			.sort((x, y) => x.ms - y.ms);
		const {hi, lo} = halves;
		for (let x = 0; x < timed.length; x++) {
			for (let y = x + 1; y < timed.length && timed[y]!.ms - timed[x]!.ms <= windowMs; y++) {
				const [i, j] = [timed[x]!.i, timed[y]!.i];
				consider(i, j, 0, popcount64(hi[i]!, lo[i]!, hi[j]!, lo[j]!));
			}
		}
	}

	return pairs.found();
}

/** Called for each way a pair is found: positions in the pHash list (or units, for a window), as findCandidates' `consider`. */
type Consider = (i: number, j: number, rotation: 0 | 90 | 180 | 270, distance: number, crop?: number, window?: boolean) => void;

/**
 * Plain neighbours, then copies whose pixels a viewer rotated (each picture's turned hashes) and copies cut down to a
 * centre crop (each picture's crop hashes), looked up in the pHash index in one batch, hits in the order one lookup at
 * a time gave. Its own function so that the index and the lookups (about 100 MB at a million photos) are garbage
 * once it returns, before the window lookup builds its own index.
 */
function lookUpNear(halves: {readonly hi: Uint32Array; readonly lo: Uint32Array}, files: readonly CandidateFingerprint[], options: CandidateOptions, consider: Consider): void {
	const index = new HammingIndex(halves);
	index.pairsWithin(options.radius, (i, j, distance) => {
		consider(i, j, 0, distance);
	});
	const lookups = turnedAndCropLookups(files);
	index.queryEach(lookups.hi, lookups.lo, options.lookupRadius, (q, hit, distance) => {
		consider(lookups.owner[q]!, hit, lookups.rotation[q] as 0 | 90 | 180 | 270, distance, lookups.crop[q]);
	});
}

/**
 * The hits of a window lookup done elsewhere (a helper thread: helper-pool.ts), in the order {@link eachWindowHit}
 * makes them: hit h is query `query[h]` (a unit's window, numbered as there) within `distance[h]` of the table's unit
 * number `hit[h]`.
 */
export type WindowHits = {readonly count: number; readonly query: Uint32Array; readonly hit: Uint32Array; readonly distance: Uint8Array};

/**
 * Starts the window lookup of this table within `radius` elsewhere, while the plain, turned and cropped lookups run
 * here; `wait` gives its hits, or undefined when it failed (the lookup is then done here, on the same table), and
 * `cancel` ends it when the lookups here fail.
 */
export type WindowLookupAway = (table: WindowHashTable, radius: number) => {wait(): WindowHits | undefined; cancel(): void} | undefined;

/** The hits of {@link eachWindowHit}, gathered into typed arrays (what a helper thread sends back). */
export function windowHits(table: WindowHashTable, radius: number): WindowHits {
	let query = new Uint32Array(1024);
	let hit = new Uint32Array(1024);
	let distance = new Uint8Array(1024);
	let count = 0;
	eachWindowHit(table, radius, (q, index, d) => {
		if (count === query.length) {
			query = grown(query, count);
			hit = grown(hit, count);
			distance = grown(distance, count);
		}

		query[count] = q;
		hit[count] = index;
		distance[count] = d;
		count++;
	});
	return {count, query: query.slice(0, count), hit: hit.slice(0, count), distance: distance.slice(0, count)};
}

/** A window hit (query q, the table's unit number `hit`) as a way two units were found. */
function windowWay(table: WindowHashTable, consider: Consider): (q: number, hit: number, distance: number) => void {
	const windowsPer = table.perUnit - 1;
	return (q, hit, distance) => {
		consider(table.units[Math.floor(q / windowsPer)]!, table.units[hit]!, 0, distance, -1, true);
	};
}

/** Each unit's crop windows looked up among the whole-picture hashes of the table, within `radius`. */
function lookUpWindows(table: WindowHashTable, radius: number, consider: Consider): void {
	eachWindowHit(table, radius, windowWay(table, consider));
}

/**
 * Calls `onHit(q, hit, distance)` for each unit's crop windows (query q: unit ⌊q / windows a unit⌋'s window q mod
 * that) within `radius` of the whole-picture hash of the table's unit number `hit`: unit by unit, window by window,
 * nearest first.
 */
function eachWindowHit(table: WindowHashTable, radius: number, onHit: (q: number, hit: number, distance: number) => void): void {
	const listed = table.units.length;
	const per = table.perUnit;
	const windowsPer = per - 1;
	if (listed > 0 && windowsPer > 0) {
		const wholeHi = new Uint32Array(listed);
		const wholeLo = new Uint32Array(listed);
		for (let k = 0; k < listed; k++) {
			wholeHi[k] = table.hi[k * per]!;
			wholeLo[k] = table.lo[k * per]!;
		}

		const wholes = new HammingIndex({hi: wholeHi, lo: wholeLo});
		// One batch over the table as it is (each unit's whole hash skipped), hits in the order one lookup at a time
		// gave: unit by unit, window by window, nearest first.
		wholes.queryEach(table.hi, table.lo, radius, onHit, {groupsOf: per});
	}
}

/**
 * Candidate pairs by their two units, in the order first found, and the ways each was found, all in typed arrays until
 * the lookups are done: no key, object or array is made per pair or per way while they run. At a million photos they
 * find about 365,000 pairs through 1.4 million ways; as objects (a way, a growing array of ways and a pair) those
 * were about 150 MB of heap that stayed live through verification, against 14 MB packed and 20 MB of pairs.
 */
class PairTable {
	/** The pairs' units, in the order first found. */
	private pairA = new Int32Array(1024);
	private pairB = new Int32Array(1024);
	private pairs = 0;
	/** Per slot: the pair's a and b, and its number + 1 (0 for an empty slot). */
	private slotA = new Int32Array(1024);
	private slotB = new Int32Array(1024);
	private slotPair = new Int32Array(1024);
	/** The ways, in the order found: the pair's number and the way's {@link wayCode}. */
	private wayPair = new Int32Array(4096);
	private wayCode = new Uint32Array(4096);
	private ways = 0;

	/** Records a way pair (x, y), x !== y, was found: picture x turned by `rotation` or its crop `crop` looks like y. */
	add(x: number, y: number, rotation: 0 | 90 | 180 | 270, crop: number, distance: number, window: boolean): void {
		if (this.ways === this.wayPair.length) {
			this.wayPair = grown(this.wayPair, this.ways);
			this.wayCode = grown(this.wayCode, this.ways);
		}

		this.wayPair[this.ways] = this.of(Math.min(x, y), Math.max(x, y));
		this.wayCode[this.ways] = wayCode(x > y, rotation, crop, distance, window);
		this.ways++;
	}

	/** The pairs in the order first found, each with its ways in the order found. */
	found(): CandidatePair[] {
		// The ways sorted by pair, in order within each (a stable counting sort): pair k's are from starts[k]. Kept in
		// plain arrays, on the JavaScript heap: typed arrays allocated now, after the lookups' large ones were freed, sat
		// at the top of the C heap and kept those freed pages in the process (about 50 MB more resident at 100,000 photos).
		const starts: number[] = new Array<number>(this.pairs + 1).fill(0);
		for (let w = 0; w < this.ways; w++) starts[this.wayPair[w]! + 1]++;
		for (let k = 0; k < this.pairs; k++) starts[k + 1] += starts[k]!;
		const codes: number[] = new Array<number>(this.ways).fill(0);
		const next = starts.slice(0, this.pairs);
		for (let w = 0; w < this.ways; w++) codes[next[this.wayPair[w]!]!++] = this.wayCode[w]!;
		const store = new WayStore(starts, codes);
		const list: CandidatePair[] = new Array(this.pairs);
		for (let k = 0; k < this.pairs; k++) list[k] = new FoundPair(this.pairA[k]!, this.pairB[k]!, store, k);
		return list;
	}

	/** The number of pair (a, b), a < b, made if new. */
	private of(a: number, b: number): number {
		const mask = this.slotPair.length - 1;
		for (let slot = slotOf(a, b) & mask; ; slot = (slot + 1) & mask) {
			const held = this.slotPair[slot]!;
			if (held === 0) {
				if (this.pairs === this.pairA.length) {
					this.pairA = grown(this.pairA, this.pairs);
					this.pairB = grown(this.pairB, this.pairs);
				}

				const pair = this.pairs++;
				this.pairA[pair] = a;
				this.pairB[pair] = b;
				this.slotA[slot] = a;
				this.slotB[slot] = b;
				this.slotPair[slot] = this.pairs;
				// At most half full, so probes stay short.
				if (this.pairs * 2 > this.slotPair.length) {
					this.grow();
				}

				return pair;
			}

			if (this.slotA[slot] === a && this.slotB[slot] === b) {
				return held - 1;
			}
		}
	}

	private grow(): void {
		const size = this.slotPair.length * 2;
		this.slotA = new Int32Array(size);
		this.slotB = new Int32Array(size);
		this.slotPair = new Int32Array(size);
		const mask = size - 1;
		for (let pair = 0; pair < this.pairs; pair++) {
			const a = this.pairA[pair]!;
			const b = this.pairB[pair]!;
			let slot = slotOf(a, b) & mask;
			while (this.slotPair[slot] !== 0) {
				slot = (slot + 1) & mask;
			}

			this.slotA[slot] = a;
			this.slotB[slot] = b;
			this.slotPair[slot] = pair + 1;
		}
	}
}

/**
 * One way a pair was found, in 15 bits: the distance (0 to 64) in bits 0-6, the quarter turns in 7-8, the crop + 1 in
 * 9-12 (crops are numbered from 0; -1 is none), a window lookup in bit 13, and in bit 14 whether the way's first
 * picture is the pair's second unit.
 */
function wayCode(swapped: boolean, rotation: 0 | 90 | 180 | 270, crop: number, distance: number, window: boolean): number {
	return distance | ((rotation / 90) << 7) | ((crop + 1) << 9) | (window ? 1 << 13 : 0) | (swapped ? 1 << 14 : 0);
}

/** The ways of every pair candidate lookup found, packed: pair k's {@link wayCode}s are codes[starts[k]] to codes[starts[k + 1] - 1]. */
class WayStore {
	private lastPair = -1;
	private lastWays: readonly CandidateWay[] = [];

	constructor(
		private readonly starts: readonly number[],
		private readonly codes: readonly number[],
	) {}

	/** Pair k's ways as objects; the last pair's are kept, since verification reads one pair's ways a few times running. */
	waysOf(pair: number, a: number, b: number): readonly CandidateWay[] {
		if (pair !== this.lastPair) {
			const ways: CandidateWay[] = [];
			for (let w = this.starts[pair]!; w < this.starts[pair + 1]!; w++) {
				const code = this.codes[w]!;
				const [i, j] = code & (1 << 14) ? [b, a] : [a, b];
				const rotation = (((code >> 7) & 3) * 90) as 0 | 90 | 180 | 270;
				const crop = ((code >> 9) & 15) - 1;
				const distance = code & 0x7f;
				ways.push(code & (1 << 13) ? {i, j, rotation, crop, distance, window: true} : {i, j, rotation, crop, distance});
			}

			this.lastPair = pair;
			this.lastWays = ways;
		}

		return this.lastWays;
	}
}

/**
 * A pair candidate lookup found: its units, and its ways made from the packed store when read (56 bytes a pair instead
 * of a pair, an array and an object per way). Its ways are a fresh array for each pair in turn: read them, do not keep
 * them.
 */
class FoundPair implements CandidatePair {
	readonly #store: WayStore;
	readonly #pair: number;

	constructor(
		readonly a: number,
		readonly b: number,
		store: WayStore,
		pair: number,
	) {
		this.#store = store;
		this.#pair = pair;
	}

	get ways(): readonly CandidateWay[] {
		return this.#store.waysOf(this.#pair, this.a, this.b);
	}
}

/** A well-mixed 32-bit hash of a pair of units (murmur3's finaliser over both). */
function slotOf(a: number, b: number): number {
	let h = Math.imul(a, 0x9e_37_79_b1) ^ b;
	h = Math.imul(h ^ (h >>> 16), 0x85_eb_ca_6b);
	h = Math.imul(h ^ (h >>> 13), 0xc2_b2_ae_35);
	return (h ^ (h >>> 16)) >>> 0;
}

/** True for a file whose pixels decoded only in part (a truncated or corrupt copy): its hashes describe a damaged picture. */
export function isDamaged(file: Pick<StoredFile, 'error'>): boolean {
	return file.error?.startsWith('damaged image data') ?? false;
}

/**
 * A capture time the picture carries, not one taken from the file's modification time: a copy keeps its original's
 * capture time, but it was written at another moment, so times from the file system never tell copies apart.
 */
function captured(file: Pick<StoredFile, 'takenAt' | 'takenAtSource'>): string | undefined {
	return file.takenAtSource === 'mtime' ? undefined : (file.takenAt ?? undefined);
}

/** Most intact pictures a damaged one is compared with. */
const damagedFanOut = 64;

/**
 * Candidates for damaged copies (issue 15): a truncated copy's hashes describe half a picture, so it is never near its
 * original in hash space. Its header survives, though: it is compared with the intact pictures of the same size (and
 * the same capture time, when both have one), which verification checks on the part that decodes.
 */
export function findDamagedCandidates(units: ReadonlyArray<{readonly file: CandidateFingerprint & {readonly id?: number}}>, damagedIds?: ReadonlySet<number>): CandidatePair[] {
	const damaged = (file: CandidateFingerprint & {readonly id?: number}) => isDamaged(file) || (file.id !== undefined && (damagedIds?.has(file.id) ?? false));
	const sizes = new Set<string>();
	for (const {file} of units) {
		if (damaged(file) && file.width && file.height) {
			sizes.add(`${file.width}x${file.height}`);
		}
	}

	if (sizes.size === 0) {
		return [];
	}

	// Intact pictures of the damaged ones' sizes only.
	const bySize = new Map<string, number[]>();
	for (const [index, {file}] of units.entries()) {
		const key = `${file.width}x${file.height}`;
		if (sizes.has(key) && !damaged(file) && !file.error && file.phash) {
			const list = bySize.get(key) ?? [];
			list.push(index);
			bySize.set(key, list);
		}
	}

	const pairs: CandidatePair[] = [];
	for (const [index, {file}] of units.entries()) {
		if (!damaged(file) || !file.width || !file.height) {
			continue;
		}

		const same = (bySize.get(`${file.width}x${file.height}`) ?? []).filter(other => {
			const taken = captured(units[other]!.file);
			return !captured(file) || !taken || taken === captured(file);
		});
		for (const other of same.slice(0, damagedFanOut)) {
			pairs.push({a: Math.min(index, other), b: Math.max(index, other), ways: [{i: index, j: other, rotation: 0, crop: -1, distance: 0, damaged: true}]});
		}
	}

	return pairs;
}
