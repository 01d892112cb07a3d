/**
 * Stage 4 of duplicate finding: each candidate pair is judged on its pixel signatures, which tell a re-encoded copy
 * from a burst neighbour. The signatures are the heavy part of a photo's fingerprints, so they are fetched through a
 * loader, only for the photos of candidate pairs and a batch at a time: at a million photos the candidates are a
 * small share of the library.
 */
import {rotateGray} from '../core/geometry.js';
import {matchSignatures} from '../core/signature.js';
import {alignSignatures} from './align.js';
import type {StoredFile} from '../db/catalog.js';
import {takenMs} from './candidates.js';
import type {CandidatePair, CandidateWay} from './candidates.js';
import {compareDetail, type DetailMatch, decodedMatch} from './detail.js';
import {type BatchPool, inBatches} from './helper-pool.js';
import {ThumbnailJudge} from './thumb-judge.js';
import type {Allowed, KindFilter, Link, Tuning} from './types.js';

/**
 * The data verification compares, per photo: the 16x16 grey signature and those of two centre crops, and the 32x32
 * detail grid when the photo was scanned since migration 19 (issue 15; without it a pair is judged on signatures).
 */
export type Verification = {
	readonly signature: Uint8Array | null;
	readonly signatureCrops: Uint8Array | null;
	readonly detail?: Uint8Array | null;
	/** Where the photo's cached thumbnail is, asked only for a pair the thumbnail check judges (issue 15). */
	readonly thumbnail?: () => string | undefined;
};

/** Fetches the verification data of these photos (catalog file ids); photos it does not return count as unverifiable. */
export type VerificationLoader = (ids: readonly number[]) => ReadonlyMap<number, Verification>;

/** A loader over files already in memory (the catalog's full rows carry their signatures). */
export function verificationFromFiles(files: ReadonlyArray<Pick<StoredFile, 'id' | 'signature' | 'signatureCrops' | 'detail'>>): VerificationLoader {
	const byId = new Map(files.map(file => [file.id, file]));
	return ids => {
		const out = new Map<number, Verification>();
		for (const id of ids) {
			const file = byId.get(id);
			if (file) {
				out.set(id, {signature: file.signature, signatureCrops: file.signatureCrops, detail: file.detail ?? null});
			}
		}

		return out;
	};
}

/** What a verification run needs besides the pairs. */
export type VerifyOptions = {
	readonly tuning: Tuning;
	/** Largest pHash distance a near link may have. */
	readonly radius: number;
	readonly filter: KindFilter;
	/** Capture-time window of the `similar` tier, in milliseconds. */
	readonly similarWindowMs: number;
	readonly allowed: Allowed;
	/**
	 * Pairs verified per loader call: bounds how much verification data is held at once, and is what helper threads
	 * share out (1,024 by default: with 4,096 the caller waited for a helper's last batches at the end for a tenth of
	 * verification's time at 100,000 photos).
	 */
	readonly batch?: number;
	/** Told after each batch: pairs judged so far, of all. */
	readonly onVerified?: (done: number, total: number) => void;
	/** Helper threads that may judge some of the batches. */
	readonly helpers?: VerifyHelpers;
};

/**
 * An animation (or a multi-page TIFF) is a different thing from a still, however alike its first frame looks, so a
 * multi-frame file is never a near duplicate: the perceptual fingerprints describe its first frame only. It is a
 * duplicate only of the same bytes (exact) or the same coded frames (pixels: the content hash covers every frame).
 * A file not analysed since frames were counted counts as a still.
 */
function still(file: Pick<StoredFile, 'frames'>): boolean {
	return (file.frames ?? 1) === 1;
}

/** Whether two files may be near duplicates by their records alone: stills, not camera originals of different moments. */
function eligibleFiles(a: Pick<StoredFile, 'takenAt' | 'takenAtSource' | 'frames'>, b: Pick<StoredFile, 'takenAt' | 'takenAtSource' | 'frames'>): boolean {
	return !differentMoments(a, b) && still(a) && still(b);
}

