/**
 * The photos a few new ones may be duplicates of (issue 15): every photo that candidate lookup (candidates.ts) or
 * exact and same-pixel grouping (group.ts) would pair with one of them, found without making every other pair. A kept
 * search follows photos added since it was kept by searching these again with them (refresh.ts): at a million photos
 * that is the lookups of the new photos and the lookups of every photo against the new ones, seconds, where a whole
 * search makes and verifies every pair in a minute and a half.
 *
 * Each lookup of findCandidates is made from both sides: a pair (i, j) comes from i's turned, cropped or window hash
 * near j's whole one, so the new photos' lookups go to an index of every photo, and every photo's lookups to an index
 * of the new ones. Every photo's hashes are held packed, with no object a photo ({@link LookupColumns}), since a
 * refresh reads them for the whole library. test/dupes/partners.test.ts holds the partners to the pairs
 * findCandidates and grouping make.
 */
import {grown} from '../core/grown.js';
import {HammingIndex} from '../core/hash-index.js';
import {type CandidateFingerprint, type CandidateOptions, takenMs, type WindowHashTable} from './candidates.js';
import {cropCount, cropHashes, halvesIn, halvesOf, type Lookups, turnedHashes, turnedRotations} from './lookups.js';
import type {Unit} from './types.js';

/**
 * The lookup hashes of every photo with a pHash, packed: photo k (its key, a unit index or a catalog id, in `keys`)
 * has its pHash's halves at k, its turned and cropped lookups among `turned` (owner k), and its capture time at k
 * (NaN when unknown or only a file date).
 */
export type LookupColumns = {
	readonly keys: Int32Array;
	readonly hi: Uint32Array;
	readonly lo: Uint32Array;
	readonly turned: Lookups;
	readonly takenMs: Float64Array;
};

/** What a photo gives its columns: the candidate fingerprints of candidates.ts. */
type Fingerprint = Pick<CandidateFingerprint, 'phash' | 'phashRotations' | 'phashCrops' | 'takenAt' | 'takenAtSource'>;

/** Fills {@link LookupColumns} a photo at a time, growing its arrays by doubling. */
export class LookupColumnsBuilder {
	private keys = new Int32Array(1024);
	private hi = new Uint32Array(1024);
	private lo = new Uint32Array(1024);
	private taken = new Float64Array(1024);
	private count = 0;
	private turnedHi = new Uint32Array(4096);
	private turnedLo = new Uint32Array(4096);
	private owner = new Uint32Array(4096);
	private rotation = new Uint16Array(4096);
	private crop = new Int8Array(4096);
	private turnedCount = 0;

	/** Adds a photo under `key`; one without a pHash makes no lookups and is left out, as candidate lookup leaves it. */
	add(key: number, file: Fingerprint): void {
		if (!file.phash) {
			return;
		}

		const k = this.count;
		if (k === this.keys.length) {
			this.keys = grown(this.keys, k);
			this.hi = grown(this.hi, k);
			this.lo = grown(this.lo, k);
			this.taken = grown(this.taken, k);
		}

		this.keys[k] = key;
		[this.hi[k], this.lo[k]] = halvesOf(file.phash);
		this.taken[k] = takenMs(file) ?? Number.NaN;
		this.count++;
		const turned = turnedHashes(file);
		if (turned) {
			for (const [t, rotation] of turnedRotations.entries()) this.turn(k, halvesIn(turned, t), rotation, -1);
		}

		const crops = cropHashes(file);
		if (crops) {
			for (let crop = 0; crop < cropCount; crop++) this.turn(k, halvesIn(crops, crop), 0, crop);
		}
	}

	done(): LookupColumns {
		const n = this.turnedCount;
		return {
			keys: this.keys.slice(0, this.count),
			hi: this.hi.slice(0, this.count),
			lo: this.lo.slice(0, this.count),
			takenMs: this.taken.slice(0, this.count),
			turned: {hi: this.turnedHi.slice(0, n), lo: this.turnedLo.slice(0, n), owner: this.owner.slice(0, n), rotation: this.rotation.slice(0, n), crop: this.crop.slice(0, n)},
		};
	}

