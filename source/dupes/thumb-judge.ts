/**
 * The thumbnail check in verification (issue 15): the pairs the detail grids pass near their limit wait here, and are
 * judged in turn on their cached thumbnails (thumb-check.ts), each thumbnail read when a pair first needs it and kept
 * for the next pair while a bounded cache holds it. A photo with no cached thumbnail, or one that does not decode, leaves its pair
 * to the grids' decision.
 */
import {asGray, type GrayThumbnail, ThumbnailReader} from '../media/thumbnail-gray.js';
import type {CandidatePair, CandidateWay} from './candidates.js';
import type {DetailMatch} from './detail.js';
import {compareThumbnails, type Placement, type ThumbMatch} from './thumb-check.js';
import type {Link, Tuning} from './types.js';
import type {Verification, VerifiedUnit} from './verify.js';

/** A pair the grids passed near their limit, as they placed it. */
type Waiting = {
	readonly pair: CandidatePair;
	readonly way: CandidateWay;
	readonly match: DetailMatch;
	readonly distance: number;
	readonly files: readonly [Photo, Photo];
};

type Photo = {readonly id: number; readonly thumbnail: (() => string | undefined) | undefined};

/** Decoded thumbnails kept for later pairs. */
const cacheSize = 1024;

/** What the thumbnail check did in this process (npm run bench:dupes prints it). */
export const thumbnailCheckCounts = {pairs: 0, reads: 0, rejected: 0, unreadable: 0, compareMs: 0, readMs: 0};

/** A judged pair as bench/dupes.ts --trace writes it: the files, their thumbnails, how they were placed, what the check saw. */
export type JudgedPair = {readonly a: number; readonly b: number; readonly thumbnails: readonly [string, string]; readonly placement: Placement; readonly match: ThumbMatch};

/** When `judged` is set (by a benchmark), every judged pair is appended to it. */
export const thumbnailCheckTrace: {judged?: JudgedPair[]} = {};

/** Collects near-limit pairs during a verification batch and judges them at its end. */
export class ThumbnailJudge {
	private waiting: Waiting[] = [];
	private readonly cache = new Map<number, GrayThumbnail | null>();
	private reader: ThumbnailReader | undefined;

	constructor(private readonly tuning: Tuning) {}

	/** A pair to judge on its thumbnails; `data` is the batch's verification data, which knows where they are. */
	add(item: Omit<Waiting, 'files'>, data: ReadonlyMap<number, Verification>, units: readonly VerifiedUnit[]): void {
		const photo = (unit: number): Photo => {
			const {id} = units[unit]!.file;
			return {id, thumbnail: data.get(id)?.thumbnail};
		};

		this.waiting.push({...item, files: [photo(item.way.i), photo(item.way.j)]});
	}

	/**
	 * Judges the waiting pairs in the order they came, linking those that pass (or cannot be checked): each on its own,
	 * as verification judges every pair (verify.ts). A pair's thumbnails are read when it is judged, through a cache
	 * that keeps the last photos' for the next pairs.
	 */
	settle(links: Link[]): void {
		const tuning = this.tuning.thumbnail;
		for (const item of this.waiting) {
			let passes = true;
			if (tuning) {
				this.load(item.files);
				const [first, second] = item.files.map(file => this.cache.get(file.id));
				if (first && second) {
					thumbnailCheckCounts.pairs++;
					const {window, within} = item.match;
					const started = performance.now();
					const placement: Placement = {rotation: item.way.rotation, window, within};
					const match = compareThumbnails(asGray(first), asGray(second), placement, tuning);
					passes = match.passes;
					thumbnailCheckCounts.compareMs += performance.now() - started;
					thumbnailCheckCounts.rejected += passes ? 0 : 1;
					const [a, b] = item.files;
					thumbnailCheckTrace.judged?.push({a: a.id, b: b.id, thumbnails: [a.thumbnail!()!, b.thumbnail!()!], placement, match});
				}
			}

			if (passes) {
				links.push({a: item.pair.a, b: item.pair.b, kind: 'near', distance: item.distance});
			}
		}

		this.waiting = [];
	}

	/** Ends the reader's worker. */
	close(): void {
		this.reader?.close();
	}

	/** Reads the thumbnails of these photos (a pair's two) that the cache does not hold, in one batch. */
	private load(photos: readonly Photo[]): void {
		const wanted = new Map<number, string>();
		for (const photo of photos) {
			if (this.cache.has(photo.id)) {
				// Most recently used last, so the oldest goes first.
				const kept = this.cache.get(photo.id)!;
				this.cache.delete(photo.id);
				this.cache.set(photo.id, kept);
			} else if (!wanted.has(photo.id)) {
				const file = photo.thumbnail?.();
				if (file) {
					wanted.set(photo.id, file);
				} else {
					this.remember(photo.id, null);
				}
			}
		}

		if (wanted.size === 0) {
			return;
		}

		this.reader ??= new ThumbnailReader();
		const started = performance.now();
		const pictures = this.reader.read([...wanted.values()]);
		thumbnailCheckCounts.readMs += performance.now() - started;
		thumbnailCheckCounts.reads += wanted.size;
		for (const [index, id] of [...wanted.keys()].entries()) {
			thumbnailCheckCounts.unreadable += pictures[index] ? 0 : 1;
			this.remember(id, pictures[index] ?? null);
		}
	}

	private remember(id: number, picture: GrayThumbnail | null): void {
		this.cache.set(id, picture);
		if (this.cache.size > cacheSize) {
			this.cache.delete(this.cache.keys().next().value!);
		}
	}
}