/**
 * Two camera originals whose capture times differ by a second or more are different shots (a burst, a sequence), however
 * alike they look: copies keep the capture time or lose it, they never get another one.
 */
export function differentMoments(a: Pick<StoredFile, 'takenAt' | 'takenAtSource'>, b: Pick<StoredFile, 'takenAt' | 'takenAtSource'>): boolean {
	return apartInTime(cameraTime(a), cameraTime(b));
}

/**
 * A camera original's capture time as {@link differentMoments} compares it, in ms as if UTC; NaN for a file that is not
 * a camera original or has no readable time.
 */
function cameraTime(file: Pick<StoredFile, 'takenAt' | 'takenAtSource'>): number {
	if (file.takenAtSource !== 'original' && file.takenAtSource !== 'digitized') {
		return Number.NaN;
	}

	// Wall-clock times, offsets ignored: an editor may drop the offset tag while keeping DateTimeOriginal.
	return Date.parse(`${/^[\d-]+T[\d:.]+/.exec(file.takenAt ?? '')?.[0] ?? ''}Z`);
}

/** Whether two camera times (NaN: none) are a second or more apart. */
function apartInTime(ta: number, tb: number): boolean {
	return !Number.isNaN(ta) && !Number.isNaN(tb) && Math.abs(ta - tb) >= 1000;
}

/**
 * {@link eligibleFiles} by unit, each unit's camera time worked out once: the filter of candidate pairs asks it of every
 * pair (at a million photos, parsing both times of each took 0.5 s of the thread verification waits for).
 */
function eligibleUnits(units: readonly VerifiedUnit[]): (a: number, b: number) => boolean {
	const times = new Float64Array(units.length);
	const known = new Uint8Array(units.length);
	const timeOf = (unit: number) => {
		if (!known[unit]) {
			times[unit] = cameraTime(units[unit]!.file);
			known[unit] = 1;
		}

		return times[unit]!;
	};

	return (a, b) => !apartInTime(timeOf(a), timeOf(b)) && still(units[a]!.file) && still(units[b]!.file);
}

/** The best of the ways a pair was found (plain, turned, cropped), judged on the matching signatures. */
function bestMatch(pair: CandidatePair, data: ReadonlyMap<number, Verification>, units: readonly VerifiedUnit[]) {
	let match = {correlation: -1, worstBlock: Infinity};
	let distance = Infinity;
	let best: CandidateWay | undefined;
	for (const way of pair.ways) {
		const first = data.get(units[way.i]!.file.id);
		const second = data.get(units[way.j]!.file.id);
		const signature = way.crop < 0 ? first?.signature : first?.signatureCrops?.subarray(way.crop * 256, way.crop * 256 + 256);
		if (!signature || !second?.signature) {
			continue;
		}

		const result = matchSignatures(signature, second.signature, way.rotation);
		if (result.correlation > match.correlation) {
			match = result;
			best = way;
		}

		distance = Math.min(distance, way.distance);
	}

	return {match, distance, way: best};
}

/**
 * How much of a damaged picture decodes, judged against its intact candidate: the share of signature rows, from the
 * top (where a truncated file's data starts), that match it. Undefined when fewer than a quarter match.
 */
export function decodedShare(damaged: Uint8Array, intact: Uint8Array, tuning: Tuning): number | undefined {
	const size = 16;
	// The decoded rows start at the top of the coded picture, which the EXIF orientation may turn to any edge.
	const turned = (grid: Uint8Array, degrees: 0 | 90 | 180 | 270) =>
		degrees === 0 ? grid : Uint8Array.from(rotateGray({gray: Float32Array.from(grid), width: size, height: size}, degrees).gray);
	let best: number | undefined;
	for (const degrees of [0, 90, 180, 270] as const) {
		const a = turned(damaged, degrees);
		const b = turned(intact, degrees);
		for (let rows = size; rows >= size / 4; rows--) {
			if (matchRows(a.subarray(0, rows * size), b.subarray(0, rows * size)) >= tuning.correlation) {
				best = Math.max(best ?? 0, rows / size);
				break;
			}
		}
	}

	return best;
}