	private turn(owner: number, [hi, lo]: [number, number], rotation: number, crop: number): void {
		const q = this.turnedCount;
		if (q === this.owner.length) {
			this.turnedHi = grown(this.turnedHi, q);
			this.turnedLo = grown(this.turnedLo, q);
			this.owner = grown(this.owner, q);
			this.rotation = grown(this.rotation, q);
			this.crop = grown(this.crop, q);
		}

		this.turnedHi[q] = hi;
		this.turnedLo[q] = lo;
		this.owner[q] = owner;
		this.rotation[q] = rotation;
		this.crop[q] = crop;
		this.turnedCount++;
	}
}

/** Fills a {@link WindowHashTable} a photo at a time from its stored window hashes (72 bytes, big-endian). */
export class WindowTableBuilder {
	private readonly per = 9;
	private units = new Uint32Array(1024);
	private hi = new Uint32Array(1024 * 9);
	private lo = new Uint32Array(1024 * 9);
	private count = 0;

	add(key: number, bytes: Uint8Array): void {
		if (bytes.length !== this.per * 8) {
			return;
		}

		const k = this.count;
		if (k === this.units.length) {
			this.units = grown(this.units, k);
			this.hi = grown(this.hi, (k + 1) * this.per);
			this.lo = grown(this.lo, (k + 1) * this.per);
		}

		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		for (let w = 0; w < this.per; w++) {
			this.hi[k * this.per + w] = view.getUint32(w * 8);
			this.lo[k * this.per + w] = view.getUint32(w * 8 + 4);
		}

		this.units[k] = key;
		this.count++;
	}

	done(): WindowHashTable {
		return {units: this.units.slice(0, this.count), perUnit: this.per, hi: this.hi.slice(0, this.count * this.per), lo: this.lo.slice(0, this.count * this.per)};
	}
}

/**
 * The keys of the photos other than `newcomers` (keys) that candidate lookup with `lookup` would pair with one of
 * them; `windows` is the window-hash table of every photo under the same keys (find.ts `windowHashesOf`), or
 * undefined for a search without uneven-crop lookup.
 */
export function lookupPartners(columns: LookupColumns, newcomers: ReadonlySet<number>, lookup: Omit<CandidateOptions, 'windowHashes'>, windows?: WindowHashTable): Set<number> {
	const partners = new Set<number>();
	const add = (key: number) => {
		if (!newcomers.has(key)) {
			partners.add(key);
		}
	};

	const {keys} = columns;
	const fresh: number[] = [];
	for (let k = 0; k < keys.length; k++) {
		if (newcomers.has(keys[k]!)) {
			fresh.push(k);
		}
	}

	if (fresh.length > 0) {
		const every = new HammingIndex(columns);
		// Plain neighbours: pairsWithin is symmetric, so the new photos' own pHashes looked up find them all.
		const own = {hi: Uint32Array.from(fresh, k => columns.hi[k]!), lo: Uint32Array.from(fresh, k => columns.lo[k]!)};
		every.queryEach(own.hi, own.lo, lookup.radius, (_, hit) => add(keys[hit]!));
		// The new photos turned and cropped, near any photo; then any photo turned and cropped, near a new one.
		const {turned} = columns;
		const isFresh = new Uint8Array(keys.length);
		for (const k of fresh) {
			isFresh[k] = 1;
		}

		const theirs: number[] = [];
		for (let q = 0; q < turned.owner.length; q++) {
			if (isFresh[turned.owner[q]!]) {
				theirs.push(q);
			}
		}

		every.queryEach(
			Uint32Array.from(theirs, q => turned.hi[q]!),
			Uint32Array.from(theirs, q => turned.lo[q]!),
			lookup.lookupRadius,
			(_, hit) => add(keys[hit]!),
		);
		new HammingIndex(own).queryEach(turned.hi, turned.lo, lookup.lookupRadius, q => add(keys[turned.owner[q]!]!));
	}

	if (windows && windows.perUnit > 1) {
		windowPartners(windows, newcomers, lookup.windowRadius ?? 8, add);
	}

	if (lookup.similarWindowMs !== undefined && fresh.length > 0) {
		similarPartners(columns, fresh, lookup.similarWindowMs, add);
	}

	return partners;
}

