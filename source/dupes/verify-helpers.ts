/**
 * Verification's batches in helper threads (helper-pool.ts): at a million photos, judging 365,000 candidate pairs on
 * their detail grids and signatures took a quarter of a cold search's time on one core. Every pair is judged on its
 * own (verify.ts), so a batch judged in a helper gives the links it would give here. A helper is sent a batch's pairs
 * and ways packed in typed arrays, with the fields of their photos that judging reads, loads those photos'
 * verification data itself and answers with the batch's links, which are put back in the caller's numbering.
 */
import type {CandidatePair, CandidateWay} from './candidates.js';
import {batchPool, type HelperSettings, helpersFor} from './helper-pool.js';
import {type ThumbnailJudge, thumbnailCheckCounts} from './thumb-judge.js';
import type {Link} from './types.js';
import {judgeBatch, type JudgeOptions, type VerificationLoader, type VerifiedFile, type VerifiedUnit, type VerifyHelpers} from './verify.js';

/** Fewest batches worth starting helpers for: a helper takes a few hundred milliseconds to load and open the catalog. */
const fewestBatches = 16;

/** Ints per way in a batch message: i, j, rotation, crop, distance, flags. */
const wayInts = 6;
const windowFlag = 1;
const damagedFlag = 2;

/**
 * A batch as a helper is sent it: how to judge, its photos numbered from 0 in `files`, its pairs as (a, b, end of
 * its ways) triples.
 */
export type VerifyJob = {
	readonly kind: 'verify';
	readonly index: number;
	readonly options: JudgeOptions;
	readonly files: VerifiedFile[];
	readonly pairs: Int32Array;
	readonly ways: Int32Array;
};

/** Packs a batch for a helper; `locals[k]` is the caller's unit for the helper's photo k. */
export function packBatch(index: number, options: JudgeOptions, units: readonly VerifiedUnit[], slice: readonly CandidatePair[]): {message: VerifyJob; locals: Int32Array} {
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

	return {message: {kind: 'verify', index, options, files, pairs, ways: Int32Array.from(ways)}, locals: Int32Array.from(local.keys())};
}

/** A batch as judging reads it, in the helper's numbering. */
export function unpackBatch(message: VerifyJob): {units: VerifiedUnit[]; slice: CandidatePair[]} {
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

/** What a helper answers for a batch: its links, in its own numbering, and what the thumbnail check did. */
export type VerifyResult = {readonly links: Link[]; readonly counts: typeof thumbnailCheckCounts};

/** Judges a batch sent to a helper (helper-worker.ts), on the verification data `load` reads. */
export function judgeSent(message: VerifyJob, load: VerificationLoader, judge: ThumbnailJudge): VerifyResult {
	const {units, slice} = unpackBatch(message);
	const before = {...thumbnailCheckCounts};
	const links = judgeBatch(units, slice, load(units.map(unit => unit.file.id)), message.options, judge);
	const counts = {...thumbnailCheckCounts};
	for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] -= before[key];
	return {links, counts};
}

/**
 * Helpers for the verifications of searches over the catalog in `catalogFile`: started only for a run of at least
 * {@link fewestBatches} batches (or `fewest`), on a machine with more than one core (or `count` helpers).
 */
export function verifyHelpers(catalogFile: string, settings: HelperSettings = {}): VerifyHelpers {
	return ({options, batches, units, sliceOf}) => {
		const locals = new Map<number, Int32Array>();
		return batchPool<Link[]>(
			catalogFile,
			helpersFor(batches, fewestBatches, settings),
			index => {
				const packed = packBatch(index, options, units, sliceOf(index));
				locals.set(index, packed.locals);
				return {job: packed.message, transfer: [packed.message.pairs.buffer as ArrayBuffer, packed.message.ways.buffer as ArrayBuffer]};
			},
			(index, result) => {
				const {links, counts} = result as VerifyResult;
				for (const [key, value] of Object.entries(counts) as Array<[keyof typeof thumbnailCheckCounts, number]>) {
					thumbnailCheckCounts[key] += value;
				}

				const numbering = locals.get(index)!;
				locals.delete(index);
				return links.map(link => placed(link, numbering));
			},
		);
	};
}