function matchRows(a: Uint8Array, b: Uint8Array): number {
	const mean = (values: Uint8Array) => values.reduce((sum, value) => sum + value, 0) / values.length;
	const ma = mean(a);
	const mb = mean(b);
	let ab = 0;
	let aa = 0;
	let bb = 0;
	for (let i = 0; i < a.length; i++) {
		ab += (a[i]! - ma) * (b[i]! - mb);
		aa += (a[i]! - ma) ** 2;
		bb += (b[i]! - mb) ** 2;
	}

	return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * Whether one picture may be a crop of the other: a crop has fewer pixels, so two pictures of the same dimensions
 * (either way round) are the same frame or different shots, never a crop of one another. The crop search is the
 * costliest step of verification (milliseconds a pair); without this, every burst neighbour and every shot of a scene
 * from the same camera paid it, which took a search over 100,000 photos from seconds to minutes. Unknown dimensions
 * may be a crop.
 */
export function mayBeCrop(a: Pick<StoredFile, 'width' | 'height'>, b: Pick<StoredFile, 'width' | 'height'>): boolean {
	if (!a.width || !a.height || !b.width || !b.height) {
		return true;
	}

	return !((a.width === b.width && a.height === b.height) || (a.width === b.height && a.height === b.width));
}

/** Below this plain correlation a pair is not worth aligning: an uneven crop keeps most of the picture in place. */
const alignFloor = 0.5;

/**
 * Whether the pair is the same picture cropped differently (up to 12 % per axis, from any edges), with at most a
 * small overlay in a corner: aligned by searching crop windows on the signatures (align.ts).
 */
function alignedMatch(a: Uint8Array, b: Uint8Array, tuning: Tuning): boolean {
	const alignment = alignSignatures(a, b);
	// The plain check already judged the uncropped pair: alignment only helps a real crop or a set-aside overlay.
	const {window} = alignment;
	const cropped = window.w <= 0.985 || window.h <= 0.985;
	return (cropped || alignment.outliers > 0) && alignment.correlation >= tuning.aligned && alignment.worstBlock <= tuning.alignedBlock;
}

/** The centre crops scan fingerprints (decode.ts `cropFractions`), by `CandidateWay.crop`. */
const cropFractions = [0.95, 0.9] as const;

/** Whether both pictures of this way have detail grids (so the fine check judges the pair). */
function fineJudged(way: CandidateWay | undefined, data: ReadonlyMap<number, Verification>, units: readonly VerifiedUnit[]): boolean {
	return Boolean(way && data.get(units[way.i]!.file.id)?.detail && data.get(units[way.j]!.file.id)?.detail);
}

/** The fine check on the detail grids (detail.ts), the first picture turned and cropped the way the pair was found. */
function fineMatch(way: CandidateWay, data: ReadonlyMap<number, Verification>, units: readonly VerifiedUnit[], tuning: Tuning): DetailMatch & {passes: boolean} {
	const first = data.get(units[way.i]!.file.id)!.detail!;
	const second = data.get(units[way.j]!.file.id)!.detail!;
	const fraction = way.crop >= 0 ? cropFractions[way.crop] : undefined;
	const hints = fraction === undefined ? [] : [{x: (1 - fraction) / 2, y: (1 - fraction) / 2, w: fraction, h: fraction}];
	const crops = mayBeCrop(units[way.i]!.file, units[way.j]!.file);
	return compareDetail(first, second, tuning.detail, {rotation: way.rotation, hints, crops});
}

/**
 * Whether the grids passed the pair with a re-encode's scores, as found: then no thumbnail is read. A stereo partner
 * or a moved subject can score like a crop or an edited copy, never like this (issue 15).
 */
function comfortable(match: DetailMatch, tuning: Tuning): boolean {
	const {window} = match;
	const asFound = window.x === 0 && window.y === 0 && window.w === 1 && window.h === 1 && match.overlay === 0;
	return !tuning.thumbnail || (asFound && match.correlation >= tuning.thumbnail.comfort.correlation && match.worstBlock <= tuning.thumbnail.comfort.worstBlock);
}

/**
 * What verification reads of a photo's record besides its verification data: a helper thread (verify-helpers.ts) is
 * sent these fields alone.
 */
export type VerifiedFile = Pick<StoredFile, 'id' | 'width' | 'height' | 'takenAt' | 'takenAtSource' | 'frames' | 'burstId' | 'contentWidth' | 'contentHeight'>;

/** A unit as verification reads it. */
export type VerifiedUnit = {readonly file: VerifiedFile};

/** How a batch of pairs is judged: plain data, the same in a helper thread. */
export type JudgeOptions = Pick<VerifyOptions, 'tuning' | 'radius' | 'filter' | 'similarWindowMs'>;

/**
 * Judges one batch of candidate pairs on their verification data, in order, and gives its links: a near link when the
 * pair is within the radius, its signatures correlate and no block disagrees (a moved subject does), both are stills
 * and they are not two camera originals of different moments. A pair that fails only because it is cropped
 * differently (an uneven crop, a corner overlay) is aligned and judged again. For the `similar` tier, a rejected pair
 * of one moment that still looks alike becomes a similar link. Pairs the grids pass near their limit are judged on
 * their thumbnails at the batch's end.
 */
export function judgeBatch(units: readonly VerifiedUnit[], slice: readonly CandidatePair[], data: ReadonlyMap<number, Verification>, options: JudgeOptions, thumbnails: ThumbnailJudge): Link[] {
	const links: Link[] = [];
	const {tuning, filter} = options;
	for (const pair of slice) {
		const a = units[pair.a]!.file;
		const b = units[pair.b]!.file;
		const damagedWay = pair.ways.find(way => way.damaged);
		if (damagedWay) {
			const damagedFile = units[damagedWay.i]!.file;
			const damaged = data.get(damagedFile.id);
			const intact = data.get(units[damagedWay.j]!.file.id);
			// The grey that fills what did not decode is trimmed as a border: the kept share is the share that decoded.
			const kept = {
				x: damagedFile.contentWidth && damagedFile.width ? damagedFile.contentWidth / damagedFile.width : 1,
				y: damagedFile.contentHeight && damagedFile.height ? damagedFile.contentHeight / damagedFile.height : 1,
			};
			const trimmed = Math.min(kept.x, kept.y);
			const share =
				trimmed < 0.98 && trimmed >= 0.25 && damaged?.detail && intact?.detail
					? decodedMatch(intact.detail, damaged.detail, kept) >= tuning.detail.correlation
						? trimmed
						: undefined
					: damaged?.signature && intact?.signature
						? decodedShare(damaged.signature, intact.signature, tuning)
						: undefined;
			if (share !== undefined && !differentMoments(a, b) && still(a) && still(b)) {
				links.push({a: pair.a, b: pair.b, kind: 'near', distance: 0, damaged: {unit: damagedWay.i, decodes: share}});
			}

			continue;
		}

		const {match, distance, way} = bestMatch(pair, data, units);
		const eligible = distance <= options.radius && eligibleFiles(a, b);
		// A pair found only through a crop window is far apart in pHash: it must show the crop (or overlay) it is.
		const windowOnly = pair.ways.every(way => way.window);
		const plain = !windowOnly && match.correlation >= tuning.correlation && match.worstBlock <= tuning.worstBlock;
		const signatures = [data.get(a.id)?.signature, data.get(b.id)?.signature] as const;
		const aligned = () =>
			match.correlation >= alignFloor && mayBeCrop(a, b) && signatures[0] && signatures[1] && alignedMatch(signatures[0], signatures[1], tuning);
		if (eligible && way && match.correlation >= alignFloor && fineJudged(way, data, units)) {
			// Both have detail grids: the fine check decides, whichever way the pair was found.
			const fine = fineMatch(way, data, units, tuning);
			if (fine.passes && comfortable(fine, tuning)) {
				links.push({a: pair.a, b: pair.b, kind: 'near', distance});
			} else if (fine.passes) {
				// Near the limit: the thumbnails decide, a few pairs at a time (photos without one keep the grids' word).
				thumbnails.add({pair, way, match: fine, distance}, data, units);
			}
		} else if (eligible && !fineJudged(way, data, units) && (plain || aligned())) {
			links.push({a: pair.a, b: pair.b, kind: 'near', distance});
		} else if (filter === 'similar') {
			const ta = takenMs(a);
			const tb = takenMs(b);
			const sameMoment = (a.burstId && a.burstId === b.burstId) || (ta !== undefined && tb !== undefined && Math.abs(ta - tb) <= options.similarWindowMs);
			if (sameMoment && match.correlation >= 0.5) {
				links.push({a: pair.a, b: pair.b, kind: 'similar', distance});
			}
		}
	}

	thumbnails.settle(links);
	return links;
}

/**
 * Helper threads for a verification run of `batches` batches, batch `index` being `sliceOf(index)` of pairs among
 * `units` (verify-helpers.ts): a batch they take is judged there and its links come back in this thread's numbering;
 * undefined to judge every batch here.
 */
export type VerifyHelpers = (run: {
	readonly options: JudgeOptions;
	readonly batches: number;
	readonly units: readonly VerifiedUnit[];
	readonly sliceOf: (index: number) => readonly CandidatePair[];
}) => BatchPool<Link[]> | undefined;

/**
 * Judges candidate pairs (see {@link judgeBatch}) a batch at a time, each batch's verification data loaded for it
 * alone.
 *
 * Every pair is judged on its own, even one that earlier links already joined: the links, and so each cluster's
 * largest link distance and kind, are the same whatever order the pairs come in, which lets a kept search be brought
 * up to date by searching only the photos a change can move (refresh.ts), and lets helper threads judge batches
 * beside this one. Skipping joined pairs saved about 6 % of a search's CPU at 100,000 photos.
 */
export function verifyCandidates(units: readonly VerifiedUnit[], pairs: readonly CandidatePair[], load: VerificationLoader, options: VerifyOptions): Link[] {
	const batch = options.batch ?? 1024;
	const batches = Math.ceil(pairs.length / batch);
	const thumbnails = new ThumbnailJudge(options.tuning);
	const judging: JudgeOptions = {tuning: options.tuning, radius: options.radius, filter: options.filter, similarWindowMs: options.similarWindowMs};
	// Outside the `similar` tier, a pair its records already rule out (another moment, an animation, too far apart in
	// every way it was found) can make no link: a fifth of the candidates at 100,000 photos, whose verification data
	// need not be read. A damaged copy is judged on its own terms.
	const eligible = eligibleUnits(units);
	const mayLink = (pair: CandidatePair) =>
		options.filter === 'similar' || pair.ways.some(way => way.damaged) || (pair.ways.some(way => way.distance <= options.radius) && eligible(pair.a, pair.b));
	const sliceOf = (index: number) => pairs.slice(index * batch, (index + 1) * batch).filter(pair => options.allowed(pair.a, pair.b) && mayLink(pair));
	const here = (index: number) => {
		const slice = sliceOf(index);
		const ids = new Set<number>();
		for (const pair of slice) {
			ids.add(units[pair.a]!.file.id);
			ids.add(units[pair.b]!.file.id);
		}

		return judgeBatch(units, slice, load([...ids]), judging, thumbnails);
	};

	try {
		const helpers = batches > 1 ? options.helpers?.({options: judging, batches, units, sliceOf}) : undefined;
		return inBatches(batches, here, helpers, done => options.onVerified?.(Math.min(pairs.length, done * batch), pairs.length)).flat();
	} finally {
		thumbnails.close();
	}
}