/** Shots taken within the window of a new one: the similar tier pairs every two such, whatever their hashes. */
function similarPartners(columns: LookupColumns, fresh: readonly number[], windowMs: number, add: (key: number) => void): void {
	const timed: number[] = [];
	for (let k = 0; k < columns.keys.length; k++) {
		if (!Number.isNaN(columns.takenMs[k]!)) {
			timed.push(k);
		}
	}

	const ms = columns.takenMs;
	timed.sort((a, b) => ms[a]! - ms[b]!);
	for (const k of fresh) {
		const at = ms[k]!;
		if (Number.isNaN(at)) {
			continue;
		}

		// The first shot taken at most the window before, then on while within the window after.
		let low = 0;
		let high = timed.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (ms[timed[middle]!]! < at - windowMs) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		for (let index = low; index < timed.length && ms[timed[index]!]! <= at + windowMs; index++) {
			add(columns.keys[timed[index]!]!);
		}
	}
}

/** Uneven crops: the new photos' crop windows near any photo's whole hash, and any photo's windows near a new one's. */
function windowPartners(table: WindowHashTable, newcomers: ReadonlySet<number>, radius: number, add: (key: number) => void): void {
	const per = table.perUnit;
	const listed = table.units.length;
	const fresh: number[] = [];
	for (let k = 0; k < listed; k++) {
		if (newcomers.has(table.units[k]!)) {
			fresh.push(k);
		}
	}

	if (fresh.length === 0) {
		return;
	}

	const wholes = (count: number, at: (index: number) => number) => ({
		hi: Uint32Array.from({length: count}, (_, index) => table.hi[at(index) * per]!),
		lo: Uint32Array.from({length: count}, (_, index) => table.lo[at(index) * per]!),
	});
	const every = new HammingIndex(wholes(listed, index => index));
	// The new photos' windows, in groups of `per` with their whole hash first, as the table holds them.
	const theirs = {hi: new Uint32Array(fresh.length * per), lo: new Uint32Array(fresh.length * per)};
	for (const [index, k] of fresh.entries()) {
		theirs.hi.set(table.hi.subarray(k * per, (k + 1) * per), index * per);
		theirs.lo.set(table.lo.subarray(k * per, (k + 1) * per), index * per);
	}

	every.queryEach(theirs.hi, theirs.lo, radius, (_, hit) => add(table.units[hit]!), {groupsOf: per});
	const newOnes = new HammingIndex(wholes(fresh.length, index => fresh[index]!));
	newOnes.queryEach(table.hi, table.lo, radius, q => add(table.units[Math.floor(q / (per - 1))]!), {groupsOf: per});
}

/**
 * The units other than `newcomers` (unit indexes) that candidate lookup with `lookup`, or exact and same-pixel
 * grouping, would pair with one of them; `windows` as {@link lookupPartners} takes it, by unit.
 */
export function partnersOf(units: readonly Unit[], newcomers: ReadonlySet<number>, lookup: Omit<CandidateOptions, 'windowHashes'> | undefined, windows?: WindowHashTable): Set<number> {
	const sha = new Set<string>();
	const content = new Set<string>();
	for (const unit of newcomers) {
		const {file} = units[unit]!;
		if (file.sha256) sha.add(file.sha256);
		if (file.contentHash) content.add(file.contentHash);
	}

	const partners = new Set<number>();
	for (const [unit, {file}] of units.entries()) {
		if (!newcomers.has(unit) && ((file.sha256 && sha.has(file.sha256)) || (file.contentHash && content.has(file.contentHash)))) {
			partners.add(unit);
		}
	}

	if (lookup) {
		const columns = new LookupColumnsBuilder();
		for (const [unit, {file}] of units.entries()) {
			columns.add(unit, file);
		}

		for (const unit of lookupPartners(columns.done(), newcomers, lookup, windows)) {
			partners.add(unit);
		}
	}

	return partners;
}
